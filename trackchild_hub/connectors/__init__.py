"""State police and WCD systems: the Connector port, its adapters, resilience, and simulators.

Nothing above this package sees HTTP. May import domain and store only.
"""

"""Durable sync: each connector's change feed pulled into the store, resumable after a crash.

Sits beside ``imports``: it may use connectors, store and domain; nothing here imports strawberry or starlette.
"""

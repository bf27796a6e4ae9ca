"""The append-only access log, chained with keyed MACs and anchored outside the database: who read which protected
fields of which record, when and why.

May import store, settings and domain only.
"""

"""The append-only, hash-chained access log: who read which protected fields of which record, when and why.

May import store and domain only.
"""

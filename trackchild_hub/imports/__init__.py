"""Bulk loads into the store (JSONL cases) and the demo seed. May import store and domain only."""

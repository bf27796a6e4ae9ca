"""Bulk loads into the store (JSONL cases, directory CSVs). May import store, directories and domain only."""

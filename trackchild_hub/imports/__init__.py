"""Bulk loads into the store (JSONL cases, directory CSVs): batch drivers beside ``sync``. May import services (a
batch's new cases go to the match proposal use case), store, directories and domain."""

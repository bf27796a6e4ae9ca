"""Resource directories as plain logic: what an entry is and the rules it obeys, the CSV layout state IT teams
publish, typo-tolerant text search, great-circle distance, coverage and data-quality rules.

No I/O here: the store reads and writes, resolvers and the CLI call both. May import ``domain`` (and rapidfuzz),
never ``store``, ``schema``, strawberry or starlette.
"""

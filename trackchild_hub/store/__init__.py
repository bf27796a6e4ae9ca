"""The hub's own store: SQLAlchemy 2 async models (``models``), the repositories and writers that hold the hub's SQL,
bulk loading per backend (PostgreSQL COPY, SQLite), engines and sessions (``engine``), Alembic migrations.

The unit of work over these sessions lives in ``services``. May import ``domain``, ``settings``, ``matching`` and
``directories`` (the layers below it); never strawberry or starlette, nothing above it (import contracts hold both).
"""

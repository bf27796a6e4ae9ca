"""The hub's own store: SQLAlchemy 2 async models, repositories, unit of work, Alembic migrations.

May import ``domain`` only; never strawberry or starlette.
"""

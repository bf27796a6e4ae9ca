"""Alembic migrations of the hub's store (``trackchild-hub db upgrade``)."""

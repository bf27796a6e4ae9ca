"""Alembic environment: runs on the connection the hub hands it (see ``store.migrate``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from trackchild_hub.store.models import Base

connection = context.config.attributes.get("connection")


def run(conn: Connection) -> None:
    context.configure(
        connection=conn,
        target_metadata=Base.metadata,
        render_as_batch=conn.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through `trackchild-hub db upgrade`, which passes the connection")
run(connection)

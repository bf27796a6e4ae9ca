"""Writes what a request read of protected fields to the access log: one batch, before the response leaves.

If the log cannot be written, the data is withheld: no read goes unlogged.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from ...audit.log import Reader
from ...domain.overload import Overloaded

log = logging.getLogger("trackchild_hub.audit")


class AuditReads(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        entries = context.reads.entries()
        if not entries:
            return
        context.reads.clear()
        p = context.principal
        operation = self.execution_context.operation_name
        reader = Reader(
            request_id=context.request_id,
            subject=p.subject,
            client_id=p.client_id,
            agency=p.agency.value if p.agency else None,
            operation=operation,
            purpose=p.purpose,
        )
        try:
            # The result is complete: give the connection back before waiting on the log's (a request holding one
            # while it waits for the writer's is how the pool once ran dry and every request hung).
            await context.release()
            await context.services.access_log.write(reader, entries)
        except Exception as exc:
            result = self.execution_context.result
            if isinstance(exc, Overloaded):  # no connection for the log in time: 503, try again
                error = GraphQLError(exc.message, original_error=exc, extensions=exc.extensions())
            else:
                log.error("access log write failed: %s", type(exc).__name__)
                error = GraphQLError(
                    "the access log is unavailable; try again", extensions={"code": "INTERNAL_SERVER_ERROR"}
                )
            if result is not None:
                result.data = None
                result.errors = [error]

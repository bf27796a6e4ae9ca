"""Writes what a request read of protected fields to the access log: one batch, before the response leaves.

If the log cannot be written, the data is withheld: no read goes unlogged.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from ...audit.log import Reader

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
            await context.services.access_log.write(reader, entries)
        except Exception as exc:
            log.error("access log write failed: %s", type(exc).__name__)
            result = self.execution_context.result
            if result is not None:
                result.data = None
                result.errors = [
                    GraphQLError(
                        "the access log is unavailable; try again", extensions={"code": "INTERNAL_SERVER_ERROR"}
                    )
                ]

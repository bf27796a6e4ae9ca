"""What the live pages (``resolvers.federated_cases``, ``live_rows``, ``remote_cases``) take from the store, through
one door: resolvers import no store module and no SQLAlchemy.

A live record becomes the store's read-model records (``store.live_records``); the stations and institutions an
answer names and the store's copies of its records are read by the store's own statements (``store.named_records``,
``store.held_copies``) on the request's session; the store's page of the same list, its joins and its keyset cursor
are the store's (``store.cases``, ``store.pagination``); the process's cache of stations and institutions is keyed by
the store's fingerprint (``store.named_cache``).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ..store.case_records import CaseShown, ChildRecord, GuardianRecord
from ..store.case_references import References
from ..store.cases import NO_JOINS, Joins
from ..store.held_copies import held_copies
from ..store.live_records import LiveCaseRecord, live_records, with_references
from ..store.named_cache import Fingerprint, fingerprint
from ..store.named_records import NO_RECORDS, NamedRecords, named_records, named_refs
from ..store.pagination import Page, decode_cursor, decode_datetime, encode_cursor

Session = AsyncSession  # the session a live page's reads run on (``Unit.read``)

__all__ = [
    "NO_JOINS",
    "NO_RECORDS",
    "CaseShown",
    "ChildRecord",
    "Fingerprint",
    "GuardianRecord",
    "Joins",
    "LiveCaseRecord",
    "NamedRecords",
    "Page",
    "References",
    "Session",
    "decode_cursor",
    "decode_datetime",
    "encode_cursor",
    "fingerprint",
    "held_copies",
    "live_records",
    "named_records",
    "named_refs",
    "with_references",
]

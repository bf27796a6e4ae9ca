"""The record rule: which records a principal may see or name, decided in one place.

A record is admitted when it lies in the principal's jurisdiction (``state``/``district`` claims; absent = national)
and, for a confidential child (in conflict with law, a POCSO victim), only when the principal is a CWC, JJB or DCPU.
``admits`` is the rule for one record (every id a query or an input names goes through it, via
``resolvers.record_access``); ``record_scope`` is the same rule as a value the store turns into SQL for lists.
A record the rule refuses is reported as not found (never "forbidden"), so its existence does not leak.
"""

from __future__ import annotations

from ..domain.errors import Forbidden
from ..domain.filters import RecordScope
from .principal import Principal
from .scopes import Agency, Scope

# JJ Act s.74 and POCSO s.23: identity of these children is disclosed only to the bodies deciding their case.
CONFIDENTIAL_AGENCIES = frozenset({Agency.CWC, Agency.JJB, Agency.DCPU})


def record_scope(principal: Principal) -> RecordScope:
    """The principal's jurisdiction and whether confidential children are within it."""
    return RecordScope(
        state=principal.state,
        district=principal.district,
        confidential=principal.agency in CONFIDENTIAL_AGENCIES,
    )


def admits(principal: Principal, state: str | None, district: str | None, *, confidential: bool = False) -> bool:
    """THE record rule for one record held at (``state``, ``district``)."""
    return record_scope(principal).admits(state, district, confidential)


def case_scope(principal: Principal) -> RecordScope:
    """The cases ``principal`` may read; ``Forbidden`` without ``cases:read``.

    The operation guard refuses such callers first; this stays for the doors without one (``_entities``, a
    child's ``cases``) and for services called from elsewhere."""
    if not principal.has(Scope.CASES_READ.value):
        raise Forbidden("reading cases needs the scope cases:read", suggestion="the public role sees public notices")
    return record_scope(principal)

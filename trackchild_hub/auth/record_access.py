"""Which records a principal may see: its jurisdiction, and confidential children only for CWC, JJB and DCPU.

A record outside it is reported as not found (never "forbidden"), so its existence does not leak.
"""

from __future__ import annotations

from ..domain.errors import Forbidden
from ..domain.filters import RecordScope
from .principal import Principal
from .scopes import Agency, Scope

# JJ Act s.74 and POCSO s.23: identity of these children is disclosed only to the bodies deciding their case.
CONFIDENTIAL_AGENCIES = frozenset({Agency.CWC, Agency.JJB, Agency.DCPU})


def case_scope(principal: Principal) -> RecordScope:
    """The cases ``principal`` may read; ``Forbidden`` without ``cases:read``."""
    if not principal.has(Scope.CASES_READ.value):
        raise Forbidden("reading cases needs the scope cases:read", suggestion="the public role sees public notices")
    return RecordScope(
        state=principal.state,
        district=principal.district,
        confidential=principal.agency in CONFIDENTIAL_AGENCIES,
    )

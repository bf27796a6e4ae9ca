"""OAuth scopes and the agency roles of CONTRACT.md, with the scopes each role is granted."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    CASES_READ = "cases:read"
    CASES_WRITE = "cases:write"
    CHILD_IDENTITY = "child:identity"
    CHILD_SENSITIVE = "child:sensitive"
    CARE_WRITE = "care:write"
    MATCHES_READ = "matches:read"
    MATCHES_REVIEW = "matches:review"
    INSTITUTIONS_WRITE = "institutions:write"
    DIRECTORY_WRITE = "directory:write"
    REPORTS_READ = "reports:read"
    AUDIT_READ = "audit:read"
    ALERTS_READ = "alerts:read"


class Agency(StrEnum):
    POLICE = "police"
    AHTU = "ahtu"
    CCI = "cci"
    CWC = "cwc"
    JJB = "jjb"
    DCPU = "dcpu"
    SCPS = "scps"
    CPSU = "cpsu"
    NGO = "ngo"
    LEGAL_SERVICES = "legal_services"
    DISTRICT_ADMIN = "district_admin"
    STATE_IT = "state_it"


def _s(text: str) -> frozenset[str]:
    return frozenset(text.split())


_POLICE = _s("cases:read cases:write child:identity matches:read matches:review alerts:read")
_CWC = _s("cases:read cases:write child:identity child:sensitive matches:read matches:review reports:read alerts:read")
_DCPU = _s(
    "cases:read child:identity child:sensitive matches:read reports:read institutions:write directory:write alerts:read"
)

ROLE_SCOPES: dict[Agency, frozenset[str]] = {
    Agency.POLICE: _POLICE,
    Agency.AHTU: _POLICE | {"reports:read"},
    Agency.CCI: _s("cases:read cases:write child:identity child:sensitive care:write matches:read alerts:read"),
    Agency.CWC: _CWC,
    Agency.JJB: _CWC,
    Agency.DCPU: _DCPU,
    Agency.SCPS: _DCPU,
    Agency.CPSU: frozenset(s.value for s in Scope) - {"care:write"},
    Agency.NGO: _s("cases:read matches:read"),
    Agency.LEGAL_SERVICES: _s("cases:read reports:read"),
    Agency.DISTRICT_ADMIN: _s("cases:read reports:read alerts:read"),
    Agency.STATE_IT: _s("cases:read reports:read directory:write"),
}

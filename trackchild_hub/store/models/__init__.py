"""ORM models, one module per aggregate; importing this package registers every table on ``Base.metadata``."""

from .audit import AccessLogRow, AuditHeadRow
from .base import Base
from .cases import CareCaseRow, CaseEventRow, CaseRow, FoundCaseRow, MissingCaseRow, ReferenceCounterRow
from .children import ChildAliasRow, ChildRow, GuardianRow
from .directory import DirectoryChangeRow, DirectoryCoverageRow, DirectoryEntryRow, FunctionaryRow
from .geography import DistrictRow, StateRow
from .institutions import InstitutionRow
from .matches import MatchProposalRow
from .sync import SyncCursorRow

__all__ = [
    "AccessLogRow",
    "AuditHeadRow",
    "Base",
    "CareCaseRow",
    "CaseEventRow",
    "CaseRow",
    "ChildAliasRow",
    "ChildRow",
    "DirectoryChangeRow",
    "DirectoryCoverageRow",
    "DirectoryEntryRow",
    "DistrictRow",
    "FoundCaseRow",
    "FunctionaryRow",
    "GuardianRow",
    "InstitutionRow",
    "MatchProposalRow",
    "MissingCaseRow",
    "ReferenceCounterRow",
    "StateRow",
    "SyncCursorRow",
]

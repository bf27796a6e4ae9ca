"""ORM models, one module per aggregate; importing this package registers every table on ``Base.metadata``."""

from .alerts import OutboxRow
from .audit import AccessLogRow, AuditHeadRow
from .base import Base
from .cases import CareCaseRow, CaseEventRow, CaseRow, FoundCaseRow, MissingCaseRow, ReferenceCounterRow
from .children import ChildAliasRow, ChildRow, GuardianRow
from .citizen_reports import CitizenReportEventRow, CitizenReportRow
from .directory import DirectoryChangeRow, DirectoryCoverageRow, DirectoryEntryRow, FunctionaryRow
from .geography import DistrictRow, StateRow
from .institutions import InstitutionRow
from .matches import MatchProposalRow
from .photos import PhotoRow
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
    "CitizenReportEventRow",
    "CitizenReportRow",
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
    "OutboxRow",
    "PhotoRow",
    "ReferenceCounterRow",
    "StateRow",
    "SyncCursorRow",
]

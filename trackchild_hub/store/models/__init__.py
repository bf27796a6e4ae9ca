"""ORM models, one module per aggregate; importing this package registers every table on ``Base.metadata``."""

from .alerts import OutboxRow
from .audit import AccessLogRow, AuditHeadRow
from .base import Base
from .care import CareEntryRow
from .cases import CareCaseRow, CaseEventRow, CaseRow, FoundCaseRow, MissingCaseRow, ReferenceCounterRow
from .children import ChildAliasRow, ChildRow, GuardianRow
from .citizen_reports import CitizenReportEventRow, CitizenReportRow
from .directory import DirectoryChangeRow, DirectoryCoverageRow, DirectoryEntryRow, FunctionaryRow
from .geography import DistrictRow, StateRow
from .institution_records import InfrastructureRow, InspectionRow
from .institutions import InstitutionRow
from .match_weights import MatchWeightsRow
from .matches import MatchProposalRow
from .photos import PhotoRow
from .progress import ProgressFinancialsRow
from .stats import StatsByChildRow, StatsByPlaceRow, StatsFactRow, StatsTracedDaysRow
from .sync import SyncCursorRow
from .workflow import AhtuEscalationRow, AhtuReportRow, ChecklistTickRow, RiskAssessmentRow, WorkflowLeaseRow

__all__ = [
    "AccessLogRow",
    "AhtuEscalationRow",
    "AhtuReportRow",
    "AuditHeadRow",
    "Base",
    "CareCaseRow",
    "CareEntryRow",
    "CaseEventRow",
    "CaseRow",
    "ChecklistTickRow",
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
    "InfrastructureRow",
    "InspectionRow",
    "InstitutionRow",
    "MatchProposalRow",
    "MatchWeightsRow",
    "MissingCaseRow",
    "OutboxRow",
    "PhotoRow",
    "ProgressFinancialsRow",
    "ReferenceCounterRow",
    "RiskAssessmentRow",
    "StateRow",
    "StatsByChildRow",
    "StatsByPlaceRow",
    "StatsFactRow",
    "StatsTracedDaysRow",
    "SyncCursorRow",
    "WorkflowLeaseRow",
]

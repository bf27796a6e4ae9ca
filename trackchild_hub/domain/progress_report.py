"""The Mission Vatsalya (formerly ICPS) progress report of a State for a financial year: what the hub's data says
(the physical part) beside what the State entered about money (the financial part, ``progress_financials``).

Physical part, counted in SQL by ``store/progress_physical.py``:

- institutions by type as registered in the hub now (count and capacity); each type is one JJ Act category:
  observation homes (s.47), special homes (s.48) and places of safety (s.49) hold children in conflict with law (CCL);
  children's homes (s.50), open shelters (s.43) and specialised adoption agencies (s.65) children in need of care
  and protection (CNCP). The category of a child is that of the home they are in.
- children by institution type and gender: in care on the period's last day, and admitted during the period;
- outcomes by gender from the CCI e-file's releases in the period (current versions only: a corrected release counts
  once, on its corrected day): restored to family, repatriated to another State, transferred. Adoption, foster care,
  sponsorship and aftercare are not recorded anywhere in the hub, so those lines say so (``recorded=False``) and
  never show a 0 that would read as "none happened".

The period is the financial year, cut at today while the year runs; a year not begun has no physical part.
Children's counts of 1-4 are blanked (``None``) for readers who do not work cases (``suppressed``), with
complementary cells as ``stats`` does (``stats_suppression``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum

from .enums import InstitutionType
from .progress_financials import FinancialsVersion, FinancialYear
from .stats_suppression import THRESHOLD, hidden_cells


class ChildCategory(Enum):
    CNCP = "CNCP"  # in need of care and protection
    CCL = "CCL"  # in conflict with law


CATEGORY_OF: dict[InstitutionType, ChildCategory] = {
    InstitutionType.OBSERVATION_HOME: ChildCategory.CCL,
    InstitutionType.SPECIAL_HOME: ChildCategory.CCL,
    InstitutionType.PLACE_OF_SAFETY: ChildCategory.CCL,
    InstitutionType.CHILDRENS_HOME: ChildCategory.CNCP,
    InstitutionType.OPEN_SHELTER: ChildCategory.CNCP,
    InstitutionType.SPECIALISED_ADOPTION_AGENCY: ChildCategory.CNCP,
}
TYPE_LABELS: dict[InstitutionType, str] = {
    InstitutionType.CHILDRENS_HOME: "Children's homes",
    InstitutionType.OPEN_SHELTER: "Open shelters",
    InstitutionType.SPECIALISED_ADOPTION_AGENCY: "Specialised adoption agencies",
    InstitutionType.OBSERVATION_HOME: "Observation homes",
    InstitutionType.SPECIAL_HOME: "Special homes",
    InstitutionType.PLACE_OF_SAFETY: "Places of safety",
}
TYPES = tuple(TYPE_LABELS)  # the report's order: CNCP homes first


class Outcome(Enum):
    RESTORED = "RESTORED"
    REPATRIATED = "REPATRIATED"
    TRANSFERRED = "TRANSFERRED"
    ADOPTED = "ADOPTED"
    FOSTER_CARE = "FOSTER_CARE"
    SPONSORSHIP = "SPONSORSHIP"
    AFTERCARE = "AFTERCARE"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.RESTORED: "Restored to family (release: RESTORATION)",
    Outcome.REPATRIATED: "Repatriated to another State (release: REPATRIATION)",
    Outcome.TRANSFERRED: "Transferred to another institution or CWC (release: TRANSFER)",
    Outcome.ADOPTED: "Placed in adoption",
    Outcome.FOSTER_CARE: "Placed in foster care",
    Outcome.SPONSORSHIP: "Supported by sponsorship",
    Outcome.AFTERCARE: "In aftercare",
}
RELEASE_OUTCOME = {
    "RESTORATION": Outcome.RESTORED,
    "REPATRIATION": Outcome.REPATRIATED,
    "TRANSFER": Outcome.TRANSFERRED,
}
NOT_RECORDED = "not recorded: the hub keeps no record of this"


@dataclass(frozen=True, slots=True)
class GenderCounts:
    """Children by gender; ``None`` is a small count blanked for this reader."""

    male: int | None = 0
    female: int | None = 0
    transgender: int | None = 0
    unknown: int | None = 0
    total: int | None = 0

    @classmethod
    def of(cls, by_gender: dict[str, int]) -> GenderCounts:
        """From counts per stored gender; anything but MALE, FEMALE and TRANSGENDER counts as unknown."""
        g = {k.upper(): v for k, v in by_gender.items()}
        male, female, trans = (g.get(k, 0) for k in ("MALE", "FEMALE", "TRANSGENDER"))
        total = sum(g.values())
        return cls(male, female, trans, total - male - female - trans, total)

    def suppressed(self) -> GenderCounts:
        """Counts of 1-4 blanked, with complementary cells (``stats_suppression.hidden_cells``, the rule ``stats``
        follows) so that the total minus the shown genders gives back no blanked count; a total of 1-4 blanked too."""
        cells = [self.male or 0, self.female or 0, self.transgender or 0, self.unknown or 0]
        hidden = hidden_cells(cells)
        male, female, transgender, unknown = (None if i in hidden else n for i, n in enumerate(cells))
        total = self.total or 0
        return GenderCounts(male, female, transgender, unknown, None if 0 < total < THRESHOLD else total)


@dataclass(frozen=True, slots=True)
class InstitutionLine:
    type: InstitutionType
    category: ChildCategory
    institutions: int
    capacity: int


@dataclass(frozen=True, slots=True)
class ChildrenLine:
    type: InstitutionType
    category: ChildCategory
    in_care: GenderCounts  # on the period's last day
    admitted: GenderCounts  # during the period


@dataclass(frozen=True, slots=True)
class OutcomeLine:
    outcome: Outcome
    recorded: bool
    children: GenderCounts | None  # None when not recorded


@dataclass(frozen=True, slots=True)
class PhysicalPart:
    period_start: date
    period_end: date
    institutions: tuple[InstitutionLine, ...]
    children: tuple[ChildrenLine, ...]
    outcomes: tuple[OutcomeLine, ...]

    def suppressed(self) -> PhysicalPart:
        return replace(
            self,
            children=tuple(
                replace(c, in_care=c.in_care.suppressed(), admitted=c.admitted.suppressed()) for c in self.children
            ),
            outcomes=tuple(replace(o, children=o.children.suppressed() if o.children else None) for o in self.outcomes),
        )


@dataclass(frozen=True, slots=True)
class ProgressReport:
    state: str
    state_name: str
    financial_year: FinancialYear
    generated_at: datetime
    physical: PhysicalPart | None  # None: the year has not begun
    financials: FinancialsVersion | None  # the current version; None: never entered
    history: tuple[FinancialsVersion, ...]  # every version, newest first
    suppressed: bool  # children's counts of 1-4 blanked for this reader


def period(year: FinancialYear, today: date) -> tuple[date, date] | None:
    """The days the physical part covers: the year, cut at ``today`` while it runs; None before it begins."""
    if today < year.first_day:
        return None
    return year.first_day, min(year.last_day, today)


def physical_part(
    start: date,
    end: date,
    institutions: dict[str, tuple[int, int]],
    children: dict[tuple[str, str], tuple[int, int]],
    releases: dict[tuple[str, str], int],
) -> PhysicalPart:
    """The part from the store's counts: institutions[type] = (count, capacity); children[(type, gender)] =
    (in care, admitted); releases[(release kind, gender)] = children."""
    inst_lines = tuple(InstitutionLine(t, CATEGORY_OF[t], *institutions.get(t.value, (0, 0))) for t in TYPES)
    child_lines = []
    for t in TYPES:
        in_care = {g: n[0] for (ty, g), n in children.items() if ty == t.value}
        admitted = {g: n[1] for (ty, g), n in children.items() if ty == t.value}
        child_lines.append(ChildrenLine(t, CATEGORY_OF[t], GenderCounts.of(in_care), GenderCounts.of(admitted)))
    outcomes = []
    for outcome in Outcome:
        kinds = [k for k, o in RELEASE_OUTCOME.items() if o is outcome]
        if not kinds:
            outcomes.append(OutcomeLine(outcome, recorded=False, children=None))
            continue
        by_gender = {g: n for (k, g), n in releases.items() if k == kinds[0]}
        outcomes.append(OutcomeLine(outcome, recorded=True, children=GenderCounts.of(by_gender)))
    return PhysicalPart(start, end, inst_lines, tuple(child_lines), tuple(outcomes))

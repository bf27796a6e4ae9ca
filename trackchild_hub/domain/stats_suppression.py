"""Small-cell suppression of statistics, so that no child can be singled out of a count.

Who sees what: the agencies that work cases (``CASE_WORKERS``: police, AHTU, CCI, CWC, JJB, DCPU, SCPS, CPSU) hold
the children's records anyway and see every number. Everyone else who may read reports (legal services authorities,
the district administration, state IT, NGOs, any other or unknown agency) sees them suppressed:

1. primary: a count of 1 to 4 (``THRESHOLD``) is hidden (None, named in the row's ``suppressed``); 0 is shown;
2. complementary, per measure, over the rows of one answer: while exactly one cell of the column is hidden, or the
   hidden cells add up to fewer than 5, the smallest shown non-zero cell is hidden too, so the total minus the
   shown cells gives back neither one hidden cell nor a small sum; a total of 1 to 4 is hidden itself;
3. derived values follow their counts: the trace rate is hidden with ``traced`` or ``missing``, the median days to
   trace with ``traced`` (a median of a few children is one child's time).

Step 2 protects each column against the answer's own total, which covers one-dimension groupings completely; with
two or three dimensions a margin (a state's row of a state x month table) could come from another query, so the
cells of a multi-dimension answer are protected against the grand total only (README "Statistics").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .stats import COUNTS, InCareByType, StatsMeasure, StatsRow

THRESHOLD = 5
CASE_WORKERS = frozenset({"police", "ahtu", "cci", "cwc", "jjb", "dcpu", "scps", "cpsu"})
RULE = (
    f"counts of 1 to {THRESHOLD - 1} children are suppressed, with complementary cells so that no suppressed count "
    "can be worked out from the total; rates and medians follow their counts"
)


_COUNT_ATTRS = tuple((m, m.value) for m in COUNTS)
_ATTRS = {m: m.value for m in StatsMeasure}


def sees_small_cells(agency: str | None) -> bool:
    """Whether a reader of this agency sees small counts as they are."""
    return agency in CASE_WORKERS


def hidden_cells(values: Sequence[int]) -> set[int]:
    """The indexes of ``values`` (one measure's column) to hide: primary, then complementary cells."""
    hidden = {i for i, v in enumerate(values) if 0 < v < THRESHOLD}
    while hidden and (len(hidden) == 1 or sum(values[i] for i in hidden) < THRESHOLD):
        shown = [(v, i) for i, v in enumerate(values) if i not in hidden and v > 0]
        if not shown:
            break
        hidden.add(min(shown)[1])
    return hidden


def small(value: int | None) -> bool:
    return value is not None and 0 < value < THRESHOLD


def suppress(rows: Sequence[StatsRow], total: StatsRow) -> tuple[tuple[StatsRow, ...], StatsRow]:
    """The rows and the total with small cells hidden as the module says."""
    hide: list[set[StatsMeasure]] = [set() for _ in rows]
    for measure, attr in _COUNT_ATTRS:  # Enum's .value is a property: read once, not per row
        column = [int(getattr(row, attr) or 0) for row in rows]
        for i in hidden_cells(column):
            hide[i].add(measure)
    total_hide = {m for m, attr in _COUNT_ATTRS if small(int(getattr(total, attr) or 0))}
    out = tuple(_hidden(row, h) for row, h in zip(rows, hide, strict=True))
    return out, _hidden(total, total_hide)


def suppress_by_type(entries: Sequence[InCareByType]) -> tuple[InCareByType, ...]:
    hidden = hidden_cells([e.children or 0 for e in entries])
    return tuple(replace(e, children=None, suppressed=True) if i in hidden else e for i, e in enumerate(entries))


def _hidden(row: StatsRow, measures: set[StatsMeasure]) -> StatsRow:
    if StatsMeasure.TRACED in measures or StatsMeasure.MISSING in measures:
        measures.add(StatsMeasure.TRACE_RATE)
    if StatsMeasure.TRACED in measures:
        measures.add(StatsMeasure.MEDIAN_DAYS_TO_TRACE)
    if not measures:
        return row
    values = {_ATTRS[m]: None for m in measures}
    return replace(row, **values, suppressed=frozenset(measures))  # type: ignore[arg-type]

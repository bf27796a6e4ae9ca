"""The Mission Vatsalya progress report of a State for a financial year (``progressReport``) and its financial part's
entry (``setProgressFinancials``).

Who reads: ``reports:read`` (the schema's operation guard), for a State inside the reader's jurisdiction: a reader
with a ``state`` claim only that State, a national reader (CPSU, a national body) any; the report is a State's, so a
reader whose token names a district is FORBIDDEN (their district's figures are in ``stats``). Children's counts of 1-4
are blanked, as in ``stats``, for readers who do not work cases (``stats_suppression.sees_small_cells``).

Who writes: the State's SCPS (its token's ``state`` is the State, and names no district) or the CPSU (national, or
of that State); any other caller FORBIDDEN. Each write is a new version on top of the one read (CONFLICT otherwise).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.scopes import Agency
from ..domain.errors import BadUserInput, Forbidden
from ..domain.progress_financials import (
    FinancialLine,
    FinancialsVersion,
    FinancialYear,
    financial_year,
    validated_lines,
)
from ..domain.progress_report import PhysicalPart, ProgressReport, period, physical_part
from ..domain.stats_suppression import sees_small_cells
from ..store.progress_financials import ProgressFinancials
from ..store.progress_physical import ProgressPhysical
from .input_errors import in_input
from .unit import Unit

WRITERS = frozenset({Agency.SCPS, Agency.CPSU})


def _state(unit: Unit, field: str, code: str) -> str:
    state = unit.geography.state(code.strip())
    if state is None:
        raise BadUserInput(field, f"{code!r} is not an LGD state code")
    return state.code


def _may_read(unit: Unit, state: str) -> None:
    p = unit.principal
    if p.district is not None:
        raise Forbidden(
            "the progress report is a State's; your token is for one district",
            suggestion="a district's figures are in stats",
        )
    if p.state is not None and p.state != state:
        raise Forbidden(f"state {state} is outside your jurisdiction (state {p.state})")


def _may_write(unit: Unit, state: str) -> None:
    p = unit.principal
    if p.agency not in WRITERS:
        raise Forbidden("the financial part is entered by the State's SCPS or the CPSU")
    if p.agency is Agency.SCPS and (p.state != state or p.district is not None):
        raise Forbidden(f"an SCPS enters its own State's financial part, and state {state} is not yours")
    if p.agency is Agency.CPSU and p.state is not None and p.state != state:
        raise Forbidden(f"state {state} is outside your jurisdiction (state {p.state})")


def checked_year(unit: Unit, field: str, text: str) -> FinancialYear:
    return financial_year(field, text, unit.today)


async def progress_report(unit: Unit, state: str, financial_year: str) -> ProgressReport:
    """Both parts of the report, the financial part's every version, and whether small counts were blanked."""
    code = _state(unit, "state", state)
    _may_read(unit, code)
    year = checked_year(unit, "financialYear", financial_year)
    days = period(year, unit.today)

    async def counts(session: AsyncSession) -> tuple[list[FinancialsVersion], PhysicalPart | None]:
        versions = await ProgressFinancials(session).versions(code, year)
        if days is None:
            return versions, None
        physical = ProgressPhysical(session)
        start, end = days
        part = physical_part(
            start,
            end,
            await physical.institutions(code),
            await physical.children(code, start, end),
            await physical.releases(code, start, end),
        )
        return versions, part

    versions, physical = await unit.read(counts)
    agency = unit.principal.agency
    suppressed = not sees_small_cells(agency.value if agency else None)
    name = unit.geography.state(code)
    return ProgressReport(
        state=code,
        state_name=name.name if name else code,
        financial_year=year,
        generated_at=datetime.now(UTC),
        physical=physical.suppressed() if physical is not None and suppressed else physical,
        financials=versions[0] if versions else None,
        history=tuple(versions),
        suppressed=suppressed,
    )


async def set_progress_financials(
    unit: Unit, state: str, financial_year: str, lines: list[FinancialLine], expected_version: int
) -> FinancialsVersion:
    """A new version of the State's financial part for the year, on top of ``expected_version`` (0 for the first)."""
    code = _state(unit, "input.state", state)
    _may_write(unit, code)
    year = checked_year(unit, "input.financialYear", financial_year)
    if expected_version < 0:
        raise BadUserInput("input.expectedVersion", f"{expected_version} is below 0")
    try:
        checked = validated_lines(lines)
    except BadUserInput as exc:
        raise in_input(exc) from None
    p = unit.principal
    actor, agency = p.actor, p.agency.value if p.agency else None
    async with unit.write() as session:
        return await ProgressFinancials(session).write(
            code, year, expected_version, checked, actor=actor, agency=agency
        )

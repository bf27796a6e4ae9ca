"""A State's financial statements in the store: every version of a (state, year), and a new one on top of the one
the writer read.

A writer that read an older version gets CONFLICT; two writers of the same version are told apart by the unique
(state, year, version) key, so exactly one wins. Nothing is ever updated in place.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.errors import Conflict
from ..domain.progress_financials import FinancialLine, FinancialsVersion, FinancialYear, from_stored, stored
from .models import ProgressFinancialsRow
from .models.base import new_id


def _conflict(found: int, expected: int) -> Conflict:
    return Conflict(
        f"the financial statement is at version {found}, not {expected}",
        suggestion="read progressReport again and send its financials version",
    )


def version_of(row: ProgressFinancialsRow) -> FinancialsVersion:
    return FinancialsVersion(
        version=row.version,
        lines=tuple(from_stored(line) for line in row.lines),
        recorded_by=row.recorded_by,
        recorded_agency=row.recorded_agency,
        recorded_at=row.recorded_at,
    )


class ProgressFinancials:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def versions(self, state: str, year: FinancialYear) -> list[FinancialsVersion]:
        """Every version, newest first (the first is the current one)."""
        query = (
            select(ProgressFinancialsRow)
            .where(ProgressFinancialsRow.state_code == state, ProgressFinancialsRow.financial_year == year.start)
            .order_by(ProgressFinancialsRow.version.desc())
        )
        return [version_of(row) for row in await self.session.scalars(query)]

    async def write(
        self,
        state: str,
        year: FinancialYear,
        expected: int,
        lines: tuple[FinancialLine, ...],
        *,
        actor: str,
        agency: str | None,
    ) -> FinancialsVersion:
        """Write version ``expected + 1`` (``expected`` 0: the first)."""
        latest = await self.session.scalar(
            select(func.max(ProgressFinancialsRow.version)).where(
                ProgressFinancialsRow.state_code == state, ProgressFinancialsRow.financial_year == year.start
            )
        )
        if (latest or 0) != expected:
            raise _conflict(latest or 0, expected)
        row = ProgressFinancialsRow(
            id=new_id(),
            state_code=state,
            financial_year=year.start,
            version=expected + 1,
            lines=[stored(line) for line in lines],
            recorded_by=actor,
            recorded_agency=agency,
        )
        self.session.add(row)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise _conflict(expected + 1, expected) from exc
        return version_of(row)

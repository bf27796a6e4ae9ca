"""The demo States' Mission Vatsalya financial statements: what each SCPS entered for the last financial year (and
the CPSU's correction of one line) and for the current one so far, so ``progressReport`` shows a financial part
beside the physical one under ``make run``. Pure data (``sandbox/progress_seed.py`` writes it); deterministic for a
seed. Amounts are INR lakh, sized like a State's yearly child-protection plan (a few thousand lakh).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from random import Random

from ...domain.progress_financials import Component, FinancialLine, FinancialYear

# Each component's share of a State's plan (the scheme's weight: institutional care is the largest).
_SHARES = {
    Component.STATUTORY_BODIES: 0.08,
    Component.SERVICE_DELIVERY_STRUCTURES: 0.16,
    Component.INSTITUTIONAL_CARE: 0.38,
    Component.OPEN_SHELTERS: 0.05,
    Component.SPECIALISED_ADOPTION_AGENCIES: 0.05,
    Component.NON_INSTITUTIONAL_CARE: 0.14,
    Component.CHILD_HELPLINE: 0.07,
    Component.TRAINING_AND_CAPACITY_BUILDING: 0.03,
    Component.ADMINISTRATION_AND_MONITORING: 0.04,
}
_PLAN_LAKH = {"19": 9000, "7": 4000, "27": 11000, "10": 7500, "9": 14000}  # the demo States' yearly plans
_CENTRE = Decimal("0.60")  # the Centre's share for these States (60:40)


@dataclass(frozen=True, slots=True)
class DemoStatement:
    """One version as its writer entered it."""

    state: str
    year: FinancialYear
    recorded_by: str
    recorded_on: date
    lines: tuple[FinancialLine, ...]


def _lakh(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _line(rng: Random, component: Component, plan: float, released_part: float, spent_part: float) -> FinancialLine:
    sanctioned = _lakh(plan * _SHARES[component])
    released = _lakh(float(sanctioned) * released_part * rng.uniform(0.9, 1.0))
    utilised = _lakh(float(released) * spent_part * rng.uniform(0.75, 1.0))
    central = (released * _CENTRE).quantize(Decimal("0.01"))
    return FinancialLine(component, sanctioned, released, utilised, Decimal(0), central, released - central)


def statements(today: date, *, seed: int) -> list[DemoStatement]:
    """For each demo State: last year's statement (version 1 by the SCPS, version 2 the CPSU's correction of the
    helpline's utilisation) and this year's so far (about half released, less spent)."""
    rng = Random(seed)
    current = FinancialYear.containing(today)
    last = FinancialYear(current.start - 1)
    out: list[DemoStatement] = []
    for state, plan in _PLAN_LAKH.items():
        scps, cpsu = f"demo-scps-{state}", "demo-cpsu"
        year_end = [_line(rng, c, plan, 1.0, 0.92) for c in Component]
        out.append(DemoStatement(state, last, scps, date(last.start + 1, 4, 20), tuple(year_end)))
        corrected = tuple(
            replace(line, utilised=line.released, remarks="utilisation certificate received late")
            if line.component is Component.CHILD_HELPLINE
            else line
            for line in year_end
        )
        out.append(DemoStatement(state, last, cpsu, date(last.start + 1, 5, 12), corrected))
        so_far = [_line(rng, c, plan * 1.05, 0.5, 0.6) for c in Component]
        out.append(DemoStatement(state, current, scps, min(today, date(current.start, 10, 15)), tuple(so_far)))
    return out

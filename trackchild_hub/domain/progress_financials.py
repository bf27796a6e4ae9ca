"""The financial part of the Mission Vatsalya progress report: the financial year, the scheme's components, and the
amounts a State Child Protection Society (or the CPSU) enters for each -- sanctioned, released and utilised.

Amounts are in INR lakh, as the scheme's financial statements state them, exact to the rupee: a ``Decimal`` of at
most 5 decimal places (0.00001 lakh = Rs 1). The store keeps whole rupees (an integer: exact on SQLite and PostgreSQL
alike, where a NUMERIC column on SQLite would be a float). The rules a line must keep:

- every amount is at least 0 and at most ``MAX_LAKH``, with at most 5 decimal places;
- ``released <= sanctioned``: money is released in instalments against what the year's plan sanctioned;
- ``utilised <= released + openingBalance``: what was spent came from this year's releases or from the unspent
  balance brought forward (a State spends last year's balance before this year's first instalment arrives);
- ``centralShare`` and ``stateShare`` (optional, the two shares of the amount released) come together and add up to
  ``released``;
- each component at most once, at least one line.

Refusals name the line and field (``lines.2.utilised``); the service adds ``input.`` as the API spells it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from .errors import BadUserInput
from .text import clean_text

RUPEES_PER_LAKH = 100_000
MAX_LAKH = Decimal(1_000_000)  # Rs 10,000 crore: far above any State's yearly child-protection budget
REMARKS = 500
FIRST_YEAR = 2009  # ICPS, which Mission Vatsalya succeeded, began in 2009-10


class Component(Enum):
    """Mission Vatsalya's components (Guidelines 2022), each a line of the financial statement."""

    STATUTORY_BODIES = "STATUTORY_BODIES"
    SERVICE_DELIVERY_STRUCTURES = "SERVICE_DELIVERY_STRUCTURES"
    INSTITUTIONAL_CARE = "INSTITUTIONAL_CARE"
    OPEN_SHELTERS = "OPEN_SHELTERS"
    SPECIALISED_ADOPTION_AGENCIES = "SPECIALISED_ADOPTION_AGENCIES"
    NON_INSTITUTIONAL_CARE = "NON_INSTITUTIONAL_CARE"
    CHILD_HELPLINE = "CHILD_HELPLINE"
    TRAINING_AND_CAPACITY_BUILDING = "TRAINING_AND_CAPACITY_BUILDING"
    ADMINISTRATION_AND_MONITORING = "ADMINISTRATION_AND_MONITORING"


COMPONENT_LABELS: dict[Component, str] = {
    Component.STATUTORY_BODIES: "Statutory support services (CWC, JJB)",
    Component.SERVICE_DELIVERY_STRUCTURES: "Service delivery structures (SCPS, SARA, DCPU)",
    Component.INSTITUTIONAL_CARE: "Institutional care (Child Care Institutions)",
    Component.OPEN_SHELTERS: "Open shelters",
    Component.SPECIALISED_ADOPTION_AGENCIES: "Specialised adoption agencies",
    Component.NON_INSTITUTIONAL_CARE: "Non-institutional care (sponsorship, foster care, aftercare)",
    Component.CHILD_HELPLINE: "Child helpline and emergency outreach",
    Component.TRAINING_AND_CAPACITY_BUILDING: "Training and capacity building",
    Component.ADMINISTRATION_AND_MONITORING: "Administration, monitoring and evaluation",
}

_YEAR = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, slots=True)
class FinancialYear:
    """April to March: ``FinancialYear(2026)`` is "2026-27", 1 April 2026 to 31 March 2027."""

    start: int

    @property
    def label(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.start, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start + 1, 3, 31)

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)


def financial_year(field: str, text: str, today: date) -> FinancialYear:
    """``"2026-27"`` read and checked: from 2009-10 to the year after the current one (plans are sanctioned ahead)."""
    match = _YEAR.fullmatch(text.strip())
    if match is None:
        raise BadUserInput(field, f"{text!r} is not a financial year like '2026-27'")
    start, end = int(match[1]), int(match[2])
    if end != (start + 1) % 100:
        raise BadUserInput(field, f"{text!r}: a financial year runs April {start} to March {start + 1}")
    latest = FinancialYear.containing(today).start + 1
    if not FIRST_YEAR <= start <= latest:
        raise BadUserInput(field, f"{text!r} is outside 2009-10 to {FinancialYear(latest).label}")
    return FinancialYear(start)


@dataclass(frozen=True, slots=True)
class FinancialLine:
    """One component's amounts for the year, in INR lakh."""

    component: Component
    sanctioned: Decimal
    released: Decimal
    utilised: Decimal
    opening_balance: Decimal = Decimal(0)
    central_share: Decimal | None = None
    state_share: Decimal | None = None
    remarks: str | None = None


@dataclass(frozen=True, slots=True)
class FinancialsVersion:
    """One version of a State's financial statement for a year: who entered it and when."""

    version: int
    lines: tuple[FinancialLine, ...]
    recorded_by: str
    recorded_agency: str | None
    recorded_at: datetime


def _amount(field: str, value: Decimal) -> Decimal:
    try:
        if not value.is_finite():
            raise BadUserInput(field, "is not a number")
        rupees = value * RUPEES_PER_LAKH
        if rupees != rupees.to_integral_value():
            raise BadUserInput(field, f"{value} has more than 5 decimal places (INR lakh, exact to the rupee)")
    except InvalidOperation:
        raise BadUserInput(field, "is not a number") from None
    if value < 0:
        raise BadUserInput(field, f"{value} is below 0")
    if value > MAX_LAKH:
        raise BadUserInput(field, f"{value} lakh is above {MAX_LAKH} lakh")
    return value


def validated_lines(lines: list[FinancialLine]) -> tuple[FinancialLine, ...]:
    """The lines checked (rules in the module's docstring), remarks tidied, in the order of ``Component``."""
    if not lines:
        raise BadUserInput("lines", "give at least one component's amounts")
    seen: set[Component] = set()
    out: list[FinancialLine] = []
    for i, line in enumerate(lines):
        at = f"lines.{i}."
        if line.component in seen:
            raise BadUserInput(at + "component", f"{line.component.value} is given twice")
        seen.add(line.component)
        for name in ("sanctioned", "released", "utilised", "opening_balance", "central_share", "state_share"):
            value = getattr(line, name)
            if value is not None:
                _amount(at + name, value)
        if line.released > line.sanctioned:
            raise BadUserInput(at + "released", f"{line.released} is more than the {line.sanctioned} sanctioned")
        if line.utilised > line.released + line.opening_balance:
            raise BadUserInput(
                at + "utilised",
                f"{line.utilised} is more than released ({line.released}) plus the opening balance "
                f"({line.opening_balance})",
            )
        if (line.central_share is None) != (line.state_share is None):
            missing = "state_share" if line.state_share is None else "central_share"
            raise BadUserInput(at + missing, "give both shares of the amount released, or neither")
        shares = (line.central_share or 0) + (line.state_share or 0)
        if line.central_share is not None and shares != line.released:
            raise BadUserInput(
                at + "central_share",
                f"central ({line.central_share}) and state ({line.state_share}) shares do not add up to the "
                f"{line.released} released",
            )
        remarks = clean_text(at + "remarks", line.remarks, REMARKS)
        out.append(
            FinancialLine(
                line.component,
                line.sanctioned,
                line.released,
                line.utilised,
                line.opening_balance,
                line.central_share,
                line.state_share,
                remarks,
            )
        )
    order = list(Component)
    return tuple(sorted(out, key=lambda line: order.index(line.component)))


_AMOUNTS = ("sanctioned", "released", "utilised", "opening_balance", "central_share", "state_share")


def _rupees(value: Decimal | None) -> int | None:
    return None if value is None else int(value * RUPEES_PER_LAKH)


def _lakh(rupees: int | None) -> Decimal | None:
    if rupees is None:
        return None
    value = Decimal(rupees) / RUPEES_PER_LAKH
    two = value.quantize(Decimal("0.01"))
    return two if two == value else value.quantize(Decimal("0.00001"))


def stored(line: FinancialLine) -> dict[str, Any]:
    """A line as the store keeps it (JSON): amounts in whole rupees."""
    return {"component": line.component.value, "remarks": line.remarks} | {
        name: _rupees(getattr(line, name)) for name in _AMOUNTS
    }


def from_stored(data: dict[str, Any]) -> FinancialLine:
    amounts = {name: _lakh(data.get(name)) for name in _AMOUNTS}
    return FinancialLine(
        component=Component(data["component"]),
        sanctioned=amounts["sanctioned"] or Decimal("0.00"),
        released=amounts["released"] or Decimal("0.00"),
        utilised=amounts["utilised"] or Decimal("0.00"),
        opening_balance=amounts["opening_balance"] or Decimal("0.00"),
        central_share=amounts["central_share"],
        state_share=amounts["state_share"],
        remarks=data.get("remarks"),
    )

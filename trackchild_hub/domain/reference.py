"""Human case reference numbers: state, year, sequence (``WB-2026-000123``)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

IST = timezone(timedelta(hours=5, minutes=30), "IST")


def reference_year(reported_at: datetime) -> int:
    """References count per calendar year in India, not in UTC."""
    return reported_at.astimezone(IST).year


def format_reference(state_abbreviation: str, year: int, sequence: int) -> str:
    return f"{state_abbreviation}-{year}-{sequence:06d}"

"""Renders a domain field path (``child.age_years``) as the GraphQL input path (``input.child.ageYears``)."""

from __future__ import annotations

from collections.abc import Mapping

from ..domain.errors import BadUserInput
from ..domain.naming import camel_case


def in_input(exc: BadUserInput, renames: Mapping[str, str] | None = None) -> BadUserInput:
    field = exc.field
    for old, new in (renames or {}).items():
        if field == old or field.startswith(old if old.endswith(".") else old + "."):
            field = new + field[len(old) :]
            break
    path = ".".join(camel_case(part) for part in field.split("."))
    return BadUserInput(
        "input." + path if not field.startswith("input") else path, exc.reason, suggestion=exc.suggestion
    )

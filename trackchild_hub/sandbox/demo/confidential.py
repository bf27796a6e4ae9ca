"""Which demo children are confidential (JJ Act s.74, POCSO s.23), so that whoever tries the demo sees the rule work.

Every child placed in an observation home, special home or place of safety is in conflict with law, so
confidential by law; a few found girls of 12-17 are marked as POCSO victims. Only CWC, JJB and DCPU tokens see
them (``auth/record_access.py``). They are picked with a random stream of their own, after everything else, so
the rest of the demo is what it was, byte for byte.
"""

from __future__ import annotations

from random import Random
from typing import Any

CONFLICT_WITH_LAW_HOMES = frozenset({"OBSERVATION_HOME", "SPECIAL_HOME", "PLACE_OF_SAFETY"})
POCSO_VICTIMS = 6


def mark_confidential(rng: Random, cases: list[dict[str, Any]], institutions: list[dict[str, Any]]) -> None:
    """Set ``child.confidential`` on the cases that are, in place."""
    homes = {h["registration_number"] for h in institutions if h["type"] in CONFLICT_WITH_LAW_HOMES}
    for case in cases:
        care = case.get("care")
        if care is not None and care["institution"] in homes:
            case["child"]["confidential"] = True
    # Not a child some other record is planted to match: the matching demo stays visible to every role.
    girls = [
        case
        for case in cases
        if case["kind"] == "FOUND"
        and "demo_truth" not in case
        and case["child"]["gender"] == "FEMALE"
        and 12 <= (case["child"]["age_years"] or 0) <= 17
    ]
    for case in rng.sample(girls, min(POCSO_VICTIMS, len(girls))):
        case["child"]["confidential"] = True

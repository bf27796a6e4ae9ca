"""E-file dates far in the past or future through GraphQL: a check-up, an admission order, a counselling session on
0001-01-01 (before the child was born) were kept, and a CWC review scheduled on 0001-01-01 led the overdue list by
739,949 days (or on 9999-12-31, never due). Each is BAD_USER_INPUT naming the date, and nothing is written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.auth.test_jurisdiction_http import _rows
from tests.factories import error_codes, seed_catalogue, today
from tests.schema.test_care_file import add, admitted
from trackchild_hub.resolvers.context import Services

LONG_AGO, FAR_AHEAD = "0001-01-01", "9999-12-31"


def _entries() -> list[tuple[dict[str, Any], str]]:
    recent = (today() - timedelta(days=10)).isoformat()
    return [
        ({"healthCheckup": {"checkedOn": LONG_AGO, "heightCm": 112, "weightKg": 17.5}}, "checkedOn"),
        ({"counselling": {"heldOn": "1990-06-01", "counsellor": "x", "mode": "GROUP", "note": "n"}}, "heldOn"),
        (
            {"admission": {"orderNumber": "1", "orderDate": LONG_AGO, "orderedBy": "CWC", "admittedOn": recent}},
            "orderDate",
        ),
        ({"education": {"on": LONG_AGO, "track": "SCHOOL", "provider": "x", "progress": "y"}}, "on"),
        ({"review": {"body": "CWC", "scheduledOn": LONG_AGO}}, "scheduledOn"),
        ({"review": {"body": "CWC", "scheduledOn": FAR_AHEAD}}, "scheduledOn"),
    ]


@pytest.mark.parametrize("index", range(6))
async def test_a_date_far_off_is_bad_input_naming_it(store: Services, index: int) -> None:
    await seed_catalogue(store)
    case_id = await admitted(store)
    entry, field = _entries()[index]
    section = next(iter(entry))
    before = await _rows(store)
    assert error_codes(await add(store, case_id, entry)) == [("BAD_USER_INPUT", f"entry.{section}.{field}")]
    assert await _rows(store) == before


async def test_a_review_scheduled_ahead_and_a_recent_check_up_are_kept(store: Services) -> None:
    await seed_catalogue(store)
    case_id = await admitted(store)
    ahead = (today() + timedelta(days=120)).isoformat()
    assert error_codes(await add(store, case_id, {"review": {"body": "CWC", "scheduledOn": ahead}})) == []
    checkup = {"checkedOn": (today() - timedelta(days=30)).isoformat(), "heightCm": 112, "weightKg": 17.5}
    assert error_codes(await add(store, case_id, {"healthCheckup": checkup})) == []

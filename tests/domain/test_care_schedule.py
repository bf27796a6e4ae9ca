"""The e-file's schedule as plain functions of entries and a date: follow-ups 1, 3 and 6 months after a restoration
or repatriation (never a transfer), each visit counted for the latest release before it."""

from __future__ import annotations

from datetime import date

from trackchild_hub.domain.care_schedule import follow_ups, review_overdue


def _release(kind: str, on: str) -> dict[str, str]:
    return {"kind": kind, "released_on": on}


def _visit(month: int, on: str) -> dict[str, object]:
    return {"month": month, "visited_on": on}


def test_each_release_home_owes_three_follow_ups_and_a_transfer_none() -> None:
    dues = follow_ups([("r1", _release("RESTORATION", "2026-01-31")), ("t1", _release("TRANSFER", "2026-02-10"))], [])
    assert [(d.release_entry_id, d.month, d.due_on) for d in dues] == [
        ("r1", 1, date(2026, 2, 28)),
        ("r1", 3, date(2026, 4, 30)),
        ("r1", 6, date(2026, 7, 31)),
    ]
    today = date(2026, 5, 1)
    assert [(d.month, d.overdue(today), d.days_overdue(today)) for d in dues] == [
        (1, True, 62),
        (3, True, 1),
        (6, False, 0),
    ]


def test_a_visit_counts_for_the_latest_release_before_it() -> None:
    releases = [("r1", _release("RESTORATION", "2025-01-10")), ("r2", _release("REPATRIATION", "2025-09-01"))]
    visits = [("v1", _visit(1, "2025-02-12")), ("v2", _visit(1, "2025-10-03")), ("v3", _visit(1, "2025-10-20"))]
    dues = {(d.release_entry_id, d.month): d for d in follow_ups(releases, visits)}
    assert (dues[("r1", 1)].follow_up_entry_id, dues[("r1", 1)].done_on) == ("v1", date(2025, 2, 12))
    assert (dues[("r2", 1)].follow_up_entry_id, dues[("r2", 1)].done_on) == ("v2", date(2025, 10, 3))  # the first
    assert dues[("r1", 3)].done_on is None
    assert dues[("r1", 3)].overdue(date(2025, 9, 1))


def test_a_review_is_overdue_from_the_day_after_until_held() -> None:
    day = date(2026, 3, 1)
    assert not review_overdue(day, None, day)
    assert review_overdue(day, None, date(2026, 3, 2))
    assert not review_overdue(day, date(2026, 3, 5), date(2026, 4, 1))

"""What falls due in a child's e-file: post-release follow-ups (1, 3 and 6 months after a restoration or an
inter-state repatriation, JJ Model Rules 2016 r.19 and the MWCD SOP) and CWC/JJB reviews not held by their day.

Follow-ups are derived, never stored as rows of their own: their due dates follow the release entry's current
version, so correcting a release date moves them, and a follow-up is done when a FOLLOW_UP entry for that month
exists. Plain functions of entries and a date, so a test moves the clock by passing another ``today``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .care_entries import FOLLOW_UP_MONTHS, FOLLOWED_UP, ReleaseKind


@dataclass(frozen=True, slots=True)
class FollowUpDue:
    """One follow-up a release calls for: its month, when it is due, and the day it was done (None: not yet)."""

    release_entry_id: str
    month: int
    due_on: date
    done_on: date | None
    follow_up_entry_id: str | None

    def overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_on < today

    def days_overdue(self, today: date) -> int:
        return (today - self.due_on).days if self.overdue(today) else 0


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day (31 January + 1 month = 28/29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_ups(
    releases: Iterable[tuple[str, Mapping[str, Any]]], visits: Iterable[tuple[str, Mapping[str, Any]]]
) -> list[FollowUpDue]:
    """The follow-ups of one child's releases (entry id, payload), each matched with the visit recorded for its month.

    A visit counts for the latest release it follows (a child restored, back in care and restored again is followed
    up from the second restoration), so visits are matched to releases by date: the latest release on or before it."""
    followed = sorted(
        ((date.fromisoformat(p["released_on"]), entry_id) for entry_id, p in releases if _followed(p)), reverse=True
    )
    done: dict[tuple[str, int], tuple[date, str]] = {}
    for entry_id, p in visits:
        visited = date.fromisoformat(p["visited_on"])
        release = next((r for released, r in followed if released <= visited), None)
        if release is not None:
            key = (release, int(p["month"]))
            if key not in done or visited < done[key][0]:
                done[key] = (visited, entry_id)
    out = []
    for released, release_id in sorted(followed):
        for month in FOLLOW_UP_MONTHS:
            visit = done.get((release_id, month))
            out.append(
                FollowUpDue(
                    release_entry_id=release_id,
                    month=month,
                    due_on=add_months(released, month),
                    done_on=visit[0] if visit else None,
                    follow_up_entry_id=visit[1] if visit else None,
                )
            )
    return out


def review_overdue(scheduled_on: date, held_on: date | None, today: date) -> bool:
    """A CWC/JJB review is overdue from the day after it was due until it is recorded as held."""
    return held_on is None and scheduled_on < today


def _followed(payload: Mapping[str, Any]) -> bool:
    return ReleaseKind(payload["kind"]) in FOLLOWED_UP

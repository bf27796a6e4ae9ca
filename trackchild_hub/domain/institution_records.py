"""An institution's own record beside its registration: its infrastructure and the inspections it had.

What the JJ Model Rules 2016 (rule 29, Schedule II) ask a Child Care Institution to have -- dormitories, toilets,
classrooms, a medical room, a kitchen, CCTV, staff by post -- and what an inspecting body (the Inspection Committee of
JJ Act s.54, the CWC, the DCPU, a legal services authority, a commission for the protection of child rights) found
there and asked to be done. Both are versioned by the store (each change a new version, who and when on it); here are
only the values and their rules. Refusals name the field as the input spells it in snake case (``staff.0.post``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .errors import BadUserInput
from .text import check_text, required_text

MAX_CAPACITY = 5000  # the largest homes hold a few hundred; more is a typing error
MAX_ROOMS = 1000
MAX_STAFF_POSTS = 50
MAX_STAFF = 1000
POST = 100
BODY = 200
FINDINGS = 10_000
MAX_STALE_DAYS = 3650


@dataclass(slots=True)
class StaffPost:
    """One post of the staffing pattern: how many are sanctioned and how many are in position."""

    post: str
    sanctioned: int
    in_position: int


@dataclass(slots=True)
class Infrastructure:
    capacity: int
    dormitories: int
    toilets: int
    classrooms: int
    medical_room: bool
    kitchen: bool
    cctv_cameras: int
    staff: list[StaffPost] = field(default_factory=list)


@dataclass(slots=True)
class Inspection:
    inspected_on: date
    inspecting_body: str
    findings: str
    follow_up: str | None = None
    follow_up_due: date | None = None


def _count(name: str, value: int, high: int) -> None:
    if not 0 <= value <= high:
        raise BadUserInput(name, f"{value} is outside 0-{high}")


def validate_infrastructure(value: Infrastructure) -> None:
    """Check ``value`` and tidy its text in place (posts trimmed and folded, in the order given)."""
    _count("capacity", value.capacity, MAX_CAPACITY)
    for name in ("dormitories", "toilets", "classrooms"):
        _count(name, getattr(value, name), MAX_ROOMS)
    _count("cctv_cameras", value.cctv_cameras, MAX_ROOMS)
    if len(value.staff) > MAX_STAFF_POSTS:
        raise BadUserInput("staff", f"has {len(value.staff)} posts; at most {MAX_STAFF_POSTS}")
    seen: set[str] = set()
    for i, post in enumerate(value.staff):
        post.post = required_text(f"staff.{i}.post", post.post, POST)
        if post.post.casefold() in seen:
            raise BadUserInput(f"staff.{i}.post", f"{post.post!r} is listed twice")
        seen.add(post.post.casefold())
        _count(f"staff.{i}.sanctioned", post.sanctioned, MAX_STAFF)
        _count(f"staff.{i}.in_position", post.in_position, MAX_STAFF)


def paragraphs(name: str, value: str | None, limit: int) -> str | None:
    """Multi-line text (findings, what is to be done): each line folded like any text, blank runs to one."""
    if value is None:
        return None
    lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    text = "\n".join(kept).strip("\n")
    if len(text) > limit:
        raise BadUserInput(name, f"is longer than {limit} characters")
    for line in kept:
        check_text(name, line, limit)
    return text or None


def validate_inspection(value: Inspection, today: date) -> None:
    """Check ``value`` and tidy its text in place; an inspection is reported after it happened, never before."""
    if value.inspected_on > today + timedelta(days=1):  # a day of slack for another time zone's date
        raise BadUserInput("inspected_on", f"{value.inspected_on} is in the future")
    if value.inspected_on < today - timedelta(days=365 * 30):
        raise BadUserInput("inspected_on", f"{value.inspected_on} is more than 30 years ago")
    value.inspecting_body = required_text("inspecting_body", value.inspecting_body, BODY)
    findings = paragraphs("findings", value.findings, FINDINGS)
    if findings is None:
        raise BadUserInput("findings", "is required (write 'no adverse findings' when there were none)")
    value.findings = findings
    value.follow_up = paragraphs("follow_up", value.follow_up, FINDINGS)
    if value.follow_up_due is not None:
        if value.follow_up is None:
            raise BadUserInput("follow_up_due", "is a due date for a follow-up; write the follow-up too")
        if value.follow_up_due < value.inspected_on:
            raise BadUserInput("follow_up_due", "is before the inspection")


def check_stale_days(days: int) -> int:
    """``staleInstitutions(days)``: at least a day (0 would list every institution), at most ten years."""
    if not 1 <= days <= MAX_STALE_DAYS:
        raise BadUserInput("days", f"{days} is outside 1-{MAX_STALE_DAYS}")
    return days

"""The simulated system's records: drawn deterministically from the demo generator, held in a small in-memory store.

``build_records(kind, state, seed=..., records=...)`` runs ``generate_demo`` for one state with ``today`` fixed at
2026-11-01, keeps the case kinds the system holds (police: MISSING and FOUND; wcd: CARE and FOUND) and re-keys them:
``source`` is ``f"{kind}-{state}"`` and ``external_id`` is ``<state abbreviation>-<POL|WCD>-<number, six digits>``
(``WB-POL-000123``), the number being the case's position in the demo's national numbering, so a FOUND case carries
the same number in both systems of a state. Each record gets ``updated_at`` (UTC, ``YYYY-MM-DDTHH:MM:SSZ``): an hour
after it was reported, and always at least a second after the record before it, so it increases with the index.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from ...domain.geography import State, load_geography
from ..demo.generator import generate_demo

SimKind = Literal["police", "wcd"]
KINDS: dict[SimKind, tuple[str, ...]] = {"police": ("MISSING", "FOUND"), "wcd": ("CARE", "FOUND")}
SYSTEM_CODES: dict[SimKind, str] = {"police": "POL", "wcd": "WCD"}
TODAY = date(2026, 11, 1)
STAMP = "%Y-%m-%dT%H:%M:%SZ"
SEARCH_LIMIT = 50  # the profile's default page of search results
MAX_SEARCH_LIMIT = 200
AGE_SLACK = 2

Key = tuple[datetime, str]  # (updated_at, external_id): the change-feed order


def sim_kind(value: str) -> SimKind:
    if value == "police":
        return "police"
    if value == "wcd":
        return "wcd"
    raise ValueError(f"unknown system kind {value!r}: police or wcd")


def resolve_state(code: str) -> State:
    """A state by LGD code (``19``) or abbreviation (``WB``, any case)."""
    geography = load_geography()
    state = geography.state(code.strip())
    if state is None:
        state = next((s for s in geography.states if s.abbreviation.lower() == code.strip().lower()), None)
    if state is None:
        raise ValueError(f"unknown state {code!r}: give an LGD state code such as 19, or an abbreviation such as WB")
    if not state.districts:
        raise ValueError(f"state {state.code} ({state.name}) has no districts to place cases in")
    return state


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(STAMP)


def parse_stamp(text: str) -> datetime:
    """An ISO 8601 date-time with an offset; ``ValueError`` otherwise. A ``+`` decoded to a space is put back."""
    raw = text.strip()
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        head, sep, tail = raw.rpartition(" ")
        if not sep:
            raise
        moment = datetime.fromisoformat(f"{head}+{tail}")
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} needs a UTC offset, e.g. 2026-10-01T00:00:00Z")
    return moment.astimezone(UTC)


def build_records(kind: SimKind, state: State, *, seed: int, records: int) -> list[dict[str, Any]]:
    demo = generate_demo(load_geography(), seed=seed, today=TODAY, states=(state.code,), cases=records)
    source = f"{kind}-{state.code}"
    police = f"police-{state.code}"

    def rekey(demo_id: str, system: SimKind) -> str:
        return f"{state.abbreviation}-{SYSTEM_CODES[system]}-{int(demo_id.removeprefix('DEMO-')):06d}"

    kept: list[dict[str, Any]] = []
    previous: datetime | None = None
    for case in demo.cases:
        if case["kind"] not in KINDS[kind]:
            continue
        record = dict(case)
        record["source"] = source
        record["external_id"] = rekey(case["external_id"], kind)
        truth = case.get("demo_truth")
        if isinstance(truth, dict) and isinstance(truth.get("same_child_as"), str):
            # The planted twin is always a MISSING case, which the state's police system holds.
            record["demo_truth"] = {"same_child_as": rekey(truth["same_child_as"], "police"), "source": police}
        updated = datetime.fromisoformat(case["reported_at"]).astimezone(UTC) + timedelta(hours=1)
        if previous is not None and updated <= previous:
            updated = previous + timedelta(seconds=1)
        record["updated_at"] = stamp(updated)
        previous = updated
        kept.append(record)
    return kept


def _reported_key(record: dict[str, Any]) -> Key:
    """Where a record stands in report order; one without a readable ``reported_at`` stands oldest."""
    try:
        return parse_stamp(str(record.get("reported_at"))), record["external_id"]
    except ValueError:
        return datetime.min.replace(tzinfo=UTC), record["external_id"]


def _section(record: dict[str, Any], name: str) -> dict[str, Any]:
    value = record.get(name)
    return value if isinstance(value, dict) else {}


class CaseStore:
    """Records by external id, kept in change-feed order (``updated_at``, then ``external_id``) and in report order
    (``reported_at``, then ``external_id``) for search, which lists the newest report first."""

    def __init__(self, records: list[dict[str, Any]], prefix: str) -> None:
        self.prefix = prefix  # e.g. "WB-POL-": new records without an id get the next number
        self._records: dict[str, dict[str, Any]] = {}
        self._keys: list[Key] = []
        self._reported: list[Key] = []  # (reported_at, external_id), oldest first
        for record in records:
            self._put(record)

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self._records[key[1]] for key in self._keys)

    def get(self, external_id: str) -> dict[str, Any] | None:
        return self._records.get(external_id)

    def page(
        self, *, kind: str | None, since: datetime | None, after: Key | None, limit: int
    ) -> tuple[list[dict[str, Any]], Key | None]:
        """Up to ``limit`` records after ``after`` (updated at or after ``since``), and the key to resume from."""
        start = bisect.bisect_right(self._keys, after) if after is not None else 0
        if since is not None:
            start = max(start, bisect.bisect_left(self._keys, (since, "")))
        items: list[dict[str, Any]] = []
        last: Key | None = None
        for key in self._keys[start:]:
            record = self._records[key[1]]
            if kind is not None and record.get("kind") != kind:
                continue
            if len(items) == limit:
                return items, last
            items.append(record)
            last = key
        return items, None

    def search(
        self,
        *,
        name: str | None,
        gender: str | None,
        age: int | None,
        district: str | None,
        kind: str | None,
        limit: int = SEARCH_LIMIT,
    ) -> list[dict[str, Any]]:
        """Up to ``limit`` records matching every criterion given, newest ``reported_at`` first (ties: the greater
        ``external_id`` first, so a client ordering by (reported_at, id) descending agrees)."""
        needle = name.casefold().strip() if name else None
        found: list[dict[str, Any]] = []
        for _, external_id in reversed(self._reported):
            record = self._records[external_id]
            child, place = _section(record, "child"), _section(record, "place")
            if kind is not None and record.get("kind") != kind:
                continue
            if gender is not None and str(child.get("gender") or "UNKNOWN") != gender:
                continue
            if district is not None and place.get("district") != district:
                continue
            if age is not None:
                years = child.get("age_years")
                if not isinstance(years, int) or abs(years - age) > AGE_SLACK:
                    continue
            if needle is not None:
                names = [child.get("name"), *(child.get("aliases") or [])]
                if not any(isinstance(n, str) and needle in n.casefold() for n in names):
                    continue
            found.append(record)
            if len(found) == limit:
                break
        return found

    def upsert(self, record: dict[str, Any], now: datetime) -> tuple[dict[str, Any], bool]:
        """Add or replace ``record`` by external id, updated at ``now`` or just after the latest record."""
        if not record.get("external_id"):
            record["external_id"] = f"{self.prefix}{self._next_number():06d}"
        latest = self._keys[-1][0] if self._keys else None
        moment = now.astimezone(UTC).replace(microsecond=0)
        if latest is not None and moment <= latest:
            moment = latest + timedelta(seconds=1)
        record["updated_at"] = stamp(moment)
        created = record["external_id"] not in self._records
        if not created:
            old = self._records[record["external_id"]]
            self._keys.remove((parse_stamp(old["updated_at"]), old["external_id"]))
            self._reported.remove(_reported_key(old))
        self._put(record)
        return record, created

    def _put(self, record: dict[str, Any]) -> None:
        key = (parse_stamp(record["updated_at"]), record["external_id"])
        bisect.insort(self._keys, key)
        bisect.insort(self._reported, _reported_key(record))
        self._records[key[1]] = record

    def _next_number(self) -> int:
        tails = [i[len(self.prefix) :] for i in self._records if i.startswith(self.prefix)]
        return max([0, *(int(t) for t in tails if t.isdigit())]) + 1

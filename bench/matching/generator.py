"""Labelled synthetic data, deterministic by seed: N missing reports and M found/CARE children, most of them the same
children seen again under the noise of ``NoiseModel``.

``Stream`` makes the reports one at a time and keeps only the children picked to be found again, so 5,000,000
reports can go straight into an index without being held twice; ``generate`` is the stream kept in lists (shuffled).
Which children are found again is drawn up front (a sample of the report numbers, from a generator of its own); as
each picked child's report is made, the child is seen again under the first still-wanted name type it can carry.

Name types are allotted exactly (largest remainder over the matched children), so each one's share is the configured
share; a child whose name cannot carry a type (nothing to abbreviate, no surname) is given another. The unmatched
found children are new children who were never reported; half of them (``unmatched_hard``) carry the name, gender and
district of a reported child. ``decoy`` of the matched children get a namesake among the missing reports (same name,
gender and district, other parents, other age and date), and ``pet_name_decoy`` of the nickname-only children a
report of another child, missing from where this one was found, with the same pet name recorded.
"""

from __future__ import annotations

import dataclasses
import gc
import random
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

from trackchild_hub.matching.records import MatchRecord

from .children import Child, new_child
from .model import Dataset, NameType, NoiseModel, Query
from .sightings import Sighting, found_in_time, sighting
from .travel import Atlas, jitter

TODAY = date(2026, 11, 1)  # fixed, so a seed gives the same data on any day
_SPARE = 0.5  # children picked beyond the matched ones, for those who cannot carry any type still wanted


def generate(
    missing: int, found: int, *, seed: int = 1, today: date = TODAY, model: NoiseModel | None = None
) -> Dataset:
    # Millions of small acyclic objects: the cyclic collector would only rescan them (a quarter of the time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        started = time.perf_counter()
        stream = Stream(missing, found, seed=seed, today=today, model=model)
        reports = list(stream.reports())
        queries = stream.queries()
        stream.rng.shuffle(reports)  # decoys and found children are not grouped
        stream.rng.shuffle(queries)
        return Dataset(reports, queries, today, seed, time.perf_counter() - started)
    finally:
        if enabled:
            gc.enable()


class Stream:
    """The missing reports (``reports()``, once), then the found children searched for them (``queries()``)."""

    def __init__(
        self, missing: int, found: int, *, seed: int = 1, today: date = TODAY, model: NoiseModel | None = None
    ) -> None:
        self.model = model = model or NoiseModel()
        self.rng, self.today, self.atlas = random.Random(seed), today, Atlas.load()
        self.missing, self.found = missing, found
        unmatched = round(found * model.unmatched)
        self.matched = found - unmatched
        self.wanted = allot(model.name_types, self.matched, self.rng)  # name types still to be given
        self.decoys = round(self.matched * model.decoy)
        nicknames = sum(1 for t in self.wanted if t is NameType.NICKNAME)
        self.pet_decoys = round(nicknames * model.pet_name_decoy)
        self.base = missing - self.decoys - self.pet_decoys  # children of their own; the rest are decoys
        if self.base < self.matched:
            raise ValueError(f"{missing} missing reports cannot cover {self.matched} matched found children")
        picker = random.Random(f"picks/{seed}")
        spare = min(self.base, self.matched + int(self.matched * _SPARE) + 100)
        self.picks = set(picker.sample(range(self.base), spare))
        self.like = picker.sample(range(self.base), min(self.base, unmatched))  # unmatched namesakes' originals
        self.kept: dict[int, Child] = {}  # the ``like`` children, by report number
        self._queries: list[Query] = []
        self._nicks: dict[str, str] = {}  # query case id -> the pet name (nickname-only)
        self._aliases: Counter[str] = Counter()
        self._nick_queries = 0
        self._unused: list[Child] = []  # picked children no wanted name type suited (yet)
        self.seconds = 0.0  # spent making reports (the caller's time between them apart)

    def reports(self) -> Iterator[MatchRecord]:
        like = set(self.like)
        number = 0
        for n in range(self.base):
            started = time.perf_counter()
            child = new_child(f"M{number:07d}", self.rng, self.atlas, self.today, self.model)
            number += 1
            made = [child.report]
            if n in like:
                self.kept[n] = child
            if n in self.picks and self.wanted:
                seen = self._see(child, number)
                if seen is not None:
                    made = seen
                    number += len(seen) - 1
                else:
                    self._unused.append(child)
            self.seconds += time.perf_counter() - started
            yield from self._counted_reports(made)
        for report in self._leftovers(number):
            number += 1
            yield from self._counted_reports([report])
        if self.wanted or number != self.missing:
            raise RuntimeError(f"{len(self.wanted)} name types left unplaced; {number} reports of {self.missing}")

    def _counted_reports(self, made: list[MatchRecord]) -> Iterator[MatchRecord]:
        for report in made:
            if report.aliases:
                self._aliases.update(a.lower() for a in report.aliases)
            yield report

    def _leftovers(self, number: int) -> Iterator[MatchRecord]:
        """Small sets only: the name types no picked child could carry when its report was made, given to the picked
        children still free (their reports already out: only decoys follow); what none can carry becomes a full
        name. Then plain reports make up the count (a pet-name decoy not made)."""
        for rounds in range(40):
            if not self.wanted or not self._unused:
                break
            if rounds == 30:
                self.wanted = [NameType.FULL] * len(self.wanted)  # every child can carry its full name
            for child in list(self._unused):
                seen = self._see(child, number, reported=True) if self.wanted else None
                if seen is not None:
                    self._unused.remove(child)
                    yield from seen[1:]
                    number += len(seen) - 1
        while number < self.missing and not self.wanted:
            yield new_child(f"M{number:07d}", self.rng, self.atlas, self.today, self.model).report
            number += 1

    def queries(self) -> list[Query]:
        """The found children (after ``reports()``): the matched ones in report order, then the unmatched."""
        started = time.perf_counter()
        model, rng, types = self.model, self.rng, list(self.model.name_types)
        queries = [self._counted(q) for q in self._queries]
        for n in range(self.matched, self.found):
            hard = rng.random() < model.unmatched_hard
            while True:  # a child never reported, maybe a namesake of one who was
                original = self.kept[self.like[n - self.matched]] if hard else None
                child = new_child(f"X{n:07d}", rng, self.atlas, self.today, model, like=original)
                name_type = rng.choices(types, weights=[model.name_types[t] for t in types])[0]
                seen = (
                    sighting(child, name_type, f"F{n:06d}", rng, self.atlas, self.today, model)
                    if _suits(child, name_type, rng)
                    else None
                )
                if seen is not None:
                    break
            queries.append(_query(seen, None, name_type, hard, None))
        self.seconds += time.perf_counter() - started
        return queries

    def _see(self, child: Child, number: int, *, reported: bool = False) -> list[MatchRecord] | None:
        """The picked child seen again under the first wanted name type it can carry: the reports to add (its own,
        then its decoy if it gets one), or None when it carries none. ``reported``: its report is out already (the
        pet name stays recorded or not as it is)."""
        rng, model = self.rng, self.model
        if not found_in_time(child, rng, self.today, model):
            return None  # still missing, or found only as an adult: the report stays a plain one
        for at, name_type in enumerate(self.wanted):
            if not _suits(child, name_type, rng):
                continue
            alias_recorded: bool | None = None
            seen_child = child
            if name_type is NameType.NICKNAME and reported:
                alias_recorded = child.nick in child.report.aliases
            elif name_type is NameType.NICKNAME:
                alias_recorded = rng.random() < model.nickname_alias
                seen_child = _with_alias(child, alias_recorded)
            seen = sighting(seen_child, name_type, f"F{len(self._queries):06d}", rng, self.atlas, self.today, model)
            if seen is None:
                continue
            del self.wanted[at]
            made = [seen_child.report]
            decoy = len(self._queries) < self.decoys
            if decoy:
                made.append(new_child(f"M{number:07d}", rng, self.atlas, self.today, model, like=child).report)
            pet_decoy: bool | None = None
            if name_type is NameType.NICKNAME:
                pet_decoy = self._nick_queries < self.pet_decoys
                self._nick_queries += 1
                if pet_decoy:
                    made.append(self._pet_decoy(child, seen, f"M{number + len(made) - 1:07d}"))
                self._nicks[seen.record.case_id] = child.nick
            query = _query(seen, child.report.case_id, name_type, decoy, alias_recorded)
            self._queries.append(dataclasses.replace(query, pet_name_decoy=pet_decoy))
            return made
        return None

    def _pet_decoy(self, child: Child, seen: Sighting, case_id: str) -> MatchRecord:
        """Another child of the same gender, reported missing from where ``child`` was found, up to a year before,
        about the age the found child was estimated at, with ``child``'s pet name recorded."""
        rng = self.rng
        other = new_child(case_id, rng, self.atlas, self.today, self.model)
        while other.gender is not child.gender:
            other = new_child(case_id, rng, self.atlas, self.today, self.model)
        found_on = seen.record.event_date or self.today
        missing_on = found_on - timedelta(days=rng.randint(0, 365))
        estimate = seen.record.age_years if seen.record.age_years is not None else seen.age
        age = max(0, min(17, estimate - (found_on - missing_on).days // 365 + rng.randint(-1, 1)))
        latitude, longitude = jitter(seen.place, rng)
        return dataclasses.replace(
            other.report,
            aliases=(child.nick,),
            age_years=age,
            date_of_birth=None,
            height_cm=None,
            event_date=missing_on,
            state=seen.place.state_code,
            district=seen.place.code,
            latitude=latitude,
            longitude=longitude,
        )

    def _counted(self, query: Query) -> Query:
        """A nickname-only query with how many other reports hold its pet name as an alias."""
        nick = self._nicks.get(query.record.case_id)
        if nick is None:
            return query
        others = self._aliases[nick.lower()] - (1 if query.alias_recorded else 0)
        return dataclasses.replace(query, pet_name_reports=others)


def allot(shares: dict[NameType, float], total: int, rng: random.Random) -> list[NameType]:
    """Exactly ``total`` name types in the given shares (largest remainder), shuffled."""
    weight = sum(shares.values())
    exact = {t: total * s / weight for t, s in shares.items()}
    counts = {t: int(x) for t, x in exact.items()}
    for t in sorted(exact, key=lambda t: exact[t] - counts[t], reverse=True)[: total - sum(counts.values())]:
        counts[t] += 1
    out = [t for t, c in counts.items() for _ in range(c)]
    rng.shuffle(out)
    return out


def _query(seen: Sighting, truth: str | None, name_type: NameType, decoy: bool, alias: bool | None) -> Query:
    return Query(
        record=seen.record,
        truth=truth,
        name_type=name_type,
        script=seen.script,
        distance=seen.distance if truth else None,
        age=seen.age,
        decoy=decoy,
        alias_recorded=alias,
        clothing_changed=seen.clothing_changed,
        elapsed_days=seen.elapsed_days,
    )


def _suits(child: Child, name_type: NameType, rng: random.Random) -> bool:
    """Nameless children are mostly the very young: older children are taken at 30% of the rate."""
    if name_type is NameType.NAMELESS:
        return child.report.age_years is not None and (child.report.age_years <= 6 or rng.random() < 0.3)
    return True


def _with_alias(child: Child, recorded: bool) -> Child:
    """The child with its missing report holding its pet name as an alias, or holding none."""
    aliases = (child.nick,) if recorded else ()
    return dataclasses.replace(child, report=dataclasses.replace(child.report, aliases=aliases))

"""Labelled synthetic data, deterministic by seed: N missing reports and M found/CARE children, most of them the same
children seen again under the noise of ``NoiseModel``.

Name types are allotted exactly (largest remainder over the matched children), so each one's share is the configured
share; a child whose name cannot carry the drawn type (nothing to abbreviate, no surname) is passed over for another.
The unmatched found children are new children who were never reported; half of them (``unmatched_hard``) carry the
name, gender and district of a reported child. ``decoy`` of the matched children get a namesake among the missing
reports: same name, gender and district, other parents, other age and date.
"""

from __future__ import annotations

import dataclasses
import gc
import random
import time
from datetime import date

from .children import Child, new_child
from .model import Dataset, NameType, NoiseModel, Query
from .sightings import Sighting, sighting
from .travel import Atlas

TODAY = date(2026, 11, 1)  # fixed, so a seed gives the same data on any day


def generate(
    missing: int, found: int, *, seed: int = 1, today: date = TODAY, model: NoiseModel | None = None
) -> Dataset:
    # Millions of small acyclic objects: the cyclic collector would only rescan them (a quarter of the time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(missing, found, seed, today, model or NoiseModel())
    finally:
        if enabled:
            gc.enable()


def _generate(missing: int, found: int, seed: int, today: date, model: NoiseModel) -> Dataset:
    started = time.perf_counter()
    rng = random.Random(seed)
    atlas = Atlas.load()
    unmatched = round(found * model.unmatched)
    matched = found - unmatched
    decoys = round(matched * model.decoy)
    if missing - decoys < matched:
        raise ValueError(f"{missing} missing reports cannot cover {matched} matched found children")
    base = missing - decoys
    children = [new_child(f"M{i:07d}", rng, atlas, today, model) for i in range(base)]

    queries: list[Query] = []
    used: set[int] = set()
    for n, name_type in enumerate(allot(model.name_types, matched, rng)):
        query = None
        while query is None:
            at = rng.randrange(base)  # never a decoy: its namesake's query would be mislabelled
            if at in used or not _suits(children[at], name_type, rng):
                continue
            child = children[at]
            alias_recorded: bool | None = None
            if name_type is NameType.NICKNAME:
                alias_recorded = rng.random() < model.nickname_alias
                child = _with_alias(child, alias_recorded)
            seen = sighting(child, name_type, f"F{n:06d}", rng, atlas, today, model)
            if seen is None:
                continue
            used.add(at)
            children[at] = child
            decoy = len(queries) < decoys
            query = _query(seen, child.report.case_id, name_type, decoy, alias_recorded)
            if decoy:
                children.append(new_child(f"M{len(children):07d}", rng, atlas, today, model, like=child))
        queries.append(query)

    types = list(model.name_types)
    for n in range(matched, found):
        hard = rng.random() < model.unmatched_hard
        while True:  # a child never reported, maybe a namesake of one who was
            like = children[rng.randrange(base)] if hard else None
            child = new_child(f"X{n:07d}", rng, atlas, today, model, like=like)
            name_type = rng.choices(types, weights=[model.name_types[t] for t in types])[0]
            seen = (
                sighting(child, name_type, f"F{n:06d}", rng, atlas, today, model)
                if _suits(child, name_type, rng)
                else None
            )
            if seen is not None:
                break
        queries.append(_query(seen, None, name_type, hard, None))

    reports = [child.report for child in children]
    rng.shuffle(reports)  # decoys and reused children are not grouped at the end
    rng.shuffle(queries)
    return Dataset(reports, queries, today, seed, time.perf_counter() - started)


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

"""``generate_demo``: a deterministic national picture (directory, institutions, cases) from LGD geography.

Everything is drawn from one ``random.Random(seed)``, forked into independent streams per part, and only
lists and dicts (never sets) are iterated, so the same inputs give byte-identical output on every run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from random import Random
from typing import Any

from trackchild_hub.domain.geography import Geography, State
from trackchild_hub.sandbox.demo.cases import Draft, Ledger, fresh_care, fresh_found, missing
from trackchild_hub.sandbox.demo.confidential import mark_confidential
from trackchild_hub.sandbox.demo.directory import (
    DirectoryBuilder,
    Station,
    district_bodies,
    national_helpline,
    police_stations,
    state_bodies,
)
from trackchild_hub.sandbox.demo.directory_staff import staff_directory
from trackchild_hub.sandbox.demo.district_officials import list_district_officials
from trackchild_hub.sandbox.demo.institutions import institutions as build_institutions
from trackchild_hub.sandbox.demo.pairs import refound
from trackchild_hub.sandbox.demo.places import Locale, locales
from trackchild_hub.sandbox.demo.world import World

SHARES = {"MISSING": 0.5, "FOUND": 0.3, "CARE": 0.2}
PAIRED_SHARE = 0.1  # of FOUND and CARE records: the same child as some MISSING record


@dataclass(frozen=True)
class DemoData:
    directory: list[dict[str, Any]]  # directory entries
    institutions: list[dict[str, Any]]  # Child Care Institutions
    cases: list[dict[str, Any]]  # exchange records, one per case


def _fork(rng: Random) -> Random:
    # Independent streams: adding a directory entry does not reshuffle every case.
    return Random(rng.getrandbits(64))


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder; ties go to the earlier item)."""
    if total <= 0 or not weights or sum(weights) <= 0:
        return [0] * len(weights)
    quotas = [total * w / sum(weights) for w in weights]
    counts = [math.floor(q) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _station_plan(rng: Random, states: list[State], places: dict[str, Locale], total: int) -> dict[str, int]:
    """How many police stations each district gets, in geography order; districts without any are left out."""
    # sqrt: Uttar Pradesh has seven times Delhi's districts but should not get seven times its stations.
    shares = apportion(total, [math.sqrt(len(s.districts)) for s in states])
    plan: dict[str, int] = {}
    for state, share in zip(states, shares, strict=True):
        if share == 0 or not state.districts:
            continue
        wanted = min(len(state.districts), math.ceil(share / 3))
        hubs = sorted((d.code for d in state.districts if places[d.code].hub), key=lambda c: places[c].hub_rank or 0)
        picked = hubs[: math.ceil(wanted / 2)]
        rest = [d.code for d in state.districts if d.code not in picked]
        picked += rng.sample(rest, wanted - len(picked))
        counts = dict.fromkeys(picked, 1)
        weights = [2 if places[c].hub else 1 for c in picked]
        for _ in range(share - len(picked)):
            counts[rng.choices(picked, weights)[0]] += 1
        plan.update((d.code, counts[d.code]) for d in state.districts if d.code in counts)
    return plan


def _capital(state: State, places: dict[str, Locale], plan: dict[str, int]) -> Locale:
    named = [d for d in state.districts if places[d.code].capital]
    staffed = [d for d in state.districts if d.code in plan]
    return places[(named or staffed or list(state.districts))[0].code]


def _build_directory(
    rng: Random,
    states: list[State],
    places: dict[str, Locale],
    plan: dict[str, int],
    builder: DirectoryBuilder,
) -> dict[str, list[Station]]:
    national_helpline(rng, builder)
    stations: dict[str, list[Station]] = {}
    for state in states:
        if not state.districts:
            continue
        state_bodies(rng, builder, _capital(state, places, plan))
        staffed = [d.code for d in state.districts if d.code in plan]
        # AHTUs and the hospital/DLSA listings go first to rail hubs, where trafficking cases concentrate.
        ranked = sorted(staffed, key=lambda c: (places[c].hub_rank is None, places[c].hub_rank or 0, staffed.index(c)))
        for code in staffed:
            stations[code] = police_stations(rng, builder, places[code], plan[code])
            rank = ranked.index(code)
            district_bodies(rng, builder, places[code], ahtu=rank % 3 == 0, extras=rank < 2)
    return stations


def _institution_sites(
    rng: Random, states: list[State], places: dict[str, Locale], plan: dict[str, int], total: int
) -> list[Locale]:
    """Where the homes are: spread over states like the stations, within a state favouring busy districts."""
    pools = [[d.code for d in s.districts if d.code in plan] or [d.code for d in s.districts] for s in states]
    shares = apportion(total, [sum(plan.get(c, 1) for c in pool) if pool else 0 for pool in pools])
    sites: list[Locale] = []
    for state, pool, share in zip(states, pools, shares, strict=True):
        capital = _capital(state, places, plan).district.code if pool else None
        for i in range(share):
            code = capital if i == 0 and capital in pool else rng.choices(pool, [plan.get(c, 1) for c in pool])[0]
            sites.append(places[str(code)])
    return sites


def _build_cases(rng: Random, world: World, total: int) -> list[dict[str, Any]]:
    n_missing = round(total * SHARES["MISSING"])
    n_care = min(round(total * SHARES["CARE"]), total - n_missing) if world.institutions else 0
    n_found = total - n_missing - n_care
    ledger = Ledger()
    drafts = [missing(rng, world, ledger) for _ in range(n_missing)]
    # Only named children are planted again: a "B/O" newborn gives matching nothing to work with.
    named = [d for d in drafts if d.child.name is not None]
    want_found, want_care = round(n_found * PAIRED_SHARE), round(n_care * PAIRED_SHARE)
    truths = rng.sample(named, min(want_found + want_care, len(named)))
    for truth in truths:
        truth.record["status"] = "OPEN"  # still open: surfacing the match is the point of the demo
    found_truths, care_truths = truths[:want_found], truths[want_found:]
    for i in range(n_found):
        paired = refound(rng, world, ledger, found_truths[i], "FOUND") if i < len(found_truths) else None
        drafts.append(paired or fresh_found(rng, world))
    for i in range(n_care):
        paired = refound(rng, world, ledger, care_truths[i], "CARE") if i < len(care_truths) else None
        drafts.append(paired or fresh_care(rng, world, ledger))
    return _numbered(drafts)


def _numbered(drafts: list[Draft]) -> list[dict[str, Any]]:
    """Number records in the order they were reported (ISO strings with one offset sort chronologically)."""
    order = sorted(range(len(drafts)), key=lambda i: (drafts[i].record["reported_at"], i))
    for number, i in enumerate(order, start=1):
        drafts[i].record["external_id"] = f"DEMO-{number}"
    for draft in drafts:
        if draft.truth is not None:
            draft.record["demo_truth"] = {"same_child_as": draft.truth.record["external_id"]}
    return [drafts[i].record for i in order]


def generate_demo(
    geography: Geography,
    *,
    seed: int = 2026,
    today: date,
    states: Sequence[str] = ("19", "7", "27", "10", "9"),
    cases: int = 2000,
    police_stations: int = 80,
    institutions: int = 25,
) -> DemoData:
    """Directory entries, Child Care Institutions and case exchange records for ``states`` (LGD codes).

    Same arguments, same output, byte for byte. Raises ``ValueError`` for an unknown state code, a negative
    count, or cases requested where the chosen states have no districts.
    """
    if min(cases, police_stations, institutions) < 0:
        raise ValueError("counts must not be negative")
    chosen: list[State] = []
    for code in dict.fromkeys(states):  # duplicates dropped, caller's order kept
        state = geography.state(code)
        if state is None:
            raise ValueError(f"unknown LGD state code {code!r}")
        chosen.append(state)
    if cases and not any(s.districts for s in chosen):
        raise ValueError("the chosen states have no districts to place cases in")
    rng = Random(seed)
    streams = [_fork(rng) for _ in range(5)]
    places = locales(streams[0], chosen)
    plan = _station_plan(streams[1], chosen, places, police_stations)
    builder = DirectoryBuilder()
    stations = _build_directory(streams[2], chosen, places, plan, builder)
    sites = _institution_sites(streams[3], chosen, places, plan, institutions)
    homes = build_institutions(streams[3], builder, sites)
    case_districts = tuple(plan) or tuple(places)
    world = World(
        today=today,
        states=tuple(s.code for s in chosen),
        locales=places,
        case_districts=case_districts,
        weights=tuple(plan.get(code, 1) for code in case_districts),
        stations=stations,
        institutions=tuple(homes),
    )
    records = _build_cases(streams[4], world, cases) if cases else []
    staff_directory(_fork(rng), builder.entries, places, today)  # a stream of its own: the above stay as they were
    mark_confidential(_fork(rng), records, homes)  # likewise
    list_district_officials(_fork(rng), builder.entries, places)  # likewise: DMs and SPs for the daily digest
    return DemoData(directory=builder.entries, institutions=homes, cases=records)

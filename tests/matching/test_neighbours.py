"""Names a letter away from the query's: a name mistyped beyond its skeleton still meets its case, only when the
query's own keys found few candidates, never through a common name's key, and the search stays exact."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from tests.matching.test_index import found, report
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching import blocking_keys, ranking, vector_score
from trackchild_hub.matching import index as index_module
from trackchild_hub.matching.blocking_keys import one_edit
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.names import skeleton
from trackchild_hub.matching.records import MatchRecord

TODAY = date(2026, 11, 28)
MISSING = frozenset({CaseKind.MISSING})
PLACELESS = {"state": None, "district": None, "latitude": None, "longitude": None}


def test_one_edit_drops_adds_changes_and_swaps_a_letter() -> None:
    near = one_edit("rjs")
    assert {"rj", "rajs", "rks", "jrs", "rsj", "rjsi"} <= near
    assert "rjs" not in near
    assert "rk" not in near  # two edits


def test_a_name_mistyped_beyond_its_skeleton_meets_its_case(monkeypatch: pytest.MonkeyPatch) -> None:
    case = report("c", "Rajesh Paswan", Gender.MALE, 9, date_of_birth=date(2016, 3, 2), **PLACELESS)
    index = MatchIndex.build([case], today=TODAY)
    typed = found("Rakesh Paswam", Gender.MALE, 9, date_of_birth=date(2011, 8, 30), **PLACELESS)
    assert skeleton("rakesh") != skeleton("rajesh")
    assert skeleton("paswam") != skeleton("paswan")
    assert "c" in index.candidates(typed, MISSING)
    monkeypatch.setattr(index_module, "neighbour_keys", lambda f: [])
    assert "c" not in index.candidates(typed, MISSING)  # the date of birth is too far off for the age window


def test_neighbours_only_when_the_querys_own_keys_find_few(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = [
        report("own", "Rakesh Paswam", Gender.MALE, 9, date_of_birth=date(2016, 3, 2), **PLACELESS),
        report("near", "Rajesh Paswan", Gender.MALE, 9, date_of_birth=date(2016, 3, 2), **PLACELESS),
    ]
    index = MatchIndex.build(cases, today=TODAY)
    typed = found("Rakesh Paswam", Gender.MALE, 9, date_of_birth=date(2011, 8, 30), **PLACELESS)
    assert set(index.candidates(typed, MISSING)) == {"own", "near"}
    monkeypatch.setattr(index_module, "FALLBACK_MIN", 1)  # the query's own key is enough
    assert index.candidates(typed, MISSING) == ["own"]


def test_a_common_names_key_is_no_neighbour(monkeypatch: pytest.MonkeyPatch) -> None:
    born = {"date_of_birth": date(2016, 3, 2), **PLACELESS}
    common = [report(f"c{n}", "Rajesh", Gender.MALE, 9, **born) for n in range(3)]
    index = MatchIndex.build([*common, report("rare", "Rakeshi", Gender.MALE, 9, **born)], today=TODAY)
    typed = found("Rakesh", Gender.MALE, 9, date_of_birth=date(2011, 8, 30), **PLACELESS)
    assert set(index.candidates(typed, MISSING)) == {"c0", "c1", "c2", "rare"}
    monkeypatch.setattr(index_module, "NEIGHBOUR_MAX", 2)  # rjs holds 3 rows: too many for a typing error's
    assert index.candidates(typed, MISSING) == ["rare"]


def _typo(rng: random.Random, word: str) -> str:
    at = rng.randrange(len(word))
    return word[:at] + rng.choice("bdgkmnprst") + word[at + 1 :]


def _record(rng: random.Random, case_id: str, kind: CaseKind, name: str) -> MatchRecord:
    return MatchRecord(
        kind=kind,
        case_id=case_id,
        name=name,
        gender=Gender.UNKNOWN,
        date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randint(0, 20000)),
        event_date=date(2020, 1, 1),
        identifying_marks=(f"{rng.randint(1, 99)} {rng.choice(['main', 'high', 'park'])} street",),
    )


def test_the_search_is_exact_with_neighbours(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows reached only by a neighbour's key are not reached by the query's own: their bound stays the lower one,
    and still holds."""
    rng = random.Random(3)
    first = ["john", "mary", "peter", "susan", "james", "linda", "robert", "karen", "joseph", "nancy"]
    last = ["smith", "brown", "wilson", "taylor", "walker", "harris", "martin", "thompson", "white", "clarke"]
    names = [f"{rng.choice(first)} {rng.choice(last)}" for _ in range(400)]
    index = MatchIndex.build(
        [_record(rng, f"m{n:03d}", CaseKind.MISSING, nm) for n, nm in enumerate(names)], today=TODAY
    )
    monkeypatch.setattr(ranking, "CHUNK", 20)
    reached = through_neighbours = 0
    for n in range(40):
        held = index.records[rng.randrange(400)]
        name = " ".join(_typo(rng, w) for w in (held.name or "").split())
        query = replace(_record(rng, f"f{n}", CaseKind.FOUND, name), identifying_marks=held.identifying_marks)
        rows = index.candidate_rows(query, MISSING)
        totals = vector_score.total(index.parts(query, rows), len(rows))
        order = np.lexsort(([index.records[int(r)].case_id for r in rows], -totals))[:5]
        got = index.search(query, MISSING, 5)
        expected = [index.records[int(rows[i])].case_id for i in order]
        got_totals = vector_score.total(index.parts(query, np.array([index.row_of.get(m.case_id) for m in got])), 5)
        assert got_totals == pytest.approx(totals[order], abs=1e-9)
        clear = [c for c, t in zip(expected, totals[order], strict=True) if t > totals[order][-1] + 1e-9]
        assert [m.case_id for m in got[: len(clear)]] == clear
        reached += held.case_id in {m.case_id for m in got}
        with monkeypatch.context() as own_keys_only:
            own_keys_only.setattr(index_module, "neighbour_keys", lambda f: [])
            through_neighbours += held.case_id not in index.candidates(query, MISSING)
    assert reached > 20
    assert through_neighbours > 3
    assert blocking_keys.NEIGHBOUR_MIN_LENGTH == 3

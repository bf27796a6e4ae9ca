"""A report naming no language is weighed by how often its state's reports share one with the child (``spoken.py``):
the counts follow every write and a mapped snapshot, the weight is the same from either side of the pair, lies
between the two levels' weights, and every block's languages bound holds its rows' weights."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from tests.matching.bulk_store import synthetic
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching import block_bounds, vector_score
from trackchild_hub.matching import comparisons as cmp
from trackchild_hub.matching.explain import factors
from trackchild_hub.matching.index import MatchIndex, _query_features
from trackchild_hub.matching.records import MatchRecord
from trackchild_hub.matching.snapshot import SnapshotFile
from trackchild_hub.matching.spoken import Spoken, share, weight
from trackchild_hub.matching.weights import PRIOR

TODAY = date(2026, 11, 30)
TABLE = PRIOR.table("languages")


def recounted(index: MatchIndex) -> dict[tuple[int, int], int]:
    return Spoken.of(index.columns.view()).counts()


def report(case_id: str, state: str, district: str, languages: tuple[str, ...], **extra: object) -> MatchRecord:
    fields: dict[str, object] = {
        "case_id": case_id,
        "kind": CaseKind.MISSING,
        "gender": Gender.FEMALE,
        "age_years": 10,
        "event_date": TODAY - timedelta(days=20),
        "state": state,
        "district": district,
        "languages": languages,
    }
    return MatchRecord(**(fields | extra))  # type: ignore[arg-type]


def two_states(per_state: int = 200) -> list[MatchRecord]:
    """Tamil Nadu's reports name Tamil, Bihar's Hindi; in each state one district's reports name none."""
    out = []
    for i in range(per_state):
        out.append(report(f"tn{i}", "TN", "Chennai", ("Tamil",)))
        out.append(report(f"br{i}", "BR", "Patna", ("Hindi",)))
        out.append(report(f"tn-none{i}", "TN", "Madurai", (), age_years=5 + i % 10))
        out.append(report(f"br-none{i}", "BR", "Gaya", (), age_years=5 + i % 10))
    return out


def found(languages: tuple[str, ...]) -> MatchRecord:
    return report("", "DL", "New Delhi", languages, kind=CaseKind.FOUND)


def test_counts_follow_every_write_and_a_mapped_snapshot(tmp_path: Path) -> None:
    records = [dataclasses.replace(r, case_id=f"c{i}") for i, r in enumerate(synthetic(2000, seed=4))]
    index = MatchIndex.build(records, today=TODAY)
    assert index.spoken.counts() == recounted(index)
    assert sum(index.spoken.counts().values()) == sum(1 for r in records if r.kind is CaseKind.MISSING and r.languages)
    reports = [r for r in records if r.kind is CaseKind.MISSING]
    for r in reports[:50]:  # a language named, changed, taken back; a report closed; a report become a find
        index.upsert(dataclasses.replace(r, languages=() if r.languages else ("Tamil",)))
    for r in reports[50:80]:
        index.remove(r.case_id)
    for r in reports[80:100]:
        index.upsert(dataclasses.replace(r, kind=CaseKind.FOUND))
    assert index.spoken.counts() == recounted(index)
    files = SnapshotFile(tmp_path)
    files.write(index, {"t": 1}, {}, headroom=100)
    assert files.load({"t": 1}).index.spoken.counts() == index.spoken.counts()


def test_a_state_with_few_reports_naming_a_language_leans_on_the_countrys_share() -> None:
    spoken = Spoken()
    spoken.add(0, 0b01, 1_000)  # state 0: 1,000 reports in language 1
    spoken.add(1, 0b10, 1_000)  # state 1: in language 2
    spoken.add(2, 0b01, 1)  # state 2: one report, in language 1
    spoken.add(2, 0b01, -1)  # ... closed: state 2 holds none now
    chance = spoken.by_state(0b01, places=3)
    assert chance[0] > 0.99
    assert chance[1] < 0.01
    assert chance[2] == pytest.approx(chance[-1])  # a state holding none: the country's share
    assert chance[-1] == pytest.approx(0.5, abs=0.01)
    sets, shares = spoken.of_state(1)
    assert shares.sum() == pytest.approx(1.0)
    assert share(sets, shares, np.array([0b10, 0b01, 0b11, 0]))[[0, 2]] == pytest.approx([0.99, 1.0], abs=0.01)
    assert share(sets, shares, np.array([0b01]))[0] < 0.01


def test_the_weight_lies_between_the_two_levels_weights() -> None:
    p = np.linspace(0.0, 1.0, 11)
    w = weight(p, TABLE)
    assert w[0] == pytest.approx(TABLE[1])
    assert w[-1] == pytest.approx(TABLE[0])
    assert np.all(np.diff(w) > 0)


def test_a_found_childs_language_weighs_a_report_naming_none_by_its_states_reports() -> None:
    index = MatchIndex.build(two_states(), today=TODAY)
    rows = np.array([index.row_of.get("tn-none0"), index.row_of.get("br-none0")], dtype=np.int64)
    parts = index.parts(found(("Tamil",)), rows)
    tamil_nadu, bihar = parts["languages"].weights
    assert tamil_nadu > 0.8 > -1.5 > bihar  # between the levels' own +1.02 and -1.95
    details = [next(f for f in factors(parts, i, query_named=False) if f.field == "languages") for i in range(2)]
    assert [f.weight for f in details] == [tamil_nadu, bihar]
    assert details[0].detail.startswith("the report names no language; most reports from its state share one")
    assert details[1].detail.startswith("the report names no language; few reports from its state share one")
    banded = next(f.detail for f in factors(parts, 1, query_named=False, banded=True) if f.field == "languages")
    assert banded == "the report names no language; few reports from its state share one with the child"
    assert np.all(parts["languages"].levels == cmp.NULL)  # not compared: training counts no level for it
    silent = index.parts(found(()), rows)  # a child naming no language: nothing compared, nothing weighed
    assert np.all(silent["languages"].weights == 0)


def test_a_pair_weighs_the_same_from_either_side() -> None:
    child = dataclasses.replace(found(("Tamil",)), case_id="f1")
    index = MatchIndex.build([*two_states(), child], today=TODAY)
    for case_id in ("tn-none0", "br-none0", "tn0", "br0"):
        record = index.record(case_id)
        assert record is not None
        from_found = index.parts(dataclasses.replace(child, case_id=""), np.array([index.row_of.get(case_id)]))
        from_report = index.parts(dataclasses.replace(record, case_id=""), np.array([index.row_of.get("f1")]))
        assert from_found["languages"].weights[0] == from_report["languages"].weights[0], case_id


@pytest.mark.parametrize("query_kind", [CaseKind.FOUND, CaseKind.MISSING])
def test_every_blocks_languages_bound_holds_its_rows_weights(query_kind: CaseKind) -> None:
    """Per block, the languages bound alone against each row's languages weight: the whole score's bound has slack
    from the other comparisons that would hide a languages bound too low."""
    children = [
        dataclasses.replace(found(("Tamil",) if i % 3 else ("Hindi",)), case_id=f"f{i}", district=f"D{i % 4}")
        for i in range(300)
    ]
    index = MatchIndex.build([*two_states(), *children], today=TODAY)
    layout = index.layout()
    block_of = np.empty(layout.rows, dtype=np.int64)
    block_of[layout.order] = np.repeat(np.arange(len(layout.blocks)), layout.blocks.end - layout.blocks.start)
    rows = np.arange(layout.rows, dtype=np.int64)
    if query_kind is CaseKind.FOUND:
        asked = [found(("Tamil",)), found(("Hindi",)), found(("Kannada",)), found(())]
    else:
        asked = [report("", s, "X", ()) for s in ("TN", "BR", "KL")] + [report("", "TN", "X", ("Tamil",))]
    imputed = 0
    for query in asked:
        probe = index.probe(query, _query_features(query))
        bound = block_bounds._languages(probe, layout.blocks, index.weights) + block_bounds.MARGIN
        weights = index.parts(query, rows)["languages"]
        assert np.all(weights.weights <= bound[block_of])
        imputed += int((~np.isnan(weights.extra)).sum()) if weights.extra is not None else 0
    assert imputed > 500  # the rows weighed by their state's reports were among those bounded


def test_search_by_blocks_with_reports_naming_no_language_is_brute_force() -> None:
    children = [dataclasses.replace(found(("Tamil",)), case_id=f"f{i}") for i in range(50)]
    index = MatchIndex.build([*two_states(), *children], today=TODAY)
    for query in (found(("Tamil",)), found(("Hindi",)), report("", "TN", "Madurai", ())):
        kinds = frozenset({CaseKind.MISSING}) if query.kind is CaseKind.FOUND else frozenset({CaseKind.FOUND})
        rows = index.candidate_rows(query, kinds)
        totals = vector_score.total(index.parts(query, rows), len(rows))
        best = sorted((-float(t), index.records[int(r)].case_id) for r, t in zip(rows, totals, strict=True))[:10]
        assert [(m.case_id, m.total) for m in index.search(query, kinds, 10)] == [(c, -t) for t, c in best]


def test_searches_while_reports_come_and_go_read_whole_counts() -> None:
    """The counts change on the writer's thread while searches read them on others (the matcher's threads): no
    search fails, and the counts end equal to a recount."""
    index = MatchIndex.build(two_states(50), today=TODAY)
    errors: list[BaseException] = []
    done = threading.Event()

    def search() -> None:
        try:
            while not done.is_set():
                for query in (found(("Tamil",)), report("", "TN", "Madurai", ())):
                    kinds = frozenset({CaseKind.MISSING if query.kind is CaseKind.FOUND else CaseKind.FOUND})
                    index.search(query, kinds, 10)
        except BaseException as exc:  # any failure is the finding
            errors.append(exc)

    readers = [threading.Thread(target=search) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        for i in range(3000):
            language = (("Tamil",), ("Hindi",), ())[i % 3]
            index.upsert(report(f"w{i % 400}", ("TN", "BR", "KL")[i % 3], f"D{i % 7}", language))
            if i % 5 == 0:
                index.remove(f"w{(i * 7) % 400}")
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert not errors
    assert index.spoken.counts() == recounted(index)

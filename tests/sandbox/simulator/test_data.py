"""The simulated records: deterministic, re-keyed to the system, with change-feed timestamps."""

from __future__ import annotations

import re

import pytest

from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.sandbox.simulator.data import KINDS, build_records, resolve_state


def test_the_same_inputs_give_the_same_records() -> None:
    state = resolve_state("19")
    assert build_records("police", state, seed=1, records=300) == build_records("police", state, seed=1, records=300)
    assert build_records("police", state, seed=1, records=300) != build_records("police", state, seed=2, records=300)


@pytest.mark.parametrize("kind", ["police", "wcd"])
def test_records_are_keyed_to_the_system_and_parse(kind: str) -> None:
    records = build_records(kind, resolve_state("19"), seed=1, records=300)  # type: ignore[arg-type]
    code = "POL" if kind == "police" else "WCD"
    assert records
    assert {r["kind"] for r in records} == set(KINDS[kind])  # type: ignore[index]
    assert all(r["source"] == f"{kind}-19" for r in records)
    assert all(re.fullmatch(rf"WB-{code}-\d{{6}}", r["external_id"]) for r in records)
    assert len({r["external_id"] for r in records}) == len(records)
    for record in records:
        parse_exchange_record(record)


def test_updated_at_increases_with_the_index() -> None:
    stamps = [r["updated_at"] for r in build_records("wcd", resolve_state("7"), seed=3, records=200)]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps)
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


def test_a_found_case_has_the_same_number_in_both_systems_and_twins_point_at_police() -> None:
    state = resolve_state("WB")  # abbreviations work too
    police = {r["external_id"]: r for r in build_records("police", state, seed=1, records=300)}
    wcd = build_records("wcd", state, seed=1, records=300)
    for record in wcd:
        if record["kind"] == "FOUND":
            twin = police[record["external_id"].replace("-WCD-", "-POL-")]
            assert twin["child"] == record["child"]
    truths = [r["demo_truth"] for r in [*police.values(), *wcd] if "demo_truth" in r]
    assert truths
    for truth in truths:
        assert truth["source"] == "police-19"
        assert police[truth["same_child_as"]]["kind"] == "MISSING"


def test_unknown_states_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown state"):
        resolve_state("99")

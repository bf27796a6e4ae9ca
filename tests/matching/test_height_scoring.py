"""The height comparison allows for growth along the growth chart (``height_growth``), from the report's age where the
query is a found child, and the nationwide search by blocks stays exact with it (``block_bounds._height``)."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest

from tests.matching.test_block_bounds import TODAY, brute_force, cases, queries, searched
from tests.matching.test_index import found, report
from trackchild_hub.domain.enums import Gender
from trackchild_hub.matching import block_bounds, vector_score
from trackchild_hub.matching.index import MatchIndex, _query_features
from trackchild_hub.matching.records import MatchRecord

FOUND_ON = date(2026, 11, 1)


def with_heights() -> list[MatchRecord]:
    """The benchmark's children (reports over eight years, ages 0-17), every one measured."""
    return [dataclasses.replace(r, height_cm=r.height_cm or 90 + (i * 7) % 80) for i, r in enumerate(cases(2000, 5))]


def height_part(index: MatchIndex, query: MatchRecord, case_id: str) -> vector_score.Part:
    row = index.row_of.get(case_id)
    assert row is not None
    return index.parts(query, np.array([row], dtype=np.int64))["height"]


def test_a_teenage_girl_found_years_later_fits_her_reported_height() -> None:
    index = MatchIndex.build(
        [report("meena", "Meena Kumari", Gender.FEMALE, 14, height_cm=150, event_date=date(2023, 10, 1))], today=TODAY
    )
    query = found("Meena Kumari", Gender.FEMALE, 17, height_cm=153, event_date=FOUND_ON)
    part = height_part(index, query, "meena")
    # A flat 6 cm a year put her 15 cm short of her report ("roughly fits"); she stopped growing at about 15.
    assert int(part.levels[0]) == 0
    assert float(part.values[0]) < 4
    assert float(part.weights[0]) > 0


def test_growth_follows_the_reports_age_not_an_estimate_that_misjudged_it() -> None:
    """A girl of 13 reported at 148 cm is found three years later at 153 and taken for 19: from 13 to 16 a girl grows
    about 4 cm (by the estimate's age, none: 5 cm off; by a flat 6 cm a year, 18: 13 cm off)."""
    index = MatchIndex.build(
        [report("asha", "Asha Kumari", Gender.FEMALE, 13, height_cm=148, event_date=date(2023, 10, 1))], today=TODAY
    )
    query = found("Asha Kumari", Gender.FEMALE, 19, height_cm=153, event_date=FOUND_ON)
    part = height_part(index, query, "asha")
    assert int(part.levels[0]) == 0
    assert float(part.values[0]) < 2
    no_age = dataclasses.replace(query, age_years=None)  # the query's own age unknown: still the report's
    assert int(height_part(index, no_age, "asha").levels[0]) == 0


def test_every_block_bounds_its_rows_heights_when_every_record_has_one() -> None:
    records = with_heights()
    index = MatchIndex.build(records, today=TODAY)
    layout = index.layout()
    block_of = np.empty(layout.rows, dtype=np.int64)
    block_of[layout.order] = np.repeat(np.arange(len(layout.blocks)), layout.blocks.end - layout.blocks.start)
    rows = np.arange(layout.rows, dtype=np.int64)
    for query in queries(records):
        probe = index.probe(query, _query_features(query))
        bound = block_bounds._height(probe, layout.blocks, index.weights)[block_of]
        height = vector_score.numeric(probe, index._gather(rows), index.weights)["height"].weights
        assert np.all(height <= bound + block_bounds.MARGIN)


def test_block_bounds_follow_each_reports_age_where_an_estimate_misjudged_the_childs() -> None:
    """Boys reported at 10-14, measured; found children of those ages three years on, grown as the chart says, and
    taken for adults: the rows grow by their own ages, which a bound by the query's age alone would miss."""
    rng = np.random.default_rng(3)
    reports = []
    for i in range(400):
        age = int(rng.integers(10, 15))
        reports.append(
            report(f"r{i}", None, Gender.MALE, age, height_cm=int(rng.integers(125, 165)), event_date=date(2023, 10, 1))
        )
    index = MatchIndex.build(reports, today=TODAY)
    layout = index.layout()
    block_of = np.empty(layout.rows, dtype=np.int64)
    block_of[layout.order] = np.repeat(np.arange(len(layout.blocks)), layout.blocks.end - layout.blocks.start)
    rows = np.arange(layout.rows, dtype=np.int64)
    for height in range(140, 181, 4):
        query = found(None, Gender.MALE, 19, height_cm=height, event_date=FOUND_ON)
        probe = index.probe(query, _query_features(query))
        bound = block_bounds._height(probe, layout.blocks, index.weights)[block_of]
        weights = vector_score.numeric(probe, index._gather(rows), index.weights)["height"].weights
        assert np.all(weights <= bound + block_bounds.MARGIN)


@pytest.mark.parametrize("first", [1, 10])
def test_search_by_blocks_with_heights_is_brute_force(first: int) -> None:
    records = with_heights()
    index = MatchIndex.build(records, today=TODAY)
    for query in queries(records):
        assert searched(index, query, first) == brute_force(index, query, first)

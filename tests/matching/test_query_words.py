"""A query's words are bounded: a report or description naming hundreds of pet names or parents' names (as many
strings, or packed into a few long ones) is searched by its first few of each, as a child is described. 120 common
parents' words and 81 pet names in 9 strings took 0.53 s at 100,000 cases, the matcher thread held; a report with
1,000 aliases, stored through any door, was a query of every proposal round. Candidates keep all their words."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching.index import QUERY_WORDS, MatchIndex
from trackchild_hub.matching.records import MatchRecord

TODAY = date(2026, 11, 30)
MISSING = frozenset({CaseKind.MISSING})
PETS = [f"Petname{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(200)]


def _missing(n: int) -> MatchRecord:
    return MatchRecord(
        kind=CaseKind.MISSING,
        gender=Gender.MALE,
        name=f"Child{n} Kumar",
        aliases=(PETS[n % len(PETS)],),
        guardian_names=(f"{PETS[(n * 7) % len(PETS)]} Prasad",),
        age_years=6 + n % 10,
        event_date=date(2026, 10, 1),
        state="19",
        district="313",
        case_id=f"m{n:04d}",
    )


def test_only_the_first_words_of_a_query_are_searched_and_compared() -> None:
    index = MatchIndex.build([_missing(n) for n in range(400)], today=TODAY)
    first = tuple(PETS[:QUERY_WORDS])
    query = MatchRecord(
        kind=CaseKind.FOUND,
        gender=Gender.MALE,
        name=" ".join(PETS[:40]),
        aliases=(*first, *PETS[QUERY_WORDS:]),
        guardian_names=(" ".join(PETS[:60]), *PETS[60:]),
        age_years=9,
        event_date=date(2026, 11, 20),
        state="19",
        district="313",
    )
    bounded = replace(
        query, name=" ".join(PETS[:QUERY_WORDS]), aliases=first, guardian_names=(" ".join(PETS[:QUERY_WORDS]),)
    )
    assert np.array_equal(index.candidate_rows(query, MISSING), index.candidate_rows(bounded, MISSING))
    assert index.search(query, MISSING, 20) == index.search(bounded, MISSING, 20)
    candidate = _missing(3)
    assert index.score_record(query, candidate) == index.score_record(bounded, candidate)
    assert index.score_pair(query, "m0003") == index.score_pair(bounded, "m0003")


def test_a_candidates_words_all_count() -> None:
    many = replace(_missing(1), aliases=tuple(PETS[:50]), case_id="many")
    others = [replace(_missing(n), aliases=(), guardian_names=()) for n in range(2, 50)]
    index = MatchIndex.build([many, *others], today=TODAY)
    query = MatchRecord(kind=CaseKind.FOUND, gender=Gender.MALE, name=PETS[45], age_years=7, state="19", district="313")
    assert index.search(query, MISSING, 1)[0].case_id == "many"  # its 46th pet name

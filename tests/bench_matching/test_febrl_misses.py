"""The FEBRL miss analysis sorts pairs into the right categories (it prints only those, never a value)."""

from __future__ import annotations

from datetime import date

from bench.matching.febrl_misses import birth_relation, name_relation
from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.matching.records import MatchRecord


def _named(name: str | None) -> MatchRecord:
    return MatchRecord(kind=CaseKind.MISSING, name=name, case_id="x")


def test_dates_of_birth_are_sorted_by_the_typing_error() -> None:
    born = date(1985, 3, 12)
    assert birth_relation(born, born) == "same"
    assert birth_relation(born, None) == "missing or impossible"
    assert birth_relation(born, date(1985, 12, 3)) == "day and month swapped"
    assert birth_relation(born, date(1985, 3, 19)) == "one digit changed (day)"
    assert birth_relation(born, date(1987, 3, 12)) == "one digit changed (year)"
    assert birth_relation(born, date(1985, 3, 21)) == "two digits transposed"
    assert birth_relation(born, date(1962, 7, 30)) == "further off"


def test_names_are_sorted_by_what_their_keys_share() -> None:
    assert name_relation(_named("john smith"), _named("john smith")) == "same words"
    assert name_relation(_named("smith john"), _named("john smith")) == "given and surname swapped"
    assert name_relation(_named("jon smyth"), _named("john smith")) == "a word's skeleton shared"
    assert name_relation(_named("paul brown"), _named("john smith")) == "no skeleton shared"
    assert name_relation(_named(None), _named("john smith")) == "a name missing"

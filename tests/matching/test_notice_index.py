"""The notices' first-name index (``matching.notice_index``): scripts, spellings and typos meet; every query word
must match; a dropped notice leaves no word behind; scope and paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trackchild_hub.matching.notice_index import IndexedNotice, NoticeIndex, NoticeScope

NOW = datetime(2026, 11, 30, tzinfo=UTC)


def notice(case_id: str, name: str, *, kind: str = "MISSING", district: str = "313", age: int = 0) -> IndexedNotice:
    return IndexedNotice(case_id, kind, "19", district, NOW - timedelta(days=age), name)


def ids(found: tuple[list[tuple[IndexedNotice, float]], bool]) -> list[str]:
    return [n.case_id for n, _ in found[0]]


def test_devanagari_and_latin_spellings_find_each_other() -> None:
    index = NoticeIndex([notice("a", "पूजा", age=1), notice("b", "Pooja", age=2), notice("c", "Puja", age=3)])
    index.put(notice("d", "Rahul"))
    for query in ("पूजा", "Pooja", "Puja", "pooja", "Poojaa"):
        assert set(ids(index.search(query))) == {"a", "b", "c"}, query
    assert ids(index.search("Rahl")) == ["d"]  # one letter dropped
    assert ids(index.search("Pooja Rahul")) == []  # every word must match


def test_exact_spelling_ranks_first_then_newest() -> None:
    index = NoticeIndex([notice("old", "Pooja", age=9), notice("new", "Pooja", age=1), notice("puja", "Puja")])
    assert ids(index.search("Pooja")) == ["new", "old", "puja"]


def test_dropping_a_notice_forgets_its_words() -> None:
    index = NoticeIndex([notice("a", "Pooja"), notice("b", "Pooja")])
    index.drop("a")
    assert ids(index.search("Pooja")) == ["b"]
    index.drop("b")
    assert ids(index.search("Pooja")) == []
    assert len(index) == 0
    index.put(notice("b", "Rahul"))  # replaced under the same case id
    index.put(notice("b", "Sita"))
    assert ids(index.search("Rahul")) == []
    assert ids(index.search("Sita")) == ["b"]


def test_scope_and_window() -> None:
    index = NoticeIndex([notice(str(i), "Pooja", age=i, kind="MISSING" if i % 2 else "FOUND") for i in range(6)])
    assert ids(index.search("Pooja", NoticeScope(kinds={"FOUND"}))) == ["0", "2", "4"]
    assert ids(index.search("Pooja", NoticeScope(district="315"))) == []
    window, more = index.search("Pooja", offset=2, limit=2)
    assert ([n.case_id for n, _ in window], more) == (["2", "3"], True)
    window, more = index.search("Pooja", offset=4, limit=2)
    assert ([n.case_id for n, _ in window], more) == (["4", "5"], False)

"""The list filter's conditions held in memory: the record rule's scope and SQL's NULL, decided alike."""

from __future__ import annotations

from datetime import date
from itertools import product
from types import SimpleNamespace

from trackchild_hub.domain.case_conditions import admitted, case_conditions, case_matches
from trackchild_hub.domain.filters import CaseFilter, RecordScope

TODAY = date(2026, 11, 30)


def test_a_lists_scope_admits_exactly_the_cases_the_record_rule_admits() -> None:
    """``RecordScope.admits`` decides one record (``services.record_rule``); the scope's conditions decide a list's
    cases (the store's statement and live records): every scope, place and confidentiality gets the same answer."""
    states, districts = [None, "19", "10"], [None, "313", "315"]
    scopes = [RecordScope(s, d, c) for s, d, c in product(states, districts, [True, False])]
    checked = refused = 0
    for scope, state, district, confidential in product(scopes, ["19", "10"], districts, [True, False]):
        case = SimpleNamespace(state_code=state, district_code=district)
        child = SimpleNamespace(confidential=confidential)
        listed = case_matches(case, child, CaseFilter(scope=scope), TODAY)
        assert listed == scope.admits(state, district, confidential), (scope, state, district, confidential)
        checked, refused = checked + 1, refused + (not listed)
    assert checked == 216
    assert 0 < refused < checked


def test_a_missing_value_passes_no_condition_as_null_in_sql() -> None:
    f = CaseFilter(district="313", institution="I-1", min_age=3)
    conditions = case_conditions(f, TODAY)
    child = SimpleNamespace(birth_estimate=date(2019, 1, 1))
    placed = SimpleNamespace(district_code="313", institution_id="I-1")
    assert admitted(conditions, placed, child)
    assert not admitted(conditions, SimpleNamespace(district_code="313"), child)  # a MISSING case: no institution
    assert not admitted(conditions, SimpleNamespace(district_code=None, institution_id="I-1"), child)
    assert not admitted(conditions, placed, SimpleNamespace(birth_estimate=None))  # no age known: no age filter
    assert admitted(case_conditions(CaseFilter(), TODAY), SimpleNamespace(), SimpleNamespace())  # no condition

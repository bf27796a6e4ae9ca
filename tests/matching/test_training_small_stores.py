"""Training on a store too small to learn from (a new deployment, a test store): the few pairs it has must not
outweigh the priors. One found child and one missing report drew their single random pair 200,000 times, so u was
that pair's levels: 'within 50 km' weighed -3.2 and '50-150 km' +5.5, 'ages 1-1.5 sd apart' -2.4 and '1.5-2 sd'
+3.5, and every hub took that version up. The priors now weigh as many pairs as a store too small to outweigh them
has; a store of the usual size keeps them at a tenth."""

from __future__ import annotations

from datetime import date

from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching.comparisons import COMPARISONS
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.records import MatchRecord
from trackchild_hub.matching.training import train
from trackchild_hub.matching.weights import PRIOR

TODAY = date(2026, 11, 30)


def _child(kind: CaseKind, case_id: str, **fields: object) -> MatchRecord:
    base: dict[str, object] = {
        "kind": kind,
        "gender": Gender.FEMALE,
        "name": "Meera Kumari",
        "guardian_names": ("Ramesh Prasad",),
        "age_years": 9,
        "event_date": date(2026, 11, 1),
        "state": "19",
        "district": "313",
        "case_id": case_id,
    }
    return MatchRecord(**{**base, **fields})  # type: ignore[arg-type]


def test_one_found_child_and_one_missing_report_leave_the_priors_nearly_as_they_were() -> None:
    index = MatchIndex.build([_child(CaseKind.MISSING, "m1")], today=TODAY)
    found = _child(CaseKind.FOUND, "f1", event_date=date(2026, 11, 20), age_years=10)
    weights, report = train(index, [found])
    assert report.random_pairs >= 1
    moved = {
        (c.name, level): round(weights.weight(c.name, level) - PRIOR.weight(c.name, level), 2)
        for c in COMPARISONS
        for level in range(len(c.levels))
    }
    assert {k: v for k, v in moved.items() if abs(v) > 0.5} == {}


def test_a_few_dozen_cases_move_the_weights_less_than_thousands_would() -> None:
    missing = [_child(CaseKind.MISSING, f"m{i}", name=f"Child{i} Devi", age_years=4 + i % 12) for i in range(12)]
    index = MatchIndex.build(missing, today=TODAY)
    found = [_child(CaseKind.FOUND, f"f{i}", name=f"Child{i}", event_date=date(2026, 11, 20)) for i in range(3)]
    weights, _ = train(index, found)
    moved = max(
        abs(weights.weight(c.name, level) - PRIOR.weight(c.name, level))
        for c in COMPARISONS
        for level in range(len(c.levels))
    )
    assert moved < 2.0

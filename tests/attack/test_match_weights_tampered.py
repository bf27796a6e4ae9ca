"""The newest ``match_weights`` row changed behind the hub's back (a hand edit, a bad restore, another version's
code): whatever its columns hold, findMatches answers with the priors and the log says which version and why.
Never a failed search (before: a weights or report column that was not a JSON object failed every findMatches)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError

from tests.factories import data, run
from tests.schema.test_matches import FIND, a_few_missing, description
from trackchild_hub.matching.weights import PRIOR
from trackchild_hub.resolvers.context import Services
from trackchild_hub.services import match_service
from trackchild_hub.store.match_weights import add_weights
from trackchild_hub.store.models import MatchWeightsRow


def _extreme(m: float, u: float) -> dict[str, object]:
    """The priors' shape with every m and u set: valid-looking, weights of +-1,000 bits."""
    shape = PRIOR.to_json()["comparisons"]
    assert isinstance(shape, dict)
    comparisons = {name: {"m": [m] * len(v["m"]), "u": [u] * len(v["u"])} for name, v in shape.items()}
    return {"version": "x", "comparisons": comparisons}


GARBAGE: list[object] = [
    "garbage",
    None,
    [1, 2],
    7,
    {"version": 3, "comparisons": []},
    {"comparisons": {"name": 1}},
    _extreme(5e-324, 1.0),  # 2 ** 1,074 per factor overflowed the probability: every search failed
    _extreme(1.0, 5e-324),
]


@pytest.mark.parametrize("column", ["weights", "report"])
async def test_any_tampered_weights_row_leaves_the_priors_and_says_why(
    store: Services, column: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(match_service, "REFRESH_S", 0.0)
    await a_few_missing(store)
    assert store.matcher is not None
    d = description(name="Laxmi", gender="FEMALE", ageYears=10)
    for value in GARBAGE:
        async with store.sessions.begin() as session:
            stored = await add_weights(session, PRIOR.to_json(), {}, datetime.now(UTC))
            bad = update(MatchWeightsRow).where(MatchWeightsRow.number == stored.number).values({column: value})
            await session.execute(bad)
        with caplog.at_level(logging.ERROR):
            found = data(await run(store, FIND, {"d": d}))["findMatches"]
        assert found, value
        assert found[0]["factors"], value
        if column == "weights":
            assert (await store.matcher.index()).weights is PRIOR, value
            assert f"match weights {stored.version} not used" in caplog.text, value
        caplog.clear()


async def test_a_weights_column_that_is_not_json_at_all_leaves_the_priors(
    store: Services, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite stores the text and the hub must refuse it when reading; PostgreSQL's json type refuses it on write, so
    there the row keeps its valid weights. Either way findMatches answers."""
    monkeypatch.setattr(match_service, "REFRESH_S", 0.0)
    await a_few_missing(store)
    postgres = store.settings.database_url.startswith("postgresql")
    async with store.sessions.begin() as session:
        stored = await add_weights(session, PRIOR.to_json(), {}, datetime.now(UTC))
    async with store.sessions.begin() as session:
        tamper = text("UPDATE match_weights SET weights = '{not json' WHERE number = :n")
        if postgres:
            with pytest.raises(DBAPIError):
                await session.execute(tamper, {"n": stored.number})
            await session.rollback()
        else:
            await session.execute(tamper, {"n": stored.number})
    with caplog.at_level(logging.ERROR):
        assert data(await run(store, FIND, {"d": description(name="Laxmi")}))["findMatches"]
    assert store.matcher is not None
    if postgres:
        assert (await store.matcher.index()).weights.version == stored.version
    else:
        assert (await store.matcher.index()).weights is PRIOR
        assert f"match weights {stored.version} not used" in caplog.text

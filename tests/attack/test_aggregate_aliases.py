"""Aliases of an aggregate root field, over real HTTP: ``staleInstitutions``, ``overCapacityInstitutions``,
``overdueAhtuReports``, ``overdueCareReviews`` and ``overdueCareFollowUps`` each run one aggregate over the reader's
whole jurisdiction however small the page, and the cost limit counted them as one object: 30 aliases (the alias
limit) were 30 national aggregates in one request (7-10x one's time at 2,000 children in care, about 25 s of
database time at 100,000). Each now costs AGGREGATE_COST, so five in one operation are QUERY_TOO_COMPLEX naming
TRACKCHILD_MAX_COST, and four (more than a console asks at once) still run."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import seed_catalogue
from tests.live_server import serving
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.resolvers.context import Services
from trackchild_hub.schema.extensions.query_cost import AGGREGATES

FIELDS = {
    "staleInstitutions": "staleInstitutions(days: 1, first: 1) { pageInfo { hasNextPage } }",
    "overCapacityInstitutions": "overCapacityInstitutions(first: 1) { pageInfo { hasNextPage } }",
    "overdueAhtuReports": "overdueAhtuReports(first: 1) { pageInfo { hasNextPage } }",
    "overdueCareReviews": "overdueCareReviews(first: 1) { pageInfo { hasNextPage } }",
    "overdueCareFollowUps": "overdueCareFollowUps(first: 1) { pageInfo { hasNextPage } }",
}


def test_every_aggregate_is_weighed() -> None:
    assert set(FIELDS) == AGGREGATES


@pytest.mark.parametrize("field", sorted(FIELDS))
async def test_five_aliases_of_an_aggregate_are_too_complex_and_four_run(store: Services, field: str) -> None:
    await seed_catalogue(store)
    issuer = dev_issuer(store.settings)
    headers = {"Authorization": f"Bearer {issuer.issue(issuer.clients['demo-cpsu'])}"}
    with serving(create_app(store.settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            for n, refused in ((5, True), (4, False), (1, False)):
                query = "{ " + " ".join(f"a{i}: {FIELDS[field]}" for i in range(n)) + " }"
                body = (await client.post("/graphql", json={"query": query}, headers=headers)).json()
                if refused:
                    [error] = body["errors"]
                    assert (error["extensions"]["code"], error["extensions"]["limit"]) == (
                        "QUERY_TOO_COMPLEX",
                        "TRACKCHILD_MAX_COST",
                    ), body
                else:
                    assert "errors" not in body, (n, body)

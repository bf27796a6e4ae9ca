"""progressReport and setProgressFinancials over real HTTP with every agency's token from the embedded issuer (its
agency, scope and state claims, as a partner's token carries them): who reads which State's report, whose small
counts are blank, who writes the financial part. tests/schema/test_progress_report.py has the numbers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.live_server import serving
from tests.schema.test_progress_report import SET, entry, line, seed
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services

READ = """query($s: String!) { progressReport(state: $s, financialYear: "2025-26") { state suppressed
  physical { children { inCare { female } } } } }"""
READERS = {
    Agency.AHTU,
    Agency.CWC,
    Agency.JJB,
    Agency.DCPU,
    Agency.SCPS,
    Agency.CPSU,
    Agency.LEGAL_SERVICES,
    Agency.DISTRICT_ADMIN,
    Agency.STATE_IT,
}
WRITERS = {Agency.SCPS, Agency.CPSU}
EXACT = {Agency.AHTU, Agency.CWC, Agency.JJB, Agency.DCPU, Agency.SCPS, Agency.CPSU}


@pytest.fixture
def live_hub(store: Services) -> Iterator[str]:
    with serving(create_app(store.settings)) as url:
        yield url


def _code(body: dict[str, Any]) -> str:
    return "OK" if "errors" not in body else body["errors"][0]["extensions"]["code"]


async def test_every_agency_reads_and_writes_as_the_contract_says(store: Services, live_hub: str) -> None:
    await seed(store)
    issuer = dev_issuer(store.settings)
    version = 0
    async with httpx.AsyncClient(base_url=live_hub, timeout=30) as client:
        for agency in Agency:
            token = issuer.issue(issuer.clients[f"demo-{agency.value}"], state="19")
            headers = {"Authorization": f"Bearer {token}"}

            async def ask(query: str, variables: dict[str, Any], h: dict[str, str] = headers) -> dict[str, Any]:
                response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=h)
                assert response.status_code == 200
                body: dict[str, Any] = response.json()
                return body

            own = await ask(READ, {"s": "19"})
            assert _code(own) == ("OK" if agency in READERS else "FORBIDDEN"), agency
            if agency in READERS:
                report = own["data"]["progressReport"]
                assert report["suppressed"] is (agency not in EXACT), agency
                homes = report["physical"]["children"][0]["inCare"]["female"]
                assert homes == (2 if agency in EXACT else None), agency
            assert _code(await ask(READ, {"s": "10"})) == "FORBIDDEN", agency  # another State
            wrote = await ask(SET, entry([line()], version=version))
            assert _code(wrote) == ("OK" if agency in WRITERS else "FORBIDDEN"), agency
            version += agency in WRITERS
    assert version == 2

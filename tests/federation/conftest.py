"""One federation for the whole session: the hub (seeded, served over real HTTP), the partner subgraph and Hive
Gateway composing both. Tests ask the same questions of the hub directly and through the gateway."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.federation.gateway import Gateway, running_gateway
from tests.federation.hub_data import HubData, seed_hub
from tests.federation.partner import PartnerApp, PartnerData
from tests.live_server import serving
from trackchild_hub.app import create_app, dev_issuer

# role: (dev issuer client, state claim, district claim); None = no token at all
ROLES: dict[str, tuple[str, str | None, str | None] | None] = {
    "police_district": ("demo-police", "19", "313"),  # West Bengal, Howrah
    "state_cpsu": ("demo-cpsu", "19", None),  # West Bengal
    "national_cpsu": ("demo-cpsu", None, None),
    "ngo": ("demo-ngo", None, None),
    "public": None,
}


@dataclass
class Federation:
    hub: HubData
    hub_url: str  # the hub's GraphQL endpoint
    partner: PartnerData
    gateway: Gateway

    def headers(self, role: str) -> dict[str, str]:
        """A real token of the hub's embedded issuer for `role` (its claims confine the reads), or none."""
        spec = ROLES[role]
        if spec is None:
            return {}
        client_id, state, district = spec
        issuer = dev_issuer(self.hub.settings)
        return {"Authorization": f"Bearer {issuer.issue(issuer.clients[client_id], state=state, district=district)}"}


@pytest.fixture(scope="session")
async def hub_data(tmp_path_factory: pytest.TempPathFactory) -> HubData:
    return await seed_hub(tmp_path_factory.mktemp("federation"))


@pytest.fixture(scope="session")
def federation(hub_data: HubData) -> Iterator[Federation]:
    partner = PartnerData(follow_ups=[(case.id, f"visited ({key})") for key, case in hub_data.cases.items()])
    with (
        serving(create_app(hub_data.settings)) as hub_base,
        serving(PartnerApp(partner), lifespan="off") as partner_base,
        running_gateway({"hub": f"{hub_base}/graphql", "partner": f"{partner_base}/graphql"}) as gateway,
    ):
        print(
            f"\nHive Gateway {gateway.version}: npm ci {gateway.npm_ci_seconds:.1f} s, "
            f"composed and ready in {gateway.start_seconds:.1f} s"
        )
        yield Federation(hub_data, f"{hub_base}/graphql", partner, gateway)

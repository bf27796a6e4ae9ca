"""The seeded demo shows the Mission Vatsalya progress report: each demo State has last year's financial part (the
SCPS's version and the CPSU's correction) and this year's so far, beside a physical part counted from the demo's
homes and children (what `make run` shows an SCPS)."""

from __future__ import annotations

from decimal import Decimal

from tests.factories import data, run
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.sandbox.seed import DEMO_TODAY, seed_demo

WB_SCPS = Principal.for_agency(Agency.SCPS, subject="scps-wb-1", state="19")
REPORT = """query($y: String!) { progressReport(state: "19", financialYear: $y) {
  financialsVersion financials { lines { component sanctioned released utilised centralShare stateShare remarks } }
  financialHistory { version recordedBy recordedAgency }
  physical { periodEnd institutions { institutions } children { inCare { total } } outcomes { outcome recorded
  children { total } } } } }"""


async def test_the_seeded_demo_shows_progress_reports(store: Services) -> None:
    assert await seed_demo(store.sessions, store.geography, cases=600) is not None
    last = data(await run(store, REPORT, {"y": "2025-26"}, WB_SCPS))["progressReport"]
    assert [(v["version"], v["recordedAgency"]) for v in last["financialHistory"]] == [(2, "cpsu"), (1, "scps")]
    lines = last["financials"]["lines"]
    assert len(lines) == 9
    for line in lines:
        released = Decimal(line["released"])
        assert Decimal(line["utilised"]) <= released <= Decimal(line["sanctioned"])
        assert Decimal(line["centralShare"]) + Decimal(line["stateShare"]) == released
    helpline = next(line for line in lines if line["component"] == "CHILD_HELPLINE")
    assert helpline["utilised"] == helpline["released"]
    assert helpline["remarks"] == "utilisation certificate received late"
    current = data(await run(store, REPORT, {"y": "2026-27"}, WB_SCPS))["progressReport"]
    assert current["financialsVersion"] == 1
    physical = current["physical"]
    assert sum(i["institutions"] for i in physical["institutions"]) > 0
    assert sum(c["inCare"]["total"] for c in physical["children"]) > 0  # an SCPS sees every count
    assert DEMO_TODAY.isoformat() <= physical["periodEnd"]

"""A small hub database for the gateway tests: missing children in three districts of two states, one of them
confidential and one with publication consent, written through the hub's own mutations before it is served."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.factories import BIHAR, HOWRAH, KOLKATA, PATNA, WB, data, missing_input, run
from trackchild_hub.app import build_services
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.settings import Settings
from trackchild_hub.store.migrate import upgrade

REPORT = "mutation($input: ReportMissingInput!) { reportMissing(input: $input) { id reference version } }"
CONSENT = "mutation($input: UpdateCaseInput!) { updateCase(input: $input) { version } }"
# A national police principal writes the seed (it may report anywhere); the tests then read with real tokens.
WRITER = Principal.for_agency(Agency.POLICE, subject="seed-officer")


@dataclass(frozen=True)
class SeededCase:
    key: str  # the tests' name for it
    id: str
    reference: str
    state: str
    district: str
    version: int  # as seeded (for a write that names it)


@dataclass(frozen=True)
class HubData:
    settings: Settings
    cases: dict[str, SeededCase]


# key: (state, district, child name, confidential, publication consent)
CASES = {
    "howrah": (WB, HOWRAH, "Rahul Kumar", False, True),
    "howrah_confidential": (WB, HOWRAH, "Anita Das", True, False),
    "kolkata": (WB, KOLKATA, "Sohel Sheikh", False, False),
    "patna": (BIHAR, PATNA, "Priya Kumari", False, False),
}


async def seed_hub(folder: Path) -> HubData:
    """Migrate a SQLite database in ``folder`` and report the cases of ``CASES``; returns the hub's settings."""
    settings = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'hub.db'}", data_dir=folder / "data")
    services = build_services(settings)
    try:
        await upgrade(services.engine, services.geography)
        cases: dict[str, SeededCase] = {}
        for key, (state, district, name, confidential, consent) in CASES.items():
            child = {"name": name, "gender": "FEMALE" if key != "howrah" else "MALE", "ageYears": 11}
            place = {"state": state, "district": district, "text": f"near the bus stand ({key})"}
            circumstances = f"left home after a quarrel ({key})"
            given = missing_input(
                child={**child, "confidential": confidential}, place=place, circumstances=circumstances
            )
            created = data(await run(services, REPORT, {"input": given}, principal=WRITER))["reportMissing"]
            version = created["version"]
            if consent:
                patch = {"id": created["id"], "version": version, "publicationConsent": True}
                version = data(await run(services, CONSENT, {"input": patch}, principal=WRITER))["updateCase"][
                    "version"
                ]
            cases[key] = SeededCase(key, created["id"], created["reference"], state, district, version)
        return HubData(settings, cases)
    finally:
        await services.engine.dispose()

"""Test data factories and an in-process GraphQL runner."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from strawberry.types import ExecutionResult

from trackchild_hub.app import create_app
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.reference import IST
from trackchild_hub.resolvers.context import Context, Services
from trackchild_hub.schema.build import build_schema
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_directory_entries, add_institutions
from trackchild_hub.store.models import CaseRow


def today() -> date:
    """The hub's today: India's date (from 18:30 UTC it is already tomorrow there)."""
    return datetime.now(IST).date()


SCHEMA = build_schema()
POLICE = Principal.for_agency(Agency.POLICE, subject="officer-1")
NGO = Principal.for_agency(Agency.NGO, subject="ngo-1")
PUBLIC = Principal.public()

# Howrah (WB) and Patna (Bihar): LGD codes from the packaged reference data.
WB, HOWRAH, KOLKATA = "19", "313", "315"
BIHAR, PATNA = "10", "212"


async def run(
    services: Services, query: str, variables: dict[str, Any] | None = None, principal: Principal = POLICE
) -> ExecutionResult:
    async with services.sessions() as session:
        context = Context(services=services, session=session, principal=principal)
        return await SCHEMA.execute(query, variable_values=variables, context_value=context)


def data(result: ExecutionResult) -> dict[str, Any]:
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def error_codes(result: ExecutionResult) -> list[tuple[str, str | None]]:
    extensions = [e.extensions or {} for e in result.errors or []]
    return [(x["code"], x.get("field")) for x in extensions]


async def case_count(services: Services) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(CaseRow)) or 0)


def station(n: int, state: str = WB, district: str = HOWRAH) -> dict[str, Any]:
    return {
        "id": f"PS-{state}-{district}-{n:03d}",
        "kind": "POLICE_STATION",
        "name": f"Station {n}",
        "code": f"{state}{district}{n:03d}",
        "state": state,
        "district": district,
        "phones": ["+913326412345"],
        "latitude": 22.59,
        "longitude": 88.31,
        "pin_code": "711101",
    }


def institution(n: int, state: str = WB, district: str = HOWRAH) -> dict[str, Any]:
    return {
        "registration_number": f"WB/CCI/2020/{n:04d}",
        "name": f"Children's Home {n}",
        "type": "CHILDRENS_HOME",
        "run_by": "NGO",
        "gender_served": "ANY",
        "capacity": 50,
        "state": state,
        "district": district,
        "latitude": 22.6,
        "longitude": 88.3,
    }


async def seed_catalogue(services: Services, stations: int = 3, institutions: int = 2) -> None:
    async with services.sessions() as session, session.begin():
        await add_institutions(session, [institution(i) for i in range(1, institutions + 1)])
        await add_directory_entries(session, [station(i) for i in range(1, stations + 1)])


def missing_input(**overrides: Any) -> dict[str, Any]:
    last_seen = today() - timedelta(days=10)
    value: dict[str, Any] = {
        "child": {
            "name": "Rahul Kumar",
            "aliases": ["Raju"],
            "gender": "MALE",
            "ageYears": 9,
            "guardians": [{"relation": "FATHER", "name": "Suresh Kumar", "phone": "98000 00000"}],
        },
        "place": {
            "state": WB,
            "district": HOWRAH,
            "policeStation": "PS-19-313-001",
            "text": "Howrah station",
        },
        "lastSeenDate": last_seen.isoformat(),
        "fir": {"number": "123/2026", "date": last_seen.isoformat()},
        "reporter": {"name": "Suresh Kumar", "relation": "father", "phone": "+919800000000"},
    }
    value.update(overrides)
    return value


def found_input(**overrides: Any) -> dict[str, Any]:
    found = today() - timedelta(days=2)
    value: dict[str, Any] = {
        "child": {"name": "Raju", "gender": "MALE", "ageYears": 10},
        "place": {"state": BIHAR, "district": PATNA, "text": "Patna Junction"},
        "foundOn": found.isoformat(),
        "foundBy": "RPF Patna",
    }
    value.update(overrides)
    return value


def admission_input(child_id: str, **overrides: Any) -> dict[str, Any]:
    """``admitToInstitution``'s input for a child found as ``found_input`` finds one, admitted the day she was found."""
    value: dict[str, Any] = {
        "institution": "WB/CCI/2020/0001",
        "admissionDate": found_input()["foundOn"],
        "childId": child_id,
        "admissionOrder": {"number": "CWC/HWH/2026/1"},
    }
    value.update(overrides)
    return value


def exchange_record(n: int, kind: str = "MISSING", **overrides: Any) -> dict[str, Any]:
    """A valid exchange record (CONTRACT.md) for the catalogue of ``seed_catalogue``."""
    event = today() - timedelta(days=30 + n % 200)
    record: dict[str, Any] = {
        "kind": kind,
        "source": "police-19",
        "external_id": f"WB-{kind}-{n:06d}",
        "reported_at": f"{event.isoformat()}T18:30:00+05:30",
        "status": "OPEN",
        "child": {
            "name": f"Child {n}",
            "aliases": [f"Nick{n}"],
            "gender": ["MALE", "FEMALE"][n % 2],
            "age_years": 5 + n % 12,
            "languages": ["bn"],
            "guardians": [{"relation": "MOTHER", "name": f"Mother {n}", "phone": "+919830000000"}],
        },
        "place": {
            "state": WB,
            "district": HOWRAH,
            "police_station": f"PS-19-313-{1 + n % 3:03d}",
            "text": "Howrah station",
        },
        "event_date": event.isoformat(),
    }
    if kind == "MISSING":
        record["fir"] = {"number": f"{n}/2026", "date": event.isoformat()}
    if kind == "CARE":
        record["care"] = {"institution": f"WB/CCI/2020/{1 + n % 2:04d}", "admission_date": event.isoformat()}
    if kind == "FOUND":
        record["found"] = {"found_by": "RPF", "institution": "WB/CCI/2020/0001"}
    record.update(overrides)
    return record


@asynccontextmanager
async def hub_client(settings: Settings, secrets: dict[str, str] | None = None) -> AsyncIterator[httpx.AsyncClient]:
    """The whole app (routes, auth, schema) behind an in-process HTTP client; shut down afterwards."""
    app = create_app(settings, secrets=secrets)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub.test") as client:
            yield client
    finally:
        await app.state.shutdown()

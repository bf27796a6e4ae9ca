"""The record rule (``services.record_rule``) as every use case meets it, without GraphQL: a confidential child or a
case outside the caller's jurisdiction is NOT_FOUND like an unknown id; a place named for a case must be in theirs."""

from __future__ import annotations

import pytest

from tests.factories import BIHAR, HOWRAH, POLICE, WB, seed_catalogue
from tests.services.test_cases import missing
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.errors import BadUserInput, NotFound
from trackchild_hub.services import cases, record_rule
from trackchild_hub.services.audit_trail import audit_trail
from trackchild_hub.services.unit import Services, Unit

CWC = Principal.for_agency(Agency.CWC, subject="cwc-howrah", state=WB, district=HOWRAH)
BIHAR_POLICE = Principal.for_agency(Agency.POLICE, subject="officer-br", state=BIHAR)


async def test_a_confidential_child_is_seen_only_by_those_the_rule_admits(store: Services) -> None:
    await seed_catalogue(store)
    case = missing()
    case.child.confidential = True
    async with Unit.opened(store, POLICE) as unit:
        row = await cases.report_missing(unit, case)
    async with Unit.opened(store, CWC) as unit:
        assert (await record_rule.case_named(unit, row.id)).id == row.id
        assert (await record_rule.child_named(unit, row.child_id)).id == row.child_id
    async with Unit.opened(store, Principal.for_agency(Agency.POLICE, subject="officer-2")) as unit:
        for refused in (record_rule.case_named(unit, row.id), record_rule.child_named(unit, row.child_id)):
            with pytest.raises(NotFound) as raised:
                await refused
            assert raised.value.suggestion == record_rule.OUTSIDE
        with pytest.raises(NotFound):
            await record_rule.case_named(unit, "no-such-case")


async def test_outside_the_jurisdiction_records_and_their_access_log_are_unknown(store: Services) -> None:
    await seed_catalogue(store)
    async with Unit.opened(store, POLICE) as unit:
        row = await cases.report_missing(unit, missing())
    auditor = Principal.for_agency(Agency.SCPS, subject="scps-br", state=BIHAR)
    async with Unit.opened(store, BIHAR_POLICE) as unit:
        with pytest.raises(NotFound):
            await record_rule.match_named(unit, f"{row.id}~{row.id}")
        with pytest.raises(NotFound):
            await record_rule.directory_entry_named(unit, "PS-19-313-001")
        with pytest.raises(BadUserInput) as raised:
            await record_rule.station_named(unit, "PS-19-313-001", "place.police_station")
    assert raised.value.field == "place.police_station"
    async with Unit.opened(store, auditor) as unit:
        with pytest.raises(NotFound):
            await audit_trail(unit, row.id, 10)
    async with Unit.opened(store, Principal.for_agency(Agency.SCPS, subject="scps-wb", state=WB)) as unit:
        assert await audit_trail(unit, row.id, 10) == []  # nothing read through the API yet


async def test_a_plain_unit_knows_no_live_records_it_answers_their_ids_as_unknown(store: Services) -> None:
    async with Unit.opened(store, POLICE) as unit:
        with pytest.raises(NotFound):
            await record_rule.case_named(unit, "remote:police-19:WB-POL-000001")

"""The Mission Vatsalya progress report (issue 15) through GraphQL, on both backends: the physical part counted in SQL
and checked against a small data set counted by hand; the financial part entered by the State's SCPS or the CPSU,
versioned (who, when, every version, CONFLICT on a stale one), checked line by line; who may read and write."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select

from tests.factories import BIHAR, HOWRAH, KOLKATA, PATNA, WB, data, error_codes, institution, run
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.catalogue_writer import add_institutions
from trackchild_hub.store.models import CareCaseRow, CareEntryRow, CaseRow, ChildRow, ProgressFinancialsRow
from trackchild_hub.store.models.base import new_id

WB_SCPS = Principal.for_agency(Agency.SCPS, subject="scps-wb-1", state=WB)
BIHAR_SCPS = Principal.for_agency(Agency.SCPS, subject="scps-br-1", state=BIHAR)
CPSU = Principal.for_agency(Agency.CPSU, subject="cpsu-1")
WB_DCPU = Principal.for_agency(Agency.DCPU, subject="dcpu-wb-1", state=WB)
HOWRAH_DCPU = Principal.for_agency(Agency.DCPU, subject="dcpu-howrah-1", state=WB, district=HOWRAH)
WB_SLSA = Principal.for_agency(Agency.LEGAL_SERVICES, subject="slsa-wb-1", state=WB)
BIHAR_SLSA = Principal.for_agency(Agency.LEGAL_SERVICES, subject="slsa-br-1", state=BIHAR)
WB_CWC = Principal.for_agency(Agency.CWC, subject="cwc-wb-1", state=WB)
WB_POLICE = Principal.for_agency(Agency.POLICE, subject="police-wb-1", state=WB)
WB_STATE_IT = Principal.for_agency(Agency.STATE_IT, subject="it-wb-1", state=WB)
WB_CCI = Principal.for_agency(Agency.CCI, subject="cci-wb-1", state=WB)
WB_NGO = Principal.for_agency(Agency.NGO, subject="ngo-wb-1", state=WB)
YEAR = "2025-26"  # over: its counts do not move with today

REPORT = """
query($state: String!, $year: String!) {
  progressReport(state: $state, financialYear: $year) {
    state stateName financialYear suppressed financialsVersion
    physical {
      periodStart periodEnd
      institutions { institutionType category institutions capacity }
      children { institutionType category inCare { male female transgender unknown total }
                 admitted { male female transgender unknown total } }
      outcomes { outcome recorded note children { male female transgender unknown total } }
    }
    financials { version recordedBy recordedAgency lines { component sanctioned released utilised openingBalance
                 centralShare stateShare remarks } }
    financialHistory { version recordedBy recordedAgency recordedAt }
    downloads { csv xlsx pdf }
  }
}"""
SET = """
mutation($i: SetProgressFinancialsInput!) {
  setProgressFinancials(input: $i) {
    version recordedBy recordedAgency recordedAt
    lines { component label sanctioned released utilised openingBalance centralShare stateShare remarks }
  }
}"""


def line(component: str = "INSTITUTIONAL_CARE", **overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {"component": component, "sanctioned": "250.5", "released": "200", "utilised": "180.25"}
    value.update(overrides)
    return value


def entry(lines: list[dict[str, Any]], version: int = 0, state: str = WB, year: str = YEAR) -> dict[str, Any]:
    return {"i": {"state": state, "financialYear": year, "expectedVersion": version, "lines": lines}}


async def report(store: Services, principal: Principal, state: str = WB, year: str = YEAR) -> Any:
    return await run(store, REPORT, {"state": state, "year": year}, principal)


# The small data set, counted by hand below.
HOMES = {
    "H1": ("CHILDRENS_HOME", WB, HOWRAH, 50),
    "H2": ("CHILDRENS_HOME", WB, KOLKATA, 30),
    "O1": ("OBSERVATION_HOME", WB, HOWRAH, 20),
    "S1": ("SPECIALISED_ADOPTION_AGENCY", WB, KOLKATA, 10),
    "B1": ("CHILDRENS_HOME", BIHAR, PATNA, 40),  # another State: counted nowhere in West Bengal's report
}
# (home, gender, admitted, exit date, status, releases: [(kind, released on, version)]) -- versions of one entry.
CHILDREN = [
    ("H1", "FEMALE", date(2025, 5, 1), None, "OPEN", []),  # in care, admitted
    ("H1", "MALE", date(2024, 12, 1), date(2025, 8, 10), "RESOLVED", [("RESTORATION", date(2025, 8, 10), 1)]),
    ("H1", "FEMALE", date(2025, 6, 1), date(2026, 5, 1), "RESOLVED", [("RESTORATION", date(2026, 5, 1), 1)]),
    ("H2", "TRANSGENDER", date(2024, 1, 1), None, "OPEN", []),  # in care, admitted before the year
    ("H2", "MALE", date(2026, 4, 10), None, "OPEN", []),  # after the year: neither
    ("O1", "MALE", date(2025, 7, 1), None, "CLOSED", []),  # closed with no exit date: admitted, not in care
    ("O1", "UNKNOWN", date(2025, 9, 1), None, "OPEN", []),
    # a transfer corrected into a repatriation the next day: one repatriation, no transfer
    (
        "S1",
        "FEMALE",
        date(2025, 10, 1),
        date(2026, 1, 15),
        "RESOLVED",
        [("TRANSFER", date(2026, 1, 14), 1), ("REPATRIATION", date(2026, 1, 15), 2)],
    ),
    ("B1", "FEMALE", date(2025, 5, 1), None, "OPEN", [("RESTORATION", date(2025, 9, 1), 1)]),
    # admitted on the year's first day; restored, the release's day corrected: counted once
    (
        "H1",
        "FEMALE",
        date(2025, 4, 1),
        date(2025, 11, 3),
        "RESOLVED",
        [("RESTORATION", date(2025, 11, 1), 1), ("RESTORATION", date(2025, 11, 3), 2)],
    ),
]


async def seed(store: Services) -> None:
    records = []
    for n, (key, (kind, state, district, capacity)) in enumerate(HOMES.items(), start=1):
        records.append(
            {**institution(n, state, district), "registration_number": key, "type": kind, "capacity": capacity}
        )
    async with store.sessions() as session, session.begin():
        ids = await add_institutions(session, records)
    children, cases, care, entries = [], [], [], []
    for home, gender, admitted, left, status, releases in CHILDREN:
        child, case, entry_id = new_id(), new_id(), new_id()
        state = HOMES[home][1]
        at = datetime(2026, 6, 1, tzinfo=UTC)
        children.append({"id": child, "gender": gender, "age_years": 12, "age_reported_on": admitted})
        cases.append(
            {
                "id": case,
                "kind": "CARE",
                "reference": f"T-{case[:12]}",
                "status": status,
                "version": 1,
                "child_id": child,
                "source": "test",
                "external_id": case,
                "state_code": state,
                "district_code": None,
                "event_date": admitted,
                "reported_at": at,
                "created_at": at,
                "updated_at": at,
            }
        )
        care.append({"case_id": case, "institution_id": ids[home], "admission_date": admitted, "exit_date": left})
        for kind, on, version in releases:
            entries.append(
                {
                    "id": new_id(),
                    "entry_id": entry_id,
                    "version": version,
                    "case_id": case,
                    "kind": "RELEASE",
                    "occurred_on": on,
                    "due_on": None,
                    "payload": {"kind": kind, "released_on": on.isoformat(), "order_number": "CWC/1"},
                    "recorded_by": "cci:test",
                    "recorded_agency": "cci",
                    "recorded_at": at,
                }
            )
    async with store.sessions() as session, session.begin():
        await session.execute(insert(ChildRow.__table__), children)
        await session.execute(insert(CaseRow.__table__), cases)
        await session.execute(insert(CareCaseRow.__table__), care)
        await session.execute(insert(CareEntryRow.__table__), entries)


def counts(m: int, f: int, t: int, u: int) -> dict[str, int]:
    return {"male": m, "female": f, "transgender": t, "unknown": u, "total": m + f + t + u}


async def test_physical_part_matches_the_hand_count(store: Services) -> None:
    await seed(store)
    got = data(await report(store, WB_SCPS))["progressReport"]
    assert (got["state"], got["stateName"], got["financialYear"], got["suppressed"]) == (WB, "West Bengal", YEAR, False)
    physical = got["physical"]
    assert (physical["periodStart"], physical["periodEnd"]) == ("2025-04-01", "2026-03-31")
    institutions = {
        i["institutionType"]: (i["category"], i["institutions"], i["capacity"]) for i in physical["institutions"]
    }
    assert institutions == {
        "CHILDRENS_HOME": ("CNCP", 2, 80),
        "OPEN_SHELTER": ("CNCP", 0, 0),
        "SPECIALISED_ADOPTION_AGENCY": ("CNCP", 1, 10),
        "OBSERVATION_HOME": ("CCL", 1, 20),
        "SPECIAL_HOME": ("CCL", 0, 0),
        "PLACE_OF_SAFETY": ("CCL", 0, 0),
    }
    children = {c["institutionType"]: (c["inCare"], c["admitted"]) for c in physical["children"]}
    assert children["CHILDRENS_HOME"] == (counts(0, 2, 1, 0), counts(0, 3, 0, 0))
    assert children["OBSERVATION_HOME"] == (counts(0, 0, 0, 1), counts(1, 0, 0, 1))
    assert children["SPECIALISED_ADOPTION_AGENCY"] == (counts(0, 0, 0, 0), counts(0, 1, 0, 0))
    assert children["SPECIAL_HOME"] == (counts(0, 0, 0, 0), counts(0, 0, 0, 0))
    outcomes = {o["outcome"]: o for o in physical["outcomes"]}
    assert outcomes["RESTORED"]["children"] == counts(1, 1, 0, 0)
    assert outcomes["REPATRIATED"]["children"] == counts(0, 1, 0, 0)
    assert outcomes["TRANSFERRED"]["children"] == counts(0, 0, 0, 0)
    for unrecorded in ("ADOPTED", "FOSTER_CARE", "SPONSORSHIP", "AFTERCARE"):
        assert outcomes[unrecorded]["recorded"] is False
        assert outcomes[unrecorded]["children"] is None  # never a 0 that reads as "none happened"
        assert "not recorded" in outcomes[unrecorded]["note"]
    assert got["downloads"]["xlsx"] == "/reports/progress.xlsx?state=19&financialYear=2025-26"
    # Bihar's report counts only its own home.
    bihar = data(await report(store, CPSU, BIHAR))["progressReport"]["physical"]
    assert {o["outcome"]: o["children"] for o in bihar["outcomes"]}["RESTORED"] == counts(0, 1, 0, 0)


async def test_small_counts_are_blank_for_readers_outside_child_protection(store: Services) -> None:
    await seed(store)
    got = data(await report(store, WB_SLSA))["progressReport"]
    assert got["suppressed"] is True
    children = {c["institutionType"]: c["inCare"] for c in got["physical"]["children"]}
    # 1-4 children blank; a true 0 stays 0 (it singles no child out)
    assert children["CHILDRENS_HOME"] == {"male": 0, "female": None, "transgender": None, "unknown": 0, "total": None}
    institutions = {i["institutionType"]: i["institutions"] for i in got["physical"]["institutions"]}
    assert institutions["CHILDRENS_HOME"] == 2  # institutions are not children: never blanked


async def test_a_year_not_begun_has_no_physical_part_and_years_are_checked(store: Services) -> None:
    assert data(await report(store, CPSU, WB, "2027-28"))["progressReport"]["physical"] is None
    for bad in ("2026-28", "2026", "26-27", "2008-09", "2031-32", "2026-2027"):
        assert error_codes(await report(store, CPSU, WB, bad)) == [("BAD_USER_INPUT", "financialYear")], bad
    assert error_codes(await report(store, CPSU, "99")) == [("BAD_USER_INPUT", "state")]


async def test_who_may_read(store: Services) -> None:
    for reader in (WB_SCPS, CPSU, WB_DCPU, WB_SLSA, WB_CWC, WB_STATE_IT):
        assert data(await report(store, reader))["progressReport"]["state"] == WB, reader.agency
    for reader in (BIHAR_SLSA, BIHAR_SCPS, HOWRAH_DCPU, WB_POLICE, WB_CCI, WB_NGO):
        result = await report(store, reader)
        assert error_codes(result) == [("FORBIDDEN", None)], reader.agency
        assert result.data is None


async def test_financials_are_versioned_with_who_and_when_and_conflict_on_a_stale_version(store: Services) -> None:
    first = await run(
        store,
        SET,
        entry([line(centralShare="120", stateShare="80", remarks="  first   instalment "), line("CHILD_HELPLINE")]),
        WB_SCPS,
    )
    v1 = data(first)["setProgressFinancials"]
    assert (v1["version"], v1["recordedBy"], v1["recordedAgency"]) == (1, "scps-wb-1", "scps")
    assert v1["lines"][0] == {
        "component": "INSTITUTIONAL_CARE",
        "label": "Institutional care (Child Care Institutions)",
        "sanctioned": "250.50",
        "released": "200.00",
        "utilised": "180.25",
        "openingBalance": "0.00",
        "centralShare": "120.00",
        "stateShare": "80.00",
        "remarks": "first instalment",
    }
    assert v1["lines"][1]["component"] == "CHILD_HELPLINE"
    exact = line("OPEN_SHELTERS", sanctioned="10.12345", released="10.12345", utilised="0.00001")
    v2 = data(await run(store, SET, entry([exact], version=1), CPSU))["setProgressFinancials"]
    assert (v2["version"], v2["recordedAgency"]) == (2, "cpsu")
    assert (v2["lines"][0]["sanctioned"], v2["lines"][0]["utilised"]) == ("10.12345", "0.00001")  # to the rupee
    stale = await run(store, SET, entry([line()], version=1), WB_SCPS)
    assert error_codes(stale) == [("CONFLICT", None)]
    got = data(await report(store, WB_DCPU))["progressReport"]
    assert got["financialsVersion"] == 2
    assert got["financials"]["lines"][0]["component"] == "OPEN_SHELTERS"
    assert [(v["version"], v["recordedBy"]) for v in got["financialHistory"]] == [(2, "cpsu-1"), (1, "scps-wb-1")]
    # Another year, another State: versions of their own.
    assert (
        data(await run(store, SET, entry([line()], year="2026-27"), WB_SCPS))["setProgressFinancials"]["version"] == 1
    )
    assert (
        data(await run(store, SET, entry([line()], state=BIHAR), BIHAR_SCPS))["setProgressFinancials"]["version"] == 1
    )


async def test_who_may_write(store: Services) -> None:
    for writer in (BIHAR_SCPS, WB_DCPU, HOWRAH_DCPU, WB_CWC, WB_SLSA, WB_STATE_IT, WB_POLICE, WB_CCI):
        result = await run(store, SET, entry([line()]), writer)
        assert error_codes(result) == [("FORBIDDEN", None)], writer.agency
    bihar_cpsu = Principal.for_agency(Agency.CPSU, subject="cpsu-br", state=BIHAR)
    assert error_codes(await run(store, SET, entry([line()]), bihar_cpsu)) == [("FORBIDDEN", None)]
    assert data(await report(store, CPSU))["progressReport"]["financialsVersion"] == 0  # nothing written


async def test_lines_are_checked_field_by_field_and_nothing_is_written(store: Services) -> None:
    for lines, field in [
        ([line(released="300")], "input.lines.0.released"),
        ([line(utilised="200.01")], "input.lines.0.utilised"),
        ([line(sanctioned="-1")], "input.lines.0.sanctioned"),
        ([line(utilised="1.000001")], "input.lines.0.utilised"),
        ([line(openingBalance="2000000")], "input.lines.0.openingBalance"),
        ([line(), line("CHILD_HELPLINE"), line()], "input.lines.2.component"),
        ([line(centralShare="100", stateShare="99")], "input.lines.0.centralShare"),
        ([line(centralShare="200")], "input.lines.0.stateShare"),
        ([line(remarks="x\u0000y")], "i.lines.0.remarks"),  # refused at the edge, named by the variable's path
        ([], "input.lines"),
    ]:
        result = await run(store, SET, entry(lines), WB_SCPS)
        assert error_codes(result) == [("BAD_USER_INPUT", field)], (lines, result.errors)
    # spending last year's unspent balance: allowed up to released + opening balance
    ok = await run(store, SET, entry([line(utilised="230", openingBalance="30")]), WB_SCPS)
    assert data(ok)["setProgressFinancials"]["lines"][0]["openingBalance"] == "30.00"
    for variables, field in [
        (entry([line()], version=-1), "input.expectedVersion"),
        (entry([line()], year="2025-27"), "input.financialYear"),
        (entry([line()], state="99"), "input.state"),
    ]:
        assert error_codes(await run(store, SET, variables, CPSU)) == [("BAD_USER_INPUT", field)]
    assert data(await report(store, CPSU))["progressReport"]["financialsVersion"] == 1


async def test_two_writers_of_the_same_version_one_wins(store: Services) -> None:
    writes = [entry([line(remarks=f"writer {n}")]) for n in (1, 2)]
    results = await asyncio.gather(*(run(store, SET, w, p) for w, p in zip(writes, (WB_SCPS, CPSU), strict=True)))
    assert sorted(error_codes(r)[0][0] if r.errors else "OK" for r in results) == ["CONFLICT", "OK"]
    async with store.sessions() as session:
        versions = (await session.scalars(select(ProgressFinancialsRow.version))).all()
    assert sorted(versions) == [1]  # the loser wrote nothing (on PostgreSQL both can pass the version check at once:
    # the unique (state, year, version) key decides, and its IntegrityError is the CONFLICT)

"""The scheduled rules as plain functions: an overdue citizen report alerts its station's SHO (else the station); a
district's digest goes to its Collector and Superintendent of Police (else its DCPU and SJPU); counts only."""

from __future__ import annotations

from datetime import date

import pytest

from trackchild_hub.domain.alert_rules import (
    citizen_report_overdue,
    digest_reference,
    district_digest,
    is_collector,
    is_sho,
    is_superintendent_of_police,
)
from trackchild_hub.domain.alerts import AlertRule, Body, Channel, Contacts, DistrictDigest, OverdueReport, Person
from trackchild_hub.domain.geography import load_geography

WB, HOWRAH, KOLKATA = "19", "313", "315"
GEO = load_geography()


def overdue(station: str | None = "ps-1") -> OverdueReport:
    return OverdueReport("r1", "CR-7K2M9Q4XWD", station, 13, "https://hub.example/citizen-reports/CR-7K2M9Q4XWD")


def digest(district: str = HOWRAH) -> DistrictDigest:
    return DistrictDigest(WB, district, date(2026, 11, 29), 3, 1, 17, 2, "https://hub.example/")


@pytest.mark.parametrize(
    ("designation", "sho", "collector", "sp"),
    [
        ("SHO", True, False, False),
        ("S.H.O.", True, False, False),
        ("Station House Officer", True, False, False),
        ("Officer-in-Charge", True, False, False),
        ("Child Welfare Police Officer", False, False, False),
        ("District Magistrate", False, True, False),
        ("DM & Collector", False, True, False),
        ("Collector and District Magistrate", False, True, False),
        ("Deputy Commissioner", False, True, False),
        ("Additional District Magistrate", False, False, False),
        ("Deputy Commissioner of Police", False, False, False),
        ("Superintendent of Police", False, False, True),
        ("S.P.", False, False, True),
        ("Senior Superintendent of Police", False, False, True),
        ("Deputy Superintendent of Police", False, False, False),
        ("Superintendent", False, False, False),  # a children's home's superintendent
    ],
)
def test_posts_are_recognised_as_the_directory_spells_them(
    designation: str, sho: bool, collector: bool, sp: bool
) -> None:
    assert (is_sho(designation), is_collector(designation), is_superintendent_of_police(designation)) == (
        sho,
        collector,
        sp,
    )


def test_an_overdue_report_alerts_the_stations_sho_only() -> None:
    station = Body(
        "ps-1",
        "POLICE_STATION",
        WB,
        HOWRAH,
        phones=("+919830011111",),
        email="ps1@police.example",
        people=(
            Person("ps-1~1", phones=("+919830022222",), email="sho@police.example", designation="Officer-in-Charge"),
            Person("ps-1~2", phones=("+919830033333",), designation="Child Welfare Police Officer"),
        ),
    )
    alerts = citizen_report_overdue(overdue(), Contacts((station,), ("https://partner.example/hook",)))
    assert {(a.channel, a.address, a.functionary_id) for a in alerts} == {
        (Channel.SMS, "+919830022222", "ps-1~1"),
        (Channel.EMAIL, "sho@police.example", "ps-1~1"),
        (Channel.WEBHOOK, "https://partner.example/hook", None),
    }
    sms = next(a for a in alerts if a.channel is Channel.SMS)
    assert (sms.rule, sms.case_id, sms.reference, sms.language) == (
        AlertRule.CITIZEN_REPORT_OVERDUE,
        None,
        "CR-7K2M9Q4XWD",
        "bn",
    )
    assert "CR-7K2M9Q4XWD" in sms.message
    assert "13" in sms.message
    assert sms.message.endswith("https://hub.example/citizen-reports/CR-7K2M9Q4XWD")
    again = citizen_report_overdue(overdue(), Contacts((station,), ("https://partner.example/hook",)))
    assert [a.key for a in again] == [a.key for a in alerts]  # once per report and rule


def test_a_station_without_an_sho_is_alerted_itself_and_an_unknown_one_nobody() -> None:
    station = Body("ps-1", "POLICE_STATION", WB, HOWRAH, phones=("+919830011111",), languages=("en",))
    assert [(a.channel, a.address, a.language) for a in citizen_report_overdue(overdue(), Contacts((station,)))] == [
        (Channel.SMS, "+919830011111", "en")
    ]
    assert citizen_report_overdue(overdue(station=None), Contacts((station,))) == []
    assert citizen_report_overdue(overdue(station="ps-2"), Contacts((station,))) == []


def test_the_digest_goes_to_the_collector_and_the_sp_of_the_district_with_counts_only() -> None:
    dcpu = Body(
        "dcpu",
        "DISTRICT_CHILD_PROTECTION_UNIT",
        WB,
        HOWRAH,
        email="dcpu@wb.example",
        people=(
            Person("dcpu~1", phones=("+919830044444",), designation="District Magistrate"),
            Person("dcpu~2", email="dcpo@wb.example", designation="District Child Protection Officer"),
        ),
    )
    sjpu = Body(
        "sjpu",
        "SPECIAL_JUVENILE_POLICE_UNIT",
        WB,
        HOWRAH,
        email="sjpu@wb.example",
        people=(Person("sjpu~1", email="sp.howrah@wbp.example", designation="Superintendent of Police"),),
    )
    elsewhere = Body(
        "kol", "DISTRICT_CHILD_PROTECTION_UNIT", WB, KOLKATA, people=(Person("k~1", ("+919830055555",), None, "DM"),)
    )
    alerts = district_digest(digest(), GEO, Contacts((dcpu, sjpu, elsewhere)))
    assert {(a.channel, a.address) for a in alerts} == {
        (Channel.SMS, "+919830044444"),
        (Channel.EMAIL, "sp.howrah@wbp.example"),
    }
    [sms] = [a for a in alerts if a.channel is Channel.SMS]
    assert sms.reference == digest_reference(HOWRAH, date(2026, 11, 29)) == "DIGEST-313-2026-11-29"
    assert sms.case_id is None
    assert sms.language == "bn"
    for count in ("3", "1", "17", "2"):
        assert count in sms.message
    assert "Howrah" in sms.message
    assert "2026-11-29" in sms.message
    next_day = DistrictDigest(WB, HOWRAH, date(2026, 11, 30), 0, 0, 0, 0, "https://hub.example/")
    assert {a.key for a in district_digest(next_day, GEO, Contacts((dcpu, sjpu)))}.isdisjoint({a.key for a in alerts})


def test_without_a_collector_or_sp_listed_the_digest_goes_to_the_dcpu_and_the_sjpu() -> None:
    dcpu = Body("dcpu", "DISTRICT_CHILD_PROTECTION_UNIT", WB, HOWRAH, email="dcpu@wb.example", languages=("en",))
    sjpu = Body("sjpu", "SPECIAL_JUVENILE_POLICE_UNIT", WB, HOWRAH, email="sjpu@wb.example", languages=("en",))
    station = Body("ps", "POLICE_STATION", WB, HOWRAH, email="ps@wb.example")
    alerts = district_digest(digest(), GEO, Contacts((dcpu, sjpu, station)))
    assert {(a.address, a.language) for a in alerts} == {("dcpu@wb.example", "en"), ("sjpu@wb.example", "en")}
    assert district_digest(digest(), GEO, Contacts((station,))) == []

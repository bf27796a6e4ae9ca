"""The workflow's alert rules as plain functions (``domain.alert_rules``): a case sent to the AHTU alerts the
receiving unit and the station that held it (no other body), an overdue AHTU report alerts the unit alone, and an
overdue report's idempotency keys hold its due date (the same date: the same keys; the next: new ones)."""

from __future__ import annotations

from datetime import date

from trackchild_hub.domain.alert_rules import ahtu_report_overdue, escalated_to_ahtu
from trackchild_hub.domain.alerts import AhtuEscalation, AhtuReportOverdue, AlertRule, Body, Channel, Contacts, Person

LINK = "https://hub.example/cases/WB-2026-000042"
UNIT = Body(
    "AHTU-19-315", "ANTI_HUMAN_TRAFFICKING_UNIT", "19", "315", ("+919830000001",), "ahtu@wbp.example", (),
    (Person("AHTU-19-315~0", ("+919830000011",), None, "DSP"),),
)  # fmt: skip
STATION = Body("PS-19-313-001", "POLICE_STATION", "19", "313", ("+913326412345", "+919830000021"), None, ("hi",))
ELSEWHERE = Body("PS-19-313-002", "POLICE_STATION", "19", "313", ("+919830000031",))
CONTACTS = Contacts((UNIT, STATION, ELSEWHERE), ("https://partner.example/hook",))


def test_an_escalation_alerts_the_unit_and_the_station_it_comes_from() -> None:
    event = AhtuEscalation("c1", "WB-2026-000042", UNIT.id, STATION.id, LINK)
    alerts = escalated_to_ahtu(event, CONTACTS)
    assert {(a.channel, a.address) for a in alerts} == {
        (Channel.SMS, "+919830000001"),
        (Channel.EMAIL, "ahtu@wbp.example"),
        (Channel.SMS, "+919830000011"),
        (Channel.SMS, "+919830000021"),  # the station's mobile, not its landline
        (Channel.WEBHOOK, "https://partner.example/hook"),
    }
    assert {a.rule for a in alerts} == {AlertRule.ESCALATED_TO_AHTU}
    languages = {a.address: a.language for a in alerts}
    assert languages["+919830000021"] == "hi"  # the station's recorded language
    assert languages["+919830000001"] == "bn"  # the unit's state's
    assert all(a.message.endswith(LINK) and "WB-2026-000042" in a.message for a in alerts)


def test_an_escalation_from_no_station_alerts_the_unit_only() -> None:
    alerts = escalated_to_ahtu(AhtuEscalation("c1", "WB-2026-000042", UNIT.id, None, LINK), Contacts((UNIT,)))
    assert {a.entry_id for a in alerts} == {UNIT.id}


def test_an_overdue_report_alerts_the_unit_with_keys_per_due_date() -> None:
    due = date(2027, 3, 1)
    alerts = ahtu_report_overdue(AhtuReportOverdue("c1", "WB-2026-000042", UNIT.id, due, LINK), CONTACTS)
    assert {a.address for a in alerts} == {
        "+919830000001",
        "ahtu@wbp.example",
        "+919830000011",
        "https://partner.example/hook",
    }
    assert all("2027-03-01" in a.message for a in alerts if a.channel is not Channel.WEBHOOK)
    same = ahtu_report_overdue(AhtuReportOverdue("c1", "WB-2026-000042", UNIT.id, due, LINK), CONTACTS)
    assert [a.key for a in same] == [a.key for a in alerts]
    later = ahtu_report_overdue(AhtuReportOverdue("c1", "WB-2026-000042", UNIT.id, date(2027, 6, 1), LINK), CONTACTS)
    assert not {a.key for a in later} & {a.key for a in alerts}
    assert ahtu_report_overdue(AhtuReportOverdue("c1", "R", "AHTU-GONE", due, LINK), Contacts((STATION,))) == []

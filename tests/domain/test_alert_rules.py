"""Alert rules as plain functions: an event and the contacts on hand in, the alerts out (no database, no I/O)."""

from __future__ import annotations

from trackchild_hub.domain.alert_rules import likely_match, new_missing_case
from trackchild_hub.domain.alerts import AlertRule, Body, Channel, Contacts, LikelyMatch, NewMissingCase, Person
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.domain.neighbours import distance_km, neighbouring_districts

GEO = load_geography()
WB, HOWRAH, KOLKATA, HOOGHLY, PATNA, DARJEELING = "19", "313", "315", "312", "212", "307"
LINK = "https://hub.example/cases/WB-2026-000042"


def body(id: str, kind: str, district: str, **kw: object) -> Body:
    return Body(id=id, kind=kind, state_code=GEO.district(district).state_code, district_code=district, **kw)  # type: ignore[union-attr, arg-type]


def event(**kw: object) -> NewMissingCase:
    fields: dict[str, object] = {
        "case_id": "c42",
        "reference": "WB-2026-000042",
        "state_code": WB,
        "district_code": HOWRAH,
        "police_station_id": None,
        "link": LINK,
    }
    return NewMissingCase(**(fields | kw))  # type: ignore[arg-type]


def test_neighbours_are_the_districts_with_a_centroid_within_the_radius_nearest_first() -> None:
    near = neighbouring_districts(GEO, HOWRAH)
    assert near[0] == KOLKATA
    assert HOOGHLY in near
    assert HOWRAH not in near
    assert PATNA not in near
    assert all(distance_km((22.59, 88.31), _centre(c)) <= 100 for c in near)
    assert neighbouring_districts(GEO, HOWRAH, radius_km=1) == []
    assert neighbouring_districts(GEO, "no-such-district") == []


def _centre(code: str) -> tuple[float, float]:
    district = GEO.district(code)
    assert district is not None
    assert district.latitude is not None
    assert district.longitude is not None
    return district.latitude, district.longitude


def test_a_new_missing_case_alerts_stations_and_dcpus_of_the_district_and_its_neighbours() -> None:
    contacts = Contacts(
        bodies=(
            body(
                "ps-howrah",
                "POLICE_STATION",
                HOWRAH,
                phones=("98300 11111",),
                email="PS.Howrah@police.example",
                people=(Person("ps-howrah~1", phones=("+919830022222",), email="sho@police.example"),),
            ),
            body("dcpu-kolkata", "DISTRICT_CHILD_PROTECTION_UNIT", KOLKATA, email="dcpu@wb.example"),
            body("ps-hooghly", "POLICE_STATION", HOOGHLY, phones=("+919830033333",)),
            body("cwc-howrah", "CHILD_WELFARE_COMMITTEE", HOWRAH, email="cwc@wb.example"),  # not a new case's kind
            body("ps-patna", "POLICE_STATION", PATNA, email="ps@patna.example"),  # far away
            body("ps-darjeeling", "POLICE_STATION", DARJEELING, phones=("033 2641 2345",)),  # a landline: no SMS
        ),
        webhooks=("https://partner.example/hook",),
    )
    alerts = new_missing_case(event(police_station_id="ps-darjeeling"), GEO, contacts)
    got = {(a.channel, a.address, a.entry_id, a.functionary_id) for a in alerts}
    assert got == {
        (Channel.SMS, "+919830011111", "ps-howrah", None),
        (Channel.EMAIL, "ps.howrah@police.example", "ps-howrah", None),
        (Channel.SMS, "+919830022222", "ps-howrah", "ps-howrah~1"),
        (Channel.EMAIL, "sho@police.example", "ps-howrah", "ps-howrah~1"),
        (Channel.EMAIL, "dcpu@wb.example", "dcpu-kolkata", None),
        (Channel.SMS, "+919830033333", "ps-hooghly", None),
        (Channel.WEBHOOK, "https://partner.example/hook", None, None),
    }
    assert {a.rule for a in alerts} == {AlertRule.NEW_MISSING_CASE}
    assert all("WB-2026-000042" in a.message and LINK in a.message and "Howrah" in a.message for a in alerts)


def test_an_address_is_alerted_once_and_keys_are_stable_per_event_and_address() -> None:
    twice = body(
        "ps-a",
        "POLICE_STATION",
        HOWRAH,
        phones=("+919830011111", "9830011111"),
        people=(Person("ps-a~1", phones=("+919830011111",)),),
    )
    contacts = Contacts(bodies=(twice,))
    first = new_missing_case(event(), GEO, contacts)
    assert [(a.channel, a.address) for a in first] == [(Channel.SMS, "+919830011111")]
    assert [a.key for a in new_missing_case(event(), GEO, contacts)] == [first[0].key]
    assert new_missing_case(event(case_id="c43", reference="WB-2026-000043"), GEO, contacts)[0].key != first[0].key


def test_messages_are_in_the_bodys_recorded_language_else_its_states_else_english() -> None:
    contacts = Contacts(
        bodies=(
            body("ps-hi", "POLICE_STATION", HOWRAH, email="hi@x.example", languages=("hi", "en")),
            body("ps-sat", "POLICE_STATION", HOWRAH, email="sat@x.example", languages=("sat", "bn")),
            body("ps-none", "POLICE_STATION", HOWRAH, email="none@x.example"),  # West Bengal: Bengali
            body("ps-en", "POLICE_STATION", HOWRAH, email="en@x.example", languages=("EN",)),
        )
    )
    nagaland = Body("ps-nl", "POLICE_STATION", "13", HOWRAH, email="nl@x.example")  # no Nagamese texts: English
    contacts = Contacts(bodies=(*contacts.bodies, nagaland))
    by_address = {a.address: a for a in new_missing_case(event(), GEO, contacts)}
    assert {a: alert.language for a, alert in by_address.items()} == {
        "hi@x.example": "hi",
        "sat@x.example": "bn",  # Santali has no texts yet: the next recorded language
        "none@x.example": "bn",
        "en@x.example": "en",
        "nl@x.example": "en",
    }
    assert "लापता" in by_address["hi@x.example"].message
    assert "নিখোঁজ" in by_address["none@x.example"].message
    assert not by_address["hi@x.example"].message.isascii()
    assert by_address["nl@x.example"].message.isascii()
    assert "missing" in by_address["en@x.example"].message


def test_a_case_without_a_district_alerts_only_the_station_it_names() -> None:
    contacts = Contacts(
        bodies=(
            body("ps-howrah", "POLICE_STATION", HOWRAH, email="a@x.example"),
            body("ps-named", "POLICE_STATION", KOLKATA, email="b@x.example"),
        )
    )
    alerts = new_missing_case(event(district_code=None, police_station_id="ps-named"), GEO, contacts)
    assert [a.address for a in alerts] == ["b@x.example"]


def test_a_likely_match_alerts_the_investigating_station_and_the_holders_of_the_found_child() -> None:
    contacts = Contacts(
        bodies=(
            body("ps-missing", "POLICE_STATION", HOWRAH, email="io@x.example"),
            body("ps-found", "POLICE_STATION", PATNA, phones=("+919430011111",)),
            Body(
                id="institution:cci-1",
                kind="INSTITUTION",
                state_code="10",
                district_code=PATNA,
                email="home@x.example",
                languages=("hi",),
            ),
            body("ps-other", "POLICE_STATION", HOWRAH, email="other@x.example"),  # not involved
        ),
        webhooks=("https://partner.example/hook",),
    )
    match = LikelyMatch(
        pair_id="m1~f1",
        missing_case_id="m1",
        missing_reference="WB-2026-000042",
        missing_station_id="ps-missing",
        other_case_id="f1",
        other_reference="BR-2026-000007",
        other_station_id="ps-found",
        other_institution_id="cci-1",
        link=LINK,
    )
    alerts = likely_match(match, contacts)
    assert {(a.channel, a.address, a.language) for a in alerts} == {
        (Channel.EMAIL, "io@x.example", "bn"),
        (Channel.SMS, "+919430011111", "hi"),
        (Channel.EMAIL, "home@x.example", "hi"),
        (Channel.WEBHOOK, "https://partner.example/hook", "en"),
    }
    institution = next(a for a in alerts if a.address == "home@x.example")
    assert institution.entry_id is None  # a registered institution, not a directory entry
    assert all("WB-2026-000042" in a.message and "BR-2026-000007" in a.message for a in alerts)
    assert {a.rule for a in alerts} == {AlertRule.LIKELY_MATCH}

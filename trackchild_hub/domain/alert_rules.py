"""Alert rules: each a plain function of an event and the directory contacts on hand → the alerts to send.

- ``new_missing_case``: the police stations and DCPUs of the case's district and of its neighbouring districts
  (centroids within ``NEIGHBOUR_RADIUS_KM``: the reference data has no adjacency; see ``neighbours``), and the
  station the case names, wherever it is.
- ``likely_match``: the missing case's (investigating) station, and the station and institution holding the found
  or cared-for child.
- ``citizen_report_overdue``: the station's SHO (its functionaries whose post ``is_sho``); a station that lists no
  SHO is written to at its own phones and e-mail.
- ``district_digest``: the district's Collector / District Magistrate and Superintendent of Police, functionaries of
  any directory entry of the district whose post says so (``is_collector``, ``is_superintendent_of_police``: the
  directory has no kind for a Collectorate or an SP's office); without a Collector, the district's DCPUs (the DCPU
  works under the District Magistrate), without an SP, its SJPUs (the SP's unit for children).
- ``escalated_to_ahtu``: the AHTU the workflow job transferred a case to, and the station that held it until then.
- ``ahtu_report_overdue``: the AHTU whose progress report on a case is past due; once per case and due date (the
  date is in the idempotency key, so the next period's overdue report alerts again).

Each body is written to at its own phones and e-mail and at those of its functionaries, in the body's language
(``alert_messages.language_for``: its recorded languages, else its state's);
SMS goes to mobile numbers only; an address is written to once per event. Every alert also goes to each partner
webhook. Texts name references and a link, never a child (``alert_messages``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from .alert_messages import DEFAULT_LANGUAGE, language_for, render
from .alerts import (
    AhtuEscalation,
    AhtuReportOverdue,
    Alert,
    AlertRule,
    Body,
    Channel,
    Contacts,
    DistrictDigest,
    LikelyMatch,
    NewMissingCase,
    OverdueReport,
    Person,
)
from .enums import DirectoryKind
from .geography import Geography
from .neighbours import neighbouring_districts
from .phone import normalise_phone

NEW_CASE_KINDS = frozenset({DirectoryKind.POLICE_STATION.value, DirectoryKind.DISTRICT_CHILD_PROTECTION_UNIT.value})
DIGEST_FALLBACK_KINDS = (
    DirectoryKind.DISTRICT_CHILD_PROTECTION_UNIT.value,  # for the Collector
    DirectoryKind.SPECIAL_JUVENILE_POLICE_UNIT.value,  # for the Superintendent of Police
)
_MOBILE = re.compile(r"^\+91[6-9]\d{9}$")

# Posts, as the directory spells them (normalised: lower case, "&" as "and", punctuation as spaces).
SHO_POSTS = frozenset(
    {"sho", "s h o", "station house officer", "officer in charge", "oc", "o c", "inspector in charge"}
)
COLLECTOR_POSTS = frozenset(
    {
        "district magistrate",
        "dm",
        "d m",
        "collector",
        "district collector",
        "collector and district magistrate",
        "district magistrate and collector",
        "dm and collector",
        "collector and dm",
        "deputy commissioner",  # the Collector's title in Assam, Karnataka, Punjab, Haryana, J&K ...
        "district collector and district magistrate",
    }
)
SP_POSTS = frozenset(
    {
        "superintendent of police",
        "sp",
        "s p",
        "senior superintendent of police",
        "ssp",
        "district superintendent of police",
        "commissioner of police",  # a commissionerate's head, where a city district has no SP
    }
)
# What a directory search for the digest's posts narrows to in SQL (``store.alert_contacts``): designations holding
# one of these words, or (lower-cased) one of the short forms; ``is_collector`` and the others then decide exactly.
POST_WORDS = ("magistrate", "collector", "commissioner", "superintendent")
SHORT_POSTS = ("dm", "d.m.", "d m", "sp", "s.p.", "s p", "ssp", "s.s.p.")


def post(designation: str) -> str:
    """A designation normalised for comparison: "S.H.O." -> "s h o", "DM & Collector" -> "dm and collector"."""
    text = designation.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def is_sho(designation: str) -> bool:
    return post(designation) in SHO_POSTS


def is_collector(designation: str) -> bool:
    return post(designation) in COLLECTOR_POSTS


def is_superintendent_of_police(designation: str) -> bool:
    return post(designation) in SP_POSTS


def alerted_districts(geography: Geography, event: NewMissingCase) -> list[str]:
    """The case's district and its neighbours (what ``new_missing_case`` needs the directory's bodies of)."""
    if event.district_code is None:
        return []
    return [event.district_code, *neighbouring_districts(geography, event.district_code)]


def new_missing_case(event: NewMissingCase, geography: Geography, contacts: Contacts) -> list[Alert]:
    districts = set(alerted_districts(geography, event))
    chosen = [b for b in contacts.bodies if b.kind in NEW_CASE_KINDS and b.district_code in districts]
    station = contacts.by_id(event.police_station_id)
    if station is not None and station not in chosen:
        chosen.append(station)
    fields = {"reference": event.reference, "place": _place(geography, event), "link": event.link}
    return _to(AlertRule.NEW_MISSING_CASE, event.case_id, event.reference, _whole(chosen), contacts.webhooks, fields)


def likely_match(event: LikelyMatch, contacts: Contacts) -> list[Alert]:
    ids = (event.missing_station_id, event.other_station_id, _institution(event.other_institution_id))
    chosen: list[Body] = []
    for body in (contacts.by_id(i) for i in ids):
        if body is not None and body not in chosen:
            chosen.append(body)
    reference = f"{event.missing_reference}/{event.other_reference}"
    fields = {"missing": event.missing_reference, "other": event.other_reference, "link": event.link}
    return _to(AlertRule.LIKELY_MATCH, event.missing_case_id, reference, _whole(chosen), contacts.webhooks, fields)


def citizen_report_overdue(event: OverdueReport, contacts: Contacts) -> list[Alert]:
    """The station's SHO, else the station itself; nobody when the report names no station the directory holds."""
    station = contacts.by_id(event.police_station_id)
    if station is None:
        return []
    shos = tuple(p for p in station.people if is_sho(p.designation))
    recipients = [(station, shos, False)] if shos else _whole([station])
    fields = {"reference": event.reference, "hours": str(event.hours), "link": event.link}
    return _to(AlertRule.CITIZEN_REPORT_OVERDUE, None, event.reference, recipients, contacts.webhooks, fields)


def digest_reference(district_code: str, day: date) -> str:
    """What a district's digest of a day is known by (in the outbox, and so in its idempotency key)."""
    return f"DIGEST-{district_code}-{day.isoformat()}"


def district_digest(event: DistrictDigest, geography: Geography, contacts: Contacts) -> list[Alert]:
    """The district's Collector and Superintendent of Police (else its DCPUs, its SJPUs); counts only."""
    local = [b for b in contacts.bodies if b.district_code == event.district_code]
    recipients: list[tuple[Body, tuple[Person, ...], bool]] = []
    for chosen, fallback in (
        (is_collector, DIGEST_FALLBACK_KINDS[0]),
        (is_superintendent_of_police, DIGEST_FALLBACK_KINDS[1]),
    ):
        found = [(b, tuple(p for p in b.people if chosen(p.designation)), False) for b in local]
        found = [r for r in found if r[1]]
        recipients += found or _whole([b for b in local if b.kind == fallback])
    district = geography.district(event.district_code)
    fields = {
        "district": district.name if district is not None else event.district_code,
        "date": event.day.isoformat(),
        "new": str(event.new),
        "traced": str(event.traced),
        "pending": str(event.pending),
        "overdue": str(event.overdue),
        "link": event.link,
    }
    reference = digest_reference(event.district_code, event.day)
    return _to(AlertRule.DISTRICT_DIGEST, None, reference, recipients, contacts.webhooks, fields)


def escalated_to_ahtu(event: AhtuEscalation, contacts: Contacts) -> list[Alert]:
    """The receiving AHTU and the station the case comes from, each at its own addresses and its functionaries'."""
    chosen: list[Body] = []
    for body in (contacts.by_id(event.ahtu_id), contacts.by_id(event.from_station_id)):
        if body is not None and body not in chosen:
            chosen.append(body)
    fields = {"reference": event.reference, "link": event.link}
    return _to(AlertRule.ESCALATED_TO_AHTU, event.case_id, event.reference, _whole(chosen), contacts.webhooks, fields)


def ahtu_report_overdue(event: AhtuReportOverdue, contacts: Contacts) -> list[Alert]:
    """The AHTU that owes the report; keyed by case and due date (one alert per address per overdue period)."""
    unit = contacts.by_id(event.ahtu_id)
    due = event.due_on.isoformat()
    fields = {"reference": event.reference, "date": due, "link": event.link}
    alerts = _to(
        AlertRule.AHTU_REPORT_OVERDUE,
        event.case_id,
        event.reference,
        _whole([unit] if unit is not None else []),
        contacts.webhooks,
        fields,
    )
    return [replace(a, key=_period_key(a, due)) for a in alerts]


def _period_key(alert: Alert, period: str) -> str:
    text = f"{alert.rule.value}|{alert.case_id}|{alert.reference}|{period}|{alert.channel.value}|{alert.address}"
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _whole(bodies: Sequence[Body]) -> list[tuple[Body, tuple[Person, ...], bool]]:
    """Each body at its own addresses and at all its functionaries'."""
    return [(body, body.people, True) for body in bodies]


def _institution(institution_id: str | None) -> str | None:
    return f"institution:{institution_id}" if institution_id else None


def _place(geography: Geography, event: NewMissingCase) -> str:
    state = geography.state(event.state_code)
    district = geography.district(event.district_code) if event.district_code else None
    return ", ".join(p.name for p in (district, state) if p is not None)


def _to(
    rule: AlertRule,
    case_id: str | None,
    reference: str,
    recipients: Sequence[tuple[Body, tuple[Person, ...], bool]],
    webhooks: Iterable[str],
    fields: dict[str, str],
) -> list[Alert]:
    """Alerts to each (body, its people to write to, whether to write to the body's own addresses too)."""
    alerts: list[Alert] = []
    seen: set[tuple[Channel, str]] = set()

    def add(channel: Channel, address: str, language: str, entry: str | None, person: str | None) -> None:
        if (channel, address) in seen:
            return
        seen.add((channel, address))
        subject, message = render(rule, language, **fields)
        alerts.append(Alert(rule, case_id, reference, channel, address, language, subject, message, entry, person))

    for body, people, own in recipients:
        language = language_for(body.languages, body.state_code)
        entry = None if body.id.startswith("institution:") else body.id
        for phone in _mobiles(body.phones) if own else ():
            add(Channel.SMS, phone, language, entry, None)
        if body.email and own:
            add(Channel.EMAIL, body.email.strip().lower(), language, entry, None)
        for person in people:
            for phone in _mobiles(person.phones):
                add(Channel.SMS, phone, language, entry, person.id)
            if person.email:
                add(Channel.EMAIL, person.email.strip().lower(), language, entry, person.id)
    for url in webhooks:
        add(Channel.WEBHOOK, url, DEFAULT_LANGUAGE, None, None)
    return alerts


def _mobiles(phones: Iterable[str]) -> list[str]:
    numbers = (normalise_phone(p) for p in phones)
    return [n for n in numbers if n is not None and _MOBILE.match(n)]

"""Alert rules: each a plain function of an event and the directory contacts on hand → the alerts to send.

- ``new_missing_case``: the police stations and DCPUs of the case's district and of its neighbouring districts
  (centroids within ``NEIGHBOUR_RADIUS_KM``: the reference data has no adjacency; see ``neighbours``), and the
  station the case names, wherever it is.
- ``likely_match``: the missing case's (investigating) station, and the station and institution holding the found
  or cared-for child.

Each body is written to at its own phones and e-mail and at those of its functionaries, in the body's language;
SMS goes to mobile numbers only; an address is written to once per event. Every alert also goes to each partner
webhook. Texts name references and a link, never a child (``alert_messages``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .alert_messages import DEFAULT_LANGUAGE, language_for, render
from .alerts import Alert, AlertRule, Body, Channel, Contacts, LikelyMatch, NewMissingCase
from .enums import DirectoryKind
from .geography import Geography
from .neighbours import neighbouring_districts
from .phone import normalise_phone

NEW_CASE_KINDS = frozenset({DirectoryKind.POLICE_STATION.value, DirectoryKind.DISTRICT_CHILD_PROTECTION_UNIT.value})
_MOBILE = re.compile(r"^\+91[6-9]\d{9}$")


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
    return _to(AlertRule.NEW_MISSING_CASE, event.case_id, event.reference, chosen, contacts.webhooks, fields)


def likely_match(event: LikelyMatch, contacts: Contacts) -> list[Alert]:
    ids = (event.missing_station_id, event.other_station_id, _institution(event.other_institution_id))
    chosen: list[Body] = []
    for body in (contacts.by_id(i) for i in ids):
        if body is not None and body not in chosen:
            chosen.append(body)
    reference = f"{event.missing_reference}/{event.other_reference}"
    fields = {"missing": event.missing_reference, "other": event.other_reference, "link": event.link}
    return _to(AlertRule.LIKELY_MATCH, event.missing_case_id, reference, chosen, contacts.webhooks, fields)


def _institution(institution_id: str | None) -> str | None:
    return f"institution:{institution_id}" if institution_id else None


def _place(geography: Geography, event: NewMissingCase) -> str:
    state = geography.state(event.state_code)
    district = geography.district(event.district_code) if event.district_code else None
    return ", ".join(p.name for p in (district, state) if p is not None)


def _to(
    rule: AlertRule,
    case_id: str,
    reference: str,
    bodies: Sequence[Body],
    webhooks: Iterable[str],
    fields: dict[str, str],
) -> list[Alert]:
    alerts: list[Alert] = []
    seen: set[tuple[Channel, str]] = set()

    def add(channel: Channel, address: str, language: str, entry: str | None, person: str | None) -> None:
        if (channel, address) in seen:
            return
        seen.add((channel, address))
        subject, message = render(rule, language, **fields)
        alerts.append(Alert(rule, case_id, reference, channel, address, language, subject, message, entry, person))

    for body in bodies:
        language = language_for(body.languages)
        entry = None if body.id.startswith("institution:") else body.id
        for phone in _mobiles(body.phones):
            add(Channel.SMS, phone, language, entry, None)
        if body.email:
            add(Channel.EMAIL, body.email.strip().lower(), language, entry, None)
        for person in body.people:
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

"""Citizens: ``submitCitizenReport``, ``reportSighting``, ``caseStatus``; the stations' triage
(``untriagedCitizenReports``, ``registerCaseFromCitizenReport``, ``linkSighting``, ``dismissCitizenReport``) and the
Para Legal Volunteers' ``citizenReportBacklog``. Each root field is one line over ``services.citizen_reports``."""

from __future__ import annotations

from datetime import UTC, date, datetime

import strawberry
from strawberry.file_uploads import Upload

from ..auth.scopes import Scope
from ..domain.citizen_reports import CitizenReportData, CitizenReportKind, PublicStatus
from ..domain.enums import Gender
from ..domain.records import FirData
from ..resolvers.context import Info
from ..services import citizen_reports as service
from ..services import photos
from ..services import record_rule as rule
from ..store.citizen_reports import Waiting
from ..store.models import CitizenReportRow
from .access import IDENTITY, PUBLIC_RECORD, any_of, operation, protected, public, public_operation, public_type
from .case_kinds import MissingCase
from .inputs import FirInput
from .matches import MatchCandidate

strawberry.enum(CitizenReportKind, description="MISSING: a family's report. SIGHTING: a child seen, or in need.")
strawberry.enum(
    PublicStatus,
    name="CitizenReportStatus",
    description="RECEIVED (waiting for the station), CASE_REGISTERED, LINKED (to a case), CLOSED; UNKNOWN for a wrong "
    "reference or code.",
)


@public_type
@strawberry.type(description="What a citizen keeps: the reference and the status code, shown this once only.")
class CitizenReceipt:
    reference: str = strawberry.field(description="The report's reference (CR-...).")
    status_code: str = strawberry.field(description="The one-time status code: write it down, it is not shown again.")

    @classmethod
    def of(cls, receipt: service.Receipt) -> CitizenReceipt:
        return cls(reference=receipt.reference, status_code=receipt.status_code)


@public_type
@strawberry.type(description="Whom to contact about a report: its police station, or the CHILDLINE helpline.")
class StatusContact:
    name: str = strawberry.field(description="The police station (or CHILDLINE).")
    phones: list[str] = strawberry.field(description="Its phone numbers.")


@public_type
@strawberry.type(description="A coarse status and whom to contact; the same shape for any wrong reference or code.")
class CitizenCaseStatus:
    status: PublicStatus = strawberry.field(description="Where the report stands.")
    contact: StatusContact = strawberry.field(description="Whom to contact.")


def _common(input: CitizenReportInput | SightingInput, kind: CitizenReportKind) -> CitizenReportData:
    return CitizenReportData(
        kind=kind,
        contact_phone=input.contact_phone,
        consent=input.consent,
        declares_no_sexual_offence=input.declares_no_sexual_offence,
        state=input.state,
        district=input.district,
        latitude=input.latitude,
        longitude=input.longitude,
        place_text=input.place_text,
        event_date=input.event_date,
        child_name=input.child_name,
        gender=input.gender,
        age_years=input.age_years,
        height_cm=input.height_cm,
        complexion=input.complexion,
        identifying_marks=list(input.identifying_marks),
        languages=list(input.languages),
        clothing=input.clothing,
        circumstances=input.circumstances,
    )


@strawberry.input(description="My child is missing. The police station covering the place receives it.")
class CitizenReportInput:
    contact_phone: str = strawberry.field(description="Your phone: the police call you back on it.")
    consent: bool = strawberry.field(description="You agree the police may use and share what you report (required).")
    declares_no_sexual_offence: bool = strawberry.field(
        description="You declare this report holds no details of a sexual offence against the child (required)."
    )
    state: str = strawberry.field(description="LGD state code of the place last seen.")
    district: str | None = strawberry.field(default=None, description="LGD district code (or give coordinates).")
    latitude: float | None = strawberry.field(default=None, description="WGS 84 latitude of the place.")
    longitude: float | None = strawberry.field(default=None, description="WGS 84 longitude of the place.")
    place_text: str | None = strawberry.field(default=None, description="The place in words.")
    event_date: date = strawberry.field(description="The day the child was last seen.")
    child_name: str = strawberry.field(description="The child's name.")
    gender: Gender = strawberry.field(description="The child's gender.")
    age_years: int | None = strawberry.field(default=None, description="Age in years.")
    height_cm: int | None = strawberry.field(default=None, description="Height in cm.")
    complexion: str | None = strawberry.field(default=None, description="Complexion.")
    identifying_marks: list[str] = strawberry.field(default_factory=list, description="Scars, moles, birthmarks.")
    languages: list[str] = strawberry.field(default_factory=list, description="Languages spoken (ISO 639: hi, bn).")
    clothing: str | None = strawberry.field(default=None, description="Clothing when last seen.")
    circumstances: str | None = strawberry.field(default=None, description="What happened.")
    reporter_name: str | None = strawberry.field(default=None, description="Your name.")
    reporter_relation: str | None = strawberry.field(default=None, description="Your relation to the child.")
    photo: Upload | None = strawberry.field(
        default=None,
        description="A recent photo of the child (JPEG, PNG or WebP, a file part of a multipart request; kept "
        "without metadata, shown only to the police handling it).",
    )

    def to_domain(self) -> CitizenReportData:
        data = _common(self, CitizenReportKind.MISSING)
        data.reporter_name, data.reporter_relation = self.reporter_name, self.reporter_relation
        return data


@strawberry.input(description="I saw this child, or a child who needs help.")
class SightingInput:
    contact_phone: str = strawberry.field(description="Your phone: the police may call you back on it.")
    consent: bool = strawberry.field(description="You agree the police may use and share what you report (required).")
    declares_no_sexual_offence: bool = strawberry.field(
        description="You declare this report holds no details of a sexual offence against the child (required)."
    )
    state: str = strawberry.field(description="LGD state code of the place.")
    district: str | None = strawberry.field(default=None, description="LGD district code (or give coordinates).")
    latitude: float | None = strawberry.field(default=None, description="WGS 84 latitude of the place.")
    longitude: float | None = strawberry.field(default=None, description="WGS 84 longitude of the place.")
    place_text: str | None = strawberry.field(default=None, description="The place in words.")
    event_date: date = strawberry.field(description="The day you saw the child.")
    needs_help: bool = strawberry.field(default=False, description="The child needs help now.")
    child_name: str | None = strawberry.field(default=None, description="The child's name, if you know it.")
    gender: Gender | None = strawberry.field(default=None, description="The child's gender.")
    age_years: int | None = strawberry.field(default=None, description="Age in years (estimated).")
    height_cm: int | None = strawberry.field(default=None, description="Height in cm (estimated).")
    complexion: str | None = strawberry.field(default=None, description="Complexion.")
    identifying_marks: list[str] = strawberry.field(default_factory=list, description="Scars, moles, birthmarks.")
    languages: list[str] = strawberry.field(default_factory=list, description="Languages heard (ISO 639).")
    clothing: str | None = strawberry.field(default=None, description="Clothing.")
    circumstances: str | None = strawberry.field(default=None, description="What you saw.")
    photo: Upload | None = strawberry.field(
        default=None,
        description="A photo of the child you saw, if you could take one safely (JPEG, PNG or WebP, a file part of "
        "a multipart request; kept without metadata, your position included, shown only to the police).",
    )

    def to_domain(self) -> CitizenReportData:
        data = _common(self, CitizenReportKind.SIGHTING)
        data.needs_help = self.needs_help
        return data


async def _report_photo_url(root: CitizenReport, info: Info) -> str | None:
    return await photos.photo_url_of_report(info.context, str(root.id))


@strawberry.type(description="A citizen's report or sighting as its station triages it; identity with child:identity.")
class CitizenReport:
    id: strawberry.ID = public("Send it to the triage mutations.")
    kind: CitizenReportKind = public("A family's report or a sighting.")
    reference: str = public("The citizen's reference.")
    received_at: datetime = public("When it was received.")
    event_date: date = public("When last seen (report) or seen (sighting).")
    state: str = public("LGD state code of the place.")
    district: str | None = public("LGD district code of the place.")
    police_station: str | None = public("The covering police station's id.")
    place_text: str | None = public("The place in words.")
    latitude: float | None = public("WGS 84 latitude.")
    longitude: float | None = public("WGS 84 longitude.")
    needs_help: bool = public("A sighting of a child who needs help now.")
    gender: Gender | None = public("The child's gender.")
    age_years: int | None = public("Age in years.")
    height_cm: int | None = public("Height in cm.")
    complexion: str | None = public("Complexion.")
    identifying_marks: list[str] = public("Scars, moles, birthmarks.")
    languages: list[str] = public("Languages.")
    clothing: str | None = public("Clothing.")
    triage_decision: str | None = public("CASE_REGISTERED, LINKED or DISMISSED once triaged.")
    triaged_by: str | None = public("Who triaged it.")
    triaged_at: datetime | None = public("When.")
    linked_case_id: strawberry.ID | None = public("The case it became or was linked to.")
    child_name: str | None = protected(IDENTITY, "The child's name.")
    reporter_name: str | None = protected(IDENTITY, "The reporter's name.")
    reporter_relation: str | None = protected(IDENTITY, "The reporter's relation to the child.")
    contact_phone: str | None = protected(IDENTITY, "The reporter's phone, E.164.")
    # Free text as a family tells it names people, as MissingCase.circumstances does: identity, like it.
    circumstances: str | None = protected(IDENTITY, "What happened, as told.")
    photo_url: str | None = protected(
        IDENTITY,
        "A link to the photo sent with it (re-encoded without metadata), valid TRACKCHILD_PHOTO_URL_TTL_S seconds.",
        resolver=_report_photo_url,
    )

    @classmethod
    def of(cls, row: CitizenReportRow) -> CitizenReport:
        return cls(
            id=strawberry.ID(row.id),
            kind=CitizenReportKind(row.kind),
            reference=row.reference,
            received_at=row.created_at,
            event_date=row.event_date,
            state=row.state_code,
            district=row.district_code,
            police_station=row.police_station_id,
            place_text=row.place_text,
            latitude=row.latitude,
            longitude=row.longitude,
            needs_help=row.needs_help,
            gender=Gender(row.gender) if row.gender else None,
            age_years=row.age_years,
            height_cm=row.height_cm,
            complexion=row.complexion,
            identifying_marks=list(row.identifying_marks),
            languages=list(row.languages),
            clothing=row.clothing,
            circumstances=row.circumstances,
            triage_decision=row.triage_decision,
            triaged_by=row.triaged_by,
            triaged_at=row.triaged_at,
            linked_case_id=strawberry.ID(row.linked_case_id) if row.linked_case_id else None,
            child_name=row.child_name,
            reporter_name=row.reporter_name,
            reporter_relation=row.reporter_relation,
            contact_phone=row.contact_phone,
        )


@public_type
@strawberry.type(description="One police station's citizen reports and sightings waiting for triage: counts only.")
class TriageBacklog:
    police_station: str | None = strawberry.field(description="The station's id (null: no station covers the place).")
    police_station_name: str | None = strawberry.field(description="The station's name.")
    state: str = strawberry.field(description="LGD state code.")
    district: str | None = strawberry.field(description="LGD district code.")
    reports: int = strawberry.field(description="Families' reports waiting.")
    sightings: int = strawberry.field(description="Sightings waiting.")
    oldest_received_at: datetime = strawberry.field(description="When the oldest waiting one was received.")
    oldest_waiting_hours: float = strawberry.field(description="How long the oldest has waited, in hours.")

    @classmethod
    def of(cls, w: Waiting, name: str | None, now: datetime) -> TriageBacklog:
        hours = round((now - w.oldest_at).total_seconds() / 3600, 2)
        return cls(
            police_station=w.police_station_id,
            police_station_name=name,
            state=w.state_code,
            district=w.district_code,
            reports=w.reports,
            sightings=w.sightings,
            oldest_received_at=w.oldest_at,
            oldest_waiting_hours=hours,
        )


@strawberry.input(description="Turn a family's report into a missing case: the FIR is required.")
class RegisterCaseInput:
    id: strawberry.ID = strawberry.field(description="The citizen report.")
    fir: FirInput = strawberry.field(description="The FIR registered for it.")
    police_station: str | None = strawberry.field(default=None, description="Default: the covering station.")
    note: str | None = strawberry.field(default=None, description="A note for the triage timeline.")


@strawberry.input(description="Link a sighting to a case you may see.")
class LinkSightingInput:
    id: strawberry.ID = strawberry.field(description="The sighting.")
    case_id: strawberry.ID = strawberry.field(description="The case it is a sighting of.")
    note: str | None = strawberry.field(default=None, description="A note for the triage timeline.")


@strawberry.input(description="Dismiss a report or sighting (a duplicate, a hoax): the reason is recorded.")
class DismissCitizenReportInput:
    id: strawberry.ID = strawberry.field(description="The report or sighting.")
    reason: str = strawberry.field(description="Why.")


async def _submit(info: Info, input: CitizenReportInput) -> CitizenReceipt:
    return CitizenReceipt.of(await service.submit(info.context, input.to_domain(), input.photo))


async def _sighting(info: Info, input: SightingInput) -> CitizenReceipt:
    return CitizenReceipt.of(await service.submit(info.context, input.to_domain(), input.photo))


async def _status(info: Info, reference: str, code: str) -> CitizenCaseStatus:
    answer = await service.case_status(info.context, reference, code)
    contact = StatusContact(name=answer.contact.name, phones=list(answer.contact.phones))
    return CitizenCaseStatus(status=answer.status, contact=contact)


async def _untriaged(info: Info, police_station: str | None = None, first: int = 50) -> list[CitizenReport]:
    return [CitizenReport.of(r) for r in await service.untriaged(info.context, police_station, first)]


async def _by_reference(info: Info, reference: str) -> CitizenReport | None:
    return CitizenReport.of(await service.by_reference(info.context, reference))


async def _register(info: Info, input: RegisterCaseInput) -> MissingCase:
    fir = FirData(input.fir.number, input.fir.date)
    _, case = await service.register_case(info.context, str(input.id), fir, input.police_station, input.note)
    return MissingCase.of(case)  # type: ignore[arg-type]


async def _link(info: Info, input: LinkSightingInput) -> CitizenReport:
    return CitizenReport.of(await service.link_sighting(info.context, str(input.id), str(input.case_id), input.note))


async def _dismiss(info: Info, input: DismissCitizenReportInput) -> CitizenReport:
    return CitizenReport.of(await service.dismiss(info.context, str(input.id), input.reason))


async def _candidates(info: Info, id: strawberry.ID, first: int = 10) -> list[MatchCandidate]:
    return [MatchCandidate.of(v, info) for v in await service.sighting_candidates(info.context, str(id), first)]


async def _backlog(info: Info) -> list[TriageBacklog]:
    now = datetime.now(UTC)
    return [TriageBacklog.of(w, name, now) for w, name in await service.waiting(info.context)]


WHY_CITIZENS = "CONTRACT.md: the public (no token) submits citizen reports; limited per IP and per phone"
SUBMIT_CITIZEN_REPORT = public_operation(
    "My child is missing: the covering police station receives it; answers a reference and a one-time status code.",
    resolver=_submit,
    why=WHY_CITIZENS,
)
REPORT_SIGHTING = public_operation(
    "I saw this child, or a child who needs help: answers a reference and a one-time status code.",
    resolver=_sighting,
    why=WHY_CITIZENS,
)
CASE_STATUS = public_operation(
    "A citizen report's coarse status and whom to contact, given its reference and status code.",
    resolver=_status,
    why="CONTRACT.md: status by reference is public; the one-time code is the credential",
    records={"reference": rule.citizen_report_by_code},
)
UNTRIAGED_CITIZEN_REPORTS = operation(
    any_of(Scope.CASES_READ),
    "Citizen reports and sightings waiting for triage in your jurisdiction, oldest first (cases:read).",
    resolver=_untriaged,
    records={"policeStation": PUBLIC_RECORD},
)
CITIZEN_REPORT = operation(
    any_of(Scope.CASES_READ),
    "A citizen report or sighting by its reference (CR-...), in your jurisdiction (cases:read); what an overdue "
    "report's alert links to. NOT_FOUND alike outside your jurisdiction and for no such report.",
    resolver=_by_reference,
    records={"reference": rule.citizen_report_referenced},
)
SIGHTING_CANDIDATES = operation(
    any_of(Scope.MATCHES_READ),
    "The missing children a sighting may be of, best first: the sighting as the matcher's evidence (matches:read).",
    resolver=_candidates,
    records={"id": rule.citizen_report_named},
)
CITIZEN_REPORT_BACKLOG = operation(
    any_of(Scope.REPORTS_READ),
    "Per police station of your jurisdiction: reports and sightings waiting for triage and the oldest's age "
    "(reports:read: Legal Services Authorities' Para Legal Volunteers, District Collectors). No identity.",
    resolver=_backlog,
)
REGISTER_CASE_FROM_CITIZEN_REPORT = operation(
    any_of(Scope.CASES_WRITE),
    "Turn a family's report into a missing case with its FIR (cases:write).",
    resolver=_register,
    records={"input.id": rule.citizen_report_named, "input.policeStation": rule.station_named},
)
LINK_SIGHTING = operation(
    any_of(Scope.CASES_WRITE),
    "Link a sighting to a case you may see (cases:write).",
    resolver=_link,
    records={"input.id": rule.citizen_report_named, "input.caseId": rule.case_named},
)
DISMISS_CITIZEN_REPORT = operation(
    any_of(Scope.CASES_WRITE),
    "Dismiss a citizen report or sighting with a reason (cases:write).",
    resolver=_dismiss,
    records={"input.id": rule.citizen_report_named},
)

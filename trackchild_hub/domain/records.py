"""The case as the hub receives it (mutation input or exchange record), before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .enums import CaseKind, CaseStatus, Gender, GuardianRelation
from .risk_assessment import RiskAssessment


@dataclass(slots=True)
class GuardianData:
    relation: GuardianRelation
    name: str | None
    phone: str | None = None


@dataclass(slots=True)
class ChildData:
    gender: Gender
    name: str | None = None
    aliases: list[str] = field(default_factory=list)
    age_years: int | None = None
    date_of_birth: date | None = None
    height_cm: int | None = None
    complexion: str | None = None
    identifying_marks: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    clothing: str | None = None
    guardians: list[GuardianData] = field(default_factory=list)
    confidential: bool = False


@dataclass(slots=True)
class PlaceData:
    state: str
    district: str | None = None
    police_station: str | None = None
    text: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(slots=True)
class FirData:
    number: str
    date: date


@dataclass(slots=True)
class MissingDetails:
    fir: FirData | None = None
    last_seen_time: str | None = None
    circumstances: str | None = None
    reporter_name: str | None = None
    reporter_relation: str | None = None
    reporter_phone: str | None = None
    risk: RiskAssessment | None = None  # the SOP 2016 risk assessment, if the officer recorded one


@dataclass(slots=True)
class FoundDetails:
    found_by: str | None = None
    found_by_contact: str | None = None
    current_placement: str | None = None
    institution: str | None = None  # registration number
    missing_since: date | None = None  # when the child says they left home, if known


@dataclass(slots=True)
class CareDetails:
    institution: str  # registration number
    admission_order_number: str | None = None
    admission_order_date: date | None = None
    admission_date: date | None = None
    exit_date: date | None = None


@dataclass(slots=True)
class CaseData:
    kind: CaseKind
    child: ChildData
    place: PlaceData
    event_date: date
    reported_at: datetime
    status: CaseStatus = CaseStatus.OPEN
    source: str = "hub"
    external_id: str | None = None
    reference: str | None = None
    missing: MissingDetails | None = None
    found: FoundDetails | None = None
    care: CareDetails | None = None
    extra: dict[str, object] = field(default_factory=dict)
    # An existing child this case is about (a found child admitted to a CCI); ``child`` is then ignored.
    child_id: str | None = None


@dataclass(slots=True)
class ChildPatch:
    """Child fields an update may change; ``None`` leaves a field as it is."""

    name: str | None = None
    aliases: list[str] | None = None
    gender: Gender | None = None
    age_years: int | None = None
    date_of_birth: date | None = None
    height_cm: int | None = None
    complexion: str | None = None
    identifying_marks: list[str] | None = None
    languages: list[str] | None = None
    clothing: str | None = None


@dataclass(slots=True)
class CasePatch:
    version: int
    child: ChildPatch = field(default_factory=ChildPatch)
    place_text: str | None = None
    circumstances: str | None = None
    current_placement: str | None = None
    publication_consent: bool | None = None
    note: str | None = None

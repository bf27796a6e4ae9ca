"""Inputs of the directory mutations."""

from __future__ import annotations

from datetime import date

import strawberry

from ..directories.entries import EntryData, FunctionaryData
from .enums import DirectoryKind


@strawberry.input(description="A person at the body. Phones and e-mail are shown to authenticated agencies only.")
class FunctionaryInput:
    designation: str = strawberry.field(description="The post: 'SHO', 'Child Welfare Police Officer', 'Chairperson'.")
    name: str = strawberry.field(description="Name of the person holding it.")
    phones: list[str] = strawberry.field(default_factory=list, description="Phone numbers (stored as E.164).")
    email: str | None = strawberry.field(default=None, description="E-mail.")

    def to_domain(self) -> FunctionaryData:
        return FunctionaryData(self.designation, self.name, tuple(self.phones), self.email)


@strawberry.input(
    description="A directory entry, whole: an existing id replaces what is stored (and brings a retired entry back)."
)
class UpsertDirectoryEntryInput:
    kind: DirectoryKind = strawberry.field(description="What kind of body this is (cannot change later).")
    name: str = strawberry.field(description="Name.")
    id: strawberry.ID | None = strawberry.field(
        default=None, description="The entry's id; absent: derived from kind, place and code (or name)."
    )
    code: str | None = strawberry.field(default=None, description="CCTNS code (police stations) or another code.")
    state: str | None = strawberry.field(default=None, description="LGD state code (null: national helpline, NALSA).")
    district: str | None = strawberry.field(default=None, description="LGD district code, in `state`.")
    address: str | None = strawberry.field(default=None, description="Postal address.")
    pin_code: str | None = strawberry.field(default=None, description="PIN code: six digits.")
    latitude: float | None = strawberry.field(default=None, description="WGS 84 latitude, inside India.")
    longitude: float | None = strawberry.field(default=None, description="WGS 84 longitude, inside India.")
    phones: list[str] = strawberry.field(default_factory=list, description="Phones; short codes such as 1098 too.")
    email: str | None = strawberry.field(default=None, description="E-mail.")
    hours: str | None = strawberry.field(default=None, description="Opening hours ('24x7').")
    languages: list[str] = strawberry.field(default_factory=list, description="ISO 639 codes of languages spoken.")
    institution: str | None = strawberry.field(
        default=None, description="Registration number of the institution (Child Care Institution listings)."
    )
    last_verified_on: date | None = strawberry.field(default=None, description="When checked; absent: today.")
    covers_districts: list[str] = strawberry.field(default_factory=list, description="LGD codes of districts covered.")
    covers_pin_codes: list[str] = strawberry.field(default_factory=list, description="PIN codes covered.")
    special_juvenile_police_unit: strawberry.ID | None = strawberry.field(
        default=None, description="Police stations: id of the covering SJPU."
    )
    anti_human_trafficking_unit: strawberry.ID | None = strawberry.field(
        default=None, description="Police stations: id of the covering AHTU."
    )
    functionaries: list[FunctionaryInput] = strawberry.field(
        default_factory=list, description="Its functionaries, in order (replaces the stored list)."
    )

    def to_domain(self) -> EntryData:
        return EntryData(
            kind=self.kind,
            name=self.name,
            id=str(self.id) if self.id else None,
            code=self.code,
            state=self.state,
            district=self.district,
            address=self.address,
            pin_code=self.pin_code,
            latitude=self.latitude,
            longitude=self.longitude,
            phones=tuple(self.phones),
            email=self.email,
            hours=self.hours,
            languages=tuple(self.languages),
            institution=self.institution,
            last_verified_on=self.last_verified_on,
            covers_districts=tuple(self.covers_districts),
            covers_pin_codes=tuple(self.covers_pin_codes),
            sjpu=str(self.special_juvenile_police_unit) if self.special_juvenile_police_unit else None,
            ahtu=str(self.anti_human_trafficking_unit) if self.anti_human_trafficking_unit else None,
            functionaries=tuple(f.to_domain() for f in self.functionaries),
        )

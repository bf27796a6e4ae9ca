"""The child: description (public within cases) and identity (``child:identity``, JJ Act s.74)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from ..domain import enums
from ..domain.age import current_age
from ..resolvers.context import Info
from ..services.photos import photo_url_of_child
from ..services.record_rule import child_named, visible_cases_of_child
from ..store.case_records import ChildRecord, GuardianShown
from ..store.models import ChildRow
from .access import IDENTITY, SENSITIVE, protected, public
from .direct_resolvers import direct
from .enums import Gender, GuardianRelation

if TYPE_CHECKING:
    from .cases import Case


@strawberry.type(description="A parent or guardian of a child. Identity data: visible with child:identity only.")
class Guardian:
    relation: GuardianRelation = public("How the guardian is related to the child.")
    name: str | None = protected(IDENTITY, "Guardian's name.")
    phone: str | None = protected(IDENTITY, "Guardian's phone, E.164.")
    _child_id: strawberry.Private[str]

    def audit_entity(self) -> tuple[str, str]:
        return "Child", self._child_id

    @classmethod
    def of(cls, row: GuardianShown) -> Guardian:
        return cls(
            relation=enums.GuardianRelation(row.relation), name=row.name, phone=row.phone, _child_id=row.child_id
        )


async def _aliases(root: Child, info: Info) -> list[str] | None:
    return await info.context.loaders.aliases_by_child_id.one(root.id) or []


async def _guardians(root: Child, info: Info) -> list[Guardian] | None:
    rows = await info.context.loaders.guardians_by_child_id.one(root.id) or []
    return [Guardian.of(g) for g in rows]


@direct
def _current_age(root: Child, info: Info) -> int | None:
    return current_age(root._row.date_of_birth, root._row.age_years, root._row.age_reported_on, info.context.today)


async def _photo_url(root: Child, info: Info) -> str | None:
    return await photo_url_of_child(info.context, root.id)


async def _cases(root: Child, info: Info) -> list[Annotated[Case, strawberry.lazy(".cases")]]:
    from .case_kinds import case_of

    return [case_of(r) for r in await visible_cases_of_child(info.context, root._row)]


@strawberry.federation.type(keys=["id"], description="A child, missing, found or in care.")
class Child:
    id: strawberry.ID = public("The hub's id of the child.")
    gender: Gender = public("Gender as recorded.")
    age_years: int | None = public("Age as reported when the case was opened (an estimate for found children).")
    current_age: int | None = public(
        "Age today: from the date of birth, else the reported age plus time elapsed.", resolver=_current_age
    )
    height_cm: int | None = public("Height in cm when reported.")
    complexion: str | None = public("Complexion as described.")
    identifying_marks: list[str] = public("Identifying marks (scars, moles, birthmarks).")
    languages: list[str] = public("Languages spoken, ISO 639 codes.")
    clothing: str | None = public("Clothing when last seen or found.")
    name: str | None = protected(IDENTITY, "Name as reported.")
    date_of_birth: date | None = protected(IDENTITY, "Date of birth, when known.")
    aliases: list[str] | None = protected(IDENTITY, "Other names and nicknames.", resolver=_aliases)
    guardians: list[Guardian] | None = protected(IDENTITY, "Parents and guardians.", resolver=_guardians)
    photo_url: str | None = protected(
        IDENTITY,
        "A link to the newest photo attached to a case of the child you may see (attachCasePhoto), re-encoded "
        "without metadata; it expires after TRACKCHILD_PHOTO_URL_TTL_S seconds (default 300). Null without a photo.",
        resolver=_photo_url,
    )
    confidential: bool | None = protected(
        SENSITIVE, "In conflict with law or a victim under POCSO: identity never disclosed."
    )
    cases: list[Annotated[Case, strawberry.lazy(".cases")]] = public(
        "Every case about this child, oldest first.", resolver=_cases
    )
    _row: strawberry.Private[ChildRow | ChildRecord]

    @classmethod
    def of(cls, row: ChildRow | ChildRecord) -> Child:
        return cls(
            id=strawberry.ID(row.id),
            gender=enums.Gender(row.gender),
            age_years=row.age_years,
            height_cm=row.height_cm,
            complexion=row.complexion,
            identifying_marks=list(row.identifying_marks),
            languages=list(row.languages),
            clothing=row.clothing,
            name=row.name,
            date_of_birth=row.date_of_birth,
            confidential=row.confidential,
            _row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Child:
        """``_entities`` and ``child(id:)`` alike: outside the record rule is NOT_FOUND, as a missing id."""
        return cls.of(await child_named(info.context, str(id)))

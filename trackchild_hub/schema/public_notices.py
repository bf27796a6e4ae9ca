"""``publicNotices``: the public's list of published notices of missing and found children (no token).

``PublicNotice`` is its own type, not a ``Case``: it carries only what a notice shows, so no identity field (surname,
aliases, guardians, phones, FIR, circumstances, case reference) is reachable from it, whatever the query asks.
"""

from __future__ import annotations

from datetime import date

import strawberry

from ..resolvers.context import Info
from ..services import photos
from ..services import public_notices as service
from ..store.public_notices import Notice, NoticeFilter
from .access import public_operation, public_type
from .directory import DirectoryEntry, directory_entry_of
from .enums import CaseKind, Gender
from .geography import District, State
from .pagination import Connection

WHY_PUBLIC = (
    "notices are published for the public (CONTRACT.md: the public role sees public notices); only consented, "
    "open, non-confidential MISSING and FOUND cases are listed, showing only a notice's fields"
)


@public_type
@strawberry.type(description="A published notice of a missing or found child: what a poster shows, nothing more.")
class PublicNotice:
    id: strawberry.ID = strawberry.field(description="The notice's id (the case's id).")
    kind: CaseKind = strawberry.field(description="MISSING (please look out) or FOUND (is this your child?).")
    first_name: str | None = strawberry.field(description="The child's first name as recorded (no surname).")
    age_years: int | None = strawberry.field(description="Age in years when last seen (MISSING) or found (FOUND).")
    gender: Gender = strawberry.field(description="Gender as recorded.")
    photo_url: str | None = strawberry.field(
        description="A short-lived link to the child's photo, only where the officer who attached it consented to "
        "publishing it (attachCasePhoto consentToPublish); re-encoded without metadata. Null otherwise."
    )
    state: State = strawberry.field(description="State or UT where last seen or found.")
    district: District | None = strawberry.field(description="District where last seen or found.")
    event_date: date = strawberry.field(description="Date last seen (MISSING) or found (FOUND).")
    contact: DirectoryEntry | None = strawberry.field(
        description="Whom to call: for a missing child the police station (the case's, else the one covering the "
        "district); for a found child the district's Child Welfare Committee (else the police station)."
    )

    @classmethod
    def of(cls, notice: Notice, info: Info, photo_url: str | None = None) -> PublicNotice:
        geography = info.context.geography
        state = geography.state(notice.state)
        district = geography.district(notice.district) if notice.district else None
        assert state is not None  # validated on write
        return cls(
            id=strawberry.ID(notice.case_id),
            kind=CaseKind(notice.kind),
            first_name=notice.first_name,
            age_years=notice.age_years,
            gender=Gender(notice.gender),
            photo_url=photo_url,
            state=State.of(state),
            district=District.of(district) if district else None,
            event_date=notice.event_date,
            contact=directory_entry_of(notice.contact) if notice.contact is not None else None,
        )


@strawberry.input(description="Narrow the public notices; all given conditions must hold.")
class PublicNoticeFilterInput:
    text: str | None = strawberry.field(
        default=None,
        description="Words of the first name, in any script and spelling (पूजा, Pooja, Puja), typos tolerated; "
        "best match first.",
    )
    state: str | None = strawberry.field(default=None, description="LGD state code.")
    district: str | None = strawberry.field(default=None, description="LGD district code.")
    kinds: list[CaseKind] | None = strawberry.field(
        default=None, description="MISSING and/or FOUND (CARE cases are never published)."
    )

    def to_domain(self) -> NoticeFilter:
        return NoticeFilter(kinds=tuple(self.kinds or ()), state=self.state, district=self.district, text=self.text)


async def _public_notices(
    info: Info, filter: PublicNoticeFilterInput | None = None, first: int = 20, after: str | None = None
) -> Connection[PublicNotice]:
    where = (filter or PublicNoticeFilterInput()).to_domain()
    page = await service.public_notices(info.context, where, first, after)
    photo_urls = await photos.published_photo_urls(info.context, [n.case_id for n in page.rows])
    return Connection.of(page, lambda n: PublicNotice.of(n, info, photo_urls.get(n.case_id)))


PUBLIC_NOTICES = public_operation(
    "Published notices of missing and found children: newest first, or with `filter.text` best match first.",
    resolver=_public_notices,
    why=WHY_PUBLIC,
)

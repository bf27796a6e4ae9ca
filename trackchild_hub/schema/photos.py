"""``attachCasePhoto``: an officer attaches a child's photo to a case (GraphQL multipart request spec upload).

The photo is sent as a file part of a multipart request (``http/multipart.py``); what is kept is a re-encoded JPEG
without any metadata (``services.photos``). Officers see it through ``Child.photoUrl`` (``child:identity``); the
public sees it on the case's notice (``PublicNotice.photoUrl``) only when ``consentToPublish`` was given with it.
"""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from ..auth.scopes import Scope
from ..resolvers.context import Info
from ..services import photos
from ..services import record_rule as rule
from .access import any_of, operation
from .case_kinds import case_of
from .cases import Case


async def _attach_case_photo(
    info: Info,
    case_id: strawberry.ID,
    photo: Upload,
    consent_to_publish: bool | None = False,
) -> Case:
    await photos.attach(info.context, str(case_id), photo, publish=bool(consent_to_publish))
    return case_of(await rule.case_named(info.context, str(case_id)))


async def _withdraw_case_photo_publication(info: Info, case_id: strawberry.ID) -> Case:
    await photos.withdraw_publication(info.context, str(case_id))
    return case_of(await rule.case_named(info.context, str(case_id)))


ATTACH_CASE_PHOTO = operation(
    any_of(Scope.CASES_WRITE),
    "Attach a photo of the child to a case you may change (cases:write): a JPEG, PNG or WebP file part of a "
    "multipart request, under TRACKCHILD_PHOTO_MAX_BYTES (default 5,000,000 bytes); re-encoded as JPEG with all "
    "metadata (EXIF, GPS, XMP) removed. `consentToPublish`: the photo may be shown on the case's public notice. "
    "Recorded on the case timeline (PHOTO_ATTACHED, who and when).",
    resolver=_attach_case_photo,
    records={"caseId": rule.case_named},
)
WITHDRAW_CASE_PHOTO_PUBLICATION = operation(
    any_of(Scope.CASES_WRITE),
    "Stop showing any photo of this case on its public notice (cases:write): consent given with attachCasePhoto is "
    "withdrawn for every photo of the case (PHOTO_WITHDRAWN on the timeline, who and when); the photos stay for "
    "officers. Links already handed out expire on their own (TRACKCHILD_PHOTO_URL_TTL_S).",
    resolver=_withdraw_case_photo_publication,
    records={"caseId": rule.case_named},
)

"""The public's search of published notices (no token): ``publicNotices(filter, first, after)``.

Listed: open MISSING and FOUND cases whose publication an officer consented to (``updateCase``'s
``publicationConsent``, recorded on the timeline as NOTICE_CONSENTED / NOTICE_WITHDRAWN with who and when); never a
confidential child; never a CARE case (the hub records no CWC/JJB order allowing one to be published, so asking for
CARE is BAD_USER_INPUT). Each notice shows only a first name, age, gender, place and date, and whom to call
(``store.public_notices``). ``filter.text`` is typo- and script-tolerant (``matching.notice_index``).
"""

from __future__ import annotations

import logging

from ..domain.enums import CaseKind
from ..domain.errors import BadUserInput
from ..domain.filters import check_first
from ..store.pagination import Page
from ..store.public_notices import Notice, NoticeFilter, NoticeRepository
from .unit import Services, Unit, system_principal

log = logging.getLogger(__name__)
MAX_TEXT = 200  # a name and a few more words


async def public_notices(unit: Unit, where: NoticeFilter, first: int, after: str | None) -> Page[Notice]:
    check_first(first)
    _check(unit, where)
    if where.text and where.text.strip():
        await unit.services.notice_search.build_once(unit.read)
        return await unit.read(lambda s: unit.services.notice_search.page(s, where, first, after))
    return await unit.read(lambda s: NoticeRepository(s).page(where, first, after))


async def warm_notice_search(services: Services) -> None:
    """Build the text index when the hub starts, so the first family to search does not wait for it (at 100,000
    notices on a loaded machine the build took 7 s). A failure here only leaves the build to the first search."""
    try:
        async with Unit.opened(services, system_principal("notice-search")) as unit:
            await services.notice_search.build_once(unit.read)
    except Exception as exc:  # the store may not be up yet; searches build it when it is
        # the type only: a database error's text carries the statement's parameters
        log.warning("public notice index not built at start (%s); the first text search builds it", type(exc).__name__)


def _check(unit: Unit, where: NoticeFilter) -> None:
    if CaseKind.CARE in where.kinds:
        raise BadUserInput("filter.kinds", "CARE cases are never published (no CWC/JJB order allowing it is recorded)")
    state = unit.geography.state(where.state) if where.state is not None else None
    if where.state is not None and state is None:
        raise BadUserInput("filter.state", f"{where.state!r} is not an LGD state code")
    if where.district is not None:
        district = unit.geography.district(where.district)
        if district is None:
            raise BadUserInput("filter.district", f"{where.district!r} is not an LGD district code")
        if state is not None and district.state_code != state.code:
            raise BadUserInput("filter.district", f"{where.district!r} is not a district of {state.name}")
    if where.text is not None and len(where.text) > MAX_TEXT:
        raise BadUserInput("filter.text", f"is longer than {MAX_TEXT} characters")

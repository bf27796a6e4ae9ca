"""The directory as the alert rules see it (``domain.alerts.Body``): the active bodies of some kinds in some
districts, bodies by id, registered institutions by id, each with its functionaries' posts and contacts; and the
bodies where a district's Collector or Superintendent of Police may be listed (the digest's)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.alerts import Body, Person
from .models import DirectoryEntryRow, FunctionaryRow, InstitutionRow

E = DirectoryEntryRow


async def bodies(
    session: AsyncSession,
    *,
    kinds: Collection[str] = (),
    districts: Collection[str] = (),
    ids: Collection[str] = (),
    institution_ids: Collection[str] = (),
) -> list[Body]:
    """Active entries of ``kinds`` in ``districts``, the entries ``ids`` and the institutions ``institution_ids``
    (as bodies ``institution:<id>``, in the language of a directory entry that names the institution, if any)."""
    entries: list[DirectoryEntryRow] = []
    if kinds and districts:
        entries += await session.scalars(
            select(E).where(E.retired_at.is_(None), E.kind.in_(list(kinds)), E.district_code.in_(list(districts)))
        )
    wanted = [i for i in ids if i not in {e.id for e in entries}]
    if wanted:
        entries += await session.scalars(select(E).where(E.retired_at.is_(None), E.id.in_(wanted)))
    found = _as_bodies(entries, await _people(session, [e.id for e in entries]))
    return found + await _institutions(session, list(institution_ids))


async def district_officials(
    session: AsyncSession, post_words: Sequence[str], short_posts: Sequence[str], kinds: Collection[str]
) -> list[Body]:
    """Active entries of a district, of ``kinds`` or with a functionary whose designation holds one of
    ``post_words`` or is one of ``short_posts`` (a narrowing in SQL; the rules then match the posts exactly), each
    with all its functionaries."""
    designation = func.lower(func.trim(FunctionaryRow.designation))
    like = [designation.like(f"%{w}%") for w in post_words]
    posted = select(FunctionaryRow.entry_id).where(or_(*like, designation.in_(list(short_posts))))
    query = select(E).where(E.retired_at.is_(None), E.district_code.is_not(None))
    entries = list(await session.scalars(query.where(or_(E.kind.in_(list(kinds)), E.id.in_(posted)))))
    return _as_bodies(entries, await _people(session, [e.id for e in entries]))


def _as_bodies(entries: Sequence[DirectoryEntryRow], people: dict[str, tuple[Person, ...]]) -> list[Body]:
    return [
        Body(
            id=e.id,
            kind=e.kind,
            state_code=e.state_code,
            district_code=e.district_code,
            phones=tuple(e.phones or ()),
            email=e.email,
            languages=tuple(e.languages or ()),
            people=people.get(e.id, ()),
        )
        for e in entries
    ]


async def _people(session: AsyncSession, entry_ids: Sequence[str]) -> dict[str, tuple[Person, ...]]:
    if not entry_ids:
        return {}
    rows = await session.scalars(
        select(FunctionaryRow).where(FunctionaryRow.entry_id.in_(entry_ids)).order_by(FunctionaryRow.id)
    )
    people: dict[str, list[Person]] = defaultdict(list)
    for row in rows:
        people[row.entry_id].append(
            Person(id=row.id, phones=tuple(row.phones or ()), email=row.email, designation=row.designation)
        )
    return {entry: tuple(found) for entry, found in people.items()}


async def _institutions(session: AsyncSession, ids: Sequence[str]) -> list[Body]:
    if not ids:
        return []
    rows = list(await session.scalars(select(InstitutionRow).where(InstitutionRow.id.in_(ids))))
    entries = await session.scalars(select(E).where(E.institution_id.in_(ids), E.retired_at.is_(None)))
    languages = {e.institution_id: tuple(e.languages or ()) for e in entries}
    return [
        Body(
            id=f"institution:{row.id}",
            kind="INSTITUTION",
            state_code=row.state_code,
            district_code=row.district_code,
            phones=(row.phone,) if row.phone else (),
            email=row.email,
            languages=languages.get(row.id, ()),
        )
        for row in rows
    ]

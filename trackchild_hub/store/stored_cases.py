"""What the hub holds of synced cases, read set-based for a batch: the upstream-owned columns of each case (its
kind's details included), its child, the child's guardians and aliases.

Three statements per batch of keys (cases with their details and children, then guardians, then aliases), whatever
the batch size, instead of an ORM load plus three queries per record. Values come through SQLAlchemy's own type
processing, so they compare with what ``case_rows`` builds exactly as the ORM objects' attributes did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from .bulk_target import Key
from .models import CareCaseRow, CaseRow, ChildAliasRow, ChildRow, FoundCaseRow, GuardianRow, MissingCaseRow

_CHUNK = 500  # external ids per lookup: well under SQLite's bound-parameter limit

CASES = cast("Table", CaseRow.__table__)
CHILDREN = cast("Table", ChildRow.__table__)
GUARDIANS = cast("Table", GuardianRow.__table__)
ALIASES = cast("Table", ChildAliasRow.__table__)
DETAILS: dict[str, Table] = {  # by kind
    "MISSING": cast("Table", MissingCaseRow.__table__),
    "FOUND": cast("Table", FoundCaseRow.__table__),
    "CARE": cast("Table", CareCaseRow.__table__),
}

GUARDIAN_COLUMNS = ("relation", "name", "phone")


def detail_columns(kind: str) -> tuple[str, ...]:
    return tuple(c.name for c in DETAILS[kind].columns if c.name != "case_id")


@dataclass(slots=True)
class StoredChild:
    values: dict[str, Any]  # every column of the children row
    guardians: list[tuple[Any, ...]]  # (relation, name, phone) by position
    aliases: list[tuple[Any, ...]]  # (alias,) by position


@dataclass(frozen=True, slots=True)
class StoredCase:
    values: dict[str, Any]  # the cases row and its kind's detail row, by column name
    child: StoredChild  # shared by the cases of one child within a batch, as the ORM's identity map was


async def stored_cases(session: AsyncSession, keys: Sequence[Key]) -> dict[Key, StoredCase]:
    if not keys:
        return {}
    labels = [CASES.c[c].label(c) for c in (c.name for c in CASES.columns)]
    for kind, table in DETAILS.items():
        labels += [table.c[c].label(f"{kind}.{c}") for c in detail_columns(kind)]
    labels += [CHILDREN.c[c.name].label(f"child.{c.name}") for c in CHILDREN.columns]
    joined = CASES.join(CHILDREN, CHILDREN.c.id == CASES.c.child_id)
    for table in DETAILS.values():
        joined = joined.outerjoin(table, table.c.case_id == CASES.c.id)
    by_source: dict[str, list[str]] = {}
    for source, external_id in keys:
        by_source.setdefault(source, []).append(external_id)
    found: dict[Key, StoredCase] = {}
    children: dict[str, StoredChild] = {}
    for source, ids in by_source.items():
        for start in range(0, len(ids), _CHUNK):
            query = (
                select(*labels)
                .select_from(joined)
                .where(CASES.c.source == source, CASES.c.external_id.in_(ids[start : start + _CHUNK]))
            )
            for row in (await session.execute(query)).mappings():
                kind = row["kind"]
                values = {c.name: row[c.name] for c in CASES.columns}
                values.update((c, row[f"{kind}.{c}"]) for c in detail_columns(kind))
                child = children.get(row["child_id"])
                if child is None:
                    child_values = {c.name: row[f"child.{c.name}"] for c in CHILDREN.columns}
                    child = children[row["child_id"]] = StoredChild(child_values, [], [])
                found[(source, row["external_id"])] = StoredCase(values, child)
    await _lists(session, children)
    return found


async def _lists(session: AsyncSession, children: dict[str, StoredChild]) -> None:
    ids = list(children)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        guardians = await session.execute(
            select(GUARDIANS.c.child_id, *(GUARDIANS.c[c] for c in GUARDIAN_COLUMNS))
            .where(GUARDIANS.c.child_id.in_(chunk))
            .order_by(GUARDIANS.c.child_id, GUARDIANS.c.position)
        )
        for child_id, *values in guardians:
            children[child_id].guardians.append(tuple(values))
        aliases = await session.execute(
            select(ALIASES.c.child_id, ALIASES.c.alias)
            .where(ALIASES.c.child_id.in_(chunk))
            .order_by(ALIASES.c.child_id, ALIASES.c.position)
        )
        for child_id, alias in aliases:
            children[child_id].aliases.append((alias,))

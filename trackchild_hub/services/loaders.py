"""Per-request DataLoaders, one per (result, key), named ``<Result>By<Key>Loader``: no N+1 anywhere."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader
from sqlalchemy.ext.asyncio import AsyncSession

from ..store.case_records import CaseShown, ChildShown, GuardianShown
from ..store.cases import CaseRepository, Related
from ..store.children import ChildRepository
from ..store.directory import DirectoryRepository
from ..store.events import CaseEventRepository
from ..store.institutions import InstitutionRepository
from ..store.models import (
    CaseEventRow,
    DirectoryCoverageRow,
    DirectoryEntryRow,
    FunctionaryRow,
    InstitutionRow,
    PhotoRow,
)
from ..store.photos import PhotoRepository
from ..store.workflow_records import CaseWorkflow, workflow_by_case_ids

V = TypeVar("V")
Reader = Callable[[Callable[[AsyncSession], Awaitable[Any]]], Awaitable[Any]]


class _MappedLoader(DataLoader, Generic[V]):  # type: ignore[type-arg]
    """Loads a batch of keys with one query returning {key: value}; missing keys get ``default``.

    What it already holds (loaded or primed) it also hands out synchronously (``known``): a field whose row came with
    its page resolves without an awaitable, so graphql-core makes no task for it.
    """

    def __init__(
        self,
        read: Reader,
        fetch: Callable[[AsyncSession, Sequence[str]], Awaitable[Mapping[str, V]]],
        default: Callable[[], V | None],
    ) -> None:
        super().__init__()
        self._read, self._fetch, self._default = read, fetch, default
        self._known: dict[str, V] = {}

    async def batch_load_fn(self, keys: Sequence[str]) -> list[V | None]:
        found = await self._read(lambda session: self._fetch(session, keys))
        self._known.update(found)
        return [found.get(k, self._default()) for k in keys]

    def prime(self, key: str, value: V) -> _MappedLoader[V]:
        super().prime(key, value)
        self._known.setdefault(key, value)
        return self

    def known(self, key: str) -> V | None:
        """The value for ``key`` if this loader has it already (None: load it)."""
        return self._known.get(key)

    async def one(self, key: str) -> V | None:
        result: V | None = await self.load(key)
        return result


class Loaders:
    def __init__(self, read: Reader) -> None:
        none: Callable[[], None] = lambda: None  # noqa: E731
        # The to-one records case pages were read with (``store.cases.Related``): shown as they are, never written.
        self.shown = Related()
        self.case_by_id = _MappedLoader[CaseShown](read, lambda s, k: CaseRepository(s).by_ids(k), none)
        self.cases_by_child_id = _MappedLoader[Sequence[CaseShown]](
            read, lambda s, k: CaseRepository(s).by_child_ids(k), list
        )
        self.child_by_id = _MappedLoader[ChildShown](read, lambda s, k: ChildRepository(s).by_ids(k), none)
        self.guardians_by_child_id = _MappedLoader[Sequence[GuardianShown]](
            read, lambda s, k: ChildRepository(s).guardians_by_child_ids(k), list
        )
        self.aliases_by_child_id = _MappedLoader[list[str]](
            read, lambda s, k: ChildRepository(s).aliases_by_child_ids(k), list
        )
        self.events_by_case_id = _MappedLoader[list[CaseEventRow]](
            read, lambda s, k: CaseEventRepository(s).by_case_ids(k), list
        )
        self.institution_by_id = _MappedLoader[InstitutionRow](
            read, lambda s, k: InstitutionRepository(s).by_ids(k), none
        )
        self.occupancy_by_institution_id = _MappedLoader[int](
            read, lambda s, k: InstitutionRepository(s).occupancy(k), lambda: 0
        )
        self.directory_entry_by_id = _MappedLoader[DirectoryEntryRow](
            read, lambda s, k: DirectoryRepository(s).by_ids(k), none
        )
        self.functionaries_by_entry_id = _MappedLoader[list[FunctionaryRow]](
            read, lambda s, k: DirectoryRepository(s).functionaries(k), list
        )
        self.coverage_by_entry_id = _MappedLoader[list[DirectoryCoverageRow]](
            read, lambda s, k: DirectoryRepository(s).coverage(k), list
        )
        self.photo_by_case_id = _MappedLoader[PhotoRow](  # each case's newest photo
            read, lambda s, k: PhotoRepository(s).newest_by_case_ids(k), none
        )
        self.photo_by_report_id = _MappedLoader[PhotoRow](  # the photo sent with a citizen's report
            read, lambda s, k: PhotoRepository(s).newest_by_report_ids(k), none
        )
        self.workflow_by_case_id = _MappedLoader[CaseWorkflow](  # risk, AHTU escalation and reports, checklist
            read, workflow_by_case_ids, none
        )

"""The app's startup moves the heap it built out of the cyclic collector's reach (app.freeze_startup_heap: full
collections that walked ~150,000 long-lived objects stopped every request for up to 128 ms), once per process."""

from __future__ import annotations

import gc

from trackchild_hub.app import create_app
from trackchild_hub.resolvers.context import Services


async def test_startup_freezes_the_heap_once_per_process(store: Services) -> None:
    first = create_app(store.settings)
    async with first.router.lifespan_context(first):
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # modules, the schema, the app: what a serving process keeps for its lifetime
        second = create_app(store.settings)
        async with second.router.lifespan_context(second):
            assert gc.get_freeze_count() <= frozen  # a later app pins nothing more (tests build many)

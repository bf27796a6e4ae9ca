"""The federation SDL (``_service { sdl }``), as a gateway sees it."""

from __future__ import annotations

import strawberry


def federation_sdl(schema: strawberry.federation.Schema) -> str:
    result = schema.execute_sync("{ _service { sdl } }")
    if result.errors or result.data is None:
        raise RuntimeError(f"could not read the SDL: {result.errors}")
    sdl: str = result.data["_service"]["sdl"]
    return sdl.rstrip("\n") + "\n"

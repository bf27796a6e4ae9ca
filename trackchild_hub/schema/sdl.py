"""The federation SDL, exactly what ``_service { sdl }`` serves to a gateway."""

from __future__ import annotations

import strawberry
from strawberry.printer import print_schema


def federation_sdl(schema: strawberry.federation.Schema) -> str:
    return print_schema(schema).rstrip("\n") + "\n"

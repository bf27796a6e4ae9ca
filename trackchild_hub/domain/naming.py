"""Field names: the exchange record's snake_case as GraphQL spells them (camelCase)."""

from __future__ import annotations


def camel_case(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)

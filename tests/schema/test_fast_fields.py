"""FastFields gives exactly graphql-core's answers and errors, on a schema made to hit every short way and fallback.

Each query runs on two schemas built from the same types: one with ``FastFields`` and its plans (as the hub's), one
with strawberry's own execution context. Data, error messages and error paths must be equal, and the short ways must
really be taken (counted), so a plan that silently stopped applying fails here too.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from trackchild_hub.schema import direct_resolvers, fast_fields, fast_plans
from trackchild_hub.schema.access import public
from trackchild_hub.schema.build import build_schema
from trackchild_hub.schema.direct_resolvers import direct


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.interface
class Animal:
    name: str = public("Name.")


@strawberry.type
class Cat(Animal):
    lives: int = public("Lives.")


@strawberry.type
class Dog(Animal):
    good: bool = public("Good?")


@strawberry.type
class Owner:
    name: str = public("Name.")
    nickname: str | None = public("Nickname (may be null).")
    must: str = public("Non-null that may wrongly be null.")


@direct
def _owner(root: Pet, info: strawberry.Info) -> Owner | None:
    info.context["direct_calls"] += 1
    return root._owner


@direct
def _failing(root: Pet, info: strawberry.Info) -> Owner:
    raise ValueError("the owner could not be read")


@direct
def _later(root: Pet, info: strawberry.Info) -> Awaitable[Owner | None]:
    async def later() -> Owner | None:
        await asyncio.sleep(0)
        return root._owner

    return later()


@direct
def _age(root: Pet) -> int | None:
    return root._age


@strawberry.type
class Pet:
    _owner: strawberry.Private[Owner | None]
    _age: strawberry.Private[int | None]
    colour: Colour = public("Colour.")
    weight: float = public("Weight.")
    animal: Animal = public("The animal (an interface).")
    owner: Owner | None = public("Owner, direct.", resolver=_owner)
    strict_owner: Owner = public("Owner, direct, non-null.", resolver=_owner)
    failing: Owner | None = public("A direct field that raises.", resolver=_failing)
    later: Owner | None = public("A direct field that answers later.", resolver=_later)
    age: int | None = public("Age, direct leaf.", resolver=_age)
    tags: list[Owner | None] = public("A list with null items.")
    strict_tags: list[Owner] = public("A list of non-null items.")


def pets() -> list[Pet]:
    ann = Owner(name="Ann", nickname=None, must="x")
    bad = Owner(name="Bad", nickname="b", must=None)  # type: ignore[arg-type]
    return [
        Pet(
            _owner=ann,
            _age=3,
            colour=Colour.RED,
            weight=1.5,
            animal=Cat(name="Tom", lives=9),
            tags=[ann, None],
            strict_tags=[ann],
        ),
        Pet(
            _owner=None,
            _age=None,
            colour=Colour.BLUE,
            weight=2.0,
            animal=Dog(name="Rex", good=True),
            tags=[],
            strict_tags=[ann, bad],
        ),
        Pet(
            _owner=bad,
            _age=1,
            colour=Colour.RED,
            weight=0.5,
            animal=Cat(name="Kit", lives=1),
            tags=[bad, ann],
            strict_tags=[],
        ),
    ]


@strawberry.type
class Query:
    @strawberry.field
    def pets(self) -> list[Pet]:
        return pets()

    @strawberry.field
    async def pet(self, index: int) -> Pet | None:
        return pets()[index]


def schemas() -> tuple[strawberry.Schema, strawberry.Schema, int]:
    fast = strawberry.Schema(query=Query, types=[Cat, Dog], execution_context_class=fast_fields.FastFields)
    direct_resolvers.install(fast._schema)
    planned = fast_plans.install(fast._schema)
    slow = strawberry.Schema(
        query=Query, types=[Cat, Dog], execution_context_class=StrawberryGraphQLCoreExecutionContext
    )
    direct_resolvers.install(slow._schema)
    return fast, slow, planned


QUERIES = {
    "leaves and enums": "{ pets { colour weight age } }",
    "aliases and typename": "{ pets { c: colour w: weight __typename again: colour } }",
    "interface by class": "{ pets { animal { name __typename ... on Cat { lives } ... on Dog { good } } } }",
    "direct object, null": "{ pets { owner { name nickname } } }",
    "non-null leaf null": "{ pets { owner { name must } } }",
    "non-null object propagates": "{ pets { strictOwner { name } } }",
    "direct raises": "{ pets { failing { name } colour } }",
    "direct awaitable": "{ pets { later { name } } }",
    "list with null items": "{ pets { tags { name } } }",
    "non-null items, a failing item": "{ pets { strictTags { name must } } }",
    "include and skip": (
        "{ pets { colour @include(if: false) weight @skip(if: false) owner @include(if: true) { name } } }"
    ),
    "async root": "{ pet(index: 2) { colour owner { name must } animal { name } } }",
    "fragments": "fragment O on Owner { name } { pets { owner { ...O } tags { ...O nickname } } }",
}


@pytest.mark.parametrize("name", QUERIES)
async def test_fast_fields_answer_as_graphql_core_does(name: str) -> None:
    fast, slow, planned = schemas()
    assert planned >= 10
    results = []
    for schema in (fast, slow):
        context = {"direct_calls": 0}
        results.append((await schema.execute(QUERIES[name], context_value=context), context))
    (fast_result, fast_context), (slow_result, slow_context) = results
    assert fast_result.data == slow_result.data
    fast_errors = sorted((e.message, tuple(e.path or ())) for e in fast_result.errors or [])
    slow_errors = sorted((e.message, tuple(e.path or ())) for e in slow_result.errors or [])
    assert fast_errors == slow_errors
    assert fast_context["direct_calls"] == slow_context["direct_calls"]  # a direct resolver never runs twice


def test_the_short_ways_are_planned() -> None:
    fast, _, _ = schemas()
    fields = fast._schema.type_map["Pet"].fields  # type: ignore[union-attr]
    planned = {name for name, field in fields.items() if fast_plans.PLAN in (field.extensions or {})}
    assert planned == {
        "colour",
        "weight",
        "animal",
        "owner",
        "strictOwner",
        "failing",
        "later",
        "age",
        "tags",
        "strictTags",
    }
    query_fields = fast._schema.type_map["Query"].fields  # type: ignore[union-attr]
    assert not any(fast_plans.PLAN in (f.extensions or {}) for f in query_fields.values())  # resolvers with arguments


async def test_plain_fields_skip_graphql_cores_field_execution(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow, _ = schemas()
    calls = {"fast": 0, "slow": 0}
    for name, schema in (("fast", fast), ("slow", slow)):
        original = schema.execution_context_class.execute_field

        def counted(self: Any, *args: Any, _name: str = name, _original: Any = original) -> Any:
            calls[_name] += 1
            return _original(self, *args)

        monkeypatch.setattr(schema.execution_context_class, "execute_field", counted)
        result = await schema.execute(QUERIES["leaves and enums"], context_value={"direct_calls": 0})
        assert result.errors is None
        monkeypatch.undo()
    assert calls["fast"] == 1  # only the root field `pets` (a resolver): every leaf below is read directly
    assert calls["slow"] == 1 + 3 * 3


def test_the_hub_schema_plans_its_page_fields() -> None:
    schema = build_schema()._schema
    planned = {
        (type_name, field_name)
        for type_name, graphql_type in schema.type_map.items()
        for field_name, field in getattr(graphql_type, "fields", {}).items()
        if fast_plans.PLAN in (getattr(field, "extensions", None) or {})
    }
    for expected in [
        ("CaseConnection", "edges"),
        ("CaseEdge", "node"),
        ("MissingCase", "reference"),
        ("MissingCase", "place"),
        ("Place", "district"),
        ("District", "name"),
    ]:
        assert expected in planned
    protected = [("Child", "name"), ("MissingCase", "circumstances")]
    assert not any(p in planned for p in protected)  # fields with a ScopeGuard keep strawberry's path

"""Depth, alias, directive, token and cost limits: each tripped, each named, none in the way of a real query."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from graphql import get_introspection_query, parse
from strawberry.federation import Schema
from strawberry.types import ExecutionResult

from tests.factories import POLICE, SCHEMA, data, error_codes, run
from tests.schema.test_no_n_plus_one import NESTED_PAGE  # a page with every relation: must stay within the limits
from trackchild_hub.resolvers.context import Context, Services
from trackchild_hub.schema.build import build_schema
from trackchild_hub.schema.extensions.query_cost import DEFAULT_LIST_SIZE, measure
from trackchild_hub.settings import QueryLimits, Settings, SettingsError

LIMITS = QueryLimits()
CASE_PAGE = "query($n: Int!) { cases(first: $n) { edges { node { reference } } } }"
# Query.cases is the one paged list of cases; below it a child's cases and their children's cases multiply it.
NESTED_PAGES = "{ cases(first: 100) { edges { node { child { cases { child { cases { reference } } } } } } } }"
GRAPHIQL_INTROSPECTION = get_introspection_query(
    descriptions=True,
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
)


def nested(depth: int) -> str:
    """``child { cases { child { cases … { id } } } }``, ``depth`` fields deep: the attack that ran 31 s."""
    names = ["cases" if level % 2 else "child" for level in range(depth - 1)]
    opening = names[0] + '(id: "1") { ' + "".join(f"{name} {{ " for name in names[1:])
    return "{ " + opening + "id" + " }" * (depth - 1) + " }"


def refusal(result: ExecutionResult) -> tuple[str, str]:
    """The single error's code and message; nothing ran."""
    assert result.data is None
    assert result.errors is not None
    assert len(result.errors) == 1, result.errors
    error = result.errors[0]
    assert error.extensions is not None
    return str(error.extensions["code"]), error.message


async def run_with(schema: Schema, services: Services, query: str) -> ExecutionResult:
    async with services.sessions() as session:
        context = Context(services=services, session=session, principal=POLICE)
        return await schema.execute(query, context_value=context)


def executed(result: ExecutionResult) -> bool:
    """It ran: the answer is the resolver's (there is no child "1"), not a refusal before execution."""
    return result.data == {"child": None} and error_codes(result) == [("NOT_FOUND", None)]


def cost(query: str, variables: dict[str, Any] | None = None) -> int:
    return measure(SCHEMA._schema, parse(query), variables, None).cost


async def test_depth_30_is_refused_by_name(store: Services) -> None:
    query = nested(30)
    assert measure(SCHEMA._schema, parse(query), None, None).depth == 30
    code, message = refusal(await run(store, query))
    assert code == "QUERY_TOO_COMPLEX"
    assert message == f"depth 30 exceeds the limit of {LIMITS.max_depth} (TRACKCHILD_MAX_DEPTH)"


async def test_depth_at_the_limit_runs(store: Services) -> None:
    costless = build_schema(query_limits=replace(LIMITS, max_cost=10**12))  # depth alone decides here
    assert executed(await run_with(costless, store, nested(LIMITS.max_depth)))
    assert refusal(await run_with(costless, store, nested(LIMITS.max_depth + 1)))[0] == "QUERY_TOO_COMPLEX"


async def test_aliases_over_the_limit_are_refused(store: Services) -> None:
    over = LIMITS.max_aliases + 1
    query = "{ " + " ".join(f"a{i}: states {{ code }}" for i in range(over)) + " }"
    code, message = refusal(await run(store, query))
    assert (code, message) == (
        "QUERY_TOO_COMPLEX",
        f"alias count {over} exceeds the limit of {LIMITS.max_aliases} (TRACKCHILD_MAX_ALIASES)",
    )


async def test_a_thousand_aliased_pages_are_refused_before_they_run() -> None:
    """The scanner's alias overloading: refused by the token limit first, by the alias limit when tokens allow."""
    query = "{ " + " ".join(f"a{i}: cases(first: 100) {{ edges {{ node {{ id }} }} }}" for i in range(1000)) + " }"
    code, message = refusal(await SCHEMA.execute(query))
    assert (code, message) == ("QUERY_TOO_COMPLEX", "token count exceeds the limit of 5000 (TRACKCHILD_MAX_TOKENS)")
    roomy = build_schema(query_limits=replace(LIMITS, max_tokens=100_000))
    code, message = refusal(await roomy.execute(query))
    assert (code, message) == ("QUERY_TOO_COMPLEX", "alias count 1000 exceeds the limit of 30 (TRACKCHILD_MAX_ALIASES)")


async def test_directive_overloading_is_refused() -> None:
    query = "{ states { code" + " @include(if: true)" * 500 + " } }"
    code, message = refusal(await SCHEMA.execute(query))
    assert (code, message) == (
        "QUERY_TOO_COMPLEX",
        f"directive count 500 exceeds the limit of {LIMITS.max_directives} (TRACKCHILD_MAX_DIRECTIVES)",
    )


async def test_the_parser_stops_at_the_token_limit() -> None:
    """A syntax error past the limit is never reached: the parser gave up first, so the answer is the limit."""
    filler = " ".join(f"s{i}: __typename" for i in range(LIMITS.max_tokens // 3 + 1))
    code, message = refusal(await SCHEMA.execute("{ " + filler + " !!! broken"))
    assert code == "QUERY_TOO_COMPLEX"
    assert message.endswith("(TRACKCHILD_MAX_TOKENS)")
    code, _ = refusal(await SCHEMA.execute("{ states { code } !!! broken"))
    assert code == "GRAPHQL_PARSE_FAILED"  # an ordinary syntax error is still reported as one


async def test_nested_pages_of_100_are_refused_by_cost(store: Services) -> None:
    assert cost(NESTED_PAGES) > LIMITS.max_cost
    code, message = refusal(await run(store, NESTED_PAGES))
    assert code == "QUERY_TOO_COMPLEX"
    assert message == f"cost {cost(NESTED_PAGES)} exceeds the limit of {LIMITS.max_cost} (TRACKCHILD_MAX_COST)"


async def test_cost_follows_variables_and_fragments(store: Services) -> None:
    through_fragments = """query($n: Int = 100) { cases(first: $n) { ...Page } }
    fragment Page on CaseConnection { edges { node { ...Kin } } }
    fragment Kin on Case { child { cases { child { cases { reference } } } } }"""
    assert cost(through_fragments) == cost(NESTED_PAGES)
    assert refusal(await run(store, through_fragments))[0] == "QUERY_TOO_COMPLEX"
    assert cost(through_fragments, {"n": 1}) < LIMITS.max_cost
    assert data(await run(store, through_fragments, {"n": 1})) == {"cases": {"edges": []}}


def test_the_cost_model() -> None:
    # 1 per field; a connection's `first` multiplies its edges; an unsized list counts DEFAULT_LIST_SIZE.
    assert cost(CASE_PAGE, {"n": 50}) == 1 + 1 + 50 * (1 + 1)
    assert cost("{ cases { edges { node { id } } } }") == 1 + 1 + 20 * (1 + 1)  # the schema's default first: 20
    assert cost("{ findMatches(description: {}, first: 3) { score } }") == 1 + 3 * 1
    assert cost('{ child(id: "1") { cases { id } } }') == 1 + 1 + DEFAULT_LIST_SIZE * 1
    assert cost("{ states { code } }") == 1 + DEFAULT_LIST_SIZE
    assert cost("{ __schema { types { name } } }") == 1  # introspection: see query_cost's docstring


def test_a_fragment_cycle_is_measured_and_left_to_validation() -> None:
    cyclic = '{ child(id: "1") { ...A } } fragment A on Child { cases { child { ...A } } }'
    assert cost(cyclic) == 1 + 1 + DEFAULT_LIST_SIZE * 1  # cut where it closes


async def test_a_fragment_cycle_is_a_validation_error() -> None:
    cyclic = '{ child(id: "1") { ...A } } fragment A on Child { cases { child { ...A } } }'
    code, message = refusal(await SCHEMA.execute(cyclic))
    assert code == "GRAPHQL_VALIDATION_FAILED"
    assert "within itself" in message


async def test_a_long_fragment_chain_is_refused_not_crashed() -> None:
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(600))
    query = "{ ...F0 } " + chain + " fragment F600 on Query { __typename }"
    roomy = build_schema(query_limits=replace(LIMITS, max_tokens=100_000))
    code, message = refusal(await roomy.execute(query))
    assert (code, message) == (
        "QUERY_TOO_COMPLEX",
        "fragment nesting exceeds the limit of 100 (fragments spread within fragments)",
    )


@pytest.mark.parametrize("first", [5, 50, 200])
async def test_a_full_case_page_passes_up_to_the_largest_page(store: Services, first: int) -> None:
    assert cost(NESTED_PAGE, {"first": first}) <= LIMITS.max_cost
    assert data(await run(store, NESTED_PAGE, {"first": first})) == {"cases": {"edges": []}}


async def test_graphiql_introspection_passes(store: Services) -> None:
    result = await run(store, GRAPHIQL_INTROSPECTION)
    assert result.errors is None, result.errors
    assert result.data is not None
    assert any(t["name"] == "MissingCase" for t in result.data["__schema"]["types"])


async def test_mutations_are_measured_too(store: Services) -> None:
    over = LIMITS.max_aliases + 1
    body = " ".join(f'm{i}: closeCase(input: {{id: "x", version: 1, reason: "r"}}) {{ id }}' for i in range(over))
    code, message = refusal(await run(store, "mutation { " + body + " }"))
    assert code == "QUERY_TOO_COMPLEX"
    assert "TRACKCHILD_MAX_ALIASES" in message


async def test_limits_off_let_a_deep_query_run(store: Services) -> None:
    """The control: without the limiter the same document is valid and runs (there is no child "1")."""
    assert executed(await run_with(build_schema(query_limits=None), store, nested(30)))


def test_settings_read_each_limit() -> None:
    names = {"DEPTH": 7, "ALIASES": 8, "DIRECTIVES": 9, "TOKENS": 1000, "COST": 500}
    settings = Settings.from_env({f"TRACKCHILD_MAX_{name}": str(value) for name, value in names.items()})
    assert settings.query_limits == QueryLimits(
        max_depth=7, max_aliases=8, max_directives=9, max_tokens=1000, max_cost=500
    )
    assert Settings.from_env({}).query_limits == LIMITS


@pytest.mark.parametrize("value", ["0", "-3", "ten", "1.5"])
def test_settings_refuse_an_unusable_limit(value: str) -> None:
    with pytest.raises(SettingsError, match="TRACKCHILD_MAX_DEPTH"):
        Settings.from_env({"TRACKCHILD_MAX_DEPTH": value})

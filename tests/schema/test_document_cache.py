"""A query text validated once skips the parse and the schema's rules, and nothing that depends on the caller.

Every check that depends on the caller or the request still runs on a cached text: introspection refused to
anonymous callers in production, control characters in variable values, and the depth/cost limits (``first: $n``).
"""

from __future__ import annotations

from typing import Any

from graphql import parse
from strawberry.federation import Schema
from strawberry.types import ExecutionResult

from tests.factories import POLICE, PUBLIC, data, error_codes
from trackchild_hub.auth.principal import Principal
from trackchild_hub.resolvers.context import Context, Services
from trackchild_hub.schema.build import build_schema
from trackchild_hub.schema.extensions.document_cache import DocumentCache
from trackchild_hub.settings import QueryLimits

ME_AND_SCHEMA = "{ me { agency } __schema { queryType { name } } }"
CASE_PAGE = "query($n: Int!) { cases(first: $n) { edges { node { reference } } } }"
BY_NAME = "query($name: String) { cases(first: 1, filter: {name: $name}) { edges { node { reference } } } }"
MISSPELT = "{ cases(first: 1) { edgez { node { reference } } } }"


async def execute(
    services: Services, schema: Schema, query: str, variables: dict[str, Any] | None = None, *, who: Principal
) -> ExecutionResult:
    async with services.sessions() as session:
        context = Context(services=services, session=session, principal=who)
        return await schema.execute(query, variable_values=variables, context_value=context)


def cached(schema: Schema) -> DocumentCache:
    """The schema's cache, found through its extension factories (build_schema makes one per schema)."""
    for factory in schema.extensions:
        extension = factory() if callable(factory) else factory
        cache = getattr(extension, "cache", None)
        if isinstance(cache, DocumentCache):
            return cache
    raise AssertionError("build_schema added no CachedDocuments")


async def test_a_text_validated_for_an_agency_is_still_refused_introspection_for_the_public(store: Services) -> None:
    schema = build_schema(public_may_introspect=False)
    agency = data(await execute(store, schema, ME_AND_SCHEMA, who=POLICE))
    assert agency["__schema"]["queryType"]["name"] == "Query"
    assert cached(schema).get(ME_AND_SCHEMA) is not None
    public = await execute(store, schema, ME_AND_SCHEMA, who=PUBLIC)
    assert ("FORBIDDEN", None) in error_codes(public)
    assert public.data is None


async def test_variable_values_are_checked_on_every_request(store: Services) -> None:
    schema = build_schema()
    data(await execute(store, schema, BY_NAME, {"name": "Raju"}, who=POLICE))
    assert cached(schema).get(BY_NAME) is not None
    refused = await execute(store, schema, BY_NAME, {"name": "Raj\x00u"}, who=POLICE)
    assert error_codes(refused) == [("BAD_USER_INPUT", "name")]
    assert refused.data is None


async def test_limits_that_depend_on_variables_are_checked_on_every_request(store: Services) -> None:
    schema = build_schema(query_limits=QueryLimits(max_cost=40))
    data(await execute(store, schema, CASE_PAGE, {"n": 5}, who=POLICE))
    assert cached(schema).get(CASE_PAGE) is not None
    refused = await execute(store, schema, CASE_PAGE, {"n": 100}, who=POLICE)
    assert [code for code, _ in error_codes(refused)] == ["QUERY_TOO_COMPLEX"]


async def test_invalid_texts_are_not_kept_and_answer_the_same_each_time(store: Services) -> None:
    schema = build_schema()
    answers = [await execute(store, schema, MISSPELT, who=POLICE) for _ in range(2)]
    assert all(error_codes(a) == [("GRAPHQL_VALIDATION_FAILED", None)] for a in answers)
    assert answers[0].errors is not None
    assert answers[1].errors is not None
    assert answers[0].errors[0].message == answers[1].errors[0].message
    assert cached(schema).get(MISSPELT) is None
    assert len(cached(schema)) == 0


def test_the_cache_keeps_the_most_recently_used_within_its_bounds() -> None:
    cache = DocumentCache(max_documents=2, max_characters=100)
    texts = ["{ a }", "{ b }", "{ c }"]
    for text in texts[:2]:
        cache.put(text, parse(text))
    assert cache.get(texts[0]) is not None  # now the most recent
    cache.put(texts[2], parse(texts[2]))
    assert [t for t in texts if cache.get(t) is not None] == [texts[0], texts[2]]

    by_length = DocumentCache(max_documents=10, max_characters=100)
    for text in texts[:2]:
        by_length.put(text, parse(text))
    too_long = "{ " + "x " * 60 + "}"  # 123 characters: more than the whole cache may hold
    by_length.put(too_long, parse(too_long))
    assert by_length.get(too_long) is None
    assert len(by_length) == 2
    long_text = "{ " + "y " * 46 + "}"  # 95 characters: the oldest (5) makes room, the other (5) stays
    by_length.put(long_text, parse(long_text))
    assert [t for t in [*texts[:2], long_text] if by_length.get(t) is not None] == [texts[1], long_text]

"""``POST /graphql``: the simulator's records over GraphQL, for the hub's GraphQL adapter.

The same questions as ``/v1/*``, over the same store, faults and credentials; records are ``JSON`` in the simulator's
dialect. Served with graphql-core straight from ``SDL`` (no strawberry: four fields need no framework). A request is
``{"query", "variables"?, "operationName"?}`` as JSON; the answer is ``{"data", "errors"?}`` with status 200, also
when the query fails (bad cursor, unknown field), and 400 only for a body that is no GraphQL request.

``GRAPHQL_TEMPLATES`` is the connector file's ``[connector.graphql]`` table for this API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import GraphQLResolveInfo, GraphQLSchema, build_schema, graphql
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

if TYPE_CHECKING:
    from .app import Endpoint, Simulator

Info = GraphQLResolveInfo[None]  # no context: the root value is the Simulator

SDL = """
"Records are exchange records (or the legacy dialect's) as JSON objects."
scalar JSON

enum CaseKind { MISSING FOUND CARE }

enum Gender { MALE FEMALE TRANSGENDER UNKNOWN }

type Query {
  "Whether the system answers, and how many records it holds (GET /v1/health)."
  health: Health!
  "The change feed in (updated_at, external_id) order (GET /v1/cases); nextCursor is null on the last page."
  cases(kind: CaseKind, updatedSince: String, cursor: String, limit: Int): CasePage!
  "Records like these, newest reportedAt first, at most limit (default 50, at most 200) (GET /v1/cases/search)."
  search(
    name: String, gender: Gender, age: Int, district: String, kind: CaseKind, limit: Int, order: String
  ): SearchResult!
  "One record, or null (GET /v1/cases/{external_id})."
  case(externalId: String!): JSON
}

type CasePage { items: [JSON!]! nextCursor: String }

type SearchResult { items: [JSON!]! }

type Health { status: String! kind: String! state: String! records: Int! }
"""

GRAPHQL_TEMPLATES: dict[str, str] = {
    "search": (
        "query Search($name: String, $gender: Gender, $age: Int, $district: String, $kind: CaseKind,"
        " $limit: Int, $order: String) {"
        " page: search(name: $name, gender: $gender, age: $age, district: $district, kind: $kind,"
        " limit: $limit, order: $order) { items } }"
    ),
    "get": "query Case($externalId: String!) { record: case(externalId: $externalId) }",
    "changes": (
        "query Changes($cursor: String, $limit: Int) {"
        " page: cases(cursor: $cursor, limit: $limit) { items nextCursor } }"
    ),
    "health": "query Health { health { status records } }",
    "items_path": "page.items",
    "next_cursor_path": "page.nextCursor",
    "record_path": "record",
}


def _health(sim: Simulator, info: Info) -> dict[str, Any]:
    return sim.status()


def _cases(sim: Simulator, info: Info, **args: Any) -> dict[str, Any]:
    page = sim.changes(
        kind=args.get("kind"),
        updated_since=args.get("updatedSince"),
        cursor=args.get("cursor"),
        limit=args.get("limit"),
    )
    return {"items": page["items"], "nextCursor": page["next_cursor"]}


def _search(sim: Simulator, info: Info, **args: Any) -> dict[str, Any]:
    names = ("name", "gender", "age", "district", "kind", "limit", "order")
    return {"items": sim.find(**{name: args.get(name) for name in names})}


def _case(sim: Simulator, info: Info, **args: Any) -> dict[str, Any] | None:
    return sim.record(args["externalId"])


def _schema() -> GraphQLSchema:
    schema = build_schema(SDL)
    assert schema.query_type is not None
    for name, resolve in {"health": _health, "cases": _cases, "search": _search, "case": _case}.items():
        schema.query_type.fields[name].resolve = resolve
    return schema


SCHEMA = _schema()


def graphql_endpoint(sim: Simulator) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _bad("the body is not JSON")
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return _bad('send {"query": "...", "variables": {...}}')
        variables = body.get("variables") or {}
        if not isinstance(variables, dict):
            return _bad("variables must be a JSON object")
        result = await graphql(
            SCHEMA, body["query"], root_value=sim, variable_values=variables, operation_name=body.get("operationName")
        )
        return JSONResponse(result.formatted)

    return endpoint


def _bad(message: str) -> Response:
    return JSONResponse({"errors": [{"message": message}]}, 400)

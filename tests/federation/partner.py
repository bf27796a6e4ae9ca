"""A partner NGO's own subgraph, to compose with the hub behind a gateway: it extends the hub's `MissingCase` by its
key with `ngoFollowUps`, and lists its follow-up visits, each pointing at a hub case by id only.

Its rows are whatever the test puts in `PartnerData.follow_ups` (case id, note); it applies no access rule of its own
(the hub decides what of each case a caller sees) and records the Authorization header of every request it is sent,
so a test can see what the gateway forwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry
from starlette.requests import Request
from strawberry.asgi import GraphQL
from strawberry.types import Info


@dataclass
class PartnerData:
    follow_ups: list[tuple[str, str]] = field(default_factory=list)  # (hub case id, note)
    authorizations: list[str | None] = field(default_factory=list)  # the Authorization header of each request


@strawberry.federation.type(keys=["id"], description="A missing-child case of the hub, as the partner knows it.")
class MissingCase:
    id: strawberry.ID = strawberry.field(description="The hub's id of the case.")

    @strawberry.field(description="How many follow-up visits the partner made for this case.")
    def ngo_follow_ups(self, info: Info) -> int:
        data: PartnerData = info.context["data"]
        return sum(1 for case_id, _ in data.follow_ups if case_id == self.id)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> MissingCase:
        return cls(id=id)


@strawberry.type(description="One follow-up visit by the partner.")
class FollowUp:
    note: str = strawberry.field(description="What the visit found.")
    case: MissingCase | None = strawberry.field(description="The hub's case (resolved by the hub, by its key).")


@strawberry.type
class Query:
    @strawberry.field(description="The partner's follow-up visits, in the order recorded.")
    def follow_ups(self, info: Info) -> list[FollowUp]:
        data: PartnerData = info.context["data"]
        return [FollowUp(note=note, case=MissingCase(id=strawberry.ID(case_id))) for case_id, note in data.follow_ups]


SCHEMA = strawberry.federation.Schema(query=Query, types=[MissingCase], federation_version="2.9")


class PartnerApp(GraphQL[dict[str, Any], None]):
    """The partner subgraph over HTTP (POST /graphql), with `data` as every request's context."""

    def __init__(self, data: PartnerData) -> None:
        super().__init__(SCHEMA, graphql_ide=None)
        self.data = data

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        if isinstance(request, Request):
            self.data.authorizations.append(request.headers.get("authorization"))
        return {"data": self.data}

"""Builds the federation v2.9 schema."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.federation.schema import FederationAny
from strawberry.types import ExecutionContext, Info

from ..domain.errors import BadUserInput
from ..settings import QueryLimits
from . import direct_resolvers, fast_fields, fast_plans
from .case_kinds import CASE_TYPES
from .directory import DIRECTORY_TYPES
from .extensions.audit_reads import AuditReads
from .extensions.document_cache import CachedDocuments, DocumentCache
from .extensions.error_codes import ErrorCodes
from .extensions.query_limits import QueryLimiter
from .extensions.schema_privacy import SchemaPrivacy
from .extensions.text_arguments import TextArguments
from .extensions.upstream_errors import UpstreamErrors
from .mutation import Mutation
from .query import Query
from .subscription import Subscription


class HubSchema(strawberry.federation.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Strawberry logs each error with the query text, which may hold a child's name: ErrorCodes logs instead."""

    def entities_resolver(self, info: Info, representations: list[FederationAny]) -> list[FederationAny]:
        """Each representation must be an object whose ``__typename`` names an entity type, with its key ``id`` and
        nothing else (every entity's @key is ``id``): strawberry indexes the name unchecked and passes the other keys
        as arguments, so one without a name, an unknown one, a non-object, a missing id or an extra key was
        INTERNAL_SERVER_ERROR."""
        for index, representation in enumerate(representations):
            name = representation.get("__typename") if isinstance(representation, dict) else None
            known = self.schema_converter.type_map.get(name) if isinstance(name, str) else None
            if known is None or not hasattr(getattr(known.definition, "origin", None), "resolve_reference"):
                raise BadUserInput(f"representations.{index}", "must be an object naming an entity by __typename")
            if set(representation) != {"__typename", "id"}:  # type: ignore[call-overload]
                raise BadUserInput(f"representations.{index}", "must hold the entity's key id and nothing else")
        return super().entities_resolver(info, representations)


def build_schema(
    *,
    mask_internal_errors: bool = False,
    public_may_introspect: bool = True,
    query_limits: QueryLimits | None = QueryLimits(),  # noqa: B008 - frozen; None: no limits (bench compares)
) -> strawberry.federation.Schema:
    """``public_may_introspect=False`` (production): introspection and suggestions only for verified tokens."""
    documents = DocumentCache()  # per schema: its documents were parsed and validated under its limits and rules
    schema = HubSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[*CASE_TYPES, *DIRECTORY_TYPES],
        extensions=[
            lambda: ErrorCodes(mask_internal=mask_internal_errors),
            lambda: SchemaPrivacy(public_may_introspect=public_may_introspect),
            *([lambda: QueryLimiter(query_limits)] if query_limits else []),
            TextArguments,
            lambda: CachedDocuments(documents),  # after every extension that adds validation rules
            AuditReads,
            UpstreamErrors,
        ],
        federation_version="2.9",
        execution_context_class=fast_fields.FastFields,
    )
    direct_resolvers.install(schema._schema)
    fast_plans.install(schema._schema)
    return schema

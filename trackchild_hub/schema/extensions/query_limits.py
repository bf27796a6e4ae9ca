"""Refuses a document over any of the Settings' query limits with ``QUERY_TOO_COMPLEX``, before it runs.

In the order they are checked, each as cheap as it can be:
- tokens: the parser stops at ``max_tokens`` (graphql-core counts while lexing), so a huge document is never parsed
  whole; the body size cap (``http/graphql_endpoint.MAX_BODY``) comes before even that;
- aliases and directives, counted on the document as written (``document_counts``);
- depth and cost, with fragments expanded (``query_cost``).
The last three run at the start of validation and, when one trips, replace it: graphql-core's rules are not all linear
(overlapping-fields checks compare pairs of fields), so an overloaded document must not reach them.
A text seen before comes parsed from ``document_cache`` (parsed here under the same ``max_tokens``): the parse is
skipped, the counts and the measure still run on every request (the cost depends on the variables).
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError, parse
from strawberry.extensions import SchemaExtension

from ...domain.errors import HubError
from ...settings import QueryLimits
from .document_counts import count
from .query_cost import MAX_FRAGMENT_NESTING, FragmentsTooNested, measure


class QueryTooComplex(HubError):
    """Names the limit's variable, so a client learns what to change and an operator what to raise."""

    code = "QUERY_TOO_COMPLEX"

    def __init__(self, what: str, found: int | None, limit: int, variable: str) -> None:
        amount = f"{what} {found}" if found is not None else what
        super().__init__(f"{amount} exceeds the limit of {limit} ({variable})")
        self.variable, self.limit = variable, limit

    def extensions(self) -> dict[str, object]:
        return {**super().extensions(), "limit": self.variable, "max": self.limit}

    def as_graphql_error(self) -> GraphQLError:
        return GraphQLError(self.message, original_error=self, extensions=self.extensions())


class QueryLimiter(SchemaExtension):
    def __init__(self, limits: QueryLimits) -> None:
        self.limits = limits

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.limits.max_tokens
        if context.graphql_document is None and context.query:
            try:
                context.graphql_document = parse(context.query, **context.parse_options)
            except GraphQLSyntaxError as error:
                # Any other syntax error: strawberry's own parse reports it (GRAPHQL_PARSE_FAILED).
                if "Document contains more than" in error.message:
                    # Raised, not stored: strawberry makes an exception here the request's only error.
                    refusal = QueryTooComplex("token count", None, self.limits.max_tokens, "TRACKCHILD_MAX_TOKENS")
                    raise refusal.as_graphql_error() from None
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            refusal = self.refusal()
            if refusal is not None:
                # Set before validation runs: strawberry then skips its rules and answers with this error alone.
                context.pre_execution_errors = [refusal.as_graphql_error()]
        yield

    def refusal(self) -> QueryTooComplex | None:
        context, limits = self.execution_context, self.limits
        assert context.graphql_document is not None
        counts = count(context.graphql_document)
        if counts.aliases > limits.max_aliases:
            return QueryTooComplex("alias count", counts.aliases, limits.max_aliases, "TRACKCHILD_MAX_ALIASES")
        if counts.directives > limits.max_directives:
            return QueryTooComplex(
                "directive count", counts.directives, limits.max_directives, "TRACKCHILD_MAX_DIRECTIVES"
            )
        try:
            shape = measure(context.schema._schema, context.graphql_document, context.variables, context.operation_name)
        except FragmentsTooNested:
            return QueryTooComplex("fragment nesting", None, MAX_FRAGMENT_NESTING, "fragments spread within fragments")
        if shape.depth > limits.max_depth:
            return QueryTooComplex("depth", shape.depth, limits.max_depth, "TRACKCHILD_MAX_DEPTH")
        if shape.cost > limits.max_cost:
            return QueryTooComplex("cost", shape.cost, limits.max_cost, "TRACKCHILD_MAX_COST")
        return None

"""GraphQL-over-HTTP media types: which one a client accepts, and how a request error is answered."""

from __future__ import annotations

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts neither (406).

    The spec's watershed: a client that names ``application/graphql-response+json`` gets it (with 4xx on request
    errors); one that asks for JSON, anything, or says nothing gets ``application/json``.
    """
    if not accept:
        return JSON
    offered: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            offered.append((-q, position, media.lower()))
    for _, _, media in sorted(offered):
        if media == GRAPHQL_RESPONSE:
            return GRAPHQL_RESPONSE
        if media in (JSON, "application/*", "*/*"):
            return JSON
    return None

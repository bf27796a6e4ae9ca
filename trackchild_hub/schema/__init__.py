"""The GraphQL schema: strawberry types per domain, the federation Schema, and its extensions.

Declares types; each resolver calls a use case in ``services`` (the request context: ``resolvers``); no SQL and no
HTTP here.
"""

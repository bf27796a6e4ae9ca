"""The GraphQL schema: strawberry types per domain, the federation Schema, and its extensions.

Declares types and delegates to ``resolvers``; no SQL and no HTTP here.
"""

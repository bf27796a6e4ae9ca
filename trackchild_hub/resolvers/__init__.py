"""Query and mutation logic behind the schema: the typed context, per-request DataLoaders, services.

Resolvers are thin: they check the caller's scopes, call the store (or connectors), and hand rows back to
``schema``. May import auth, store, connectors, directories, imports and domain; never ``schema`` or ``app``.
"""

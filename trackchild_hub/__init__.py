"""TrackChild Hub: one GraphQL API over India's missing, found and institutionalised children.

Layers point one way: app/cli → schema → resolvers → (imports, auth, store, connectors, directories, audit) → domain.
"""

"""TrackChild Hub: one GraphQL API over India's missing, found and institutionalised children.

Layers point one way: app/cli → schema → resolvers → imports | sync → services (the use cases) → audit → auth | store
| connectors → matching | directories → domain (pyproject.toml, import-linter).
"""

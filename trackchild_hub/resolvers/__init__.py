"""GraphQL request glue: the typed per-request context and the live pages.

``context.Context`` is a unit of work (``services.unit.Unit``: session, principal, record loaders) plus what a
request adds: its id, the reads recorded for the access log, upstream failures reported beside partial data, and live
records fetched from the connected state systems. ``federated_cases`` (with ``live_rows``, ``remote_cases``,
``fanout``) pages stored and live cases together; ``sources`` reports each state system's health. Use cases live in
``services``: a resolver in ``schema`` takes its arguments, calls one, and returns a view. Imports no store module and
no SQLAlchemy (import-linter); never ``schema``, ``http`` or ``app``.
"""

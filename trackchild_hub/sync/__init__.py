"""Durable sync: each connector's change feed pulled into the store, resumable after a crash.

A batch driver beside ``imports``: it walks each connector's feed and hands every page to the sync use case
(``services.sync``), which stores it and proposes matches. May import services, connectors, store and domain;
nothing here imports strawberry or starlette.
"""

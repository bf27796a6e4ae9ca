"""Simulators of state police (CCTNS-style) and WCD systems speaking the exchange profile, for tests and demos.

``create_simulator`` builds the ASGI app; ``run_simulator`` / ``simulate_main`` serve it (``trackchild-hub simulate``).
The ``legacy`` dialect and its connector mapping are specified in ``dialects``; ``POST /graphql`` and the connector
file's templates for it (``GRAPHQL_TEMPLATES``) in ``graphql``.
"""

from __future__ import annotations

from .app import create_simulator
from .dialects import LEGACY_MAPPING
from .faults import Faults, is_malformed
from .graphql import GRAPHQL_TEMPLATES
from .run import run_simulator, simulate_main

__all__ = [
    "GRAPHQL_TEMPLATES",
    "LEGACY_MAPPING",
    "Faults",
    "create_simulator",
    "is_malformed",
    "run_simulator",
    "simulate_main",
]

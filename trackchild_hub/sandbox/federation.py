"""The demo's federation: two states' systems simulated inside the hub process, and the connectors file for them.

``serve --demo`` without ``TRACKCHILD_CONNECTORS`` mounts a West Bengal police system (speaking the exchange profile)
and a Bihar WCD system (speaking the ``legacy`` dialect, which its connector maps) under ``/_demo/<id>``, and points
connectors at them over loopback HTTP, so ``cases(sources: ["all"])`` federates out of the box.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.routing import BaseRoute, Mount

from .simulator import LEGACY_MAPPING, create_simulator
from .simulator.data import SimKind

# id -> (kind, state, dialect)
DEMO_SYSTEMS: dict[str, tuple[SimKind, str, str]] = {
    "police-19": ("police", "19", "standard"),
    "wcd-10": ("wcd", "10", "legacy"),
}


def demo_sources(data_dir: Path, base_url: str) -> tuple[list[BaseRoute], Path]:
    """Routes serving the simulators, and a connectors file (written under ``data_dir``) that reaches them."""
    mounts: list[BaseRoute] = []
    tables: list[str] = []
    for source, (kind, state, dialect) in DEMO_SYSTEMS.items():
        mounts.append(Mount(f"/_demo/{source}", app=create_simulator(kind, state, dialect=dialect, records=300)))
        lines = [
            "[[connector]]",
            f"id = {toml_value(source)}",
            f"kind = {toml_value(kind)}",
            f"state = {toml_value(state)}",
            'type = "rest"',
            f"base_url = {toml_value(base_url.rstrip('/') + '/_demo/' + source)}",
        ]
        if dialect == "legacy":
            lines.append(f"mapping = {toml_value(LEGACY_MAPPING)}")
        tables.append("\n".join(lines))
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "demo-connectors.toml"
    path.write_text("# Written by `serve --demo`: the in-process simulators.\n\n" + "\n\n".join(tables) + "\n")
    return mounts, path


def toml_value(value: Any) -> str:
    """A TOML inline value: strings (JSON escapes are TOML's), numbers, booleans, lists, inline tables."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value))

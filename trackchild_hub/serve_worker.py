"""One worker of ``trackchild-hub serve --workers N``: uvicorn starts each in its own process from an import string
(``trackchild_hub.serve_worker:app_from_env``, ``factory=True``), so everything a worker needs comes from the
environment: the settings (``Settings.from_env``) and what ``serve`` was asked (``ServeOptions``, put there by it).

The workers share one port (uvicorn's supervisor binds it and hands it to each), one data folder and the store. What
is expensive is shared through the data folder: the match index is one mapped snapshot (``matching/snapshot.py``),
one worker at a time runs the background proposal rounds, and one worker the connector sync (file locks, taken again
by a worker that replaces one that died).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from .app import create_app, quiet_http_client_logs
from .matching.snapshot import try_lock
from .sandbox.federation import demo_sources
from .settings import Settings

OPTIONS = "TRACKCHILD_SERVE_WORKER"  # set by ``serve`` for its workers; not a setting of its own
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"


@dataclass(frozen=True, slots=True)
class ServeOptions:
    host: str
    port: int
    demo: bool = False
    sync_every_s: float | None = None

    def to_env(self) -> dict[str, str]:
        return {OPTIONS: json.dumps(asdict(self))}

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ServeOptions:
        return cls(**json.loads(environ[OPTIONS]))


def app_for(settings: Settings, options: ServeOptions, secrets: Mapping[str, str], *, sync: bool = True) -> Starlette:
    """The hub as ``serve`` runs it: listening at ``options``' address, the demo's simulated systems mounted when
    asked, syncing in the background when asked and ``sync``."""
    settings = settings.serving_at(options.host, options.port)
    mounts: list[BaseRoute] = []
    if options.demo and settings.connectors is None:
        host = "127.0.0.1" if options.host in ("0.0.0.0", "::") else options.host
        mounts, connectors = demo_sources(settings.data_dir, f"http://{host}:{options.port}")
        settings = replace(settings, connectors=connectors)
    sync_every_s = options.sync_every_s if sync else None
    return create_app(settings, secrets=secrets, sync_every_s=sync_every_s, mounts=mounts)


def app_from_env() -> Starlette:
    """uvicorn's factory for a worker process."""
    environ = os.environ
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    quiet_http_client_logs()
    settings = Settings.from_env(environ)
    options = ServeOptions.from_env(environ)
    # One syncing worker is enough (each would pull the same changes); the lock is held while this process lives.
    syncs = options.sync_every_s is not None and try_lock(settings.data_dir / "sync.lock") is not None
    return app_for(settings, options, environ, sync=syncs)

"""Run a simulator over HTTP: ``run_simulator`` (uvicorn) and ``simulate_main``, the ``trackchild-hub simulate`` CLI.

simulate_main(["police", "--state", "19", "--port", "9101", "--latency-ms", "50", "--dialect", "legacy"])
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from .app import create_simulator
from .data import sim_kind
from .dialects import DIALECTS
from .faults import Faults, merge_faults

SHUTDOWN_GRACE_S = 2  # requests still held by a hang are cut off after this on Ctrl-C / SIGTERM


def run_simulator(kind: str, state: str, port: int, host: str = "127.0.0.1", **options: Any) -> None:
    """Serve ``create_simulator(kind, state, **options)`` on ``host:port`` until interrupted."""
    import uvicorn

    app = create_simulator(sim_kind(kind), state, **options)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=SHUTDOWN_GRACE_S)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trackchild-hub simulate",
        description="Run a state police or WCD system simulator speaking the exchange profile.",
    )
    parser.add_argument("kind", choices=["police", "wcd"])
    parser.add_argument("--state", required=True, help="LGD state code (19) or abbreviation (WB)")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--records", type=int, default=300, help="cases generated before keeping this system's kinds")
    parser.add_argument("--dialect", choices=sorted(DIALECTS), default="standard")
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of /v1/* requests answered 503 (0..1)")
    parser.add_argument("--malformed-rate", type=float, default=0.0, help="share of records served corrupted (0..1)")
    parser.add_argument("--token-ttl-s", type=float, default=60.0, help="bearer token lifetime")
    parser.add_argument("--api-key", help="require this X-Api-Key header")
    parser.add_argument("--client-id", help="serve /oauth/token and require bearer tokens (with --client-secret)")
    parser.add_argument("--client-secret")
    return parser


def simulate_main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and serve until interrupted; 2 for a usage error."""
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.client_id is None) != (args.client_secret is None):
        parser.error("--client-id and --client-secret go together")
    try:
        faults = merge_faults(
            Faults(),
            {
                "latency_ms": args.latency_ms,
                "error_rate": args.error_rate,
                "malformed_rate": args.malformed_rate,
                "token_ttl_s": args.token_ttl_s,
            },
        )
        app = create_simulator(
            sim_kind(args.kind),
            args.state,
            seed=args.seed,
            dialect=args.dialect,
            faults=faults,
            api_key=args.api_key,
            token_url_secret=(args.client_id, args.client_secret) if args.client_id else None,
            records=args.records,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sim = app.state.simulator
    print(
        f"{sim.kind} simulator {sim.source} ({len(sim.store)} records, {sim.dialect} dialect) "
        f"on http://{args.host}:{args.port}",
        file=sys.stderr,
        flush=True,
    )
    import uvicorn

    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=SHUTDOWN_GRACE_S)
    return 0

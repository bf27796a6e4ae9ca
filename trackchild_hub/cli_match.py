"""``trackchild-hub match train`` (and the rest of the ``match`` group): the matcher's maintenance commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from .settings import Settings


def add_match_commands(match: Any) -> None:
    """Register the ``match`` sub-commands on the group's sub-parsers (``match`` in cli.py)."""
    train = match.add_parser(
        "train",
        help="learn the matcher's weights (m and u per comparison level) from the store's open cases and reviewed "
        "pairs, stored as the newest version (running hubs take it up at their next index refresh)",
    )
    train.add_argument(
        "--seed", type=int, default=0, help="0 or more: the random pairs drawn (same store and seed: same weights)"
    )
    train.add_argument(
        "--max-pairs", type=int, default=400_000, metavar="N", help="candidate pairs EM learns from (1,000-5,000,000)"
    )
    train.set_defaults(handler=train_command)

    pending = match.add_parser(
        "pending",
        help="match proposals for every open case (those imported or synced while no hub ran); resumable, idempotent",
    )
    pending.add_argument(
        "--batch", type=int, default=500, metavar="N", help="cases per batch and transaction (1-5,000)"
    )
    pending.add_argument(
        "--kinds", metavar="KINDS", help="comma-separated MISSING, FOUND, CARE: the cases to search for (default all)"
    )
    pending.add_argument("--restart", action="store_true", help="start from the beginning, not where a run stopped")
    pending.set_defaults(handler=pending_command)


def train_command(settings: Settings, args: argparse.Namespace) -> int:
    from .app import build_services
    from .domain.errors import BadUserInput
    from .services.match_training import train_from_store

    if not 1_000 <= args.max_pairs <= 5_000_000:
        print("error: --max-pairs must be between 1,000 and 5,000,000", file=sys.stderr)
        return 2
    if args.seed < 0:
        print("error: --seed must be 0 or more", file=sys.stderr)
        return 2

    async def run() -> int:
        services = build_services(settings)  # the matcher maps the shared index snapshot when there is one
        assert services.matcher is not None
        try:
            trained = await train_from_store(services.matcher, seed=args.seed, max_pairs=args.max_pairs)
        except BadUserInput as exc:
            print(f"error: {exc.reason}", file=sys.stderr)
            return 1
        finally:
            services.matcher.close()
            await services.alert_bus.aclose()
            await services.engine.dispose()
        for line in trained.lines():
            print(line)
        return 0

    result: int = asyncio.run(run())
    return result


def pending_command(settings: Settings, args: argparse.Namespace) -> int:
    from .app import build_services
    from .domain.enums import CaseKind
    from .services.match_pending import ALL_KINDS, PendingReport, check_batch, propose_pending

    try:
        check_batch(args.batch)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    kinds = ALL_KINDS
    if args.kinds is not None:
        names = [k.strip().upper() for k in args.kinds.split(",") if k.strip()]
        unknown = [n for n in names if n not in CaseKind.__members__]
        if unknown or not names:
            print(f"error: --kinds takes MISSING, FOUND, CARE (not {', '.join(unknown) or 'nothing'})", file=sys.stderr)
            return 2
        kinds = frozenset(CaseKind[n] for n in names)

    def progress(report: PendingReport) -> None:
        done = report.resumed + report.searched
        print(f"batch {report.batches}: {done} of {report.total} cases searched, {report.proposed} new proposals")

    async def run() -> int:
        services = build_services(settings)
        try:
            report = await propose_pending(
                services, kinds=kinds, batch=args.batch, restart=args.restart, on_batch=progress
            )
        except Exception as exc:  # the store away, say: what was done is kept, the next run resumes after it
            print(f"stopped, {type(exc).__name__} (run match pending again to resume)", file=sys.stderr)
            return 1
        finally:
            assert services.matcher is not None
            services.matcher.close()
            await services.alert_bus.flush(5.0)  # live alerts of likely matches, to Redis when configured
            await services.alert_bus.aclose()
            await services.engine.dispose()
        print(report.summary())
        return 0

    result: int = asyncio.run(run())
    return result

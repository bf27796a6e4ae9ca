"""``trackchild-hub match train`` (and the rest of the ``match`` group): the matcher's maintenance commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from .domain.geography import load_geography
from .settings import Settings


def add_match_commands(match: Any) -> None:
    """Register the ``match`` sub-commands on the group's sub-parsers (``match`` in cli.py)."""
    train = match.add_parser(
        "train",
        help="learn the matcher's weights (m and u per comparison level) from the store's open cases and reviewed "
        "pairs, stored as the newest version (running hubs take it up at their next index refresh)",
    )
    train.add_argument("--seed", type=int, default=0, help="the random pairs drawn (same store and seed: same weights)")
    train.add_argument(
        "--max-pairs", type=int, default=400_000, metavar="N", help="candidate pairs EM learns from (1,000-5,000,000)"
    )
    train.set_defaults(handler=train_command)


def train_command(settings: Settings, args: argparse.Namespace) -> int:
    from .services.match_training import train_from_store  # type: ignore[import-not-found,unused-ignore]
    from .store.engine import opened_sessions

    if not 1_000 <= args.max_pairs <= 5_000_000:
        print("error: --max-pairs must be between 1,000 and 5,000,000", file=sys.stderr)
        return 2

    async def run() -> int:
        async with opened_sessions(settings) as sessions:
            trained = await train_from_store(sessions, load_geography(), seed=args.seed, max_pairs=args.max_pairs)
        for line in trained.lines():
            print(line)
        return 0

    result: int = asyncio.run(run())
    return result

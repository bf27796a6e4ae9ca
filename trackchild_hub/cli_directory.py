"""``trackchild-hub import directory`` · ``export directory`` · ``directory report`` (see README "Directories")."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from .domain.geography import load_geography
from .domain.reference import IST
from .settings import Settings


def add_directory_commands(commands: Any, imports: Any) -> None:
    """Register the directory commands on the ``trackchild-hub`` parser and its ``import`` sub-parser."""
    directory = imports.add_parser("directory", help="directory entries, CSV (layout: README 'Directory CSV')")
    directory.add_argument("file", type=Path)
    directory.add_argument(
        "--columns", metavar="MAPPING", help="your headers for the layout's columns: name=PS_NAME,pin_code=Pincode"
    )
    directory.set_defaults(handler=import_directory_command)

    exports = commands.add_parser("export", help="bulk export").add_subparsers(title="export commands")
    exports.add_parser("directory", help="every active directory entry, CSV").add_argument("file", type=Path)
    exports.choices["directory"].set_defaults(handler=export_directory_command)

    quality = commands.add_parser("directory", help="directory maintenance").add_subparsers(title="directory commands")
    report = quality.add_parser("report", help="data quality: stale, no phone, missing bodies, stations without SJPU")
    report.add_argument("--state", help="LGD state code (default: national)")
    report.add_argument("--district", help="LGD district code")
    report.set_defaults(handler=directory_report_command)


def import_directory_command(settings: Settings, args: argparse.Namespace) -> int:
    from .directories.csv_layout import parse_mapping
    from .domain.errors import BadUserInput
    from .imports.directory import import_directory
    from .store.engine import opened_sessions

    if not args.file.is_file():
        print(f"error: {args.file} is not a file", file=sys.stderr)
        return 2

    async def run() -> int:
        try:
            async with opened_sessions(settings) as sessions:
                with args.file.open(encoding="utf-8-sig", newline="") as text:
                    report = await import_directory(
                        sessions, text, load_geography(), mapping=parse_mapping(args.columns)
                    )
        except BadUserInput as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for error in report.errors:
            print(error, file=sys.stderr)
        print(report.summary())
        return 1 if report.errors else 0

    return asyncio.run(run())


def export_directory_command(settings: Settings, args: argparse.Namespace) -> int:
    from .imports.directory import export_directory
    from .store.engine import opened_sessions

    async def run() -> int:
        async with opened_sessions(settings) as sessions:
            with args.file.open("w", encoding="utf-8", newline="") as out:
                return await export_directory(sessions, out)

    print(f"{asyncio.run(run())} entries written to {args.file}")
    return 0


def directory_report_command(settings: Settings, args: argparse.Namespace) -> int:
    from .directories.quality import quality_report
    from .store.directory import DirectoryRepository
    from .store.engine import opened_sessions

    async def run() -> list[str]:
        async with opened_sessions(settings) as sessions, sessions() as session:
            facts = await DirectoryRepository(session).quality_facts()
        today = datetime.now(IST).date()
        r = quality_report(facts, load_geography(), today, state=args.state, district=args.district)
        gaps = [f"  {g.district}: no {', '.join(k.value for k in g.missing)}" for g in r.district_gaps]
        return [
            f"directory quality as of {r.as_of}: {r.entries} active entries",
            f"not verified in 12 months: {len(r.stale)} {' '.join(r.stale[:20])}",
            f"without a phone: {len(r.without_phone)} {' '.join(r.without_phone[:20])}",
            f"police stations without a covering SJPU: {len(r.stations_without_sjpu)} "
            + " ".join(r.stations_without_sjpu[:20]),
            f"districts without a required body: {len(gaps)}",
            *gaps,
        ]

    print("\n".join(asyncio.run(run())))
    return 0

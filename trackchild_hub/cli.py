"""``trackchild-hub``: serve · db upgrade · seed · import cases|directory · export directory · directory report · sync ·
sdl · dispatch · alerts run · workflow run · match train · match pending · audit verify · simulate · token."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from .cli_directory import add_directory_commands
from .cli_match import add_match_commands
from .domain.geography import load_geography
from .domain.reference import IST
from .settings import Settings, SettingsError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from .connectors.port import Connector

log = logging.getLogger("trackchild_hub")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # request URLs may carry a searched name
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    result: int = handler(settings, args)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trackchild-hub", description=__doc__)
    commands = parser.add_subparsers(title="commands")

    serve = commands.add_parser("serve", help="serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="migrate, seed demo data on first start, GraphiQL on")
    serve.add_argument(
        "--workers", type=int, metavar="N", help="processes serving the one port (default: the number of cores)"
    )
    serve.add_argument(
        "--sync-every", type=float, metavar="SECONDS", help="pull connector changes in the background, this often"
    )
    serve.set_defaults(handler=_serve)

    db = commands.add_parser("db", help="database maintenance").add_subparsers(title="db commands")
    db.add_parser("upgrade", help="apply migrations").set_defaults(handler=_upgrade)

    seed = commands.add_parser("seed", help="seed the deterministic demo data into an empty store")
    seed.add_argument("--seed", type=int, default=2026)
    seed.add_argument("--cases", type=int, default=2000)
    seed.set_defaults(handler=_seed)

    imports = commands.add_parser("import", help="bulk load").add_subparsers(title="import commands")
    cases = imports.add_parser("cases", help="exchange records, one JSON object per line")
    cases.add_argument("file", type=Path)
    cases.add_argument(
        "--no-alerts",
        action="store_true",
        help="alert nobody (default: missing cases reported in the last TRACKCHILD_ALERT_ARRIVAL_DAYS days alert)",
    )
    cases.set_defaults(handler=_import_cases)
    add_directory_commands(commands, imports)

    sync = commands.add_parser("sync", help="pull connector changes into the store (resumes where it stopped)")
    sync.add_argument("--connector", help="only this connector id (default: every connector in the file)")
    sync.add_argument("--batch", type=int, default=200, help="records per batch and transaction (1..500)")
    sync.set_defaults(handler=_sync)

    commands.add_parser("sdl", help="print the federation SDL").set_defaults(handler=_sdl)

    dispatch = commands.add_parser("dispatch", help="deliver pending alerts from the outbox (also runs inside serve)")
    dispatch.add_argument("--once", action="store_true", help="deliver what is due now, then exit")
    dispatch.add_argument("--dead", action="store_true", help="list dead letters (alerts no longer tried), then exit")
    dispatch.add_argument("--retry", metavar="ID", action="append", help="queue a dead letter again (repeatable)")
    dispatch.set_defaults(handler=_dispatch)

    alerts = commands.add_parser("alerts", help="the scheduled alert rules").add_subparsers(title="alerts commands")
    rules = alerts.add_parser("run", help="overdue citizen reports and the daily digest, once (also runs inside serve)")
    rules.add_argument("--now", metavar="ISO-DATETIME", help="run as at this time (default: now; no zone = UTC)")
    rules.set_defaults(handler=_alerts_run)

    workflow = commands.add_parser("workflow", help="the case workflow rules").add_subparsers(title="workflow commands")
    apply = workflow.add_parser("run", help="apply the case workflow rules once (also runs inside serve); idempotent")
    apply.add_argument("--today", metavar="YYYY-MM-DD", help="the rules' date (default: today in India)")
    apply.set_defaults(handler=_workflow_run)

    match = commands.add_parser("match", help="the matcher").add_subparsers(title="match commands")
    add_match_commands(match)

    audit = commands.add_parser("audit", help="the access log").add_subparsers(title="audit commands")
    verify = audit.add_parser("verify", help="check the chain's keyed links and its anchor file; exit 1 when broken")
    verify.add_argument("--anchor", type=Path, help="the anchor file (default: the hub's own, in the data folder)")
    verify.add_argument("--no-anchor", action="store_true", help="the table alone: cannot see rows cut off its end")
    verify.set_defaults(handler=_audit_verify)

    # Everything after `simulate` belongs to the simulator's own parser (see sandbox/simulator/run.py).
    simulate = commands.add_parser(
        "simulate", help="run a state police or WCD system simulator", add_help=False, prefix_chars="\0"
    )
    simulate.add_argument("args", nargs=argparse.REMAINDER)
    simulate.set_defaults(handler=_simulate)

    token = commands.add_parser("token", help="print an access token from the embedded dev issuer")
    token.add_argument("--client", required=True, help="client id, e.g. demo-police")
    token.add_argument("--state", help="LGD state code (jurisdiction claim)")
    token.add_argument("--district", help="LGD district code (jurisdiction claim)")
    token.add_argument("--scope", help="space-separated subset of the client's scopes")
    token.add_argument("--purpose", help="declared purpose of access")
    token.set_defaults(handler=_token)
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from .domain.errors import BadUserInput
    from .serve_worker import ServeOptions, app_for

    workers = (os.cpu_count() or 1) if args.workers is None else args.workers
    if workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.sync_every is not None and args.sync_every <= 0:
        print("error: --sync-every must be more than 0 seconds", file=sys.stderr)
        return 2
    options = ServeOptions(args.host, args.port, args.demo, args.sync_every)
    settings = settings.serving_at(args.host, args.port)
    if not settings.oidc_issuer:
        _remember_public_url(settings)
    if args.demo:
        settings = _with_demo_sink(settings)
        asyncio.run(_prepare_demo(settings))
        if not settings.oidc_issuer:
            _print_demo_clients(settings)
        if settings.connectors is None:
            from .sandbox.federation import DEMO_SYSTEMS

            log.info("demo federation: simulated systems %s under /_demo/", ", ".join(DEMO_SYSTEMS))
    try:  # built here also with several workers: bad settings stop `serve` once, and keys are made before they race
        app = app_for(settings, options, os.environ)
    except BadUserInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"TrackChild Hub: {settings.public_url}/graphql ({workers} worker{'s' if workers > 1 else ''})", flush=True)
    # uvicorn's own access log prints query strings; the hub logs requests without them (http/request_log.py).
    served = {
        "host": args.host,
        "port": args.port,
        "log_level": "info",
        "access_log": False,
        "h11_max_incomplete_event_size": MAX_REQUEST_HEAD_BYTES,
        "ws_max_size": MAX_WEBSOCKET_MESSAGE_BYTES,
    }
    if workers == 1:
        signal.signal(signal.SIGTERM, _stopped)
        uvicorn.run(app, **served)
        return 0
    asyncio.run(app.state.shutdown())  # the workers build their own (uvicorn needs an import string for them)
    os.environ.update({**options.to_env(), "TRACKCHILD_WORKERS": str(workers)})  # each takes its share of the pool
    uvicorn.run("trackchild_hub.serve_worker:app_from_env", factory=True, workers=workers, **served)
    return 0


def _with_demo_sink(settings: Settings) -> Settings:
    """The demo's alerts, SMS and e-mail without a gateway configured, written to <data folder>/alert-sink.jsonl
    (``tail -f`` it); the workers of ``serve --workers N`` read it from the environment."""
    alerting = settings.alerting
    if alerting.sink is not None or (alerting.sms_url and alerting.smtp_host):
        return settings
    sink = (settings.data_dir / "alert-sink.jsonl").absolute()
    os.environ["TRACKCHILD_ALERT_SINK"] = str(sink)
    log.info("demo alerts: SMS and e-mail written to %s (tail -f it)", sink)
    return replace(settings, alerting=replace(alerting, sink=sink))


def _stopped(_signal: int, _frame: FrameType | None) -> None:
    """SIGTERM is how an orchestrator stops the hub. uvicorn shuts down gracefully on it, then raises it again under
    the handler it found: the default one would end a stop that went well as "killed by SIGTERM" (-15, exit 143)."""
    sys.exit(0)


# h11's default (16 KiB) answers a long Authorization header with a bare 400 before the hub sees it; with room for
# a 100 KB token the hub answers 401 with WWW-Authenticate itself (tokens over 16 KB are refused there, auth/tokens.py).
MAX_REQUEST_HEAD_BYTES = 256 * 1024
# A console's messages (connection_init with its token, a subscribe) are a few kB; uvicorn's default lets each
# socket send 16 MiB frames, held and parsed whole: 64 sockets at once were a gigabyte. Past this: closed with 1009.
MAX_WEBSOCKET_MESSAGE_BYTES = 256 * 1024


def _public_url_file(settings: Settings) -> Path:
    return settings.data_dir / "issuer" / "public-url"


def _remember_public_url(settings: Settings) -> None:
    """The URL ``serve`` advertises, so ``token`` (same data folder) issues tokens with the issuer it checks."""
    path = _public_url_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(settings.public_url + "\n", encoding="utf-8")


def _remembered_public_url(settings: Settings) -> Settings:
    path = _public_url_file(settings)
    if settings.public_url_explicit or not path.exists():
        return settings
    return replace(settings, public_url=path.read_text(encoding="utf-8").strip())


async def _prepare_demo(settings: Settings) -> None:
    from .sandbox.seed import seed_demo
    from .store.engine import engine_for, session_factory
    from .store.file_store import photo_shelf
    from .store.migrate import upgrade

    engine = engine_for(settings)
    try:
        await upgrade(engine, load_geography())
        report = await seed_demo(session_factory(engine), load_geography(), photos=photo_shelf(settings))
        if report is None:
            log.info("demo data already present")
        else:
            log.info("demo data seeded: %d cases, %d invalid", report.created, len(report.errors))
    finally:
        await engine.dispose()


def _upgrade(settings: Settings, _: argparse.Namespace) -> int:
    from .store.engine import engine_for
    from .store.migrate import upgrade

    async def run() -> None:
        engine = engine_for(settings)
        try:
            await upgrade(engine, load_geography())
        finally:
            await engine.dispose()

    asyncio.run(run())
    print("database is up to date")
    return 0


def _seed(settings: Settings, args: argparse.Namespace) -> int:
    from .sandbox.seed import seed_demo
    from .store.engine import opened_sessions
    from .store.file_store import photo_shelf

    async def run() -> bool:
        async with opened_sessions(settings) as sessions:
            shelf = photo_shelf(settings)
            report = await seed_demo(sessions, load_geography(), seed=args.seed, cases=args.cases, photos=shelf)
        if report is None:
            print("the store already holds data: nothing seeded")
            return True
        print(f"seeded {report.created} cases")
        return not report.errors

    return 0 if asyncio.run(run()) else 1


def _import_cases(settings: Settings, args: argparse.Namespace) -> int:
    from .imports.cases import import_cases
    from .services.alerts import arrival_alerter
    from .services.live_alerts import opened_sessions  # their alerts reach the consoles of every hub

    if not args.file.is_file():
        print(f"error: {args.file} is not a file", file=sys.stderr)
        return 2

    async def run() -> int:
        geography = load_geography()
        alert = None if args.no_alerts else arrival_alerter(settings, geography)
        async with opened_sessions(settings) as sessions:
            with args.file.open(encoding="utf-8") as lines:
                report = await import_cases(sessions, lines, geography, datetime.now(IST).date(), alert=alert)
        for error in report.errors:
            print(error, file=sys.stderr)
        print(
            f"{report.lines} lines: {report.created} created, {report.unchanged} already present, "
            f"{len(report.errors)} invalid"
        )
        return 1 if report.errors else 0

    return asyncio.run(run())


def _sync(settings: Settings, args: argparse.Namespace) -> int:
    import httpx

    from .app import build_connectors
    from .domain.errors import BadUserInput, UpstreamError
    from .services.alerts import arrival_alerter
    from .services.live_alerts import opened_sessions  # their alerts reach the consoles of every hub
    from .sync.runner import SyncReport, sync_connector

    if not 1 <= args.batch <= 500:
        print("error: --batch must be between 1 and 500", file=sys.stderr)
        return 2

    def progress(report: SyncReport) -> None:
        log.info("sync %s: batch %d, %d records so far", report.connector, report.batches, report.received)

    async def run() -> int:
        async with opened_sessions(settings) as sessions, httpx.AsyncClient(timeout=30.0) as http:
            try:
                connectors = build_connectors(settings, http, os.environ)
            except BadUserInput as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            try:
                return await sync_all(sessions, connectors)
            finally:
                for connector in connectors:  # a client-credentials connector holds a token client of its own
                    await connector.aclose()

    async def sync_all(sessions: async_sessionmaker[AsyncSession], connectors: Sequence[Connector]) -> int:
        chosen = [c for c in connectors if args.connector in (None, c.id)]
        if not chosen:
            known = ", ".join(c.id for c in connectors) or "none (set TRACKCHILD_CONNECTORS)"
            print(f"error: no connector {args.connector or ''!r}; connectors: {known}", file=sys.stderr)
            return 2
        status = 0
        for connector in chosen:
            try:
                geography = load_geography()
                report = await sync_connector(
                    sessions,
                    geography,
                    connector,
                    batch=args.batch,
                    after_batch=progress,
                    alert=arrival_alerter(settings, geography),
                )
            except UpstreamError as exc:
                print(f"stopped, {exc.code}: {exc.message} (run sync again to resume)")
                status = 1
                continue
            for rejection in report.rejected:
                print(f"{connector.id}: rejected {rejection}", file=sys.stderr)
            print(report.summary())
        return status

    return asyncio.run(run())


def _dispatch(settings: Settings, args: argparse.Namespace) -> int:
    import httpx

    from .gateways.build import gateways
    from .services.dispatch import Dispatcher, dead_letters, dispatch_forever, retry_dead_letter
    from .store.engine import opened_sessions

    async def run() -> int:
        async with opened_sessions(settings) as sessions, httpx.AsyncClient(timeout=10.0) as http:
            if args.dead:
                for row in await dead_letters(sessions):
                    print(f"{row.id}\t{row.rule}\t{row.reference}\t{row.channel}\t{row.attempts}\t{row.last_error}")
                return 0
            if args.retry:
                missing = [row_id for row_id in args.retry if not await retry_dead_letter(sessions, row_id)]
                for row_id in missing:
                    print(f"error: {row_id} is not a dead letter", file=sys.stderr)
                return 1 if missing else 0
            ways = gateways(settings.alerting, http)
            if not ways:
                print(
                    "error: no gateway configured (TRACKCHILD_SMS_URL, TRACKCHILD_SMTP_HOST or "
                    "TRACKCHILD_ALERT_WEBHOOKS)",
                    file=sys.stderr,
                )
                return 2
            dispatcher = Dispatcher(sessions, settings.alerting, ways)
            if args.once:
                print(f"{await dispatcher.drain()} alerts claimed")
                return 0
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for stopping in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(stopping, stop.set)
            log.info(
                "dispatching alerts (%s) every %.1f s", ", ".join(c.value for c in ways), settings.alerting.every_s
            )
            await dispatch_forever(dispatcher, settings.alerting.every_s, stop)
            return 0

    return asyncio.run(run())


def _alerts_run(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC

    from .services.alert_jobs import run_alert_rules
    from .services.live_alerts import opened_sessions  # their alerts reach the consoles of every hub

    try:
        now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
    except ValueError:
        print(f"error: --now {args.now!r} is not an ISO date-time (2026-11-30T09:00:00+05:30)", file=sys.stderr)
        return 2
    now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)

    async def run() -> None:
        async with opened_sessions(settings) as sessions:
            done = await run_alert_rules(sessions, settings, load_geography(), now)
        for line in done.lines():
            print(line)

    asyncio.run(run())
    return 0


def _workflow_run(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import date

    from .services.workflow import run_rules
    from .store.engine import opened_sessions

    try:
        today = date.fromisoformat(args.today) if args.today else None
    except ValueError:
        print(f"error: --today {args.today!r} is not a date (2026-11-30)", file=sys.stderr)
        return 2

    async def run() -> None:
        async with opened_sessions(settings) as sessions:
            runs = await run_rules(sessions, today=today, settings=settings)
        for done in runs:  # one line per rule: the cases it changed, its alerts (or that another process holds it)
            print(done.line())

    asyncio.run(run())
    return 0


def _audit_verify(settings: Settings, args: argparse.Namespace) -> int:
    from .audit.anchor import Anchor, anchor_path
    from .audit.keys import AuditKeys
    from .audit.verify import verify
    from .store.engine import opened_sessions

    keys = AuditKeys.from_settings(settings, create=False)  # never invents a key: rows keyed otherwise would fail
    anchor = None if args.no_anchor else Anchor(args.anchor or anchor_path(settings), keys)

    async def run() -> int:
        async with opened_sessions(settings) as sessions, sessions() as session:
            verdict = await verify(session, keys, anchor)
        if not verdict.intact:
            where = f" at entry {verdict.broken_at}" if verdict.broken_at is not None else ""
            print(f"access log BROKEN{where}: {verdict.reason}", file=sys.stderr)
            return 1
        older = f", the first {verdict.legacy_rows} from before keying" if verdict.legacy_rows else ""
        anchored = "no anchor checked" if anchor is None else f"anchored up to {verdict.anchored or 0} ({anchor.path})"
        print(f"access log intact: {verdict.rows} entries{older}; {anchored}")
        return 0

    return asyncio.run(run())


def _simulate(_: Settings, args: argparse.Namespace) -> int:
    from .sandbox.simulator.run import simulate_main

    return simulate_main(args.args)


def _token(settings: Settings, args: argparse.Namespace) -> int:
    from .app import dev_issuer
    from .domain.errors import BadUserInput, Unauthenticated

    issuer = dev_issuer(_remembered_public_url(settings))
    client = issuer.clients.get(args.client)
    if client is None:
        print(f"error: no client {args.client!r}; clients: {', '.join(sorted(issuer.clients))}", file=sys.stderr)
        return 2
    try:
        print(issuer.issue(client, scope=args.scope, state=args.state, district=args.district, purpose=args.purpose))
    except (BadUserInput, Unauthenticated) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _print_demo_clients(settings: Settings) -> None:
    from .app import dev_issuer

    issuer = dev_issuer(settings)
    print("Demo clients of the embedded dev issuer (development only):")
    for client in sorted(issuer.clients.values(), key=lambda c: c.client_id):
        print(f"  {client.client_id:24} secret {client.secret}")
    print(
        f"Token: curl -s -u demo-police:demo-police-secret -d grant_type=client_credentials "
        f"{settings.public_url}/oauth/token   (or: trackchild-hub token --client demo-police --state 19)"
    )


def _sdl(settings: Settings, _: argparse.Namespace) -> int:
    from .schema.build import build_schema
    from .schema.sdl import federation_sdl

    print(federation_sdl(build_schema()), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

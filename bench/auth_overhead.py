"""What authentication, field access checks and the access log cost: one nested protected query, with and without.

    python -m bench.auth_overhead [--seconds S] [--rounds R] [--concurrency C] [--no-bare] [--components]

One process, one hub (``create_app`` on a demo-seeded SQLite database in a temp folder), one uvicorn server on
127.0.0.1 in a background thread, as in ``bench.http_ratio``. Every request is the same POST with the same bearer
token (minted by the embedded dev issuer for ``demo-cpsu``, a national principal holding every read scope, so no
field is refused). Rounds alternate between targets, which differ only in what is monkeypatched in-process for the
round (and restored after it):

* **with**: the hub as it runs: the JWT is verified (RS256, claims), ``ScopeGuard`` checks and records every
  protected field, and ``AuditReads`` appends the request's reads to the hash-chained access log (one batch, one
  commit).
* **without**: ``JwtVerifier.verify`` returns the principal the token was verified to before the run, without
  verifying anything (any other token: the national principal); ``ScopeGuard._check`` does nothing (no scope
  check, no recording: the guard's ``resolve`` only calls ``next_``); ``AuditReads.on_execute`` is an async
  generator that only yields. THE FIGURE is median "with" RPS / median "without" RPS.
* **bare** (context, not part of the figure; ``--no-bare`` skips it): as "without", and the GraphQL endpoint serves
  a second schema built from the same types with ``ScopeGuard`` taken off the protected fields. Strawberry resolves
  a field with neither resolver nor extension through a fast path (no ``Info``, no argument conversion, no
  extension chain); the guard costs protected fields that fast path even when its check is patched out.
* **no-auth**, **no-log** (``--components``, context): one part left off alone, the JWT verification or the
  access-log write (the guard still checks and records), to attribute the difference.

Why ``_check`` and not ``ScopeGuard.resolve``: strawberry binds each field extension's ``resolve``/``resolve_async``
into the field's resolver chain when the schema is built (``build_field_extension_resolvers``), so replacing those
methods on the class afterwards changes nothing. ``resolve`` looks ``self._check`` up on every call, so patching
``_check`` takes effect; the patched guard is exactly "call ``next_``" plus one function call.

The patches are verified, not assumed: before every round a token that does not verify (``not-a-jwt``) must get
401 when verification is on and the reference response when it is off; a token for ``demo-ngo`` (no
``child:identity``) must get ``UNAUTHORIZED_FIELD_OR_TYPE`` errors when the guard is on and the reference response
when it is off; and the ``access_log`` table must grow by exactly (access-log rows per request) x (requests) during
a round that logs and not at all otherwise. After the last round the "with" probes run again (all restored). Every
measured response must be HTTP 200 and byte-identical to the reference response (no errors, the protected values
present), whatever the target.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.federation import Schema

from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.tokens import JwtVerifier
from trackchild_hub.http.graphql_endpoint import GraphQLEndpoint
from trackchild_hub.schema.build import build_schema
from trackchild_hub.schema.extensions.audit_reads import AuditReads
from trackchild_hub.schema.extensions.scope_guard import ScopeGuard
from trackchild_hub.settings import Settings

from ._common import command as _command
from ._common import machine, write_results
from ._load import RoundResult as LoadRound
from ._load import drive, per_round_ratios, target_stats
from ._server import ServerThread, seed

PAGE = 20
QUERY = f"""{{ cases(first: {PAGE}) {{ edges {{ node {{ reference
  ... on MissingCase {{ reporter {{ name phone }} daysMissing }}
  child {{ name aliases dateOfBirth gender currentAge guardians {{ relation name phone }} }} }} }} }} }}"""
BODY = json.dumps({"query": QUERY}).encode()
BAD_TOKEN = "not-a-jwt"
DENIED = "UNAUTHORIZED_FIELD_OR_TYPE"


@dataclass(frozen=True)
class Target:
    """What a target leaves on: JWT verification, ScopeGuard's check and recording, the access-log write."""

    name: str
    auth: bool
    guard: bool
    log: bool
    unguarded_schema: bool = False

    @property
    def logs(self) -> bool:
        return self.guard and self.log  # nothing recorded, nothing to write


WITH = Target("with", auth=True, guard=True, log=True)
WITHOUT = Target("without", auth=False, guard=False, log=False)
BARE = Target("bare", auth=False, guard=False, log=False, unguarded_schema=True)
COMPONENTS = (Target("no-auth", auth=False, guard=True, log=True), Target("no-log", auth=True, guard=True, log=False))


# --- setup ---------------------------------------------------------------------------------------------------


def graphql_endpoint(app: Starlette) -> GraphQLEndpoint:
    """The endpoint object behind ``/graphql`` (its ``schema`` attribute is read on every request)."""
    for route in app.routes:
        owner = getattr(route.endpoint, "__self__", None) if isinstance(route, Route) else None
        if isinstance(owner, GraphQLEndpoint):
            return owner
    raise SystemExit("create_app has no /graphql route served by a GraphQLEndpoint")


def unguarded_schema(schema: Schema, *, mask_internal_errors: bool) -> tuple[Schema, int]:
    """A schema built from the same types with ``ScopeGuard`` off every field; returns it and the fields freed."""
    guarded: dict[int, Any] = {}
    for concrete in schema.schema_converter.type_map.values():
        for strawberry_field in getattr(getattr(concrete, "definition", None), "fields", None) or []:
            if any(isinstance(e, ScopeGuard) for e in strawberry_field.extensions):
                guarded[id(strawberry_field)] = strawberry_field
    saved = {key: list(f.extensions) for key, f in guarded.items()}
    try:
        for f in guarded.values():
            f.extensions = [e for e in f.extensions if not isinstance(e, ScopeGuard)]
        bare = build_schema(mask_internal_errors=mask_internal_errors)
    finally:
        for key, f in guarded.items():
            f.extensions = saved[key]
    return bare, len(guarded)


# --- the patches ---------------------------------------------------------------------------------------------


def _no_check(self: ScopeGuard, source: Any, info: Any) -> None:
    """ScopeGuard without its check and its recording: ``resolve``/``resolve_async`` then only call ``next_``."""


async def _no_access_log(self: AuditReads) -> AsyncIterator[None]:
    yield


@contextlib.contextmanager
def patched(
    target: Target, principals: dict[str, Principal], fallback: Principal, endpoint: GraphQLEndpoint, bare: Schema
) -> Iterator[None]:
    """Installs what ``target`` leaves off for the duration of the block (restored on leaving it)."""

    async def unverified(self: JwtVerifier, token: str) -> Principal:
        # The principal the real verifier produced for this token before the run (any other token: ``fallback``).
        return principals.get(token, fallback)

    with contextlib.ExitStack() as stack:
        if not target.auth:
            stack.enter_context(mock.patch.object(JwtVerifier, "verify", unverified))
        if not target.guard:
            stack.enter_context(mock.patch.object(ScopeGuard, "_check", _no_check))
        if not target.log:
            stack.enter_context(mock.patch.object(AuditReads, "on_execute", _no_access_log))
        if target.unguarded_schema:
            stack.enter_context(mock.patch.object(endpoint, "schema", bare))
        yield


# --- serving -------------------------------------------------------------------------------------------------


# --- checks --------------------------------------------------------------------------------------------------


def access_log_rows(database: Path) -> int:
    connection = sqlite3.connect(database)
    try:
        row = connection.execute("SELECT count(*) FROM access_log").fetchone()
    finally:
        connection.close()
    return int(row[0])


def protected_values(data: Any) -> Counter[str]:
    """Non-null protected values in the query's data, by field path."""
    found: Counter[str] = Counter()

    def count(prefix: str, obj: Any, names: tuple[str, ...]) -> None:
        for name in names:
            if isinstance(obj, dict) and obj.get(name) is not None:
                found[f"{prefix}.{name}"] += 1

    for edge in data["cases"]["edges"]:
        node = edge["node"]
        count("reporter", node.get("reporter"), ("name", "phone"))
        child = node["child"]
        count("child", child, ("name", "aliases", "dateOfBirth"))
        for guardian in child.get("guardians") or []:
            count("guardian", guardian, ("name", "phone"))
    return found


def describe(response: httpx.Response) -> str:
    """Why a response is not the reference, for the failure report."""
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {response.text[:300]}"
    if isinstance(body, dict) and "errors" in body:
        return f"errors: {json.dumps(body['errors'])[:300]}"
    return f"differs from the reference response: {response.text[:300]}"


def _error_codes(response: httpx.Response) -> set[str | None]:
    try:
        body = response.json()
    except ValueError:
        return set()
    errors = body.get("errors", []) if isinstance(body, dict) else []
    return {e.get("extensions", {}).get("code") for e in errors if isinstance(e, dict)}


def headers(token: str) -> dict[str, str]:
    return {"content-type": "application/json", "accept": "application/json", "authorization": f"Bearer {token}"}


@dataclass
class Probe:
    """Requests, outside the timed rounds, that tell whether each patch is in effect."""

    client: httpx.AsyncClient
    url: str
    reference: bytes
    ngo_token: str

    async def problems(self, target: Target) -> list[str]:
        problems: list[str] = []
        bad = await self.client.post(self.url, content=BODY, headers=headers(BAD_TOKEN))
        ngo = await self.client.post(self.url, content=BODY, headers=headers(self.ngo_token))
        name = target.name
        if target.auth and bad.status_code != 401:
            problems.append(f"{name}: a token that does not verify got HTTP {bad.status_code}, not 401")
        if not target.auth and bad.content != self.reference:  # unverified: the national principal, refused nothing
            problems.append(f"{name}: verification still on? a bad token got {describe(bad)}")
        if target.guard and (ngo.status_code != 200 or _error_codes(ngo) != {DENIED}):
            problems.append(f"{name}: scope check off? demo-ngo was not refused the protected fields: {describe(ngo)}")
        if not target.guard and ngo.content != self.reference:
            problems.append(f"{name}: scope check still on? demo-ngo got {describe(ngo)}")
        return problems


# --- load ----------------------------------------------------------------------------------------------------


@dataclass
class RoundResult(LoadRound):
    log_rows: int = 0  # access-log rows written during the round
    problems: list[str] = field(default_factory=list)  # patch verification

    def summary(self) -> dict[str, Any]:
        return {**super().summary(), "access_log_rows": self.log_rows, "verification_problems": self.problems}


@dataclass
class Bench:
    args: argparse.Namespace
    url: str
    database: Path
    token: str
    ngo_token: str
    principals: dict[str, Principal]
    endpoint: GraphQLEndpoint
    bare: Schema
    targets: tuple[Target, ...]
    verification: dict[str, Any] = field(default_factory=dict)

    def patched(self, target: Target) -> contextlib.AbstractContextManager[None]:
        return patched(target, self.principals, self.principals[self.token], self.endpoint, self.bare)

    async def reference(self, client: httpx.AsyncClient) -> bytes:
        """The "with" response to the query, checked; every measured response must equal it byte for byte."""
        before = access_log_rows(self.database)
        checks = Counter[str]()
        counting = _counting(checks)
        with mock.patch.object(ScopeGuard, "_check", counting):
            response = await client.post(self.url, content=BODY, headers=headers(self.token))
        rows = access_log_rows(self.database) - before
        if response.status_code != 200:
            raise SystemExit(f"reference request failed: {describe(response)}")
        body = response.json()
        if "errors" in body or len(body["data"]["cases"]["edges"]) != PAGE:
            raise SystemExit(f"reference request failed: {describe(response)}")
        values = protected_values(body["data"])
        if not values["child.name"] or not values["guardian.phone"]:
            raise SystemExit(f"the reference response lacks protected values: {dict(values)}")
        if rows <= 0:
            raise SystemExit("the reference request wrote nothing to the access log")
        self.verification.update(
            access_log_rows_per_request=rows,
            guard_checks_per_request=sum(checks.values()),
            guard_checks_by_field=dict(sorted(checks.items())),
            protected_values_per_response=dict(sorted(values.items())),
            response_bytes=len(response.content),
        )
        return response.content

    async def measure(self) -> list[RoundResult]:
        args = self.args
        limits = httpx.Limits(max_connections=args.concurrency + 2, max_keepalive_connections=args.concurrency + 2)
        results: list[RoundResult] = []
        async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(30.0)) as client:
            reference = await self.reference(client)
            probe = Probe(client, self.url, reference, self.ngo_token)
            for target in self.targets:  # warm-up: connections, caches, the first queries; not recorded
                with self.patched(target):
                    problems = await probe.problems(target)
                    warm = await self._drive(client, reference, target.name, args.warmup, 10**9, 0)
                if problems or warm.failures:
                    _print_failures(target.name, warm.failures + problems)
                    raise SystemExit(f"{target.name}: warm-up failed, not measuring")
            for round_ in range(1, args.rounds + 1):
                for target in self.targets:
                    with self.patched(target):
                        problems = await probe.problems(target)
                        before = access_log_rows(self.database)
                        result = await self.drive_round(client, reference, target, round_)
                        result.log_rows = access_log_rows(self.database) - before
                    expected = result.ok * self.verification["access_log_rows_per_request"] if target.logs else 0
                    if result.log_rows != expected and not result.failures:
                        problems.append(f"{target.name}: access log grew by {result.log_rows} rows, not {expected}")
                    result.problems = problems
                    results.append(result)
                    self._print_round(result)
            # Restored: the hub verifies, checks and logs again.
            after = await probe.problems(WITH)
            self.verification["restored_after_run"] = not after
            if after:
                results[-1].problems.extend(f"after the run: {p}" for p in after)
        return results

    async def drive_round(
        self, client: httpx.AsyncClient, reference: bytes, target: Target, round_: int
    ) -> RoundResult:
        return await self._drive(client, reference, target.name, self.args.seconds, self.args.max_requests, round_)

    async def _drive(
        self, client: httpx.AsyncClient, reference: bytes, target: str, seconds: float, max_requests: int, round_: int
    ) -> RoundResult:
        def check(response: httpx.Response) -> str | None:
            return None if response.status_code == 200 and response.content == reference else describe(response)

        loaded = await drive(
            client,
            self.url,
            BODY,
            headers(self.token),
            check,
            name=target,
            concurrency=self.args.concurrency,
            seconds=seconds,
            max_requests=max_requests,
            round_=round_,
        )
        return RoundResult(**vars(loaded))

    @staticmethod
    def _print_round(result: RoundResult) -> None:
        s = result.summary()
        print(
            f"  round {result.round} {result.target:<7} {s['rps']:8.1f} req/s  p50 {s['p50_ms']:7.2f} ms  "
            f"p95 {s['p95_ms']:7.2f} ms  ok {s['ok']:5d}  failures {s['failures']}  "
            f"access-log rows {s['access_log_rows']}" + ("  PATCH CHECK FAILED" if result.problems else ""),
            flush=True,
        )


def _counting(checks: Counter[str]) -> Callable[[ScopeGuard, Any, Any], None]:
    original = ScopeGuard._check

    def counting(self: ScopeGuard, source: Any, info: Any) -> None:
        checks[f"{type(source).__name__}.{info.field_name}"] += 1
        original(self, source, info)

    return counting


# --- report --------------------------------------------------------------------------------------------------


def _print_failures(name: str, failures: list[str]) -> None:
    print(f"{name}: {len(failures)} failed requests or checks; most common:", file=sys.stderr)
    for text, count in Counter(failures).most_common(5):
        print(f"  {count:6d} x {text}", file=sys.stderr)


def _cost(numerator: dict[str, Any], denominator: dict[str, Any]) -> dict[str, float]:
    """``numerator`` (with) against ``denominator``: RPS ratio, extra time per request in % and in ms."""
    rps_with, rps_without = numerator["median_rps"], denominator["median_rps"]
    if not rps_with or not rps_without:
        return {"ratio": float("nan"), "overhead_pct": float("nan"), "extra_ms_per_request": float("nan")}
    return {
        "ratio": rps_with / rps_without,
        "overhead_pct": (rps_without / rps_with - 1) * 100,
        "extra_ms_per_request": (1 / rps_with - 1 / rps_without) * 1000,
    }


def summarise(results: list[RoundResult], targets: list[str], rows_per_request: int) -> dict[str, Any]:
    per_target: dict[str, Any] = {}
    for name in targets:
        mine = [r for r in results if r.target == name]
        stats = target_stats(results, name)
        rows = sum(r.log_rows for r in mine)
        per_target[name] = stats | {
            "access_log_rows": rows,
            "access_log_rows_per_request": rows / stats["ok"] if stats["ok"] else 0.0,
            "verification_problems": sum(len(r.problems) for r in mine),
        }

    def per_round(a: str, b: str) -> list[float]:
        return per_round_ratios(results, a, b)

    summary: dict[str, Any] = {
        "targets": per_target,
        "with_vs_without": _cost(per_target["with"], per_target["without"])
        | {"per_round": per_round("with", "without")},
        "access_log_rows_per_with_request": rows_per_request,
    }
    if "bare" in per_target:
        summary["with_vs_bare"] = _cost(per_target["with"], per_target["bare"]) | {
            "per_round": per_round("with", "bare")
        }
        summary["without_vs_bare"] = _cost(per_target["without"], per_target["bare"])
    for part in ("no-auth", "no-log"):
        if part in per_target:
            summary[f"with_vs_{part}"] = _cost(per_target["with"], per_target[part])
    return summary


def print_table(summary: dict[str, Any]) -> None:
    print()
    print(
        f"{'target':<8} {'rounds':>6} {'median RPS':>11} {'min..max RPS':>13} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8} {'ok':>7} {'failed':>7} {'log rows/req':>13}"
    )
    for name, t in summary["targets"].items():
        spread = f"{t['min_rps']:.0f}..{t['max_rps']:.0f}"
        print(
            f"{name:<8} {t['rounds']:>6} {t['median_rps']:>11.1f} {spread:>13} {t['p50_ms']:>8.2f} "
            f"{t['p95_ms']:>8.2f} {t['max_ms']:>8.0f} {t['ok']:>7} {t['failures']:>7} "
            f"{t['access_log_rows_per_request']:>13.1f}"
        )
    figure = summary["with_vs_without"]
    pairs = figure["per_round"]
    spread = f"per-round {min(pairs):.3f}..{max(pairs):.3f}" if pairs else "no per-round ratios"
    print()
    print(
        f"THE FIGURE  with RPS / without RPS = {figure['ratio']:.3f}  "
        f"({figure['overhead_pct']:+.1f} % time per request, {figure['extra_ms_per_request']:+.2f} ms; {spread})"
    )
    print(f"            access-log rows written per 'with' request: {summary['access_log_rows_per_with_request']}")
    if "with_vs_bare" in summary:
        bare, rest = summary["with_vs_bare"], summary["without_vs_bare"]
        print(
            f"context     with RPS / bare RPS = {bare['ratio']:.3f} ({bare['overhead_pct']:+.1f} %, "
            f"{bare['extra_ms_per_request']:+.2f} ms); without / bare = {rest['ratio']:.3f} "
            f"(the guard's resolver chain with its check patched out)"
        )
    for part, what in (("no-auth", "JWT verification"), ("no-log", "the access-log write")):
        if f"with_vs_{part}" in summary:
            cost = summary[f"with_vs_{part}"]
            print(
                f"component   with RPS / {part} RPS = {cost['ratio']:.3f} ({cost['overhead_pct']:+.1f} %, "
                f"{cost['extra_ms_per_request']:+.2f} ms): {what}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.auth_overhead", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measured round (default 5)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests kept in flight (default 8)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per target, alternating (default 5)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unrecorded warm-up per target (default 2 s)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap on requests per round")
    parser.add_argument("--cases", type=int, default=2000, help="demo cases to seed (default 2000)")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare (guard-free schema) context target")
    parser.add_argument(
        "--components", action="store_true", help="also measure no-auth and no-log (each removes one part alone)"
    )
    args = parser.parse_args(argv)
    if min(args.seconds, args.concurrency, args.rounds, args.max_requests, args.cases) <= 0 or args.warmup < 0:
        parser.error("--seconds, --concurrency, --rounds, --max-requests and --cases must be positive")
    targets = (WITH, WITHOUT, *(() if args.no_bare else (BARE,)), *(COMPONENTS if args.components else ()))
    names = [t.name for t in targets]

    with tempfile.TemporaryDirectory(prefix="trackchild-bench-") as tmp:
        database = Path(tmp) / "hub.db"
        settings = Settings(database_url=f"sqlite+aiosqlite:///{database}", data_dir=Path(tmp))
        started = time.perf_counter()
        seeded = asyncio.run(seed(settings, args.cases))
        print(f"seeded {seeded} demo cases into {settings.database_url} in {time.perf_counter() - started:.1f} s")
        app = create_app(settings)
        issuer = dev_issuer(settings)  # the same key and clients create_app wired (data_dir/issuer)
        token = issuer.issue(issuer.clients["demo-cpsu"])
        ngo_token = issuer.issue(issuer.clients["demo-ngo"])
        verifier = JwtVerifier(issuer, settings.audience)
        principals = {t: asyncio.run(verifier.verify(t)) for t in (token, ngo_token)}
        endpoint = graphql_endpoint(app)
        bare, freed = unguarded_schema(endpoint.schema, mask_internal_errors=settings.production)
        with ServerThread(app, "hub") as server:
            bench = Bench(
                args, server.url + "/graphql", database, token, ngo_token, principals, endpoint, bare, targets
            )
            bench.verification["guarded_fields_in_schema"] = freed
            print(
                f"{args.rounds} rounds x {args.seconds:g} s per target, concurrency {args.concurrency}, "
                f"order {', '.join(names)}, ...; principal {principals[token].client_id} "
                f"(national, {len(principals[token].scopes)} scopes)"
            )
            server_stack = {
                "http": getattr(server.server.config.http_protocol_class, "__name__", "?"),
                "loop": "uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
                "client": "httpx.AsyncClient, same process, main thread; server in a thread",
            }
            environment = machine(
                ["strawberry-graphql", "starlette", "uvicorn", "h11", "httpx", "sqlalchemy", "joserfc", "aiosqlite"]
            )
            results = asyncio.run(bench.measure())  # leaving the block stops the server (hub: lifespan shutdown)

    failed = 0
    for name in names:
        failures = [f for r in results if r.target == name for f in [*r.failures, *r.problems]]
        if failures:
            failed += len(failures)
            _print_failures(name, failures)
    verification = bench.verification
    print(
        f"\nper 'with' request: {verification['guard_checks_per_request']} guard checks, "
        f"{verification['access_log_rows_per_request']} access-log rows; protected values per response: "
        + ", ".join(f"{k} {v}" for k, v in verification["protected_values_per_response"].items())
    )
    summary = summarise(results, names, verification["access_log_rows_per_request"])
    print_table(summary)
    path = write_results(
        "auth_overhead",
        {
            "benchmark": "auth_overhead",
            "command": _command("bench.auth_overhead", argv),
            "settings": {
                "seconds": args.seconds,
                "concurrency": args.concurrency,
                "rounds": args.rounds,
                "warmup": args.warmup,
                "max_requests": args.max_requests,
                "cases": args.cases,
                "page": PAGE,
                "targets": {t.name: asdict(t) for t in targets},
                "server": server_stack,
            },
            "machine": environment,
            "query": QUERY,
            "verification": verification,
            "summary": summary,
            "rounds": [r.summary() for r in results],
        },
    )
    print(f"\nresults written to {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

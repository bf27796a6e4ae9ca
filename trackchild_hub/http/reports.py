"""``GET /reports/stats.{csv,xlsx,pdf}`` and ``/reports/progress.{csv,xlsx,pdf}``: the reports as files.

The same bearer token and scope as the API (``reports:read``): no token is 401 (with ``WWW-Authenticate``), as is
a bad one; a token without the scope is 403. The query parameters are the GraphQL arguments, spelled as
``reports/links.py`` writes them (the links the GraphQL answers carry): ``stats`` takes ``state``, ``district``,
``from``, ``to`` (its filter's fields) and ``groupBy`` (comma-separated ``StatsDimension`` names);
``progress`` takes ``state`` and ``financialYear``. They are checked by the very use cases the GraphQL fields call
(``services.stats``, ``services.progress_report``), so a refusal is the same: 400 with a JSON error naming the
parameter, 403 outside the reader's jurisdiction, and small cells are suppressed exactly as in the GraphQL answer.
An unknown parameter is refused too (a misspelt ``groupby`` must not silently give another report).

Rendering runs on a worker thread (``reports.render.render_in_thread``); the answer is an attachment that no cache
keeps (``Cache-Control: no-store``: the counts are for this reader's role and jurisdiction). Report reads are not
written to the access log: they carry counts, never a child's record (as the GraphQL ``stats`` field).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..auth.principal import Principal
from ..auth.scopes import Scope
from ..domain.errors import BadUserInput, Forbidden, HubError, NotFound, Unauthenticated
from ..domain.overload import RETRY_AFTER_S, Overloaded
from ..domain.progress_report_table import to_report_table as progress_table
from ..domain.reference import IST
from ..domain.report_table import ReportTable
from ..domain.stats import StatsDimension, StatsFilter, StatsTable
from ..domain.stats import to_report_table as stats_table
from ..reports.links import FORMATS, PREFIX, Format, split_list
from ..reports.render import RenderedReport, render_in_thread
from ..services.progress_report import progress_report
from ..services.stats import stats
from ..services.unit import Services, Unit
from .admission import Admission
from .rate_limit import RateLimited, RateLimiter

log = logging.getLogger("trackchild_hub.http")
Authenticate = Callable[[Request], Awaitable[Principal]]
Built = tuple[ReportTable, str]  # the table and the file name's stem
Builder = Callable[[Unit, Mapping[str, str]], Awaitable[Built]]

STATS_PARAMS = ("state", "district", "from", "to", "groupBy")
PROGRESS_PARAMS = ("state", "financialYear")


class ReportError(Exception):
    """A refusal as the route answers it: status, code, message, and the parameter at fault."""

    def __init__(self, status: int, code: str, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter
        self.headers: dict[str, str] = {}

    def response(self) -> Response:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.parameter is not None:
            error["parameter"] = self.parameter
        headers = {"Cache-Control": "no-store", **self.headers}
        return JSONResponse({"error": error}, self.status, headers=headers)


def _only(params: Mapping[str, str], known: tuple[str, ...]) -> None:
    for name in params:
        if name not in known:
            raise ReportError(
                400, "BAD_USER_INPUT", f"unknown parameter; this report takes {', '.join(known)}", parameter=name
            )


def _date(params: Mapping[str, str], name: str) -> date | None:
    text = params.get(name)
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(400, "BAD_USER_INPUT", f"{text!r} is not a date (YYYY-MM-DD)", parameter=name) from None


def _text(params: Mapping[str, str], name: str) -> str | None:
    text = params.get(name)
    return text.strip() or None if text is not None else None


def _dimensions(params: Mapping[str, str]) -> list[StatsDimension]:
    out = []
    for name in split_list(params.get("groupBy", "")):
        try:
            out.append(StatsDimension[name])
        except KeyError:
            known = ", ".join(d.name for d in StatsDimension)
            raise ReportError(400, "BAD_USER_INPUT", f"{name!r} is not one of {known}", parameter="groupBy") from None
    return out


def stats_scope(unit: Unit, table: StatsTable) -> str:
    """Whose figures: "Howrah (district 342), West Bengal (19)", "West Bengal (19)" or "India"."""
    geography = unit.geography
    state = geography.state(table.state) if table.state else None
    state_text = f"{state.name} ({state.code})" if state else (table.state or "India")
    if table.district:
        district = geography.district(table.district)
        name = district.name if district else table.district
        return f"{name} (district {table.district}), {state_text}"
    return state_text


async def build_stats(unit: Unit, params: Mapping[str, str]) -> Built:
    _only(params, STATS_PARAMS)
    f = StatsFilter(
        state=_text(params, "state"),
        district=_text(params, "district"),
        from_date=_date(params, "from"),
        to_date=_date(params, "to"),
    )
    table = await stats(unit, f, _dimensions(params))
    place = table.district or table.state or "india"
    stem = f"stats-{place}-{table.from_date.isoformat()}-{table.to_date.isoformat()}"
    return stats_table(table, generated_at=datetime.now(IST), scope=stats_scope(unit, table)), stem


async def build_progress(unit: Unit, params: Mapping[str, str]) -> Built:
    _only(params, PROGRESS_PARAMS)
    state, year = _text(params, "state"), _text(params, "financialYear")
    if state is None:
        raise ReportError(400, "BAD_USER_INPUT", "is required (an LGD state code)", parameter="state")
    if year is None:
        raise ReportError(400, "BAD_USER_INPUT", "is required (like 2026-27)", parameter="financialYear")
    report = await progress_report(unit, state, year)
    return progress_table(report), f"progress-{report.state}-{report.financial_year.label}"


def _parameter(field: str) -> str:
    """A use case's field path as the query parameter it came from: ``filter.from`` is ``from``."""
    return field.removeprefix("filter.")


class ReportRoutes:
    """The six download routes over the hub's services, authentication, rate limits and admission bound."""

    def __init__(
        self,
        services: Services,
        authenticate: Authenticate,
        *,
        rate_limiter: RateLimiter | None = None,
        admission: Admission | None = None,
    ) -> None:
        self.services, self.authenticate = services, authenticate
        self.rate_limiter, self.admission = rate_limiter, admission

    def routes(self) -> list[Route]:
        builders: dict[str, Builder] = {"stats": build_stats, "progress": build_progress}
        out = []
        for name, builder in builders.items():
            for fmt in FORMATS:
                out.append(Route(f"{PREFIX}{name}.{fmt}", self._endpoint(builder, fmt), methods=["GET"]))
        return out

    def _endpoint(self, builder: Builder, fmt: Format) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                return await self._answer(request, builder, fmt)
            except ReportError as exc:
                return exc.response()

        return endpoint

    async def _answer(self, request: Request, builder: Builder, fmt: Format) -> Response:
        await self._admit(request, None)
        principal = await self._principal(request)
        await self._admit(request, principal)
        if principal.is_public:
            error = ReportError(401, "UNAUTHENTICATED", "reports need a bearer token with the scope reports:read")
            error.headers["WWW-Authenticate"] = 'Bearer scope="reports:read"'
            raise error
        if not principal.has(Scope.REPORTS_READ.value):
            raise ReportError(403, "FORBIDDEN", "reports need the scope reports:read")
        params = dict(request.query_params)
        try:
            if self.admission is None:
                rendered = await self._render(principal, params, builder, fmt)
            else:
                async with self.admission.slot():
                    rendered = await self._render(principal, params, builder, fmt)
        except Overloaded as exc:
            error = ReportError(503, "OVERLOADED", exc.message)
            error.headers["Retry-After"] = str(RETRY_AFTER_S)
            raise error from None
        except BadUserInput as exc:
            raise ReportError(400, exc.code, exc.reason, parameter=_parameter(exc.field)) from None
        except (Forbidden, NotFound) as exc:
            raise ReportError(403 if isinstance(exc, Forbidden) else 404, exc.code, exc.message) from None
        except HubError as exc:  # nothing else is expected of these use cases; never a 500 with a trace
            log.warning("report %s refused: %s", request.url.path, exc.code)
            raise ReportError(400, exc.code, exc.message) from None
        headers = {
            "Content-Disposition": f'attachment; filename="{rendered.filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        }
        return Response(rendered.body, media_type=rendered.media_type, headers=headers)

    async def _render(
        self, principal: Principal, params: dict[str, str], builder: Builder, fmt: Format
    ) -> RenderedReport:
        async with Unit.opened(self.services, principal) as unit:
            table, stem = await builder(unit, params)
        return await render_in_thread(table, fmt, stem)

    async def _principal(self, request: Request) -> Principal:
        try:
            return await self.authenticate(request)
        except Unauthenticated as exc:
            description = "".join(c for c in exc.message if c.isprintable() and c not in '"\\')
            error = ReportError(401, "UNAUTHENTICATED", exc.message)
            error.headers["WWW-Authenticate"] = f'Bearer error="invalid_token", error_description="{description}"'
            raise error from None

    async def _admit(self, request: Request, principal: Principal | None) -> None:
        """The API's rate limits: per IP before the token is verified, per client once it is."""
        if self.rate_limiter is None:
            return
        try:
            if principal is None:
                await self.rate_limiter.admit_ip(request.client.host if request.client else None)
            else:
                await self.rate_limiter.admit_client(principal)
        except RateLimited as exc:
            error = ReportError(429, "RATE_LIMITED", exc.message)
            error.headers["Retry-After"] = str(exc.retry_after_s)
            raise error from None

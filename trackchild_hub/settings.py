"""One Settings object, read from the environment (prefix ``TRACKCHILD_``) once, in the composition root."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from limits import parse_many


class Environment(Enum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(ValueError):
    """A setting has a value the hub cannot use; the message names the variable."""


DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./trackchild.db"
DEFAULT_AUDIENCE = "urn:trackchild:hub"


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """Bounds on one GraphQL document, checked before it runs (see schema/extensions/query_limits.py).

    The defaults pass every query the hub's clients, tests and a federation gateway send (the deepest, a case page's
    child's guardians, is 6 levels) with room to spare, and refuse each attack seen: depth 30, 1,000 aliases,
    500 directives, nested pages of 100.
    """

    max_depth: int = 12  # TRACKCHILD_MAX_DEPTH
    max_aliases: int = 30  # TRACKCHILD_MAX_ALIASES
    max_directives: int = 50  # TRACKCHILD_MAX_DIRECTIVES
    max_tokens: int = 5000  # TRACKCHILD_MAX_TOKENS
    max_cost: int = 25000  # TRACKCHILD_MAX_COST: 1 a field, lists times their `first` (schema/extensions/query_cost.py)


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Requests to /graphql per caller, in the ``limits`` library's notation ("1200/minute;100/second"); None = off.

    Per IP counts every request before its token is checked; per client counts a verified token's client (else its
    subject). Behind a gateway every request has the gateway's IP: raise or turn off the per-IP limit there.
    """

    per_ip: str | None = "2400/minute"  # TRACKCHILD_RATE_LIMIT_PER_IP
    per_client: str | None = "1200/minute"  # TRACKCHILD_RATE_LIMIT_PER_CLIENT
    # Public writes (submitCitizenReport, reportSighting) per IP, on top of per_ip: TRACKCHILD_RATE_LIMIT_PUBLIC_WRITES
    # (mobile carriers put many people behind one IP: keep it well above what one family sends)
    public_writes_per_ip: str | None = "10/minute;100/hour"
    # caseStatus per IP (TRACKCHILD_RATE_LIMIT_CASE_STATUS), and per reference from every IP together
    # (TRACKCHILD_RATE_LIMIT_CASE_STATUS_REFERENCE): past the latter the reference is locked, answering as a wrong pair
    case_status_per_ip: str | None = "30/minute;300/hour"
    case_status_per_reference: str | None = "20/hour;50/day"
    key_prefix: str = "trackchild"  # TRACKCHILD_RATE_LIMIT_PREFIX: Redis keys; hubs sharing a prefix share counts


@dataclass(frozen=True, slots=True)
class Capacity:
    """How much work the hub takes on at once, for the whole hub: every ``serve`` worker process takes its share
    (``per_worker``), so adding workers does not multiply the connections PostgreSQL must accept.

    A request holds a pooled connection only while its own statements run, so one connection per request executing
    is enough and a request never waits long for the pool: the default in-flight bound is the pool's size. Past the
    bound up to ``max_queued`` requests wait at most ``queue_wait_ms`` for a slot; the rest are answered 503 at once.
    """

    db_pool_size: int = 10  # TRACKCHILD_DB_POOL_SIZE: connections kept open
    db_max_overflow: int = 20  # TRACKCHILD_DB_MAX_OVERFLOW: more opened under load, closed when returned
    db_pool_timeout_s: float = 3.0  # TRACKCHILD_DB_POOL_TIMEOUT_S: no connection by then = 503, not a 30 s hang
    max_in_flight: int | None = None  # TRACKCHILD_MAX_IN_FLIGHT: /graphql requests executing; None = pool size
    max_queued: int | None = None  # TRACKCHILD_MAX_QUEUED: waiting for a slot; None = as many as in flight
    queue_wait_ms: int = 200  # TRACKCHILD_QUEUE_WAIT_MS: the longest a request waits for a slot

    def per_worker(self, workers: int) -> Capacity:
        """One process's share of ``workers`` (each rounded up: every process gets at least one of each)."""
        in_flight = self.max_in_flight or self.db_pool_size + self.db_max_overflow
        return replace(
            self,
            db_pool_size=_share(self.db_pool_size, workers),
            db_max_overflow=_share(self.db_max_overflow, workers),
            max_in_flight=_share(in_flight, workers),
            max_queued=_share(self.max_queued if self.max_queued is not None else in_flight, workers),
        )


@dataclass(frozen=True, slots=True)
class Alerting:
    """Alert delivery (services/dispatch.py): the gateways, the dispatcher's pace, retries and lease."""

    sms_url: str | None = None  # TRACKCHILD_SMS_URL: JSON POST {to, text, unicode}; None = SMS alerts wait (PENDING)
    sms_token: str | None = field(default=None, repr=False)  # TRACKCHILD_SMS_TOKEN: sent as a Bearer token
    smtp_host: str | None = None  # TRACKCHILD_SMTP_HOST; None = e-mail alerts wait
    smtp_port: int = 25  # TRACKCHILD_SMTP_PORT
    smtp_from: str = "alerts@trackchild.invalid"  # TRACKCHILD_SMTP_FROM
    webhooks: tuple[str, ...] = ()  # TRACKCHILD_ALERT_WEBHOOKS: partner URLs (comma-separated) sent every alert
    webhook_secret: bytes = field(default=b"", repr=False)  # TRACKCHILD_WEBHOOK_SECRET: the HMAC-SHA256 key
    every_s: float = 2.0  # TRACKCHILD_DISPATCH_EVERY_S: how often the dispatcher looks for due alerts
    max_attempts: int = 8  # TRACKCHILD_ALERT_MAX_ATTEMPTS: then a dead letter
    backoff_s: float = 5.0  # TRACKCHILD_ALERT_BACKOFF_S: first retry's delay, doubled each try (cap 1 h), jittered
    lease_s: float = 60.0  # TRACKCHILD_ALERT_LEASE_S: a claimed alert is another dispatcher's after this
    sink: Path | None = None  # TRACKCHILD_ALERT_SINK: SMS and e-mail without a gateway appended here (the demo's)
    # The scheduled rules (services/alert_jobs.py): overdue citizen reports, the daily digest
    triage_overdue_h: int = 12  # TRACKCHILD_TRIAGE_OVERDUE_H: a citizen report waiting longer alerts its SHO
    rules_every_s: float = 300.0  # TRACKCHILD_ALERT_RULES_EVERY_S: how often `serve` runs them
    digest_hour: int = 8  # TRACKCHILD_DIGEST_HOUR: the previous day's digest goes out from this hour (IST)
    arrival_days: int = 3  # TRACKCHILD_ALERT_ARRIVAL_DAYS: synced/imported missing cases reported this recently alert


def _alerting(get: Callable[[str], str | None]) -> Alerting:
    defaults = Alerting()
    every = _seconds("DISPATCH_EVERY_S", get("DISPATCH_EVERY_S"), defaults.every_s)
    if every < 0.05:
        raise SettingsError("TRACKCHILD_DISPATCH_EVERY_S must be a number of seconds, 0.05..86400")
    lease = _seconds("ALERT_LEASE_S", get("ALERT_LEASE_S"), defaults.lease_s)
    if lease < 0.5:
        raise SettingsError("TRACKCHILD_ALERT_LEASE_S must be a number of seconds, 0.5..86400")
    webhooks = tuple(u.strip() for u in (get("ALERT_WEBHOOKS") or "").split(",") if u.strip())
    if webhooks and len(get("WEBHOOK_SECRET") or "") < 32:
        raise SettingsError("TRACKCHILD_ALERT_WEBHOOKS needs TRACKCHILD_WEBHOOK_SECRET, at least 32 characters")
    return Alerting(
        sms_url=get("SMS_URL"),
        sms_token=get("SMS_TOKEN"),
        smtp_host=get("SMTP_HOST"),
        smtp_port=_whole("SMTP_PORT", get("SMTP_PORT"), defaults.smtp_port, 1, 65535),
        smtp_from=get("SMTP_FROM") or defaults.smtp_from,
        webhooks=webhooks,
        webhook_secret=(get("WEBHOOK_SECRET") or "").encode(),
        every_s=every,
        max_attempts=_whole("ALERT_MAX_ATTEMPTS", get("ALERT_MAX_ATTEMPTS"), defaults.max_attempts, 1, 100),
        backoff_s=_seconds("ALERT_BACKOFF_S", get("ALERT_BACKOFF_S"), defaults.backoff_s),
        lease_s=lease,
        sink=Path(sink) if (sink := get("ALERT_SINK")) else None,
        triage_overdue_h=_whole("TRIAGE_OVERDUE_H", get("TRIAGE_OVERDUE_H"), defaults.triage_overdue_h, 1, 720),
        rules_every_s=max(1.0, _seconds("ALERT_RULES_EVERY_S", get("ALERT_RULES_EVERY_S"), defaults.rules_every_s)),
        digest_hour=_whole("DIGEST_HOUR", get("DIGEST_HOUR"), defaults.digest_hour, 0, 23),
        arrival_days=_whole("ALERT_ARRIVAL_DAYS", get("ALERT_ARRIVAL_DAYS"), defaults.arrival_days, 0, 3650),
    )


@dataclass(frozen=True, slots=True)
class Photos:
    """Children's photos (services/photos.py): where they are kept, what is accepted, how long a link works."""

    folder: Path | None = None  # TRACKCHILD_PHOTO_DIR; None = <data_dir>/photos
    max_bytes: int = 5_000_000  # TRACKCHILD_PHOTO_MAX_BYTES: an upload past this is refused while it is read
    max_pixels: int = 40_000_000  # TRACKCHILD_PHOTO_MAX_PIXELS: decompression bombs (at most Pillow's 89,478,485)
    url_ttl_s: int = 300  # TRACKCHILD_PHOTO_URL_TTL_S: a signed photo link works this long
    url_key: bytes = field(default=b"", repr=False)  # TRACKCHILD_PHOTO_URL_KEY; empty = generated in data_dir


def _photos(get: Callable[[str], str | None]) -> Photos:
    defaults = Photos()
    folder, key = get("PHOTO_DIR"), get("PHOTO_URL_KEY") or ""
    if key and len(key) < 32:
        raise SettingsError("TRACKCHILD_PHOTO_URL_KEY must be at least 32 characters")
    return Photos(
        folder=Path(folder) if folder else None,
        max_bytes=_whole("PHOTO_MAX_BYTES", get("PHOTO_MAX_BYTES"), defaults.max_bytes, 1_000, 100_000_000),
        max_pixels=_whole("PHOTO_MAX_PIXELS", get("PHOTO_MAX_PIXELS"), defaults.max_pixels, 1, 89_478_485),
        url_ttl_s=_whole("PHOTO_URL_TTL_S", get("PHOTO_URL_TTL_S"), defaults.url_ttl_s, 1, 86_400),
        url_key=key.encode(),
    )


def _share(total: int, workers: int) -> int:
    """``total`` split among ``workers``, rounded up (0 stays 0)."""
    return -(-total // max(1, workers))


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    oidc_issuer: str | None = None
    audience: str = DEFAULT_AUDIENCE
    connectors: Path | None = None
    redis_url: str | None = None
    # TRACKCHILD_LIVE_ALERTS_CHANNEL: the Redis pub/sub channel of live alerts; hubs sharing it share alerts
    live_alerts_channel: str = "trackchild:alerts"
    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path(".hub")
    sql_echo: bool = False
    database_schema: str | None = None
    public_url: str = "http://127.0.0.1:8000"
    public_url_explicit: bool = False  # TRACKCHILD_PUBLIC_URL was set: `serve --host/--port` leave it alone
    fanout_deadline_ms: int = 2000  # one request's whole budget for live connector calls
    # Match proposals for cases other processes wrote (sync, import, other hubs): a round this often.
    propose_every_s: float = 30.0  # TRACKCHILD_PROPOSE_EVERY_S
    workflow_every_s: float = 300.0  # TRACKCHILD_WORKFLOW_EVERY_S: how often `serve` runs the case workflow rules
    # An external issuer's JWKS is refetched when its Cache-Control max-age (bounded to [min, max]) runs out, and on an
    # unknown kid or a failed signature at most once per retry interval (a flood of bad tokens costs one fetch).
    jwks_refresh_min_s: float = 30.0
    jwks_refresh_max_s: float = 300.0
    jwks_retry_s: float = 10.0
    # The access log's HMAC keys as (key id, secret); the first keys new rows, the rest still verify older ones.
    # Empty = a development key generated in data_dir (production refuses to start without them).
    audit_keys: tuple[tuple[str, bytes], ...] = field(default=(), repr=False)
    audit_anchor: Path | None = None  # the chain's head, kept outside the database; default data_dir/audit-anchor.json
    query_limits: QueryLimits = QueryLimits()
    rate_limits: RateLimits = RateLimits()  # counted in Redis when redis_url is set, so they hold across processes
    capacity: Capacity = Capacity()  # the whole hub's; ``process_capacity`` is this process's share
    workers: int = 1  # TRACKCHILD_WORKERS: processes serving together (`serve --workers`), sharing ``capacity``
    alerting: Alerting = Alerting()  # SMS, e-mail and webhook gateways; the dispatcher's pace and retries
    photos: Photos = Photos()  # children's photos: store folder, size and pixel limits, signed links

    @property
    def production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def photo_dir(self) -> Path:
        """Where photos are kept: TRACKCHILD_PHOTO_DIR, else the data folder's ``photos``."""
        return self.photos.folder or self.data_dir / "photos"

    @property
    def process_capacity(self) -> Capacity:
        """This process's pool and admission bounds: its share of ``capacity`` among ``workers``."""
        return self.capacity.per_worker(self.workers)

    def serving_at(self, host: str, port: int) -> Settings:
        """These settings for a hub listening on ``host:port``: the advertised URL (token issuer, discovery, banner)
        follows unless TRACKCHILD_PUBLIC_URL named it. A wildcard host advertises loopback: set the public URL."""
        if self.public_url_explicit:
            return self
        shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
        shown = f"[{shown}]" if ":" in shown else shown
        return replace(self, public_url=f"http://{shown}:{port}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        def get(name: str) -> str | None:
            value = environ.get(f"TRACKCHILD_{name}")
            return value.strip() if value and value.strip() else None

        env_text = get("ENV") or Environment.DEVELOPMENT.value
        try:
            env = Environment(env_text.lower())
        except ValueError:
            raise SettingsError(f"TRACKCHILD_ENV={env_text!r} is not one of: development, production") from None
        database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
        if not database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise SettingsError("TRACKCHILD_DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        if env is Environment.PRODUCTION and not get("OIDC_ISSUER"):
            raise SettingsError(
                "TRACKCHILD_ENV=production needs TRACKCHILD_OIDC_ISSUER (the embedded dev issuer is for development)"
            )
        audit_keys = _audit_keys(get("AUDIT_KEYS"))
        if env is Environment.PRODUCTION and not audit_keys:
            raise SettingsError(
                "TRACKCHILD_ENV=production needs TRACKCHILD_AUDIT_KEYS (kid:base64-secret,…; the first keys new rows)"
            )
        refresh = {name: _seconds(name, get(name), default) for name, default in _JWKS_DEFAULTS.items()}
        if refresh["JWKS_REFRESH_MIN_S"] > refresh["JWKS_REFRESH_MAX_S"]:
            raise SettingsError("TRACKCHILD_JWKS_REFRESH_MIN_S must not exceed TRACKCHILD_JWKS_REFRESH_MAX_S")
        anchor = get("AUDIT_ANCHOR")
        connectors = get("CONNECTORS")
        deadline = get("FANOUT_DEADLINE_MS") or "2000"
        if not deadline.isdigit() or not 50 <= int(deadline) <= 60000:
            raise SettingsError("TRACKCHILD_FANOUT_DEADLINE_MS must be a whole number of milliseconds, 50..60000")
        return cls(
            database_url=database_url,
            oidc_issuer=get("OIDC_ISSUER"),
            audience=get("AUDIENCE") or DEFAULT_AUDIENCE,
            connectors=Path(connectors) if connectors else None,
            redis_url=get("REDIS_URL"),
            live_alerts_channel=get("LIVE_ALERTS_CHANNEL") or "trackchild:alerts",
            env=env,
            data_dir=Path(get("DATA_DIR") or ".hub"),
            sql_echo=(get("SQL_ECHO") or "").lower() in {"1", "true", "yes"},
            database_schema=get("DATABASE_SCHEMA"),
            public_url=(get("PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/"),
            public_url_explicit=get("PUBLIC_URL") is not None,
            fanout_deadline_ms=int(deadline),
            propose_every_s=_propose_every_s(get("PROPOSE_EVERY_S")),
            workflow_every_s=max(1.0, _seconds("WORKFLOW_EVERY_S", get("WORKFLOW_EVERY_S"), 300.0)),
            jwks_refresh_min_s=refresh["JWKS_REFRESH_MIN_S"],
            jwks_refresh_max_s=refresh["JWKS_REFRESH_MAX_S"],
            jwks_retry_s=refresh["JWKS_RETRY_S"],
            audit_keys=audit_keys,
            audit_anchor=Path(anchor) if anchor else None,
            query_limits=_query_limits(get),
            rate_limits=_rate_limits(get),
            capacity=_capacity(get),
            workers=_whole("WORKERS", get("WORKERS"), 1, 1, 1024),
            alerting=_alerting(get),
            photos=_photos(get),
        )


_JWKS_DEFAULTS = {"JWKS_REFRESH_MIN_S": 30.0, "JWKS_REFRESH_MAX_S": 300.0, "JWKS_RETRY_S": 10.0}
_KEY_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")
MIN_AUDIT_KEY_BYTES = 32
_URL_SAFE = str.maketrans("-_", "+/")


def _seconds(name: str, text: str | None, default: float) -> float:
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:
        raise SettingsError(f"TRACKCHILD_{name} must be a number of seconds, 0..86400")
    return value


def _propose_every_s(text: str | None) -> float:
    value = _seconds("PROPOSE_EVERY_S", text, 30.0)
    if value < 0.05:
        raise SettingsError("TRACKCHILD_PROPOSE_EVERY_S must be a number of seconds, 0.05..86400")
    return value


def _audit_keys(text: str | None) -> tuple[tuple[str, bytes], ...]:
    """``kid1:base64,kid2:base64`` → ((kid, secret), …), checked: distinct ids, secrets of at least 32 bytes."""
    if text is None:
        return ()
    keys: list[tuple[str, bytes]] = []
    for item in text.split(","):
        kid, _, encoded = item.strip().partition(":")
        encoded = encoded.strip().rstrip("=").translate(_URL_SAFE)  # either alphabet, padding optional
        try:
            secret = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except binascii.Error:
            secret = b""
        if not _KEY_ID.fullmatch(kid) or len(secret) < MIN_AUDIT_KEY_BYTES or kid in dict(keys):
            raise SettingsError(
                "TRACKCHILD_AUDIT_KEYS must be kid:base64-secret pairs separated by commas, each kid distinct "
                f"([A-Za-z0-9._-], at most 40), each secret at least {MIN_AUDIT_KEY_BYTES} bytes; "
                f"the entry for {kid[:40]!r} is not"
            )
        keys.append((kid, secret))
    return tuple(keys)


def _query_limits(get: Callable[[str], str | None]) -> QueryLimits:
    names = ("max_depth", "max_aliases", "max_directives", "max_tokens", "max_cost")
    texts = {name: get(name.upper()) for name in names}
    values = {name: _whole(name.upper(), text, 0, 1, 1_000_000_000) for name, text in texts.items() if text is not None}
    return QueryLimits(**values)


def _rate_limits(get: Callable[[str], str | None]) -> RateLimits:
    defaults = RateLimits()
    prefix = get("RATE_LIMIT_PREFIX") or defaults.key_prefix
    if len(prefix) > 40 or not prefix.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise SettingsError("TRACKCHILD_RATE_LIMIT_PREFIX must be 1..40 of A-Z a-z 0-9 . _ -")
    return RateLimits(
        per_ip=_rate("RATE_LIMIT_PER_IP", get("RATE_LIMIT_PER_IP"), defaults.per_ip),
        per_client=_rate("RATE_LIMIT_PER_CLIENT", get("RATE_LIMIT_PER_CLIENT"), defaults.per_client),
        public_writes_per_ip=_rate(
            "RATE_LIMIT_PUBLIC_WRITES", get("RATE_LIMIT_PUBLIC_WRITES"), defaults.public_writes_per_ip
        ),
        case_status_per_ip=_rate("RATE_LIMIT_CASE_STATUS", get("RATE_LIMIT_CASE_STATUS"), defaults.case_status_per_ip),
        case_status_per_reference=_rate(
            "RATE_LIMIT_CASE_STATUS_REFERENCE",
            get("RATE_LIMIT_CASE_STATUS_REFERENCE"),
            defaults.case_status_per_reference,
        ),
        key_prefix=prefix,
    )


def _capacity(get: Callable[[str], str | None]) -> Capacity:
    defaults = Capacity()
    in_flight, queued = get("MAX_IN_FLIGHT"), get("MAX_QUEUED")
    timeout = _seconds("DB_POOL_TIMEOUT_S", get("DB_POOL_TIMEOUT_S"), defaults.db_pool_timeout_s)
    if not 0.05 <= timeout <= 60:
        raise SettingsError("TRACKCHILD_DB_POOL_TIMEOUT_S must be a number of seconds, 0.05..60")
    return Capacity(
        db_pool_size=_whole("DB_POOL_SIZE", get("DB_POOL_SIZE"), defaults.db_pool_size, 1, 1000),
        db_max_overflow=_whole("DB_MAX_OVERFLOW", get("DB_MAX_OVERFLOW"), defaults.db_max_overflow, 0, 1000),
        db_pool_timeout_s=timeout,
        max_in_flight=_whole("MAX_IN_FLIGHT", in_flight, 0, 1, 100_000) if in_flight else None,
        max_queued=_whole("MAX_QUEUED", queued, 0, 0, 100_000) if queued else None,
        queue_wait_ms=_whole("QUEUE_WAIT_MS", get("QUEUE_WAIT_MS"), defaults.queue_wait_ms, 0, 10_000),
    )


def _whole(name: str, text: str | None, default: int, low: int, high: int) -> int:
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise SettingsError(f"TRACKCHILD_{name} must be a whole number, {low}..{high}")
    return int(text)


def _rate(name: str, text: str | None, default: str | None) -> str | None:
    if text is None:
        return default
    if text.lower() == "off":
        return None
    try:
        usable = all(item.amount >= 1 for item in parse_many(text))
    except ValueError:
        usable = False
    if not usable:
        raise SettingsError(
            f"TRACKCHILD_{name}={text!r} is not a rate such as 1200/minute or 100/second;1200/minute (or off)"
        )
    return text

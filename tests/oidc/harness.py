"""Run the external OpenID provider of tests/oidc (`oidc-provider` on Node) and talk to it from tests.

`start_provider()` installs the pinned npm packages if needed, starts `node provider.mjs` on a free loopback port and
returns an `OidcProvider`; the session fixture `oidc_provider` (exported here, re-exported by tests/oidc/conftest.py)
wraps it. Everything is synchronous (subprocess + httpx.Client) so it suits sync and async tests alike.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import npm

HERE = Path(__file__).resolve().parent
AUDIENCE = "urn:trackchild:hub"
START_TIMEOUT_SECONDS = 60.0
PINNED_VERSION: str = npm.pinned_versions(HERE)["oidc-provider"]
_LISTENING = re.compile(r"^listening on (\d+)$")


@dataclass(frozen=True)
class OidcClient:
    """A client registered at the provider (from its `GET /_test/clients`)."""

    client_id: str
    secret: str
    auth_method: str  # as registered (client_secret_basic); oidc-provider accepts client_secret_post as well
    agency: str
    state: str | None
    district: str | None
    scopes: tuple[str, ...]  # every scope the client's role allows


def installed_version() -> str | None:
    """The oidc-provider version in tests/oidc/node_modules, or None when it is not installed."""
    return npm.installed_version(HERE, "oidc-provider")


def ensure_node_modules() -> float:
    """`npm ci` in tests/oidc unless the pinned oidc-provider is installed (see tests/npm.py); the seconds it took."""
    return npm.ensure_node_modules(HERE)


class OidcProvider:
    """A running `node provider.mjs`: its issuer, clients and test-only controls."""

    def __init__(
        self, process: subprocess.Popen[str], port: int, audience: str, log: list[str], reader: threading.Thread
    ):
        self.process = process
        self.port = port
        self.audience = audience
        self.issuer = f"http://127.0.0.1:{port}"
        self.npm_ci_seconds = 0.0
        self.start_seconds = 0.0
        self._log = log
        self._reader = reader
        self._http = httpx.Client(base_url=self.issuer, timeout=10.0)
        self.discovery: dict[str, Any] = self._get_json("/.well-known/openid-configuration")
        self.jwks_uri: str = self.discovery["jwks_uri"]
        self.token_endpoint: str = self.discovery["token_endpoint"]
        self.clients: dict[str, OidcClient] = {
            c["client_id"]: OidcClient(
                client_id=c["client_id"],
                secret=c["client_secret"],
                auth_method=c["token_endpoint_auth_method"],
                agency=c["agency"],
                state=c.get("state"),
                district=c.get("district"),
                scopes=tuple(c["scopes"]),
            )
            for c in self._get_json("/_test/clients")["clients"]
        }

    # -- tokens from the real token endpoint ------------------------------------------------------------------------

    def request_token(
        self,
        client_id: str,
        secret: str | None = None,
        scope: str | None = None,
        *,
        auth_method: str | None = None,
        resource: str | None = None,
    ) -> httpx.Response:
        """POST a client-credentials request to the token endpoint and return the raw response (for error tests).

        `secret` defaults to the registered one; `auth_method` "client_secret_basic" (default: HTTP Basic) or
        "client_secret_post" (id and secret in the form); `scope=None` sends no scope parameter (the token then has
        no `scope` claim); `resource` is the RFC 8707 resource indicator (default: the hub's audience)."""
        client = self.clients.get(client_id)
        if secret is None:
            secret = client.secret if client else f"{client_id}-secret"
        method = auth_method or (client.auth_method if client else "client_secret_basic")
        data = {"grant_type": "client_credentials"}
        if scope is not None:
            data["scope"] = scope
        if resource is not None:
            data["resource"] = resource
        if method == "client_secret_post":
            return self._http.post(self.token_endpoint, data={**data, "client_id": client_id, "client_secret": secret})
        return self._http.post(self.token_endpoint, data=data, auth=(client_id, secret))

    def token(self, client_id: str, secret: str | None = None, scope: str | None = None) -> str:
        """A JWT access token by a real client-credentials request (client_secret_basic).

        `scope=None` asks for every scope the client's role allows; scopes beyond the role are dropped by the
        provider. `secret` defaults to the registered `<client_id>-secret`."""
        if scope is None and client_id in self.clients:
            scope = " ".join(self.clients[client_id].scopes)
        response = self.request_token(client_id, secret, scope)
        if response.status_code != 200:
            raise AssertionError(f"token request for {client_id} failed: {response.status_code} {response.text}")
        return str(response.json()["access_token"])

    # -- keys ---------------------------------------------------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        """The published JWKS (public keys) from `jwks_uri`."""
        return self._get_json(self.jwks_uri)

    def current_kid(self) -> str:
        """The kid of the key that signs new tokens."""
        return str(self._get_json("/_test/keys")["current"])

    def private_jwks(self) -> dict[str, Any]:
        """The provider's private keys, signing key first, as a JWKS (e.g. for joserfc `KeySet.import_key_set`)."""
        return {"keys": self._get_json("/_test/keys")["keys"]}

    def rotate(self, *, keep_old: bool = True) -> str:
        """Replace the signing key in place (same process, same issuer) and return the new kid. Later tokens use it;
        the JWKS lists it first and keeps the previous keys (`keep_old=True`) or drops them."""
        response = self._http.post("/_test/rotate", json={"keep_old": keep_old})
        response.raise_for_status()
        return str(response.json()["kid"])

    def set_keys(self, keys: list[dict[str, Any]]) -> str:
        """Replace the whole key set with ``keys`` (private JWKs, the first signs); return the signing kid."""
        response = self._http.put("/_test/keys", json={"keys": keys})
        response.raise_for_status()
        return str(response.json()["kid"])

    @contextlib.contextmanager
    def keys_restored(self) -> Iterator[OidcProvider]:
        """Rotate freely inside: the keys of before (and so the kid later tests see) are put back on the way out,
        whether the body passed or failed. Tests that rotate the session-wide provider must use this."""
        saved = self.private_jwks()["keys"]
        try:
            yield self
        finally:
            self.set_keys(saved)

    # -- minted tokens for rejection tests ---------------------------------------------------------------------------

    def mint(
        self,
        client_id: str = "ext-police",
        *,
        scope: str | None = None,
        audience: str | None = None,
        expires_in: int | None = None,
        claims: dict[str, Any] | None = None,
        signer: str = "current",
    ) -> str:
        """A token shaped like the provider's own (same claims for the client), with overrides.

        `scope=None` = all the role's scopes; `audience` default the hub's; `expires_in` seconds from now (negative =
        expired; default the TTL); `claims` set claims (None removes one); `signer` is "current" (the provider's
        signing key), "rogue" (a key not in the JWKS, under the current kid) or "none" (alg=none, unsigned)."""
        body: dict[str, Any] = {"client_id": client_id, "signer": signer, "claims": claims or {}}
        for name, value in (("scope", scope), ("audience", audience), ("expires_in", expires_in)):
            if value is not None:
                body[name] = value
        response = self._http.post("/_test/token-with", json=body)
        if response.status_code != 200:
            raise AssertionError(f"minting failed: {response.status_code} {response.text}")
        return str(response.json()["access_token"])

    def expired_token(self, client_id: str = "ext-police", *, scope: str | None = None, ago: int = 300) -> str:
        """A token signed by the current key that expired `ago` seconds ago (beyond any sane clock-skew leeway)."""
        return self.mint(client_id, scope=scope, expires_in=-ago)

    def wrong_audience_token(
        self, client_id: str = "ext-police", *, audience: str = "urn:example:not-the-hub", scope: str | None = None
    ) -> str:
        """A valid, current-key token for another audience."""
        return self.mint(client_id, scope=scope, audience=audience)

    def rogue_token(self, client_id: str = "ext-police", *, scope: str | None = None) -> str:
        """A token claiming the current kid but signed by a key the provider never published (bad signature)."""
        return self.mint(client_id, scope=scope, signer="rogue")

    def unsigned_token(self, client_id: str = "ext-police", *, scope: str | None = None) -> str:
        """An `alg: none` token with otherwise valid claims."""
        return self.mint(client_id, scope=scope, signer="none")

    # -- lifecycle ----------------------------------------------------------------------------------------------------

    def output(self) -> str:
        """What the provider process printed so far (stdout and stderr)."""
        return "".join(self._log)

    def close(self) -> None:
        """Stop the provider (SIGTERM, then SIGKILL after 10 s) and release its pipes."""
        self._http.close()
        if self.process.stdin is not None:
            self.process.stdin.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def _get_json(self, url: str) -> dict[str, Any]:
        response = self._http.get(url)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result


def start_provider(
    *, audience: str = AUDIENCE, keys_file: Path | None = None, ttl: int | None = None, npm_ci_seconds: float = 0.0
) -> OidcProvider:
    """Start `node provider.mjs` on a free loopback port and wait (at most 60 s) for its "listening on PORT" line.
    The caller must `close()` the result. Fails the test with the provider's output if it does not come up."""
    node = npm.require_node()
    command = [node, "provider.mjs", "--port", "0", "--audience", audience, "--exit-with-stdin"]
    if keys_file is not None:
        command += ["--keys", str(keys_file)]
    if ttl is not None:
        command += ["--ttl", str(ttl)]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=HERE,
        stdin=subprocess.PIPE,  # held open: the provider exits when it closes, even if this process is killed
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NODE_ENV": "test"},
    )
    log: list[str] = []
    ports: list[int] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            log.append(line)
            match = _LISTENING.match(line.strip())
            if match and not ports:
                ports.append(int(match.group(1)))
                ready.set()
        ready.set()  # the process ended: stop waiting

    reader = threading.Thread(target=read, name="oidc-provider-output", daemon=True)
    reader.start()
    ready.wait(START_TIMEOUT_SECONDS)
    if not ports:
        process.kill()
        process.wait(timeout=10)
        reader.join(timeout=10)
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()
        state = f"exited with {process.returncode}" if ready.is_set() else f"not ready in {START_TIMEOUT_SECONDS:.0f} s"
        pytest.fail(f"oidc-provider ({' '.join(command)}) {state}:\n{''.join(log)}")
    provider = OidcProvider(process, ports[0], audience, log, reader)
    provider.start_seconds = time.monotonic() - started
    provider.npm_ci_seconds = npm_ci_seconds
    return provider


@contextlib.contextmanager
def running_provider(**options: Any) -> Iterator[OidcProvider]:
    """`start_provider(**options)` as a context manager (installs node_modules first if needed)."""
    seconds = ensure_node_modules()
    provider = start_provider(npm_ci_seconds=seconds, **options)
    try:
        yield provider
    finally:
        provider.close()


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OidcProvider]:
    """The external OpenID provider for the whole session (issuer http://127.0.0.1:<free port>, audience
    urn:trackchild:hub). A test that rotates its keys does so inside ``oidc_provider.keys_restored()``, so no later
    test sees the keys (or the kid) it left."""
    with running_provider() as provider:
        yield provider

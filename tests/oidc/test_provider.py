"""The external OpenID provider harness on its own (no hub): discovery, JWT access tokens, rotation, bad tokens."""

from __future__ import annotations

import base64
import json
import time
from typing import TYPE_CHECKING, Any

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidClaimError, InvalidKeyIdError
from joserfc.jwk import KeySet, RSAKey

from tests.oidc.harness import AUDIENCE, PINNED_VERSION, installed_version, running_provider

if TYPE_CHECKING:
    from pathlib import Path

    from tests.oidc.harness import OidcProvider

CONTRACT_SCOPES = {
    "cases:read",
    "cases:write",
    "child:identity",
    "child:sensitive",
    "care:write",
    "matches:read",
    "matches:review",
    "institutions:write",
    "directory:write",
    "reports:read",
    "audit:read",
    "alerts:read",
}


def _segment(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def _verify(provider: OidcProvider, token: str) -> jwt.Token:
    return jwt.decode(token, KeySet.import_key_set(provider.jwks()), algorithms=["RS256"])  # type: ignore[arg-type]


def _hub_registry() -> jwt.JWTClaimsRegistry:
    return jwt.JWTClaimsRegistry(aud={"essential": True, "value": AUDIENCE}, exp={"essential": True})


def test_pinned_version_is_installed(oidc_provider: OidcProvider) -> None:
    assert installed_version() == PINNED_VERSION
    assert oidc_provider.process.poll() is None


def test_discovery_document(oidc_provider: OidcProvider) -> None:
    doc = oidc_provider.discovery
    assert oidc_provider.issuer == f"http://127.0.0.1:{oidc_provider.port}"
    assert doc["issuer"] == oidc_provider.issuer
    assert doc["jwks_uri"] == f"{oidc_provider.issuer}/jwks"
    assert doc["token_endpoint"] == f"{oidc_provider.issuer}/token"
    assert "client_credentials" in doc["grant_types_supported"]
    assert {"client_secret_basic", "client_secret_post"} <= set(doc["token_endpoint_auth_methods_supported"])
    assert set(doc["scopes_supported"]) >= CONTRACT_SCOPES


def test_client_credentials_token_is_a_verifiable_jwt(oidc_provider: OidcProvider) -> None:
    token = oidc_provider.token("ext-police", "ext-police-secret", "cases:read child:identity")
    assert len(token.split(".")) == 3
    verified = _verify(oidc_provider, token)
    assert verified.header["alg"] == "RS256"
    assert verified.header["typ"] == "at+jwt"
    assert verified.header["kid"] in {k["kid"] for k in oidc_provider.jwks()["keys"]}
    claims = verified.claims
    _hub_registry().validate(claims)
    assert claims["iss"] == oidc_provider.issuer
    assert claims["aud"] == AUDIENCE
    assert claims["sub"] == claims["client_id"] == "ext-police"
    assert claims["scope"] == "cases:read child:identity"
    assert claims["agency"] == "police"
    assert claims["state"] == "19"
    assert "district" not in claims
    assert 60 <= claims["exp"] - int(time.time()) <= 400
    assert claims["jti"]


def test_scope_is_limited_to_the_role(oidc_provider: OidcProvider) -> None:
    token = oidc_provider.token("ext-police", scope="cases:read child:sensitive audit:read care:write")
    assert _verify(oidc_provider, token).claims["scope"] == "cases:read"


def test_default_scope_is_everything_the_role_allows(oidc_provider: OidcProvider) -> None:
    claims = _verify(oidc_provider, oidc_provider.token("ext-cwc")).claims
    assert set(claims["scope"].split()) == set(oidc_provider.clients["ext-cwc"].scopes)
    assert "child:sensitive" in claims["scope"].split()
    assert (claims["agency"], claims["state"], claims["district"]) == ("cwc", "19", "313")


def test_national_client_has_no_jurisdiction_claims(oidc_provider: OidcProvider) -> None:
    claims = _verify(oidc_provider, oidc_provider.token("ext-cpsu", "ext-cpsu-secret")).claims
    assert claims["agency"] == "cpsu"
    assert "state" not in claims
    assert "district" not in claims
    assert set(claims["scope"].split()) == CONTRACT_SCOPES - {"care:write"}


@pytest.mark.parametrize("auth_method", ["client_secret_basic", "client_secret_post"])
def test_both_secret_methods(oidc_provider: OidcProvider, auth_method: str) -> None:
    response = oidc_provider.request_token("ext-police", "ext-police-secret", "cases:read", auth_method=auth_method)
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "Bearer"
    assert response.json()["scope"] == "cases:read"
    claims = _verify(oidc_provider, response.json()["access_token"]).claims
    assert (claims["client_id"], claims["agency"], claims["scope"]) == ("ext-police", "police", "cases:read")


def test_no_scope_parameter_gives_a_token_without_scope(oidc_provider: OidcProvider) -> None:
    response = oidc_provider.request_token("ext-ngo")
    assert response.status_code == 200
    claims = _verify(oidc_provider, response.json()["access_token"]).claims
    assert "scope" not in claims
    assert claims["aud"] == AUDIENCE


@pytest.mark.parametrize(
    ("client_id", "secret", "auth_method"),
    [
        ("ext-police", "wrong-secret", "client_secret_basic"),
        ("ext-police", "wrong-secret", "client_secret_post"),
        ("ext-nobody", "ext-nobody-secret", "client_secret_basic"),
    ],
    ids=["wrong-secret-basic", "wrong-secret-post", "unknown-client"],
)
def test_bad_client_authentication_is_refused(
    oidc_provider: OidcProvider, client_id: str, secret: str, auth_method: str
) -> None:
    response = oidc_provider.request_token(client_id, secret, "cases:read", auth_method=auth_method)
    assert response.status_code in {400, 401}
    assert response.json()["error"] == "invalid_client"


def test_other_resource_is_refused(oidc_provider: OidcProvider) -> None:
    response = oidc_provider.request_token("ext-police", scope="cases:read", resource="urn:example:other")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_target"


def test_rotate_signs_with_a_new_published_key(oidc_provider: OidcProvider) -> None:
    published = oidc_provider.jwks()
    with oidc_provider.keys_restored():  # the session's provider: later tests see the keys of before
        before = oidc_provider.token("ext-police", scope="cases:read")
        old_kid = _segment(before, 0)["kid"]
        assert old_kid == oidc_provider.current_kid()

        new_kid = oidc_provider.rotate()
        assert new_kid != old_kid
        assert oidc_provider.current_kid() == new_kid
        after = oidc_provider.token("ext-police", scope="cases:read")
        assert _segment(after, 0)["kid"] == new_kid
        kids = [k["kid"] for k in oidc_provider.jwks()["keys"]]
        assert kids[0] == new_kid
        assert old_kid in kids  # kept by default, so tokens issued before still verify
        assert _verify(oidc_provider, before).claims["client_id"] == "ext-police"
        assert _verify(oidc_provider, after).claims["client_id"] == "ext-police"

        newest = oidc_provider.rotate(keep_old=False)
        assert [k["kid"] for k in oidc_provider.jwks()["keys"]] == [newest]
        with pytest.raises(InvalidKeyIdError):
            _verify(oidc_provider, after)  # its key is no longer published
        assert _segment(oidc_provider.token("ext-police"), 0)["kid"] == newest
    assert oidc_provider.jwks() == published
    assert oidc_provider.current_kid() == old_kid
    assert _verify(oidc_provider, before).claims["client_id"] == "ext-police"  # its key is back


def test_expired_token(oidc_provider: OidcProvider) -> None:
    token = oidc_provider.expired_token("ext-cwc", scope="cases:read")
    verified = _verify(oidc_provider, token)  # signature is fine
    assert verified.header["kid"] == oidc_provider.current_kid()
    claims = verified.claims
    assert claims["exp"] <= int(time.time()) - 240
    assert claims["iat"] < claims["exp"]
    assert (claims["aud"], claims["iss"], claims["agency"], claims["district"]) == (
        AUDIENCE,
        oidc_provider.issuer,
        "cwc",
        "313",
    )
    with pytest.raises(ExpiredTokenError):
        _hub_registry().validate(claims)


def test_wrong_audience_token(oidc_provider: OidcProvider) -> None:
    token = oidc_provider.wrong_audience_token("ext-police", audience="urn:example:elsewhere")
    claims = _verify(oidc_provider, token).claims
    assert claims["aud"] == "urn:example:elsewhere"
    assert claims["exp"] > time.time()
    assert claims["iss"] == oidc_provider.issuer
    with pytest.raises(InvalidClaimError):
        _hub_registry().validate(claims)


def test_minted_token_matches_a_real_one(oidc_provider: OidcProvider) -> None:
    real = _verify(oidc_provider, oidc_provider.token("ext-dcpu", scope="cases:read reports:read")).claims
    minted = _verify(oidc_provider, oidc_provider.mint("ext-dcpu", scope="cases:read reports:read")).claims
    assert set(minted) == set(real)
    for name in ("iss", "aud", "sub", "client_id", "scope", "agency", "state", "district"):
        assert minted[name] == real[name]
    custom = _verify(oidc_provider, oidc_provider.mint("ext-dcpu", claims={"purpose": "tracing", "district": None}))
    assert custom.claims["purpose"] == "tracing"
    assert "district" not in custom.claims


def test_rogue_and_unsigned_tokens(oidc_provider: OidcProvider) -> None:
    rogue = oidc_provider.rogue_token()
    assert _segment(rogue, 0)["kid"] == oidc_provider.current_kid()
    with pytest.raises(BadSignatureError):
        _verify(oidc_provider, rogue)
    unsigned = oidc_provider.unsigned_token()
    assert _segment(unsigned, 0)["alg"] == "none"
    assert unsigned.endswith(".")
    assert _segment(unsigned, 1)["aud"] == AUDIENCE


def test_private_jwks_is_the_signing_key(oidc_provider: OidcProvider) -> None:
    private = oidc_provider.private_jwks()
    key = RSAKey.import_key(private["keys"][0])
    assert key.kid == oidc_provider.current_kid()
    assert key.is_private
    token = jwt.encode({"alg": "RS256", "kid": key.kid}, {"aud": AUDIENCE, "iss": oidc_provider.issuer}, key)
    assert _verify(oidc_provider, token).claims["aud"] == AUDIENCE


def test_keys_file_supplies_the_signing_key(tmp_path: Path) -> None:
    key = RSAKey.generate_key(2048, parameters={"kid": "from-file", "use": "sig", "alg": "RS256"})
    keys_file = tmp_path / "jwks.json"
    keys_file.write_text(json.dumps({"keys": [key.as_dict(private=True)]}))
    with running_provider(keys_file=keys_file, ttl=60) as provider:
        assert [k["kid"] for k in provider.jwks()["keys"]] == ["from-file"]
        assert "d" not in provider.jwks()["keys"][0]
        token = provider.token("ext-state_it")
        verified = jwt.decode(token, key, algorithms=["RS256"])
        assert verified.header["kid"] == "from-file"
        assert verified.claims["exp"] - verified.claims["iat"] == 60
        assert provider.start_seconds < 60

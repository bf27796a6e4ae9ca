"""Logs never carry a child's name: not in the access log (query strings), not in internal-error reports."""

from __future__ import annotations

import logging

import httpx
import pytest

from trackchild_hub.app import create_app
from trackchild_hub.resolvers.context import Services
from trackchild_hub.schema.extensions.error_codes import ErrorCodes

NAME_QUERY = '{ cases(first: 1, filter: {name: "Sunitakumari"}) { edges { cursor } } }'


async def test_access_log_has_no_query_string(store: Services, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(store.settings)
    caplog.set_level(logging.INFO)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub") as client:
            response = await client.get("/graphql", params={"query": NAME_QUERY})
    finally:
        await app.state.shutdown()
    assert response.status_code == 200
    access = [r.getMessage() for r in caplog.records if r.name == "trackchild_hub.access"]
    assert access == [access[0]]
    assert access[0].startswith("GET /graphql 200 ")
    server_side = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]  # the test's client
    assert server_side
    assert not [line for line in server_side if "Sunitakumari" in line]


def test_internal_errors_log_type_and_frames_not_message(caplog: pytest.LogCaptureFixture) -> None:
    from graphql import GraphQLError

    values = {"name": "Sunitakumari", "phone": "+919800000000"}
    try:
        raise ValueError(f"INSERT failed for {values}")  # as a driver error quotes its parameters
    except ValueError as exc:
        original = exc
    error = GraphQLError("boom", path=["reportMissing"], original_error=original)
    coded = ErrorCodes(mask_internal=True)._coded(error)
    assert coded.extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert coded.message == "Internal server error"
    assert "ValueError" in caplog.text
    assert "Sunitakumari" not in caplog.text
    assert "+919800000000" not in caplog.text

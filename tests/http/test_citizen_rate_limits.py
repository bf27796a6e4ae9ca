"""Public writes over HTTP are limited per IP (``RateLimits.public_writes_per_ip``, the HTTP limiter) on top of the
per-phone limit of the use case: the refusal is RATE_LIMITED and says when to retry; reads go on."""

from __future__ import annotations

from dataclasses import replace

from tests.factories import hub_client, seed_catalogue
from tests.schema.test_citizen_reports import SIGHTING, STATUS, sighting_input
from trackchild_hub.services.unit import Services
from trackchild_hub.settings import RateLimits


async def test_a_third_report_from_one_ip_in_a_minute_is_refused_with_when_to_retry(store: Services) -> None:
    await seed_catalogue(store)
    settings = replace(store.settings, rate_limits=RateLimits(public_writes_per_ip="2/minute"))
    answers = []
    async with hub_client(settings) as client:
        for n in range(3):  # three phones: the per-phone limit is not what refuses the third
            body = {"query": SIGHTING, "variables": {"input": sighting_input(contactPhone=f"983001234{n}")}}
            answers.append((await client.post("/graphql", json=body)).json())
        receipt = answers[0]["data"]["reportSighting"]
        status_body = {"query": STATUS, "variables": {"r": receipt["reference"], "c": receipt["statusCode"]}}
        status = (await client.post("/graphql", json=status_body)).json()
    assert [a["data"] is not None for a in answers] == [True, True, False]
    [error] = answers[2]["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 0 < error["extensions"]["retryAfterSeconds"] <= 60
    assert "retry in" in error["message"]
    assert status["data"]["caseStatus"]["status"] == "RECEIVED"


async def test_without_a_public_write_limit_the_per_phone_limit_still_holds(store: Services) -> None:
    settings = replace(store.settings, rate_limits=RateLimits(public_writes_per_ip=None))
    async with hub_client(settings) as client:
        codes = []
        for _ in range(6):
            body = {"query": SIGHTING, "variables": {"input": sighting_input()}}
            answer = (await client.post("/graphql", json=body)).json()
            codes.append(answer["errors"][0]["extensions"]["code"] if "errors" in answer else "OK")
    assert codes == ["OK"] * 5 + ["RATE_LIMITED"]

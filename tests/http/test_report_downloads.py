"""``/reports/stats.{csv,xlsx,pdf}`` and ``/reports/progress.{csv,xlsx,pdf}`` over real HTTP with the embedded
issuer's tokens, on both backends: 401 without a token or with a bad one, 403 without ``reports:read`` or outside the
jurisdiction, 400 naming the parameter; the files carry the same numbers as the GraphQL answer whose download links
they are (the hand-counted data set of tests/schema/test_stats.py)."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

import httpx
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import HOWRAH, KOLKATA, WB
from tests.live_server import serving
from tests.schema.test_stats import PERIOD, STATS, seed
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.auth.scopes import ROLE_SCOPES, Agency
from trackchild_hub.resolvers.context import Services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = "\n".join(page.extract_text() for page in pages)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch == "\n")


async def test_each_role_gets_the_files_its_scopes_allow(store: Services) -> None:
    await seed(store)
    issuer = dev_issuer(store.settings)

    def token(agency: Agency, **claims: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {issuer.issue(issuer.clients[f'demo-{agency.value}'], **claims)}"}

    with serving(create_app(store.settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            path = f"/reports/stats.csv?from={PERIOD['from']}&to={PERIOD['to']}&groupBy=DISTRICT"
            nobody = await client.get(path)
            assert nobody.status_code == 401
            assert nobody.json()["error"]["code"] == "UNAUTHENTICATED"
            assert nobody.headers["www-authenticate"].startswith("Bearer")
            forged = await client.get(path, headers={"Authorization": "Bearer not.a.token"})
            assert forged.status_code == 401
            for agency in Agency:
                response = await client.get(path, headers=token(agency, state=WB))
                if "reports:read" in ROLE_SCOPES[agency]:
                    assert response.status_code == 200, (agency, response.text)
                    assert response.headers["content-type"] == "text/csv; charset=utf-8"
                else:
                    assert response.status_code == 403, agency
                    assert response.json()["error"] == {
                        "code": "FORBIDDEN",
                        "message": "reports need the scope reports:read",
                    }


async def test_files_carry_the_graphql_answer(store: Services) -> None:
    await seed(store)
    issuer = dev_issuer(store.settings)
    scps = {"Authorization": f"Bearer {issuer.issue(issuer.clients['demo-scps'], state=WB)}"}
    with serving(create_app(store.settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            query = {"query": STATS, "variables": {"f": PERIOD, "g": ["DISTRICT"]}}
            answer: dict[str, Any] = (await client.post("/graphql", json=query, headers=scps)).json()
            got = answer["data"]["stats"]
            links = got["downloads"]
            assert links["csv"] == "/reports/stats.csv?from=2026-01-01&to=2026-06-30&groupBy=DISTRICT"

            response = await client.get(links["csv"], headers=scps)
            assert response.status_code == 200
            assert response.headers["cache-control"] == "no-store"
            assert response.headers["content-disposition"] == (
                'attachment; filename="stats-19-2026-01-01-2026-06-30.csv"'
            )
            rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
            by_district = {r["district"]: r for r in rows if r["district"] not in ("", "note")}
            assert set(by_district) == {"Howrah", "Kolkata", "Total"}
            for group in got["groups"]:
                row = by_district[group["districtName"]]
                assert (int(row["missing"]), int(row["traced"]), int(row["pending"])) == (
                    group["missing"],
                    group["traced"],
                    group["pending"],
                )
            assert int(by_district["Total"]["missing"]) == got["total"]["missing"] == 10

            response = await client.get(links["xlsx"], headers=scps)
            assert response.status_code == 200
            assert response.headers["content-type"] == XLSX
            sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
            values = [[cell.value for cell in row] for row in sheet.iter_rows()]
            header = next(i for i, row in enumerate(values) if row[0] == "District")
            assert values[header][:4] == ["District", "Missing", "Traced", "Pending"]
            assert values[header + 1][:4] == ["Howrah", 8, 4, 3]
            assert values[header + 2][:4] == ["Kolkata", 2, 1, 1]

            response = await client.get(links["pdf"], headers=scps)
            assert response.status_code == 200
            assert response.headers["content-type"] == "application/pdf"
            text = _text(response.content)
            assert "West Bengal (19)" in text
            assert "Missing and traced, by district" not in text  # the chart is an image, its words not in the text
            chart = PdfReader(io.BytesIO(response.content)).pages[0].images[0].image
            assert chart is not None
            assert chart.width > 1000  # printed at 200 dpi
            assert "Howrah" in text
            assert "Kolkata" in text


async def test_parameters_are_checked_like_the_graphql_arguments(store: Services) -> None:
    issuer = dev_issuer(store.settings)
    howrah = {"Authorization": f"Bearer {issuer.issue(issuer.clients['demo-dcpu'], state=WB, district=HOWRAH)}"}
    with serving(create_app(store.settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:

            async def refused(path: str) -> tuple[int, dict[str, Any]]:
                response = await client.get(path, headers=howrah)
                assert response.headers["cache-control"] == "no-store"
                error: dict[str, Any] = response.json()["error"]
                return response.status_code, error

            status, error = await refused("/reports/stats.csv?groupBy=DISTRICT,SHOE_SIZE")
            assert (status, error["code"], error["parameter"]) == (400, "BAD_USER_INPUT", "groupBy")
            status, error = await refused("/reports/stats.csv?from=yesterday")
            assert (status, error["parameter"]) == (400, "from")
            status, error = await refused("/reports/stats.csv?from=2026-06-01&to=2026-01-01")
            assert (status, error["parameter"]) == (400, "from")
            status, error = await refused("/reports/stats.xlsx?state=99")
            assert (status, error["parameter"]) == (400, "state")
            status, error = await refused("/reports/stats.pdf?group_by=STATE")
            assert (status, error["parameter"]) == (400, "group_by")
            status, error = await refused(f"/reports/stats.csv?district={KOLKATA}")
            assert (status, error["code"]) == (403, "FORBIDDEN")
            status, error = await refused("/reports/progress.csv?financialYear=2026-27")
            assert (status, error["parameter"]) == (400, "state")
            status, error = await refused("/reports/progress.csv?state=19")
            assert (status, error["parameter"]) == (400, "financialYear")
            status, error = await refused("/reports/progress.pdf?state=19&financialYear=2026-27")
            assert (status, error["code"]) == (403, "FORBIDDEN"), "a district's token reads no State's report"


async def test_progress_report_files(store: Services) -> None:
    await seed(store)
    issuer = dev_issuer(store.settings)
    scps = {"Authorization": f"Bearer {issuer.issue(issuer.clients['demo-scps'], state=WB)}"}
    with serving(create_app(store.settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            path = "/reports/progress.{}?state=19&financialYear=2025-26"
            response = await client.get(path.format("pdf"), headers=scps)
            assert response.status_code == 200, response.text
            assert response.headers["content-disposition"] == 'attachment; filename="progress-19-2025-26.pdf"'
            text = _text(response.content)
            assert "Mission Vatsalya progress report 2025-26" in text
            assert "West Bengal (19)" in text
            response = await client.get(path.format("xlsx"), headers=scps)
            assert response.status_code == 200
            book = load_workbook(io.BytesIO(response.content))
            assert book.sheetnames[-1] == "Notes"
            assert len(book.sheetnames) >= 3  # institutions, the further parts, the notes
            other_state = await client.get(path.replace("state=19", "state=10").format("csv"), headers=scps)
            assert other_state.status_code == 403

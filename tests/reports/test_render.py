"""render(): the right bytes, media type and a header-safe file name per format; rendered off the event loop."""

from __future__ import annotations

import asyncio
import threading

import pytest

from trackchild_hub.reports import render as render_module
from trackchild_hub.reports.render import filename, render, render_in_thread

from .tables import stats_table


@pytest.mark.parametrize(
    ("fmt", "magic", "media_type"),
    [
        ("csv", b"\xef\xbb\xbfdistrict,", "text/csv; charset=utf-8"),
        ("xlsx", b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", b"%PDF-", "application/pdf"),
    ],
)
def test_each_format(fmt: str, magic: bytes, media_type: str) -> None:
    rendered = render(stats_table(), fmt, "stats-19")  # type: ignore[arg-type]
    assert rendered.body.startswith(magic)
    assert rendered.media_type == media_type
    assert rendered.filename == f"stats-19.{fmt}"


def test_file_names_are_header_safe() -> None:
    assert filename('stats "19"/হাওড়া\r\n', "csv") == "stats-19.csv"
    assert filename("", "pdf") == "report.pdf"


async def test_rendering_runs_on_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[threading.Thread] = []
    real = render_module.render_csv

    def spy(table: object) -> bytes:
        threads.append(threading.current_thread())
        return real(table)  # type: ignore[arg-type]

    monkeypatch.setattr(render_module, "render_csv", spy)
    rendered = await render_in_thread(stats_table(), "csv", "stats")
    assert rendered.body.startswith(b"\xef\xbb\xbf")
    assert threads
    assert threads[0] is not threading.main_thread()
    assert asyncio.get_running_loop().is_running()

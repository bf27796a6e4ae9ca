"""bench.portal_load's load generator: its HTTP/1.1 client and how it sorts answers, against a scripted server."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from bench._closed_loop import Job, Target, _drive, check, shares
from bench._http1 import Connection, post_request

PAGE = json.dumps({"data": {"cases": {"edges": [{"node": {"id": str(i)}} for i in range(50)]}}}).encode()
SHORT = json.dumps({"data": {"cases": {"edges": [{"node": {"id": "1"}}]}}}).encode()
FAILED = json.dumps({"data": None, "errors": [{"message": "boom"}]}).encode()


def length_answer(status: int, body: bytes, close: bool = False) -> bytes:
    head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return (head + ("Connection: close\r\n" if close else "") + "\r\n").encode() + body


def chunked_answer(body: bytes) -> bytes:
    middle = len(body) // 2
    chunks = b"".join(f"{len(part):x};ext=1\r\n".encode() + part + b"\r\n" for part in (body[:middle], body[middle:]))
    return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\nX-Trailer: 1\r\n\r\n"


@asynccontextmanager
async def scripted(answer: Callable[[int], bytes]) -> AsyncIterator[tuple[int, list[int]]]:
    """A server answering its n-th request (over all connections) with ``answer(n)``; yields (port, connections)."""
    served = 0
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal served
        connections.append(1)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                await reader.readexactly(length)
                reply = answer(served)
                served += 1
                writer.write(reply)
                await writer.drain()
                if b"Connection: close" in reply.split(b"\r\n\r\n")[0]:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield port, connections
    finally:
        server.close()


def target(port: int) -> Target:
    return Target("t", "127.0.0.1", port, "/graphql", b'{"query":"{ x }"}', {"X-A": "1"}, "cases", 50)


async def test_the_client_reads_length_and_chunked_bodies_and_reconnects_after_close() -> None:
    answers = [length_answer(200, PAGE), chunked_answer(PAGE), length_answer(503, b"{}", close=True)]
    async with scripted(lambda n: answers[n % 3]) as (port, connections):
        connection = Connection("127.0.0.1", port)
        request = post_request("127.0.0.1", port, "/graphql", b"{}", {})
        got = [await connection.exchange(request) for _ in range(4)]
        connection.close()
    assert [a.status for a in got] == [200, 200, 503, 200]
    assert got[0].body == PAGE
    assert got[1].body == PAGE  # chunks joined, extensions and trailers dropped
    assert len(connections) == 2  # the third answer closed the connection; the fourth request opened another


def test_check_sorts_answers() -> None:
    t = target(1)
    assert check(200, PAGE, t) is None
    assert check(200, SHORT, t) == "1 edges, not 50"
    assert check(200, FAILED, t) == "GraphQL error: boom"
    assert check(500, PAGE, t) == "HTTP 500"
    assert check(200, b"<html>", t) == "not JSON"


def test_shares_split_clients_evenly_over_loaders() -> None:
    assert shares(256, 2) == [128, 128]
    assert shares(5, 2) == [3, 2]
    assert shares(1, 4) == [1]


async def test_a_round_counts_served_refused_and_errors_apart() -> None:
    # Served, refused (503), a GraphQL error, a short page: in turn, each answered at once.
    answers = [length_answer(200, PAGE), length_answer(503, b"{}"), length_answer(200, FAILED), chunked_answer(SHORT)]
    async with scripted(lambda n: answers[n % 4]) as (port, _):
        tally = await _drive(Job(target(port), clients=3, start_at=time.time(), seconds=0.5, timeout=5))
    assert len(tally.ok) > 10
    assert tally.ok_in_window <= len(tally.ok)
    assert abs(len(tally.refused) - len(tally.ok)) <= 3  # one in four each, give or take the last round trip
    assert set(tally.problems) == {"GraphQL error: boom", "1 edges, not 50"}
    assert tally.refused_without_retry_after == len(tally.refused)  # the script sends none
    assert tally.loader_cpu_s > 0


async def test_a_request_past_the_timeout_counts_as_a_timeout() -> None:
    async def never(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # reads the request and never answers
        writer.close()

    server = await asyncio.start_server(never, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        tally = await _drive(Job(target(port), clients=2, start_at=time.time(), seconds=0.1, timeout=0.3))
    finally:
        server.close()
    assert tally.ok == []
    assert tally.problems["timeout"] == 2


async def test_a_polite_client_waits_retry_after_and_an_impolite_one_does_not() -> None:
    refusal = b"HTTP/1.1 503 X\r\nRetry-After: 1\r\nContent-Length: 2\r\n\r\n{}"
    tallies = {}
    for polite in (False, True):
        async with scripted(lambda n: refusal) as (port, _):
            job = Job(target(port), clients=1, start_at=time.time(), seconds=0.6, timeout=5, honour_retry_after=polite)
            tallies[polite] = await _drive(job)
    assert len(tallies[True].refused) == 1  # asked once, then waited out the round (the 1 s is past its end)
    assert len(tallies[False].refused) > 20  # asked again at once, all round long
    assert tallies[True].refused_without_retry_after == 0

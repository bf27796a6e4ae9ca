"""The keyed access log on both databases: someone who can rewrite the table but lacks the key cannot hide a changed,
rewritten or cut-off tail from `trackchild-hub audit verify` (run as a real process), keys rotate, and several
processes appending at once leave one chain and an anchor that agrees with it."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from trackchild_hub.audit.anchor import Anchor
from trackchild_hub.audit.chain import CHAINED, legacy_row_hash, row_mac
from trackchild_hub.audit.keys import AuditKey, AuditKeys
from trackchild_hub.audit.log import Reader
from trackchild_hub.audit.verify import Verdict, verify
from trackchild_hub.audit.writer import AccessLogWriter
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.models import AccessLogRow, AuditHeadRow

K1 = AuditKey("k1", b"1" * 32)
K2 = AuditKey("k2", b"2" * 32)


def _env_keys(*keys: AuditKey) -> str:
    return ",".join(f"{k.kid}:{base64.b64encode(k.secret).decode()}" for k in keys)


def _writer(store: Services, anchor: Path, *keys: AuditKey) -> AccessLogWriter:
    keyring = AuditKeys(keys)
    return AccessLogWriter(store.sessions, keyring, Anchor(anchor, keyring))


async def _reads(writer: AccessLogWriter, count: int, tag: str = "r") -> None:
    for i in range(count):
        reader = Reader(f"{tag}-{i}", "officer-1", "demo-police", "police", "Test", "tracing")
        await writer.write(reader, [("Child", f"child-{tag}-{i}", ["name", "phone"])])


async def _verify(store: Services, anchor: Path | None, *keys: AuditKey) -> Verdict:
    keyring = AuditKeys(keys) if keys else None
    async with store.sessions() as session:
        return await verify(session, keyring, Anchor(anchor, keyring) if anchor else None)


async def _cli(store: Services, anchor: Path, keys: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TRACKCHILD_DATABASE_URL": store.settings.database_url,
        "TRACKCHILD_DATABASE_SCHEMA": store.settings.database_schema or "",
        "TRACKCHILD_DATA_DIR": str(store.settings.data_dir),
        "TRACKCHILD_AUDIT_KEYS": keys,
        "TRACKCHILD_AUDIT_ANCHOR": str(anchor),
    }
    command = [sys.executable, "-m", "trackchild_hub.cli", "audit", "verify", *extra]
    return await asyncio.to_thread(subprocess.run, command, env=env, capture_output=True, text=True, timeout=60)


async def _last_rows(store: Services, count: int) -> list[AccessLogRow]:
    async with store.sessions() as session:
        rows = await session.scalars(select(AccessLogRow).order_by(AccessLogRow.id.desc()).limit(count))
        return list(rows)[::-1]


@pytest.mark.parametrize("how", ["unkeyed again", "sha256 under its key id", "a guessed key"])
async def test_a_rewritten_tail_is_caught_even_with_its_hash_recomputed(
    store: Services, tmp_path: Path, how: str
) -> None:
    anchor = tmp_path / "anchor.json"
    await _reads(_writer(store, anchor, K1), 4)
    assert (await _verify(store, anchor, K1)).intact
    # The attacker: change the last row, recompute its link the only ways they can, and fix the head row to match.
    async with store.sessions() as session, session.begin():
        row = (await session.scalars(select(AccessLogRow).order_by(AccessLogRow.id.desc()).limit(1))).one()
        row.fields = ["nothing"]
        content = {name: getattr(row, name) for name in CHAINED}
        if how == "unkeyed again":
            row.key_id, row.hash = None, legacy_row_hash(row.prev_hash, content)
        elif how == "sha256 under its key id":
            row.hash = legacy_row_hash(row.prev_hash, content)
        else:
            row.hash = row_mac(b"guess" * 8, "k1", row.prev_hash, content)
        head = await session.get(AuditHeadRow, 1)
        assert head is not None
        head.last_hash = row.hash
        rewritten = row.id
    alone = await _verify(store, None, K1)  # the keyed links catch it without the anchor
    assert (alone.intact, alone.broken_at) == (False, rewritten)
    unkeyed = "an unkeyed row after keyed ones: rewritten by someone without the key"
    assert alone.reason == (unkeyed if how == "unkeyed again" else "the row was changed")
    cli = await _cli(store, anchor, _env_keys(K1))
    assert cli.returncode == 1
    assert f"BROKEN at entry {rewritten}" in cli.stderr


async def test_a_cut_off_tail_is_caught_by_the_anchor(store: Services, tmp_path: Path) -> None:
    anchor = tmp_path / "anchor.json"
    await _reads(_writer(store, anchor, K1), 5)
    assert json.loads(anchor.read_text())["length"] == 5
    kept = (await _last_rows(store, 5))[2]
    # The attacker deletes the last two rows and makes the head row agree: the table alone looks whole.
    async with store.sessions() as session, session.begin():
        await session.execute(delete(AccessLogRow).where(AccessLogRow.id > kept.id))
        head = await session.get(AuditHeadRow, 1)
        assert head is not None
        head.length, head.last_hash = 3, kept.hash
    assert (await _verify(store, None, K1)).intact
    verdict = await _verify(store, anchor, K1)
    assert verdict.reason == "the log is shorter than its anchor (5 entries): rows at its end were deleted"
    cli = await _cli(store, anchor, _env_keys(K1))
    assert cli.returncode == 1
    assert "shorter than its anchor" in cli.stderr
    unanchored = await _cli(store, anchor, _env_keys(K1), "--no-anchor")
    assert unanchored.returncode == 0
    assert "no anchor checked" in unanchored.stdout
    # Emptying the whole log (and resetting its head) is the same cut, from the first row.
    async with store.sessions() as session, session.begin():
        await session.execute(delete(AccessLogRow))
        await session.execute(AuditHeadRow.__table__.update().values(length=0, last_hash="0" * 64))
    assert (await _cli(store, anchor, _env_keys(K1))).returncode == 1


async def test_the_anchor_may_lag_but_never_lead_disagree_or_be_forged(store: Services, tmp_path: Path) -> None:
    anchor_file = tmp_path / "anchor.json"
    await _reads(_writer(store, anchor_file, K1), 3)
    rows = await _last_rows(store, 3)
    anchor = Anchor(anchor_file, AuditKeys([K1]))
    anchor.clear()
    assert anchor.advance(2, rows[1].hash)  # as if the process died before anchoring its last batch
    verdict = await _verify(store, anchor_file, K1)
    assert (verdict.intact, verdict.anchored, verdict.rows) == (True, 2, 3)
    assert not anchor.advance(1, rows[0].hash)  # never moves back
    anchor.clear()
    anchor.advance(2, rows[2].hash)
    assert "disagrees with its anchor at entry 2" in str((await _verify(store, anchor_file, K1)).reason)
    forged = json.loads(anchor_file.read_text())
    anchor_file.write_text(json.dumps({**forged, "length": 1, "last_hash": rows[0].hash}))
    assert "its MAC does not match" in str((await _verify(store, anchor_file, K1)).reason)
    anchor_file.unlink()
    assert "no anchor at" in str((await _verify(store, anchor_file, K1)).reason)
    assert (await _cli(store, anchor_file, _env_keys(K1))).returncode == 1


async def test_rows_under_a_rotated_key_and_the_old_one_both_verify(store: Services, tmp_path: Path) -> None:
    anchor = tmp_path / "anchor.json"
    await _reads(_writer(store, anchor, K1), 2, "before")
    await _reads(_writer(store, anchor, K2, K1), 2, "after")  # k2 now keys new rows; k1 kept to verify old ones
    assert [r.key_id for r in await _last_rows(store, 4)] == ["k1", "k1", "k2", "k2"]
    assert (await _verify(store, anchor, K2, K1)).intact
    assert (await _cli(store, anchor, _env_keys(K2, K1))).returncode == 0
    first = (await _last_rows(store, 4))[0]
    missing = await _verify(store, anchor, K2)
    assert (missing.broken_at, missing.reason) == (
        first.id,
        "no key with id 'k1' to check it: add it to TRACKCHILD_AUDIT_KEYS (old keys stay listed)",
    )
    cli = await _cli(store, anchor, _env_keys(K2))
    assert cli.returncode == 1
    assert "no key with id 'k1'" in cli.stderr
    # The anchor was last written under k2: without k2 it cannot be trusted either.
    assert "a key id not configured" in str((await _verify(store, anchor, K1)).reason)


async def test_rows_from_before_keying_verify_with_the_old_hash_only_at_the_start(
    store: Services, tmp_path: Path
) -> None:
    anchor = tmp_path / "anchor.json"
    prev = "0" * 64
    old_rows = []
    async with store.sessions() as session, session.begin():  # as the hub wrote them before migration 0006
        for i in range(3):
            row = {
                "at": datetime(2026, 11, i + 1, 10, tzinfo=UTC),
                "request_id": f"old-{i}",
                "subject": "officer-0",
                "client_id": None,
                "agency": "police",
                "operation": "Old",
                "entity_type": "Child",
                "entity_id": f"child-old-{i}",
                "fields": ["name"],
                "purpose": None,
            }
            link = legacy_row_hash(prev, row)
            old_rows.append(AccessLogRow(**row, prev_hash=prev, hash=link, key_id=None))
            prev = link
        session.add_all(old_rows)
        head = await session.get(AuditHeadRow, 1)
        assert head is not None
        head.length, head.last_hash = 3, prev
    await _reads(_writer(store, anchor, K1), 2)
    verdict = await _verify(store, anchor, K1)
    assert (verdict.intact, verdict.rows, verdict.legacy_rows) == (True, 5, 3)
    # Rewriting an old row and recomputing every old link still breaks the first keyed row, whose MAC covers them.
    async with store.sessions() as session, session.begin():
        rows = list(await session.scalars(select(AccessLogRow).order_by(AccessLogRow.id)))
        prev = "0" * 64
        rows[1].fields = ["nothing"]
        for row in rows[:3]:
            row.prev_hash = prev
            row.hash = prev = legacy_row_hash(prev, {name: getattr(row, name) for name in CHAINED})
        first_keyed = rows[3].id
    assert (await _verify(store, None, K1)).broken_at == first_keyed


@pytest.mark.slow
async def test_processes_appending_at_once_leave_one_chain_and_a_true_anchor(store: Services, tmp_path: Path) -> None:
    anchor = tmp_path / "anchor.json"
    env = {
        **os.environ,
        "TRACKCHILD_DATABASE_URL": store.settings.database_url,
        "TRACKCHILD_DATABASE_SCHEMA": store.settings.database_schema or "",
        "TRACKCHILD_DATA_DIR": str(tmp_path),
        "TRACKCHILD_AUDIT_KEYS": _env_keys(K1),
        "TRACKCHILD_AUDIT_ANCHOR": str(anchor),
    }
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.audit.appender", "15", env=env, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(3)
    ]
    for process in processes:
        _, errors = await asyncio.wait_for(process.communicate(), timeout=120)
        assert process.returncode == 0, errors.decode()
    verdict = await _verify(store, anchor, K1)
    assert (verdict.intact, verdict.rows, verdict.anchored) == (True, 45, 45)

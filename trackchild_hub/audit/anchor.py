"""The chain's head kept outside the database: a small file (length, last link, key id, HMAC of them).

Someone who can rewrite the table can also rewrite ``audit_head``, but not this file (another system, another
permission) and not its MAC (they lack the key): so deleting rows at the end, or replacing the whole log, shows as a
log shorter than its anchor or disagreeing with it. The writer advances it after each committed batch; a crash in
between leaves it behind the table, which verification accepts (never ahead, never disagreeing).

Several processes append to one log: each advance takes an exclusive ``flock`` on ``<file>.lock``, re-reads the file
and only ever moves it forward, writing a temporary file, fsyncing it and renaming it over the old one (atomic: a
reader sees the old anchor or the new one, never half of one). One anchor file per database (its name carries a
digest of the database URL without password, and schema), so pointing a development hub at another database starts
another anchor rather than raising a false alarm.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from ..settings import Settings
from .chain import anchor_mac, same
from .keys import AuditKeys

log = logging.getLogger(__name__)


class AnchorError(Exception):
    """The anchor file exists but cannot be trusted: unreadable, signed with a key we lack, or its MAC is wrong."""


@dataclass(frozen=True, slots=True)
class AnchoredHead:
    length: int
    last_hash: str
    key_id: str


def anchor_path(settings: Settings) -> Path:
    if settings.audit_anchor is not None:
        return settings.audit_anchor
    url = make_url(settings.database_url).render_as_string(hide_password=True)  # a changed password: same log
    digest = hashlib.sha256(f"{url}|{settings.database_schema or ''}".encode()).hexdigest()[:12]
    return settings.data_dir / f"audit-anchor-{digest}.json"


class Anchor:
    def __init__(self, path: Path, keys: AuditKeys | None) -> None:
        self.path, self.keys = path, keys
        self._complained = False

    def read(self) -> AnchoredHead | None:
        """The anchored head; None when there is no anchor file yet. Raises AnchorError when it cannot be trusted."""
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            head = AnchoredHead(int(document["length"]), str(document["last_hash"]), str(document["key_id"]))
            mac = str(document["mac"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise AnchorError(f"the anchor {self.path} is unreadable ({type(exc).__name__})") from None
        key = self.keys.get(head.key_id) if self.keys else None
        if key is None:
            raise AnchorError(f"the anchor {self.path} is keyed with {head.key_id!r}, a key id not configured")
        if head.length < 0 or not same(mac, anchor_mac(key.secret, key.kid, head.length, head.last_hash)):
            raise AnchorError(f"the anchor {self.path} was changed: its MAC does not match")
        return head

    def advance(self, length: int, last_hash: str) -> bool:
        """Record the head after a committed append, unless the anchor is already there or further (another process).
        True if written. Blocking (file lock, fsync): call it off the event loop."""
        if self.keys is None:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                current = self.read()
            except AnchorError as exc:
                self._complain(f"{exc}; not overwriting it (run `trackchild-hub audit verify`)")
                return False
            if current is not None and current.length >= length:
                if current.length > length:
                    self._complain(f"the access log ({length} entries) is shorter than its anchor ({current.length})")
                return False
            self._write(length, last_hash)
            return True

    def clear(self) -> None:
        """Forget the anchor (tests that empty the log; an operator after restoring the database from a backup)."""
        self.path.unlink(missing_ok=True)

    def _write(self, length: int, last_hash: str) -> None:
        assert self.keys is not None
        key = self.keys.current
        document = {
            "length": length,
            "last_hash": last_hash,
            "key_id": key.kid,
            "mac": anchor_mac(key.secret, key.kid, length, last_hash),
        }
        temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(json.dumps(document))
            out.flush()
            os.fsync(out.fileno())
        # No fsync of the folder: a rename lost in a power cut leaves the previous anchor, which is merely behind.
        os.replace(temporary, self.path)

    def _complain(self, message: str) -> None:
        if not self._complained:
            log.error("access log anchor: %s", message)
            self._complained = True

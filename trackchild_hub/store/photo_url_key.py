"""The key that signs photo links: ``TRACKCHILD_PHOTO_URL_KEY``, else one generated once and kept in the data folder.

As the access log's development key (``audit.keys``): made on first use in ``data_dir/photo-url-key`` (owner-only),
two processes starting together keep the first one written (a hard link never replaces), so every worker of one hub
signs and checks links with the same key. Hubs on several hosts behind one address must share the setting instead.
"""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

from ..settings import Settings

KEY_FILE = "photo-url-key"


def photo_url_key(settings: Settings) -> bytes:
    if settings.photos.url_key:
        return settings.photos.url_key
    path = settings.data_dir / KEY_FILE
    if not path.exists():
        _create(path)
    return base64.b64decode(path.read_text(encoding="ascii").strip())


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    temporary.touch(mode=0o600)
    temporary.write_text(base64.b64encode(secrets.token_bytes(32)).decode(), encoding="ascii")
    try:
        path.hardlink_to(temporary)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()

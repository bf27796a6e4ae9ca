"""npm packages for tests that run real Node programs (tests/oidc, tests/federation, tests/http_audit).

Each such folder has its own package.json with exact versions and a committed package-lock.json; node_modules is not
committed. `ensure_node_modules(folder)` runs `npm ci` there unless every pinned dependency is already installed at
its pinned version, so a warm checkout pays nothing and CI installs once per folder.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

NPM_TIMEOUT_SECONDS = 600.0


def pinned_versions(folder: Path) -> dict[str, str]:
    """The `dependencies` of `folder`/package.json: {package: exact version}."""
    pinned: dict[str, str] = json.loads((folder / "package.json").read_text(encoding="utf-8"))["dependencies"]
    return pinned


def installed_version(folder: Path, package: str) -> str | None:
    """The version of `package` in `folder`/node_modules, or None when it is not installed."""
    try:
        manifest = (folder / "node_modules" / package / "package.json").read_text(encoding="utf-8")
        return str(json.loads(manifest)["version"])
    except (OSError, ValueError, KeyError):
        return None


def _stale(folder: Path) -> list[str]:
    """What differs from package.json ("pkg: missing" or "pkg: found X, pinned Y"); empty when all is installed."""
    stale = []
    for package, pinned in pinned_versions(folder).items():
        found = installed_version(folder, package)
        if found != pinned:
            stale.append(f"{package}: " + ("missing" if found is None else f"found {found}, pinned {pinned}"))
    return stale


def require_node() -> str:
    """The `node` executable; fails the test (never skips) when Node.js is not on PATH."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("this test runs a real Node.js program: put Node.js (20 or later) and npm on PATH")
    return node


def ensure_node_modules(folder: Path) -> float:
    """Run `npm ci` in `folder` unless its pinned packages are installed; returns the seconds it took (0 if not
    needed). Fails the test (never skips) when npm is missing or fails, with npm's output."""
    if not _stale(folder):
        return 0.0
    require_node()
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(f"{folder} needs npm on PATH to install its pinned packages")
    # One install per folder at a time, should several pytest processes (e.g. xdist workers) start together.
    lock_path = Path(tempfile.gettempdir()) / f"trackchild-tests-npm-{folder.name}.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        why = ", ".join(_stale(folder))
        if not why:
            return 0.0
        started = time.monotonic()
        try:
            done = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=NPM_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"`npm ci` in {folder} ({why}) did not finish in {NPM_TIMEOUT_SECONDS:.0f} s: {exc.output!r}")
        if done.returncode != 0:
            report = f"`npm ci` in {folder} ({why}) failed with exit {done.returncode}:\n{done.stdout}\n{done.stderr}"
            print(report, file=sys.stderr)
            pytest.fail(report)
        return time.monotonic() - started

"""``match train`` and ``match pending`` with bad arguments: a one-line error naming the argument and exit 2, before
the store is opened; never a traceback (``--seed -1`` was numpy's ValueError)."""

from __future__ import annotations

import pytest

from trackchild_hub import cli

BAD = [
    (["match", "train", "--seed", "-1"], "--seed"),
    (["match", "train", "--max-pairs", "999"], "--max-pairs"),
    (["match", "pending", "--batch", "0"], "--batch"),
    (["match", "pending", "--batch", "5001"], "--batch"),
    (["match", "pending", "--kinds", "MISSING,LOST"], "--kinds"),
    (["match", "pending", "--kinds", ",,"], "--kinds"),
]


@pytest.mark.parametrize(("argv", "named"), BAD)
def test_bad_arguments_exit_2_naming_them(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKCHILD_DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")  # never opened
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert named in err
    assert "Traceback" not in err

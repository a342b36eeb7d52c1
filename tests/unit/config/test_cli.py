"""``python -m bot``: one clear line for bad config, and a --check smoke test."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from tests.paths import REPO_ROOT

REPO = REPO_ROOT


def _run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DATABASE_PATH", "DEV_GUILD_ID"}}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**base, "PYTHONPATH": str(REPO), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_token_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    result = _run("--env-file", str(tmp_path / "none.env"), env={}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr


def test_malformed_token_from_env_file_exits_2(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DISCORD_TOKEN=hello\n")
    result = _run("--env-file", str(env_file), env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr and "Traceback" not in result.stderr


def test_check_creates_and_migrates_the_database(tmp_path: Path) -> None:
    db_path = tmp_path / "sub" / "k.db"
    result = _run(
        "--check", "--env-file", str(tmp_path / "none.env"), env={"DATABASE_PATH": str(db_path)}, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Configuration OK" in result.stdout
    assert db_path.exists()
    again = _run("--check", env={"DATABASE_PATH": str(db_path)}, cwd=tmp_path)
    assert again.returncode == 0, again.stderr


def test_a_database_path_that_cannot_be_used_is_named_in_one_line(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("this is not a database")
    for path in (str(not_a_db), "/proc/kindred-cannot-create/k.db"):
        result = _run("--check", "--env-file", str(tmp_path / "none.env"), env={"DATABASE_PATH": path}, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Configuration error: DATABASE_PATH"), result.stderr


def test_check_counts_timers_that_failed_for_good(tmp_path: Path) -> None:
    db_path = tmp_path / "k.db"
    assert _run("--check", env={"DATABASE_PATH": str(db_path)}, cwd=tmp_path).returncode == 0
    with closing(sqlite3.connect(db_path)) as db, db:
        db.executemany(
            "INSERT INTO timers (kind, due_at, status, created_at, last_error) VALUES (?, 'x', ?, 'x', 'boom')",
            [("room:remind", "failed"), ("room:remind", "failed"), ("buddy-nudge", "failed"), ("x", "done")],
        )
    result = _run("--check", env={"DATABASE_PATH": str(db_path)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Timers that failed for good: buddy-nudge 1, room:remind 2." in result.stdout

"""DATABASE_URL: which database the settings choose, and the SQLite-only tools refusing kindly on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from bot.settings import SettingsError, load_settings

TOKEN = "A" * 24 + "." + "B" * 6 + "." + "C" * 27
URL = "postgresql://kindred:s3cret@db.example:5432/kindred"


def test_without_a_url_the_sqlite_file_is_the_database() -> None:
    settings = load_settings({"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": "data/x.db"})
    assert settings.database_target == Path("data/x.db") and not settings.uses_postgres


def test_a_url_chooses_postgresql_and_its_password_never_shows() -> None:
    settings = load_settings({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": URL})
    assert settings.database_target == URL and settings.uses_postgres
    assert "s3cret" not in repr(settings) and "s3cret" not in settings.database_where
    assert settings.database_where == "postgresql://kindred:***@db.example:5432/kindred"


def test_a_url_of_another_kind_is_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="DATABASE_URL: must start with postgresql://"):
        load_settings({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": "mysql://x@y/z"})


def test_file_backups_with_postgresql_are_refused_with_the_way_to_back_up_instead(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"BACKUP_DIR: .*pg_dump"):
        load_settings({"DISCORD_TOKEN": TOKEN, "DATABASE_URL": URL, "BACKUP_DIR": str(tmp_path)})


@pytest.mark.parametrize("command", [["backup", "b.db"], ["restore", "b.db", "--yes"]])
def test_backup_and_restore_refuse_kindly_on_postgresql(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = tmp_path / ".env"
    env.write_text(f"DATABASE_URL={URL}\n", encoding="utf-8")
    assert main(["--env-file", str(env), *command]) == 1
    err = capsys.readouterr().err
    assert "SQLite file only" in err and "pg_dump" in err and "s3cret" not in err

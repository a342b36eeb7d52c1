"""Settings are validated up front, each error naming its setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

TOKEN = "MTAxMjM0NTY3ODkwMTIzNDU2Nzg5.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"


def test_defaults_fill_everything_but_the_token() -> None:
    settings = load_settings({"DISCORD_TOKEN": TOKEN})
    assert settings.database_path == Path("data/kindred.db")
    assert settings.dev_guild_id is None
    assert settings.log_level == "INFO"
    assert settings.crisis_sentence_model is True


def test_the_sentence_model_can_be_turned_off() -> None:
    assert load_settings({"DISCORD_TOKEN": TOKEN, "CRISIS_SENTENCE_MODEL": "Off"}).crisis_sentence_model is False


def test_settings_are_frozen() -> None:
    settings = load_settings({"DISCORD_TOKEN": TOKEN})
    with pytest.raises(AttributeError):
        settings.log_level = "DEBUG"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "not-a-token"}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": TOKEN, "DEV_GUILD_ID": "abc"}, "DEV_GUILD_ID"),
        ({"DISCORD_TOKEN": TOKEN, "DEV_GUILD_ID": "12"}, "DEV_GUILD_ID"),
        ({"DISCORD_TOKEN": TOKEN, "DEV_GUILD_ID": "²" * 18}, "DEV_GUILD_ID"),
        ({"DISCORD_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"DISCORD_TOKEN": TOKEN, "CRISIS_SENTENCE_MODEL": "maybe"}, "CRISIS_SENTENCE_MODEL"),
    ],
)
def test_invalid_values_name_the_setting(env: dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(env)
    assert info.value.name == name
    assert str(info.value).startswith(name)


def test_database_path_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="DATABASE_PATH"):
        load_settings({"DISCORD_TOKEN": TOKEN, "DATABASE_PATH": str(tmp_path)})


def test_check_mode_does_not_need_a_token() -> None:
    settings = load_settings({"LOG_LEVEL": "debug"}, require_token=False)
    assert settings.log_level == "DEBUG"
    assert settings.dev_guild_id is None


def test_daily_backups_are_off_unless_a_folder_is_given(tmp_path: Path) -> None:
    assert load_settings({"DISCORD_TOKEN": TOKEN}).backup_dir is None
    on = load_settings({"DISCORD_TOKEN": TOKEN, "BACKUP_DIR": str(tmp_path / "b"), "BACKUP_KEEP": "3"})
    assert on.backup_dir == tmp_path / "b" and on.backup_keep == 3
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(SettingsError, match="BACKUP_DIR"):
        load_settings({"DISCORD_TOKEN": TOKEN, "BACKUP_DIR": str(a_file)})
    for bad in ("0", "366", "seven", "²", "9" * 400):
        with pytest.raises(SettingsError, match="BACKUP_KEEP"):
            load_settings({"DISCORD_TOKEN": TOKEN, "BACKUP_KEEP": bad})


def test_the_health_port_is_off_unless_set() -> None:
    off = load_settings({"DISCORD_TOKEN": TOKEN})
    assert off.health_port is None and off.health_host == "127.0.0.1" and off.health_max_late_timers == 100
    on = load_settings(
        {"DISCORD_TOKEN": TOKEN, "HEALTH_PORT": "9108", "HEALTH_HOST": "0.0.0.0", "HEALTH_MAX_LATE_TIMERS": "5"}
    )
    assert (on.health_port, on.health_host, on.health_max_late_timers) == (9108, "0.0.0.0", 5)
    for bad in ("0", "65536", "http", "９１０８"):
        with pytest.raises(SettingsError, match="HEALTH_PORT"):
            load_settings({"DISCORD_TOKEN": TOKEN, "HEALTH_PORT": bad})

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

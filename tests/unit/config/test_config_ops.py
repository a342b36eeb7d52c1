"""The plain rules behind /config: channel kinds, the bot's permissions, roles, ranges and how values read."""

from __future__ import annotations

import discord
import pytest

from bot.config_ops import (
    LABELS,
    REQUIRED_PERMISSIONS,
    change_line,
    check_bot_permissions,
    check_channel_type,
    check_int_range,
    check_interest_name,
    check_role,
    format_value,
    missing_permissions,
    settable_keys,
    setting_rows,
)
from bot.errors import KindredError
from bot.guild_config import SETTING_HELP, GuildConfig


def test_every_setting_has_a_label_and_help() -> None:
    assert set(settable_keys()) == set(LABELS) == set(SETTING_HELP)


def test_missing_permissions_are_named_in_order_and_admin_needs_none() -> None:
    have = discord.Permissions(view_channel=True, send_messages_in_threads=True)
    assert missing_permissions(have, REQUIRED_PERMISSIONS["buddy_channel_id"]) == [
        "create_private_threads",
        "manage_threads",
    ]
    assert missing_permissions(discord.Permissions(administrator=True), REQUIRED_PERMISSIONS["buddy_channel_id"]) == []


def test_buddy_channel_refusal_names_each_missing_permission() -> None:
    with pytest.raises(KindredError) as caught:
        check_bot_permissions("buddy_channel_id", discord.Permissions(view_channel=True), "buddies")
    message = caught.value.message
    assert "buddies" in message
    for name in ("Create Private Threads", "Send Messages in Threads", "Manage Threads"):
        assert name in message


@pytest.mark.parametrize("key", ["crisis_alert_channel_id", "service_board_channel_id", "rooms_channel_id"])
def test_posting_channels_need_view_send_and_embed(key: str) -> None:
    assert {"view_channel", "send_messages", "embed_links"} <= set(REQUIRED_PERMISSIONS[key])


def test_rooms_category_needs_manage_channels() -> None:
    with pytest.raises(KindredError, match="Manage Channels"):
        check_bot_permissions("rooms_category_id", discord.Permissions(view_channel=True), "Rooms")


@pytest.mark.parametrize(
    ("key", "kind", "wanted"),
    [
        ("buddy_channel_id", discord.ChannelType.news, "a text channel"),
        ("buddy_channel_id", discord.ChannelType.voice, "a text channel"),
        ("rooms_category_id", discord.ChannelType.text, "a category"),
        ("modlog_channel_id", discord.ChannelType.category, "a text channel or an announcement channel"),
    ],
)
def test_wrong_channel_kind_is_refused_saying_what_is_needed(key: str, kind: discord.ChannelType, wanted: str) -> None:
    with pytest.raises(KindredError, match=wanted):
        check_channel_type(key, kind, "somewhere")


def test_right_channel_kinds_pass() -> None:
    check_channel_type("rooms_channel_id", discord.ChannelType.news, "news")
    check_channel_type("rooms_category_id", discord.ChannelType.category, "Rooms")


def test_roles_everyone_and_managed_are_refused() -> None:
    with pytest.raises(KindredError, match="@everyone"):
        check_role("crisis_team_role_id", is_default=True, is_managed=False, name="@everyone")
    with pytest.raises(KindredError, match="integration"):
        check_role("service_post_role_id", is_default=False, is_managed=True, name="Some Bot")
    check_role("crisis_team_role_id", is_default=False, is_managed=False, name="Crisis Team")


def test_ranges_and_interest_names() -> None:
    with pytest.raises(KindredError, match="between 1 and 365; you entered 0"):
        check_int_range("Retention", 0, 1, 365)
    assert check_int_range("Retention", 30, 1, 365) == 30
    assert check_interest_name("  jam   bands ") == "jam bands"
    for bad in ("", "   ", "@here", "<@&1>", "y" * 51):
        with pytest.raises(KindredError):
            check_interest_name(bad)


def test_values_read_as_a_moderator_would_say_them() -> None:
    assert format_value("buddy_channel_id", 42) == "<#42>"
    assert format_value("rooms_category_id", 7) == "<#7>"
    assert format_value("crisis_team_role_id", 9) == "<@&9>"
    assert format_value("service_post_role_id", None) == "everyone"
    assert format_value("modlog_channel_id", None) == "not set"
    assert format_value("pairing_weekday", 0) == "Monday"
    assert format_value("pairing_hour", 7) == "07:00"
    assert format_value("retention_days", 1) == "1 day"
    assert format_value("alert_policy", "imminent") == "imminent risk only"
    assert format_value("region", "IE") == "Ireland"


def test_change_line_says_who_changed_what_from_what_to_what() -> None:
    line = change_line(5, "retention_days", 30, 7)
    assert line == "<@5> changed **Data retention after leaving** from 30 days to 7 days."


def test_setting_rows_mark_defaults() -> None:
    rows = {r.key: r for r in setting_rows(GuildConfig(guild_id=1, retention_days=10))}
    assert len(rows) == len(settable_keys())
    assert rows["retention_days"].current == "10 days" and not rows["retention_days"].is_default
    assert rows["region"].is_default and rows["region"].default == "Other (worldwide directory)"


@pytest.mark.parametrize("locale", ["es-ES", "pt-BR", "fr", "de", "it"])
def test_the_checklist_fits_one_message_in_every_language(locale: str) -> None:
    from cogs.config._onboarding import checklist_for

    assert len(checklist_for("A server with a rather long name, as some have", by_dm=True, locale=locale)) <= 2000


def test_values_read_in_the_current_language_and_the_mod_log_stays_english() -> None:
    from bot.i18n import using_locale

    with using_locale("de"):
        assert format_value("retention_days", 1) == "1 Tag" and format_value("retention_days", 30) == "30 Tage"
        assert format_value("welcome_dm", True) == "an" and format_value("pairing_weekday", 2) == "Mittwoch"
        assert format_value("region", "DE") == "Deutschland"
        rows = {row.key: row for row in setting_rows(GuildConfig(guild_id=1))}
        assert rows["timezone"].label == "Zeitzone" and rows["timezone"].help.startswith("Standard-Zeitzone für alle")
        with pytest.raises(
            KindredError, match=r"^\*\*Datenaufbewahrung nach dem Verlassen\*\* muss zwischen 1 und 365 liegen"
        ):
            check_int_range("retention_days", 0, 1, 365)
        line = change_line(5, "retention_days", 30, 7)
    assert line == "<@5> changed **Data retention after leaving** from 30 days to 7 days."

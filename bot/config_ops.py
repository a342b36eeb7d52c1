"""Rules behind ``/config``: what each setting needs, how it is validated, and how it reads.

Plain functions over discord.py value types (``Permissions``, ``ChannelType``) so the rules can be
unit-tested without a running bot. The cog only gathers the inputs and renders the results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.guild_config import SETTING_HELP, GuildConfig, default_config
from bot.problems import KindredError, permission_names, within
from bot.resources import REGION_NAMES

__all__ = [
    "ALERT_POLICY_LABELS",
    "CADENCE_LABELS",
    "CHANNEL_KINDS",
    "LABELS",
    "REGION_LABELS",
    "REQUIRED_PERMISSIONS",
    "WEEKDAYS",
    "SettingRow",
    "change_line",
    "check_bot_permissions",
    "check_channel_type",
    "check_int_range",
    "check_interest_name",
    "check_role",
    "format_value",
    "missing_permissions",
    "settable_keys",
    "setting_rows",
]

WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

REGION_LABELS: dict[str, str] = {**REGION_NAMES, "other": "Other (worldwide directory)"}
ALERT_POLICY_LABELS: dict[str, str] = {
    "off": "off (no alerts)",
    "imminent": "imminent risk only",
    "all": "all detections",
}
CADENCE_LABELS: dict[str, str] = {"weekly": "every week", "biweekly": "every two weeks"}

# Short names used in confirmations, /config show and the mod-log.
LABELS: dict[str, str] = {
    "region": "Region",
    "timezone": "Time zone",
    "crisis_alert_channel_id": "Crisis alert channel",
    "crisis_team_role_id": "Crisis team role",
    "alert_policy": "Alert policy",
    "checkin_share_channel_id": "Check-in share channel",
    "buddy_channel_id": "Buddy channel",
    "pairing_cadence": "Pairing cadence",
    "pairing_weekday": "Pairing day",
    "pairing_hour": "Pairing hour",
    "pairing_repeat_window": "Rounds before a repeat pair",
    "service_board_channel_id": "Service board channel",
    "service_post_role_id": "Who may post service opportunities",
    "rooms_channel_id": "Rooms announcement channel",
    "rooms_category_id": "Rooms voice category",
    "modlog_channel_id": "Mod-log channel",
    "retention_days": "Data retention after leaving",
    "welcome_dm": "Welcome DM to new members",
    "newcomer_mentor_cap": "First-30-days buddies per mentor",
}

_POST = ("view_channel", "send_messages", "embed_links")

# What the bot must be able to do in each configured channel. Attribute names of discord.Permissions.
REQUIRED_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "crisis_alert_channel_id": _POST,
    "checkin_share_channel_id": (*_POST, "attach_files"),
    "buddy_channel_id": ("view_channel", "create_private_threads", "send_messages_in_threads", "manage_threads"),
    "service_board_channel_id": (*_POST, "read_message_history"),
    "rooms_channel_id": _POST,
    "rooms_category_id": ("view_channel", "manage_channels"),
    "modlog_channel_id": _POST,
}

_TEXT = (discord.ChannelType.text, discord.ChannelType.news)
# Which channel types each channel setting accepts. Private threads need a plain text channel.
CHANNEL_KINDS: dict[str, tuple[discord.ChannelType, ...]] = {
    "crisis_alert_channel_id": _TEXT,
    "checkin_share_channel_id": _TEXT,
    "buddy_channel_id": (discord.ChannelType.text,),
    "service_board_channel_id": _TEXT,
    "rooms_channel_id": _TEXT,
    "rooms_category_id": (discord.ChannelType.category,),
    "modlog_channel_id": _TEXT,
}

_KIND_WORDS: dict[discord.ChannelType, str] = {
    discord.ChannelType.text: "a text channel",
    discord.ChannelType.news: "an announcement channel",
    discord.ChannelType.category: "a category",
    discord.ChannelType.voice: "a voice channel",
    discord.ChannelType.stage_voice: "a stage channel",
    discord.ChannelType.forum: "a forum channel",
    discord.ChannelType.media: "a media channel",
}


def settable_keys() -> list[str]:
    """Every per-server setting a moderator can change, in display order."""
    return [f.name for f in dataclasses.fields(GuildConfig) if f.name != "guild_id"]


def missing_permissions(have: discord.Permissions, needed: Sequence[str]) -> list[str]:
    """The permissions from ``needed`` that ``have`` lacks (administrator covers everything)."""
    if have.administrator:
        return []
    return [name for name in needed if not getattr(have, name)]


def check_channel_type(key: str, channel_type: discord.ChannelType, channel_name: str) -> None:
    """Refuse a channel of the wrong kind for ``key``, saying what kind is needed."""
    allowed = CHANNEL_KINDS[key]
    if channel_type in allowed:
        return
    wanted = " or ".join(_KIND_WORDS.get(t, str(t)) for t in allowed)
    got = _KIND_WORDS.get(channel_type, "that kind of channel")
    raise KindredError(f"The {LABELS[key].lower()} needs to be {wanted}, but **{channel_name}** is {got}.")


def check_bot_permissions(key: str, have: discord.Permissions, channel_name: str) -> None:
    """Refuse a channel where the bot lacks what the feature will need, naming each missing permission."""
    missing = missing_permissions(have, REQUIRED_PERMISSIONS[key])
    if missing:
        raise KindredError(
            f"I can't use **{channel_name}** as the {LABELS[key].lower()} yet: I'm missing "
            f"**{permission_names(missing)}** there. Grant those to my role in the channel settings, "
            "then run this again."
        )


def check_role(key: str, *, is_default: bool, is_managed: bool, name: str) -> None:
    """Refuse @everyone (and integration roles nobody can be given) where a specific group is meant."""
    if is_default:
        raise KindredError(
            f"The {LABELS.get(key, key).lower()} can't be @everyone: pick a role held by the people you mean."
        )
    if is_managed:
        raise KindredError(
            f"**{name}** is managed by an integration, so members can't be given it. Pick a regular role."
        )


def check_int_range(label: str, value: int, low: int, high: int) -> int:
    """Refuse a number outside ``low..high`` with both bounds named."""
    return within(value, low, high, f"{label} must be between {low} and {high}; you entered {value}.")


def check_interest_name(name: str) -> str:
    """A tidy interest name (1-50 characters, no mentions, no NUL characters)."""
    # A NUL carries nothing readable, and PostgreSQL text can't hold one: the name is stored as shown here.
    cleaned = " ".join(name.replace("\x00", "").split())
    if not cleaned:
        raise KindredError("The interest needs a name, for example `meditation` or `jam bands`.")
    if len(cleaned) > 50:
        raise KindredError(f"Interest names can be up to 50 characters; that one has {len(cleaned)}.")
    if "@" in cleaned or "<" in cleaned:
        raise KindredError("Interest names can't contain `@` or `<`, so they never ping anyone.")
    return cleaned


def format_value(key: str, value: Any) -> str:
    """A setting's value as a moderator would say it (mentions render as names and never ping)."""
    if value is None:
        return "everyone" if key == "service_post_role_id" else "not set"
    if key.endswith("_role_id"):
        return f"<@&{value}>"
    if key.endswith(("_channel_id", "_category_id")):
        return f"<#{value}>"
    if key == "region":
        return REGION_LABELS.get(str(value), str(value))
    if key == "alert_policy":
        return ALERT_POLICY_LABELS.get(str(value), str(value))
    if key == "pairing_cadence":
        return CADENCE_LABELS.get(str(value), str(value))
    if key == "pairing_weekday" and isinstance(value, int) and 0 <= value < 7:
        return WEEKDAYS[value]
    if key == "pairing_hour" and isinstance(value, int):
        return f"{value:02d}:00"
    if key == "welcome_dm":
        return "on" if value else "off"
    if key == "retention_days":
        return f"{value} day" if value == 1 else f"{value} days"
    if key == "newcomer_mentor_cap":
        return f"{value} at once"
    if key == "pairing_repeat_window":
        return f"{value} round" if value == 1 else f"{value} rounds"
    return str(value)


def change_line(moderator_id: int, key: str, old: Any, new: Any) -> str:
    """The mod-log entry: who changed what from what to what."""
    return f"<@{moderator_id}> changed **{LABELS.get(key, key)}** from {format_value(key, old)} to {format_value(key, new)}."


@dataclass(frozen=True, slots=True)
class SettingRow:
    """One line of ``/config show``."""

    key: str
    label: str
    current: str
    default: str
    help: str
    is_default: bool


def setting_rows(config: GuildConfig) -> list[SettingRow]:
    """Every setting with its current and default value, in display order."""
    defaults = default_config(config.guild_id)
    rows = []
    for key in settable_keys():
        current, default = getattr(config, key), getattr(defaults, key)
        rows.append(
            SettingRow(
                key=key,
                label=LABELS.get(key, key),
                current=format_value(key, current),
                default=format_value(key, default),
                help=SETTING_HELP.get(key, ""),
                is_default=current == default,
            )
        )
    return rows

"""Per-server settings: their names, types, defaults and help text, in one place.

Storage is a key/value table (``guild_settings``) holding JSON, so adding a setting never needs
a migration; :class:`GuildConfig` is the typed view every feature reads.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from bot.i18n import N_
from bot.resources import REGION_NAMES

__all__ = [
    "ALERT_POLICIES",
    "CADENCES",
    "REGIONS",
    "SETTING_HELP",
    "GuildConfig",
    "default_config",
]

# Every region with shipped hotlines (bot/data/hotlines.json), "other" (the worldwide directory) last.
REGIONS: tuple[str, ...] = tuple(REGION_NAMES)
AlertPolicy = Literal["off", "imminent", "all"]
ALERT_POLICIES: tuple[str, ...] = ("off", "imminent", "all")
Cadence = Literal["weekly", "biweekly"]
CADENCES: tuple[str, ...] = ("weekly", "biweekly")


@dataclass(frozen=True, slots=True)
class GuildConfig:
    """Every per-server setting, with defaults that work before a moderator touches anything."""

    guild_id: int
    region: str = "other"
    timezone: str = "UTC"
    crisis_alert_channel_id: int | None = None
    crisis_team_role_id: int | None = None
    alert_policy: str = "imminent"
    checkin_share_channel_id: int | None = None
    buddy_channel_id: int | None = None
    pairing_cadence: str = "weekly"
    pairing_weekday: int = 0  # Monday
    pairing_hour: int = 18  # in the server's time zone
    pairing_repeat_window: int = 4  # rounds before the same pair may meet again
    service_board_channel_id: int | None = None
    service_post_role_id: int | None = None  # None = everyone may post
    rooms_channel_id: int | None = None
    rooms_category_id: int | None = None
    modlog_channel_id: int | None = None
    retention_days: int = 30
    welcome_dm: bool = False  # a private welcome DM to each new member
    newcomer_mentor_cap: int = 2  # members in their first 30 days per mentor at once

    def with_values(self, values: dict[str, Any]) -> GuildConfig:
        """A copy with stored values applied; unknown keys (from a removed setting) are ignored."""
        known = {f.name for f in dataclasses.fields(self)} - {"guild_id"}
        return dataclasses.replace(self, **{k: v for k, v in values.items() if k in known})


def default_config(guild_id: int) -> GuildConfig:
    """The configuration of a server nobody has configured yet."""
    return GuildConfig(guild_id=guild_id)


# Plain-words description of each setting, shown by /config show (translated there).
SETTING_HELP: dict[str, str] = {
    "region": N_("Hotline region for crisis resources"),
    "timezone": N_("Default time zone for members who haven't set one"),
    "crisis_alert_channel_id": N_("Where crisis alerts for the team are posted"),
    "crisis_team_role_id": N_("Role mentioned on crisis alerts"),
    "alert_policy": N_("Which detections alert the team (off, imminent, all)"),
    "checkin_share_channel_id": N_("Where members' shared check-ins and celebrations appear"),
    "buddy_channel_id": N_("Where private buddy threads are created"),
    "pairing_cadence": N_("How often buddy rounds run"),
    "pairing_weekday": N_("Day buddy rounds run (0 = Monday)"),
    "pairing_hour": N_("Hour buddy rounds run, server time zone"),
    "pairing_repeat_window": N_("Rounds before the same pair can meet again"),
    "service_board_channel_id": N_("Where service opportunities are posted"),
    "service_post_role_id": N_("Role allowed to post service opportunities (empty = everyone)"),
    "rooms_channel_id": N_("Where voice rooms are announced"),
    "rooms_category_id": N_("Category for temporary voice rooms"),
    "modlog_channel_id": N_("Where configuration changes are logged"),
    "retention_days": N_("Days a departed member's data is kept before erasure"),
    "welcome_dm": N_("Whether new members get a private welcome DM (on, off)"),
    "newcomer_mentor_cap": N_("Most members in their first 30 days one mentor buddies at once"),
}

"""``/config``: moderators set Kindred up for their server, one validated setting at a time."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.config_ops import (
    ALERT_POLICY_LABELS,
    CADENCE_LABELS,
    LABELS,
    WEEKDAYS,
    change_line,
    check_int_range,
    detection_languages_text,
    format_value,
    label,
    settable_keys,
    setting_rows,
)
from bot.errors import KindredError, reply_ephemeral
from bot.events import ConfigChange
from bot.guild_config import ALERT_POLICIES, CADENCES, GuildConfig
from bot.i18n import _, ngettext
from bot.modlog import send_modlog
from bot.rate_limits import limit_lines
from bot.regions import regions_for_locale, require_region, search_regions
from bot.text import fit_lines
from bot.timezones import resolve_timezone
from cogs._when import timezone_autocomplete
from cogs.config._interests import InterestCommands
from cogs.config._validate import (
    channel_setting,
    number_setting,
    require_manager,
    validated_channel,
    validated_role,
)

if TYPE_CHECKING:
    from bot.client import KindredBot

log = logging.getLogger(__name__)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Config(
    InterestCommands,
    commands.GroupCog,
    group_name="config",
    group_description="Set Kindred up for this server (moderators)",
):
    """Every per-server setting, validated, confirmed and written to the mod-log."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[KindredBot]) -> bool:  # type: ignore[override]  # Cog declares a sync-or-async union
        """Enforce Manage Server at run time: admins can override the client-side default."""
        require_manager(interaction)
        return True

    # -- applying a change ------------------------------------------------------------------------
    async def apply(self, interaction: discord.Interaction[KindredBot], values: dict[str, Any]) -> None:
        """Save settings, confirm privately, log who changed what, and tell the features."""
        guild = require_manager(interaction)
        before = await self.bot.store.config.get(guild.id)
        after = await self.bot.store.config.set_many(guild.id, values, now=self.bot.clock.now())
        await self._after_change(interaction, guild, before, after, list(values))

    async def apply_channel(
        self, interaction: discord.Interaction[KindredBot], key: str, channel: discord.abc.GuildChannel
    ) -> None:
        """Save the channel setting ``key`` once the bot has every permission the feature needs there."""
        await self.apply(interaction, {key: validated_channel(key, channel)})

    async def _after_change(
        self,
        interaction: discord.Interaction[KindredBot],
        guild: discord.Guild,
        before: GuildConfig,
        after: GuildConfig,
        keys: list[str],
    ) -> None:
        lines, log_lines = [], []
        for key in keys:
            old, new = getattr(before, key), getattr(after, key)
            lines.append(_("**{setting}** is now {value}.").format(setting=label(key), value=format_value(key, new)))
            if old != new:
                log_lines.append(change_line(interaction.user.id, key, old, new))
                self.bot.dispatch("guild_config_changed", ConfigChange(guild.id, key, old, new, interaction.user.id))
        if not log_lines:
            lines.append(_("(That was already the setting, so nothing changed.)"))
        await reply_ephemeral(interaction, "\n".join(lines))
        if log_lines:
            await self.post_modlog(guild, after, "\n".join(log_lines))

    async def post_modlog(self, guild: discord.Guild, config: GuildConfig, text: str) -> None:
        """Write to the mod-log channel, if one is set; a failure is logged, never shown to members."""
        await send_modlog(self.bot, guild.id, config.modlog_channel_id, text)

    # -- show and reset ---------------------------------------------------------------------------
    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction[KindredBot]) -> None:
        """See every setting for this server, its current value and its default."""
        guild = require_manager(interaction)
        config = await self.bot.store.config.get(guild.id)
        embed = discord.Embed(
            title=_("Kindred settings for {server}").format(server=guild.name), colour=discord.Colour.teal()
        )
        for row in setting_rows(config):
            default = _("(default)") if row.is_default else _("(default: {value})").format(value=row.default)
            embed.add_field(name=row.label, value=f"{row.current} {default}\n-# {row.help}"[:1024], inline=True)
        embed.add_field(
            name=_("Crisis detection languages"), value=detection_languages_text(interaction.guild_locale), inline=False
        )
        embed.add_field(
            name=_("Limits on actions that reach others"),
            value=fit_lines(limit_lines())
            + "\n-# "
            + _("Built in; a refused member gets a kind private note saying when they can again."),
            inline=False,
        )
        newcomers = await self.bot.store.newcomers.count_on(guild.id)
        embed.add_field(
            name=_("First-30-days support"),
            value=ngettext("{n} member has it on now.", "{n} members have it on now.", newcomers).format(n=newcomers)
            + "\n-# "
            + _("A count only: who has it is private to each member."),
            inline=False,
        )
        embed.set_footer(
            text=_("Change one with its /config command; /config reset puts a setting back to its default.")
        )
        await reply_ephemeral(interaction, embed=embed)

    @app_commands.command(name="reset")
    @app_commands.choices(setting=[Choice(name=LABELS[k], value=k) for k in settable_keys()])
    async def reset(self, interaction: discord.Interaction[KindredBot], setting: str) -> None:
        """Put one setting back to its default.

        Args:
            setting: The setting to put back to its default
        """
        guild = require_manager(interaction)
        if setting not in LABELS:
            raise KindredError(_("That isn't a setting I know. Pick one from the list."))
        before = await self.bot.store.config.get(guild.id)
        after = await self.bot.store.config.reset(guild.id, setting)
        await self._after_change(interaction, guild, before, after, [setting])

    # -- general ----------------------------------------------------------------------------------
    @app_commands.command(name="region")
    async def region(self, interaction: discord.Interaction[KindredBot], region: str) -> None:
        """Choose which country's crisis hotlines Kindred shows by default.

        Args:
            region: Where most members live: start typing a country, then pick it from the list
        """
        code = require_region(region, for_server=True)
        await self.apply(interaction, {"region": code})

    @region.autocomplete("region")
    async def _region_autocomplete(
        self, interaction: discord.Interaction[KindredBot], current: str
    ) -> list[Choice[str]]:
        """Countries matching what was typed; the server's current region, else its language's, first."""
        current_region = None
        if interaction.guild_id is not None:
            try:
                current_region = (await self.bot.store.config.get(interaction.guild_id)).region
            except Exception:
                # The list must still appear when the database is down; only the ordering is lost.
                log.warning(
                    "reading the region of guild %s for autocomplete failed", interaction.guild_id, exc_info=True
                )
        suggested: tuple[str, ...]
        if current_region and current_region != "other":
            suggested, note = (current_region,), _("current setting")
        else:
            locale = interaction.guild_locale or interaction.locale
            suggested, note = regions_for_locale(locale), _("suggested from the server's language")
        return [Choice(name=c.label, value=c.code) for c in search_regions(current, suggested=suggested, note=note)]

    @app_commands.command(name="timezone")
    @app_commands.autocomplete(name=timezone_autocomplete)
    async def timezone(self, interaction: discord.Interaction[KindredBot], name: str) -> None:
        """Set the server's default time zone, used for members who haven't set their own.

        Args:
            name: A time zone such as Europe/London; start typing a city to search
        """
        await self.apply(interaction, {"timezone": resolve_timezone(name).key})

    # -- crisis -----------------------------------------------------------------------------------
    crisis_channel = channel_setting("crisis-channel", "crisis_alert_channel_id")

    @app_commands.command(name="crisis-role")
    async def crisis_role(self, interaction: discord.Interaction[KindredBot], role: discord.Role) -> None:
        """Choose the crisis team role that alerts mention.

        Args:
            role: The role mentioned on crisis alerts
        """
        await self.apply(interaction, {"crisis_team_role_id": validated_role("crisis_team_role_id", role)})
        if not role.mentionable:
            config = await self.bot.store.config.get(role.guild.id)
            where = role.guild.get_channel(config.crisis_alert_channel_id or 0)
            perms = where.permissions_for(role.guild.me) if where else role.guild.me.guild_permissions
            if not perms.mention_everyone:
                await reply_ephemeral(
                    interaction,
                    _(
                        "Heads-up: I can't mention {role}, so alerts would name it without notifying anyone. "
                        "Turn on **Allow anyone to @mention this role** in the role's settings."
                    ).format(role=role.mention),
                )

    @app_commands.command(name="alert-policy")
    @app_commands.choices(policy=[Choice(name=ALERT_POLICY_LABELS[p], value=p) for p in ALERT_POLICIES])
    async def alert_policy(self, interaction: discord.Interaction[KindredBot], policy: str) -> None:
        """Choose which crisis detections alert the team: off, imminent risk only, or all.

        Args:
            policy: Which crisis detections alert the team
        """
        if policy not in ALERT_POLICIES:
            raise KindredError(_("Pick a policy from the list."))
        await self.apply(interaction, {"alert_policy": policy})

    # -- check-ins and buddies --------------------------------------------------------------------
    share_channel = channel_setting("share-channel", "checkin_share_channel_id")
    buddy_channel = channel_setting("buddy-channel", "buddy_channel_id")

    @app_commands.command(name="pairing")
    @app_commands.choices(cadence=[Choice(name=CADENCE_LABELS[c], value=c) for c in CADENCES])
    @app_commands.choices(weekday=[Choice(name=day, value=i) for i, day in enumerate(WEEKDAYS)])
    async def pairing(
        self,
        interaction: discord.Interaction[KindredBot],
        cadence: str | None = None,
        weekday: int | None = None,
        hour: app_commands.Range[int, 0, 23] | None = None,
        repeat_window: app_commands.Range[int, 1, 12] | None = None,
    ) -> None:
        """Set when buddy rounds run: weekly or every two weeks, on which day and hour.

        Args:
            cadence: How often buddy rounds run
            weekday: The day rounds run
            hour: The hour rounds run (0-23, server time zone)
            repeat_window: Rounds before the same two members can be paired again
        """
        values: dict[str, Any] = {}
        if cadence is not None:
            if cadence not in CADENCES:
                raise KindredError(_("Pick a cadence from the list: every week or every two weeks."))
            values["pairing_cadence"] = cadence
        # The client enforces these ranges too, but a value can arrive from elsewhere (an old client).
        if weekday is not None:
            values["pairing_weekday"] = check_int_range("pairing_weekday", weekday, 0, 6)
        if hour is not None:
            values["pairing_hour"] = check_int_range("pairing_hour", hour, 0, 23)
        if repeat_window is not None:
            values["pairing_repeat_window"] = check_int_range("pairing_repeat_window", repeat_window, 1, 12)
        if not values:
            raise KindredError(_("Tell me what to change: a cadence, a day, an hour or a repeat window."))
        await self.apply(interaction, values)

    # -- service ----------------------------------------------------------------------------------
    service_board = channel_setting("service-board", "service_board_channel_id")

    @app_commands.command(name="service-posters")
    async def service_posters(
        self, interaction: discord.Interaction[KindredBot], role: discord.Role | None = None
    ) -> None:
        """Choose who may post service opportunities: everyone, or one role.

        Args:
            role: Only this role may post opportunities; leave empty to let everyone post
        """
        value = None if role is None else validated_role("service_post_role_id", role)
        await self.apply(interaction, {"service_post_role_id": value})

    # -- rooms ------------------------------------------------------------------------------------
    rooms_channel = channel_setting("rooms-channel", "rooms_channel_id")
    rooms_category = channel_setting("rooms-category", "rooms_category_id")

    # -- moderation and privacy -------------------------------------------------------------------
    modlog = channel_setting("modlog", "modlog_channel_id")

    retention = number_setting(
        "retention",
        "retention_days",
        "Set how long a member's data is kept after they leave, before it is erased.",
        "days",
        "Days to keep a departed member's data in case they come back (1-365)",
        1,
        365,
    )
    newcomer_mentors = number_setting(
        "newcomer-mentors",
        "newcomer_mentor_cap",
        "Set how many members in their first 30 days one mentor buddies at once, so no one is overloaded.",
        "cap",
        "At most this many members in their first 30 days per mentor at once (1-10)",
        1,
        10,
    )

    @app_commands.command(name="welcome")
    @app_commands.choices(state=[Choice(name="on", value="on"), Choice(name="off", value="off")])
    async def welcome(self, interaction: discord.Interaction[KindredBot], state: str) -> None:
        """Turn the private welcome DM to new members on or off (nothing about an arrival is ever posted).

        Args:
            state: on: each new member gets a short, private welcome DM from Kindred; off: none
        """
        if state not in ("on", "off"):
            raise KindredError(_("Pick on or off from the list."))
        await self.apply(interaction, {"welcome_dm": state == "on"})

"""``/buddy``: opt-in pairing with a peer. Every answer is private (ephemeral)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.buddies import text
from bot.buddies.rounds import CONNECT, NUDGE, ROUND, BuddyRounds, RoundButtons
from bot.clock import discord_ts
from bot.confirm import ConfirmView
from bot.errors import KindredError, reply_ephemeral
from bot.events import ConfigChange
from bot.i18n import _, current_locale
from cogs._hooks import Hooks, TimerRoute

from ._avoid import add_or_show_avoid, remove_avoid
from ._mod import confirm_round_now, preview_round
from ._prefs import profile_options, set_interests, set_timezone, summary, validate_profile_input
from ._shared import active_profile
from ._views import ConnectButton, SkipRoundButton, connect_view, skip_view

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Buddies"]

log = logging.getLogger(__name__)

_SCHEDULE_KEYS = frozenset({"pairing_cadence", "pairing_weekday", "pairing_hour", "timezone"})


@app_commands.guild_only()
class Buddies(commands.GroupCog, group_name="buddy", group_description="Opt-in pairing with a peer buddy"):
    """Buddy pairing: join, preferences, pauses, a confidential do-not-pair list, and rounds."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        self.rounds = BuddyRounds(bot, RoundButtons(skip=skip_view, connect=connect_view))
        self.hooks = Hooks(
            "buddies",
            timers=[
                # A round is idempotent (one per server and time, enforced by the database): safe to retry.
                TimerRoute(ROUND, self.rounds.on_round_timer, retry_interrupted=True),
                TimerRoute(NUDGE, self.rounds.on_nudge_timer),
                TimerRoute(CONNECT, self.rounds.on_connect_timer),
            ],
            buttons=[SkipRoundButton, ConnectButton],
            erase=self.rounds.erase_hook,
            reconcile=self.rounds.reconcile,
        )

    async def cog_load(self) -> None:
        """Publish the rounds service; register timers, persistent buttons, the erase hook and the round
        chain's reconciler."""
        self.bot.features.buddies = self.rounds
        self.hooks.attach(self.bot)

    async def cog_unload(self) -> None:
        """Undo everything cog_load did; pending timers wait in the database."""
        self.hooks.detach(self.bot)
        if self.bot.features.buddies is self.rounds:
            self.bot.features.buddies = None

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """The bot was added (back) to a server: resume its rounds if members are still opted in."""
        if await self.bot.store.buddies.active_member_ids(guild.id):
            await self.rounds.ensure_scheduled(guild.id)

    @commands.Cog.listener()
    async def on_guild_config_changed(self, change: ConfigChange) -> None:
        """Cadence, day, hour or time zone changed: move the next round (and its nudge)."""
        if change.key in _SCHEDULE_KEYS and await self.bot.store.buddies.active_member_ids(change.guild_id):
            due = await self.rounds.reschedule(change.guild_id)
            log.info("buddy round for guild %s rescheduled to %s", change.guild_id, due)

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        """A member left the server: end their pairing so their buddy is told, neutrally, not left waiting."""
        if await self.rounds.end_for(payload.guild_id, payload.user.id):
            log.info("buddy pairing of %s in guild %s ended: they left the server", payload.user.id, payload.guild_id)

    # -- member commands ---------------------------------------------------------------------
    @app_commands.command(name="join")
    @profile_options
    async def join(
        self,
        interaction: discord.Interaction[Any],
        interests: str | None = None,
        timezone: str | None = None,
        pathway: app_commands.Choice[str] | None = None,
        experience: app_commands.Choice[str] | None = None,
        wants: app_commands.Choice[str] | None = None,
    ) -> None:
        """Opt in to be paired with a buddy each round. Everything can be changed later with /buddy prefs."""
        assert interaction.guild_id is not None
        guild_id, user_id, now = interaction.guild_id, interaction.user.id, self.bot.clock.now()
        existing = await self.bot.store.buddies.get(guild_id, user_id)
        # Someone sitting out because a DM bounced may join again: that is how they say DMs are open now.
        if existing is not None and existing.status == "active" and not existing.paused_at(now) and existing.reachable:
            raise KindredError(
                _(
                    "You're already in buddy pairing. `/buddy prefs` changes your choices; "
                    "`/buddy status` shows your buddy."
                )
            )
        # Validate everything before saving anything.
        await validate_profile_input(self.bot, guild_id, interests or None, timezone)
        await self.bot.store.buddies.join(
            guild_id,
            user_id,
            pathway=pathway.value if pathway else (existing.pathway if existing else "any"),
            experience=experience.value if experience else (existing.experience if existing else "steady"),
            wants=wants.value if wants else (existing.wants if existing else "either"),
            now=now,
        )
        await self.bot.store.prefs.clear_dm_closed(user_id)
        if interests:
            await set_interests(self.bot, guild_id, user_id, interests, replace=False)
        if timezone:
            await set_timezone(self.bot, user_id, timezone)
        next_round = await self.rounds.ensure_scheduled(guild_id)
        profile = await active_profile(self.bot, interaction)
        tips = (
            ""
            if profile.timezone
            else "\n" + _("Tip: add your time zone with `/buddy prefs` so your buddy is awake when you are.")
        )
        welcome = _(
            "Welcome in! You'll be paired in the next round, {when}. "
            "A day before, I'll DM you in case you'd like to skip that week."
        ).format(when=discord_ts(next_round, "F"))
        await reply_ephemeral(interaction, f"{welcome}\n\n{summary(profile)}{tips}")

    @app_commands.command(name="prefs")
    @profile_options
    async def prefs(
        self,
        interaction: discord.Interaction[Any],
        interests: str | None = None,
        timezone: str | None = None,
        pathway: app_commands.Choice[str] | None = None,
        experience: app_commands.Choice[str] | None = None,
        wants: app_commands.Choice[str] | None = None,
    ) -> None:
        """See or change your buddy preferences. Interests you give replace your list."""
        assert interaction.guild_id is not None
        guild_id, user_id = interaction.guild_id, interaction.user.id
        await active_profile(self.bot, interaction)
        await validate_profile_input(self.bot, guild_id, interests, timezone)
        fields = {k: c.value for k, c in (("pathway", pathway), ("experience", experience), ("wants", wants)) if c}
        if fields:
            await self.bot.store.buddies.update(guild_id, user_id, now=self.bot.clock.now(), **fields)
        if interests is not None:
            await set_interests(self.bot, guild_id, user_id, interests, replace=True)
        if timezone:
            await set_timezone(self.bot, user_id, timezone)
        changed = bool(fields) or interests is not None or bool(timezone)
        profile = await active_profile(self.bot, interaction)
        head = _("Saved. Your next pairing will use these:") if changed else _("Your buddy preferences:")
        await reply_ephemeral(interaction, f"{head}\n\n{summary(profile)}")

    @app_commands.command(name="status")
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        """Your current buddy, when this round ends, and when the next one runs."""
        assert interaction.guild_id is not None
        profile = await active_profile(self.bot, interaction)
        now = self.bot.clock.now()
        group = await self.bot.store.buddies.rounds.active_group(interaction.guild_id, interaction.user.id)
        lines: list[str] = []
        if group is not None:
            others = ", ".join(f"<@{u}>" for u in group.user_ids if u != interaction.user.id)
            # The stored reason is English: other languages name the buddy, and the introduction says why.
            buddy = (
                _("**Your buddy:** {buddy}, because {reason}.").format(buddy=others, reason=group.reason)
                if current_locale() is None
                else _("**Your buddy:** {buddy}.").format(buddy=others)
            )
            if group.thread_id:
                buddy += " " + _("Your thread: {thread}.").format(thread=f"<#{group.thread_id}>")
            lines.append(buddy)
            lines.append(_("**This round ends:** {when}").format(when=discord_ts(group.ends_at, "F")))
        else:
            lines.append(_("**Your buddy:** nobody right now."))
        next_round = await self.rounds.next_scheduled(interaction.guild_id)
        if next_round is not None:
            lines.append(_("**Next round:** {when}").format(when=discord_ts(next_round, "F")))
        if profile.auto_paused:
            lines.append(_("**Paused** after a few quiet rounds. `/buddy resume` brings you back."))
        elif profile.paused_at(now) and profile.paused_until is not None:
            lines.append(
                _("**Paused until** {day}. `/buddy resume` to come back sooner.").format(
                    day=discord_ts(profile.paused_until, "D")
                )
            )
        elif profile.skip_round_at is not None and profile.skip_round_at > now:
            lines.append(_("You're skipping the next round."))
        if not profile.reachable:
            lines.append(
                _(
                    "**Sitting out for now:** my last DM to you didn't go through (DMs closed), and buddies need to "
                    "reach each other. Allow DMs from server members, then use `/buddy resume`."
                )
            )
        await reply_ephemeral(interaction, "\n".join(lines) + "\n\n" + summary(profile))

    @app_commands.command(name="pause")
    async def pause(self, interaction: discord.Interaction[Any], weeks: app_commands.Range[int, 1, 52]) -> None:
        """Sit out buddy rounds for a while. Your current pairing carries on.

        Args:
            weeks: How many weeks to sit out (1 to 52)
        """
        assert interaction.guild_id is not None
        await active_profile(self.bot, interaction)
        now = self.bot.clock.now()
        until = now + timedelta(weeks=weeks)
        await self.bot.store.buddies.pause(interaction.guild_id, interaction.user.id, until, now=now)
        await reply_ephemeral(
            interaction,
            _("Paused until {day}. Take the time you need. `/buddy resume` brings you back sooner.").format(
                day=discord_ts(until, "D")
            ),
        )

    @app_commands.command(name="resume")
    async def resume(self, interaction: discord.Interaction[Any]) -> None:
        """Come back from a pause and be paired in the next round."""
        assert interaction.guild_id is not None
        await active_profile(self.bot, interaction)
        await self.bot.store.buddies.resume(interaction.guild_id, interaction.user.id, now=self.bot.clock.now())
        # Members sitting out because a DM bounced come back this way too (the shared DMs-closed notice
        # tells them to run the feature's command again once DMs are open).
        await self.bot.store.prefs.clear_dm_closed(interaction.user.id)
        next_round = await self.rounds.ensure_scheduled(interaction.guild_id)
        await reply_ephemeral(
            interaction,
            _("Welcome back! You'll be in the next round, {when}.").format(when=discord_ts(next_round, "F")),
        )

    @app_commands.command(name="leave")
    async def leave(self, interaction: discord.Interaction[Any]) -> None:
        """Stop being paired. Your preferences are kept in case you come back with /buddy join."""
        assert interaction.guild_id is not None
        if not await self.bot.store.buddies.leave(interaction.guild_id, interaction.user.id, now=self.bot.clock.now()):
            raise KindredError(_("You're not in buddy pairing here, so there's nothing to leave."))
        still = await self.bot.store.buddies.rounds.active_group(interaction.guild_id, interaction.user.id)
        done = _("Done: you won't be paired in future rounds. Thanks for being part of it.")
        if still:
            done += " " + _("Your current pairing carries on until the round ends; `/buddy end` closes it now.")
        await reply_ephemeral(interaction, done)

    @app_commands.command(name="end")
    async def end(self, interaction: discord.Interaction[Any]) -> None:
        """Kindly end your current pairing. No reason needed; your buddy gets a neutral note."""
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        if await self.bot.store.buddies.rounds.active_group(guild_id, interaction.user.id) is None:
            raise KindredError(_("You don't have a buddy right now, so there's nothing to end."))

        async def confirmed(inner: discord.Interaction[Any]) -> None:
            ended = await self.rounds.end_pairing(guild_id, inner.user.id)
            if ended is None:
                raise KindredError(_("That pairing has already ended."))
            # Answer before the slow part: DMs and thread tidying can outlast Discord's 3-second deadline.
            await inner.response.edit_message(content=text.end_thanks(), view=None)
            await self.rounds.tell_ended(ended)

        await reply_ephemeral(
            interaction,
            _(
                "End your current pairing? Your buddy gets a short, neutral note (no reason given) and both of you "
                "will be in the next round."
            ),
            view=ConfirmView(interaction.user.id, _("End the pairing"), confirmed),
        )

    @app_commands.command(name="notify")
    @app_commands.choices(
        setting=[app_commands.Choice(name="on", value="on"), app_commands.Choice(name="off", value="off")]
    )
    async def notify(self, interaction: discord.Interaction[Any], setting: app_commands.Choice[str]) -> None:
        """Let your buddy know when you check in with a hard moment (they never see the check-in).

        Args:
            setting: on: your buddy hears you could use a check-in when you log a hard moment
        """
        assert interaction.guild_id is not None
        await active_profile(self.bot, interaction)
        on = setting.value == "on"
        await self.bot.store.buddies.set_hard_moment_opt_in(
            interaction.guild_id, interaction.user.id, on, now=self.bot.clock.now()
        )
        if on:
            message = _(
                "On. When you check in with a hard moment, your buddy gets only: "
                "\u201c{example}\u201d. Never the check-in itself. `/buddy notify off` stops it."
            ).format(example=_("<your name> could use a check-in from you"))
        else:
            message = _("Off. Your buddy won't hear about your check-ins at all.")
        await reply_ephemeral(interaction, message)

    # -- the do-not-pair list (cogs/buddies/_avoid.py) ------------------------------------------
    @app_commands.command(name="avoid")
    async def avoid(self, interaction: discord.Interaction[Any], member: discord.Member | None = None) -> None:
        """Never be paired with someone. Confidential: nobody is told. With no member, see and edit your list.

        Args:
            member: Someone you never want to be paired with (leave empty to see your list)
        """
        await add_or_show_avoid(self.bot, interaction, member)

    @app_commands.command(name="unavoid")
    async def unavoid(self, interaction: discord.Interaction[Any], member: discord.Member) -> None:
        """Take someone off your do-not-pair list.

        Args:
            member: Someone to take off your do-not-pair list
        """
        await remove_avoid(self.bot, interaction, member)

    # -- moderators (cogs/buddies/_mod.py) ------------------------------------------------------
    @app_commands.command(name="preview")
    @app_commands.default_permissions(manage_guild=True)
    async def preview(self, interaction: discord.Interaction[Any]) -> None:
        """Moderators: a dry run of the next round. Nothing is sent or saved."""
        await preview_round(self.rounds, interaction)

    @app_commands.command(name="pair-now")
    @app_commands.default_permissions(manage_guild=True)
    async def pair_now(self, interaction: discord.Interaction[Any]) -> None:
        """Moderators: run a buddy round right now. Current pairings end and new ones are introduced."""
        await confirm_round_now(self.rounds, interaction)

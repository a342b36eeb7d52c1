"""What happens when someone acts on an opportunity, shared by slash commands, buttons and timers.

The rules live in :mod:`bot.service` and the store; this module sequences them with the Discord
side effects (the board card, DMs, timers) and answers the member.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.clock import to_db
from bot.errors import KindredError, reply_ephemeral
from bot.messaging import NO_PINGS, send_dm
from bot.service import (
    JoinOutcome,
    Kind,
    Opportunity,
    Recurrence,
    SignupStatus,
    Status,
    board_card,
    cancel_notice,
    join_text,
    newcomer_notice,
    next_not_posted_notice,
    next_weekly,
    public_thanks,
    reminder_still_useful,
    reminder_text,
    reminder_times,
    thank_you_dm,
    when_echo,
)
from bot.timers import Timer
from bot.timezones import resolve_timezone
from cogs.service._views import board_view, card_embed, reminder_view

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["END_KIND", "REMIND_KIND", "ServiceActions"]

log = logging.getLogger(__name__)

REMIND_KIND = "service-remind"
END_KIND = "service-end"
NO_BOARD = (
    "There's no service board set up yet, so I have nowhere to post this. "
    "A moderator can choose one with `/config service-board`."
)


def remind_key(opp_id: int, user_id: int, lead: str) -> str:
    """Timer key for one member's reminder; the trailing colon keeps #1 from matching #12."""
    return f"service-remind:{opp_id}:{user_id}:{lead}"


class ServiceActions:
    """Stateless helper over the bot; cheap to build per interaction or timer."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        self.store = bot.store.service

    # -- checks ----------------------------------------------------------------------------
    async def load(self, opp_id: int, guild_id: int | None = None) -> Opportunity:
        """The opportunity, or a specific error if it doesn't exist (here)."""
        opp = await self.store.get(opp_id)
        if opp is None or (guild_id is not None and opp.guild_id != guild_id):
            raise KindredError(f"I couldn't find service opportunity #{opp_id}. `/service list` shows open ones.")
        return opp

    async def load_managed(self, interaction: discord.Interaction, opp_id: int) -> Opportunity:
        """The opportunity, if the member posted it or is a moderator (Manage Server)."""
        opp = await self.load(opp_id, interaction.guild_id)
        if opp.poster_user_id != interaction.user.id and not interaction.permissions.manage_guild:
            raise KindredError(
                "Only the person who posted this opportunity, or a moderator with **Manage Server**, can change it."
            )
        return opp

    # -- the board card --------------------------------------------------------------------
    async def post_card(self, opp: Opportunity) -> discord.Message:
        """Post a new card on the board (the configured one, else where the series was)."""
        config = await self.bot.store.config.get(opp.guild_id)
        channel_id = config.service_board_channel_id or opp.channel_id
        channel = self.bot.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.TextChannel):
            raise KindredError(NO_BOARD)
        message = await channel.send(embed=card_embed(board_card(opp)), view=board_view(opp), allowed_mentions=NO_PINGS)
        await self.store.set_message(opp.id, channel.id, message.id)
        await self.schedule_end(opp)
        return message

    async def refresh_card(self, opp_id: int) -> None:
        """Redraw the card after sign-ups or details change. Failures are logged, not raised."""
        opp = await self.store.get(opp_id)
        if opp is None or opp.channel_id is None or opp.message_id is None:
            return
        message = self.bot.get_partial_messageable(opp.channel_id).get_partial_message(opp.message_id)
        try:
            await message.edit(embed=card_embed(board_card(opp)), view=board_view(opp))
        except discord.HTTPException:
            log.exception("could not refresh the card for opportunity %s", opp_id)

    # -- timers ----------------------------------------------------------------------------
    async def schedule_reminders(self, opp: Opportunity, user_id: int) -> list[str]:
        """Set (or move) the 24 h and 1 h reminders; leads already past are dropped. Returns those set."""
        due = {r.lead: r.due_at for r in reminder_times(opp.starts_at, self.bot.clock.now())}
        for lead in ("24h", "1h"):
            key = remind_key(opp.id, user_id, lead)
            if lead in due:
                payload = {"opp_id": opp.id, "lead": lead, "starts_at": to_db(opp.starts_at)}
                await self.bot.timers.schedule(
                    REMIND_KIND, due[lead], guild_id=opp.guild_id, user_id=user_id, payload=payload, dedupe_key=key
                )
            else:
                await self.bot.timers.cancel(dedupe_key=key)
        return list(due)

    async def cancel_reminders(self, opp_id: int, user_id: int | None = None) -> None:
        """Drop pending reminders for one member, or for everyone on the opportunity."""
        suffix = f"{user_id}:" if user_id is not None else ""
        await self.bot.timers.cancel_prefix(f"service-remind:{opp_id}:{suffix}")

    async def schedule_end(self, opp: Opportunity) -> None:
        """The timer that closes the opportunity when it ends (and makes the next weekly one)."""
        await self.bot.timers.schedule(
            END_KIND, opp.ends_at, guild_id=opp.guild_id, payload={"opp_id": opp.id}, dedupe_key=f"service-end:{opp.id}"
        )

    async def on_reminder(self, timer: Timer) -> None:
        """Send one reminder, unless it was cancelled, moved, or the member opted out."""
        opp = await self.store.get(int(timer.payload["opp_id"]))
        user_id = timer.user_id
        if opp is None or user_id is None or opp.status is not Status.OPEN:
            return
        if timer.payload.get("starts_at") != to_db(opp.starts_at):
            return  # the time was edited; the rescheduled reminder will come instead
        now, lead = self.bot.clock.now(), str(timer.payload["lead"])
        if not reminder_still_useful(lead, opp.starts_at, now):
            log.info("reminder %s for %s came too late to help; not sent", lead, opp.id)
            return
        if self.bot.get_guild(opp.guild_id) is None:
            return  # the bot was removed from that server: its board and card are gone
        if not await self.store.wants_reminder(opp.id, user_id):
            return
        await send_dm(self.bot, user_id, content=reminder_text(opp, lead, now), view=reminder_view(opp.id))

    async def on_end(self, timer: Timer) -> None:
        """The end time passed: close it if nobody completed it, and start the next week's."""
        opp = await self.store.get(int(timer.payload["opp_id"]))
        if opp is None:
            return
        closed = await self.store.close(opp.id, Status.PASSED, now=self.bot.clock.now())
        if closed is not None and self.bot.get_guild(opp.guild_id) is not None:
            await self.refresh_card(opp.id)
        # PASSED too: a run cut off after closing it must still make next week's on its retry.
        if opp.status in (Status.OPEN, Status.COMPLETED, Status.PASSED):
            await self.spawn_next(opp)

    async def spawn_next(self, opp: Opportunity) -> Opportunity | None:
        """Create and post the next weekly occurrence (once only).

        A series stops rather than repeat for ever where nobody can see it: when the bot is no
        longer in the server, or after an occurrence that never made it onto the board.
        """
        if opp.recurrence is not Recurrence.WEEKLY:
            return None
        if self.bot.get_guild(opp.guild_id) is None:
            log.info("not repeating %s: the bot is no longer in server %s", opp.id, opp.guild_id)
            return None
        if opp.message_id is None:
            log.info("not repeating %s: it was never posted on the board", opp.id)
            return None
        starts_at = next_weekly(opp.starts_at, resolve_timezone(opp.zone), self.bot.clock.now())
        nxt = await self.store.spawn_next(opp.id, starts_at, now=self.bot.clock.now())
        if nxt is None:
            return None
        try:
            await self.post_card(nxt)
        except (KindredError, discord.HTTPException):
            # Kept as open so nothing is lost (it shows in /service list); the poster is told, and the
            # series ends after it, since further weeks would land nowhere too.
            log.exception("could not post the next occurrence %s of %s", nxt.id, opp.id)
            await self.schedule_end(nxt)
            await send_dm(self.bot, nxt.poster_user_id, content=next_not_posted_notice(nxt))
        return nxt

    # -- signing up ------------------------------------------------------------------------
    async def join(self, interaction: discord.Interaction, opp_id: int) -> None:
        """Volunteer (or join the waitlist) and answer privately."""
        opp = await self.load(opp_id, interaction.guild_id)
        user_id = interaction.user.id
        result = await self.store.join(opp_id, user_id, now=self.bot.clock.now())
        if result.outcome is JoinOutcome.VOLUNTEERED:
            leads = await self.schedule_reminders(opp, user_id)
            await reply_ephemeral(interaction, join_text(opp, leads), view=reminder_view(opp.id) if leads else None)
        elif result.outcome is JoinOutcome.WAITLISTED:
            await reply_ephemeral(
                interaction,
                f"**{opp.title}** is full right now, so you're number {result.position} on the waitlist. "
                "If a place opens up it's yours automatically, and I'll DM you.",
            )
        elif result.outcome is JoinOutcome.ALREADY_VOLUNTEER:
            await reply_ephemeral(interaction, f"You're already signed up for **{opp.title}**. Thank you!")
            return
        else:
            await reply_ephemeral(
                interaction, f"You're already on the waitlist for **{opp.title}** (number {result.position})."
            )
            return
        await self.refresh_card(opp_id)

    async def withdraw(self, interaction: discord.Interaction, opp_id: int) -> None:
        """Withdraw, promote whoever was first in line, and answer privately."""
        opp = await self.load(opp_id, interaction.guild_id)
        result = await self.store.withdraw(opp_id, interaction.user.id, now=self.bot.clock.now())
        if result.was is None:
            raise KindredError(f"You aren't signed up for **{opp.title}**, so there's nothing to withdraw from.")
        await self.cancel_reminders(opp_id, interaction.user.id)
        where = "the waitlist for " if result.was is SignupStatus.WAITLIST else ""
        await reply_ephemeral(
            interaction,
            f"You've left {where}**{opp.title}**. Thanks for letting us know; that's a kindness too.",
        )
        await self.promoted(opp, list(result.promoted))
        await self.refresh_card(opp_id)

    async def promoted(self, opp: Opportunity, user_ids: list[int]) -> None:
        """Tell members who moved up from the waitlist, and set their reminders."""
        for user_id in user_ids:
            await self.schedule_reminders(opp, user_id)
            await send_dm(
                self.bot,
                user_id,
                content=(
                    f"Good news: a place opened up on **{opp.title}**, {when_echo(opp.starts_at)}, and it's yours. "
                    f"If you can't make it now, `/service withdraw {opp.id}` passes it on."
                ),
                view=reminder_view(opp.id),
            )

    async def stop_reminders(self, interaction: discord.Interaction, opp_id: int) -> None:
        """Turn reminders off for one opportunity; they stay signed up."""
        opp = await self.load(opp_id)
        if not await self.store.set_reminders(opp_id, interaction.user.id, on=False):
            raise KindredError(f"You're not signed up for **{opp.title}** any more, so there are no reminders to stop.")
        await self.cancel_reminders(opp_id, interaction.user.id)
        await reply_ephemeral(
            interaction, f"Okay, no more reminders for **{opp.title}**. You're still signed up; thank you."
        )

    # -- after -----------------------------------------------------------------------------
    async def cancel(self, interaction: discord.Interaction, opp_id: int, reason: str | None) -> None:
        """Cancel (after confirmation): tell everyone who signed up, kindly, and close the card."""
        closed = await self.store.close(opp_id, Status.CANCELLED, now=self.bot.clock.now())
        if closed is None:
            raise KindredError(f"#{opp_id} isn't open any more, so there's nothing to cancel.")
        await self.cancel_reminders(opp_id)
        await self.bot.timers.cancel(dedupe_key=f"service-end:{opp_id}")
        await interaction.response.edit_message(
            content=f"**{closed.title}** is cancelled, and I'm letting everyone who signed up know.", view=None
        )
        for user_id in (*closed.volunteers, *closed.waitlist):
            if user_id != interaction.user.id:
                await send_dm(self.bot, user_id, content=cancel_notice(closed, reason))
        await self.refresh_card(opp_id)

    async def complete(
        self, interaction: discord.Interaction, opp_id: int, served: list[int], *, thank_publicly: bool
    ) -> None:
        """Record who served, thank each one personally, and optionally thank them in public."""
        done = await self.store.complete(opp_id, served, now=self.bot.clock.now())
        if done is None:
            raise KindredError(f"#{opp_id} was already completed or cancelled.")
        served = [uid for uid in served if uid in done.volunteers]
        await self.cancel_reminders(opp_id)
        await self.bot.timers.cancel(dedupe_key=f"service-end:{opp_id}")
        text = f"**{done.title}** is marked complete."
        text += " I've sent each person who helped a personal thank-you." if served else ""
        if interaction.response.is_done():
            await reply_ephemeral(interaction, text)
        elif interaction.message is not None and interaction.message.flags.ephemeral:
            await interaction.response.edit_message(content=text, view=None)
        else:
            await reply_ephemeral(interaction, text)
        for user_id in served:
            await send_dm(self.bot, user_id, content=thank_you_dm(done))
        if thank_publicly and served:
            await self.thank_in_public(done, served)
        await self.refresh_card(opp_id)
        await self.spawn_next(done)

    async def thank_in_public(self, opp: Opportunity, served: list[int]) -> None:
        """A short thank-you on the board naming the helpers; only they are pinged."""
        if opp.channel_id is None:
            return
        mentions = discord.AllowedMentions(
            everyone=False, roles=False, replied_user=False, users=[discord.Object(uid) for uid in served]
        )
        try:
            await self.bot.get_partial_messageable(opp.channel_id).send(
                public_thanks(opp, served), allowed_mentions=mentions
            )
        except discord.HTTPException:
            log.exception("could not post the public thank-you for %s", opp.id)

    # -- erasure ---------------------------------------------------------------------------
    async def before_erase(self, user_id: int, guild_id: int | None) -> None:
        """Before a member's data is erased: free their places and close their posts, neutrally.

        Without this, erasing sign-up rows would leave a free slot nobody on the waitlist is given,
        and erasing a poster's opportunities would leave volunteers expecting an event that's gone.
        """
        now = self.bot.clock.now()
        signed, posted = await self.store.open_involving(user_id, guild_id)
        await self.free_places(user_id, signed)
        for opp_id in posted:
            closed = await self.store.close(opp_id, Status.CANCELLED, now=now)
            if closed is None:
                continue
            await self.cancel_reminders(opp_id)
            await self.bot.timers.cancel(dedupe_key=f"service-end:{opp_id}")
            for volunteer in (*closed.volunteers, *closed.waitlist):
                await send_dm(self.bot, volunteer, content=cancel_notice(closed, None))
            await self.refresh_card(opp_id)

    async def free_places(self, user_id: int, opp_ids: list[int]) -> None:
        """Take a member off these opportunities; each freed slot goes to the first person waiting."""
        now = self.bot.clock.now()
        for opp_id in opp_ids:
            result = await self.store.withdraw(opp_id, user_id, now=now)
            await self.cancel_reminders(opp_id, user_id)
            opp = await self.store.get(opp_id)
            if opp is not None:
                await self.promoted(opp, list(result.promoted))
            await self.refresh_card(opp_id)

    async def member_left(self, member: discord.Member) -> None:
        """Someone left the server: their places pass on, and no reminders follow them out.

        Their own posts stay up, so volunteers aren't left guessing; a moderator can cancel them.
        """
        signed, _ = await self.store.open_involving(member.id, member.guild.id)
        await self.free_places(member.id, signed)

    # -- newcomers -------------------------------------------------------------------------
    async def welcome(self, member: discord.Member) -> None:
        """If a newcomer-welcome shift is running, tell its volunteers privately, by DM; nothing is posted."""
        now = self.bot.clock.now()
        name = discord.utils.escape_markdown(member.guild.name)
        told: set[int] = {member.id}
        for opp in await self.store.running(member.guild.id, Kind.NEWCOMER_WELCOME, now=now):
            for volunteer in opp.volunteers:
                if volunteer not in told:
                    told.add(volunteer)
                    await send_dm(self.bot, volunteer, content=newcomer_notice(name, member.id))

"""The Discord side of first-30-days support: the DMs, each with its persistent buttons."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.buddies.text import thread_name
from bot.i18n import N_, _, using_locale
from bot.messaging import NO_PINGS, open_private_thread, pinging, send_dm
from bot.newcomers.text import greeting_text, intro_text, rooms_text, volunteer_text
from cogs.checkins._views import CheckinNowButton
from cogs.newcomers._views import change_view, end_view, greet_view
from cogs.rooms._render import event_url

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from bot.client import KindredBot
    from bot.store.room_models import Room

__all__ = ["DiscordNewcomers", "DiscordPairs", "DiscordWelcome"]

log = logging.getLogger(__name__)

THREAD_CLOSED = N_("This pairing has ended. Thank you both for giving it a go.")


async def _tell(bot: KindredBot, user_id: int, text: str) -> bool:
    """``text`` (English, marked for the catalogue) by DM in the language the member last used with Kindred."""
    with using_locale(await bot.store.prefs.locale_of(user_id)):
        content = _(text)
    return await send_dm(bot, user_id, content=content, allowed_mentions=NO_PINGS) is not None


class DiscordNewcomers:
    """Implements :class:`bot.newcomers.service.NewcomerPort` with private DMs that ping no one.

    The rhythm calls these inside the member's language, so the buttons are labelled in it too."""

    def __init__(self, bot: KindredBot) -> None:
        self._bot = bot

    async def send_prompt(self, user_id: int, guild_id: int | None, text: str) -> bool:
        """A check-in prompt with the same "Check in now" button the daily reminder has."""
        view = discord.ui.View(timeout=None)
        view.add_item(CheckinNowButton(guild_id))
        return await send_dm(self._bot, user_id, content=text, view=view, allowed_mentions=NO_PINGS) is not None

    async def send_note(self, user_id: int, text: str) -> bool:
        """A milestone note."""
        return await send_dm(self._bot, user_id, content=text, allowed_mentions=NO_PINGS) is not None

    async def send_rooms(self, user_id: int, rooms: list[Room], zone: ZoneInfo) -> bool:
        """The week's newcomer-friendly rooms, each with its native event link."""
        items = [(discord.utils.escape_markdown(r.title), r.start_at, event_url(r)) for r in rooms]
        return await send_dm(self._bot, user_id, content=rooms_text(items, zone), allowed_mentions=NO_PINGS) is not None

    async def send_end(self, user_id: int, text: str, *, offer_reminder: bool) -> bool:
        """The day-30 reflection, with a button to keep a daily reminder when they have none."""
        kwargs: dict[str, object] = {"view": end_view(user_id)} if offer_reminder else {}
        return await send_dm(self._bot, user_id, content=text, allowed_mentions=NO_PINGS, **kwargs) is not None


class DiscordPairs:
    """Implements :class:`bot.newcomers.pairing.PairPort`: a private thread in the buddy channel, else DMs."""

    def __init__(self, bot: KindredBot) -> None:
        self._bot = bot

    def in_server(self, guild_id: int, user_id: int) -> bool:
        """Whether the member is (still) in the server."""
        guild = self._bot.get_guild(guild_id)
        return guild is not None and guild.get_member(user_id) is not None

    async def tell(self, user_id: int, text: str) -> bool:
        """A private note to one member, in their language."""
        return await _tell(self._bot, user_id, text)

    async def close_thread(self, thread_id: int, newcomer_id: int) -> None:
        """A neutral closing line in the newcomer's language, then archive and lock the thread (a failure is
        logged, never shown)."""
        with using_locale(await self._bot.store.prefs.locale_of(newcomer_id)):
            closing = _(THREAD_CLOSED)
        try:
            thread = self._bot.get_channel(thread_id) or await self._bot.fetch_channel(thread_id)
            if isinstance(thread, discord.Thread):
                await thread.send(closing, allowed_mentions=NO_PINGS)
                await thread.edit(archived=True, locked=True)
        except discord.HTTPException:
            log.warning("couldn't close first-30-days buddy thread %s", thread_id, exc_info=True)

    async def introduce(self, guild_id: int, pair_id: int, newcomer_id: int, mentor_id: int) -> None:
        """Introduce the two privately, pinging exactly them; by DM when no thread can be made.

        The thread is written in the newcomer's language (they asked for the buddy); each DM in its reader's."""
        with using_locale(await self._bot.store.prefs.locale_of(newcomer_id)):
            text, view = intro_text(newcomer_id, mentor_id), change_view(pair_id)
            name = thread_name(self._bot.clock.now())
        both = (newcomer_id, mentor_id)
        config = await self._bot.store.config.get(guild_id)
        guild = self._bot.get_guild(guild_id)
        channel = guild.get_channel(config.buddy_channel_id) if guild and config.buddy_channel_id else None
        if isinstance(channel, discord.TextChannel):
            try:
                pairs = self._bot.store.newcomer_pairs
                await open_private_thread(
                    channel, name, both, text, remember=lambda t: pairs.set_thread(pair_id, t), view=view
                )
                return
            except discord.HTTPException:
                log.warning("first-30-days buddy thread in channel %s failed; introducing by DM", channel.id)
        for user_id in both:
            with using_locale(await self._bot.store.prefs.locale_of(user_id)):
                text, view = intro_text(newcomer_id, mentor_id), change_view(pair_id)
            await send_dm(self._bot, user_id, content=text, view=view, allowed_mentions=pinging(both))


class DiscordWelcome:
    """Implements :class:`bot.newcomers.welcoming.WelcomePort`."""

    def __init__(self, bot: KindredBot) -> None:
        self._bot = bot

    async def tell(self, user_id: int, text: str) -> bool:
        """A private note to one member, in their language."""
        return await _tell(self._bot, user_id, text)

    async def ask_volunteer(self, volunteer_id: int, guild_id: int, newcomer_id: int, how: str) -> bool:
        """Tell a volunteer on shift that this member asked for a hello (mentioning them pings no one here)."""
        guild = self._bot.get_guild(guild_id)
        with using_locale(await self._bot.store.prefs.locale_of(volunteer_id)):
            server = discord.utils.escape_markdown(guild.name) if guild is not None else _("your server")
            extra: dict[str, object] = {"view": greet_view(newcomer_id, guild_id)} if how == "thread" else {}
            content = volunteer_text(server, newcomer_id, how)
        return await send_dm(self._bot, volunteer_id, content=content, allowed_mentions=NO_PINGS, **extra) is not None

    async def greet_in_thread(self, thread_id: int, volunteer_id: int, newcomer_id: int) -> bool:
        """Add the volunteer to the buddy thread and post a short hello that pings exactly the two of them."""
        try:
            thread = self._bot.get_channel(thread_id) or await self._bot.fetch_channel(thread_id)
            if not isinstance(thread, discord.Thread):
                return False
            await thread.add_user(discord.Object(volunteer_id))
            with using_locale(await self._bot.store.prefs.locale_of(newcomer_id)):
                hello = greeting_text(volunteer_id, newcomer_id)
            await thread.send(hello, allowed_mentions=pinging((volunteer_id, newcomer_id)))
        except discord.HTTPException:
            log.warning("couldn't add a welcome volunteer to buddy thread %s", thread_id, exc_info=True)
            return False
        return True

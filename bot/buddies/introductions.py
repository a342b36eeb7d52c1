"""Introducing a round's groups: a private thread in the buddy channel, else DMs, each in its readers' language.

A thread is read by the whole group, so it is written in the language they all last used with Kindred, or in
English when they differ; a DM is written in its reader's language. The match reason stored with the round is
English; other languages get it again from what the group shares (:func:`bot.matching.explain`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.buddies import text
from bot.errors import permission_names
from bot.i18n import _, catalogue_for, current_locale, using_locale
from bot.matching import explain
from bot.messaging import NO_PINGS, open_private_thread, pinging, send_dm

if TYPE_CHECKING:
    from bot.host import Host
    from bot.matching import Candidate
    from bot.store.buddy_rounds import GroupInfo

__all__ = ["Intro", "introduce_all", "shared_locale"]

log = logging.getLogger(__name__)

_GREETING_WITHIN = 20
"""How far into a resumed thread to look for the bot's greeting: it follows only the members being added."""

_THREAD_PERMS = ("view_channel", "create_private_threads", "send_messages_in_threads")


async def shared_locale(bot: Host, user_ids: tuple[int, ...]) -> str | None:
    """The language for a message several members read: theirs if they all share it, else English."""
    locales = [await bot.store.prefs.locale_of(u) for u in user_ids]
    catalogues = {catalogue_for(loc) for loc in locales}
    return locales[0] if len(catalogues) == 1 else None


@dataclass(frozen=True, slots=True)
class Intro:
    """One group to introduce, as the round stored it, with what its members share."""

    group: GroupInfo
    index: int
    """Its place among the round's groups (the starter questions follow it)."""
    members: tuple[Candidate, ...]
    """To say why they were matched in another language; when some are missing (a member whose profile
    is gone by a rerun) the stored English reason is used."""

    def message(self, seed: int, ends_at: datetime) -> str:
        """The introduction in the current locale (the reason too, from what the group shares)."""
        group = self.group
        translated = current_locale() is not None and len(self.members) == len(group.user_ids)
        reason = explain(self.members) if translated else group.reason
        return text.intro_message(group.user_ids, reason, text.starter_questions(seed + self.index), ends_at)


async def introduce_all(
    bot: Host, guild_id: int, channel_id: int | None, groups: Sequence[Intro], *, seed: int, ends_at: datetime
) -> int:
    """Introduce each group of a round: a private thread when the buddy channel allows it, else by DM. Returns
    how many groups were introduced by DM (and the moderators are told how to fix it).

    Each group is marked introduced as soon as its thread or DMs went out, so a round cut off by a restart
    introduces only the rest on its rerun. A group whose thread was saved but which was never marked (a cut
    between sending and marking) gets that thread back on the rerun rather than a second one
    (:func:`_resume_thread`); a cut between DMs and marking repeats that group's DMs.
    """
    guild = bot.get_guild(guild_id)
    channel = guild.get_channel(channel_id) if guild is not None and channel_id is not None else None
    threads_ok = isinstance(channel, discord.TextChannel)
    missing: str | None = None
    by_dm = 0
    for to_introduce in groups:
        intro, group = functools.partial(to_introduce.message, seed, ends_at), to_introduce.group
        if threads_ok and isinstance(channel, discord.TextChannel):
            try:
                if group.thread_id is None or not await _resume_thread(bot, group.thread_id, group.user_ids, intro):
                    await _thread_intro(bot, channel, group.id, group.user_ids, intro)
                await bot.store.buddies.rounds.mark_introduced(group.id, bot.clock.now())
                continue
            except discord.Forbidden as exc:
                # One refusal means every thread this round would be refused too.
                log.warning("buddy thread refused in channel %s (code %s); falling back to DMs", channel.id, exc.code)
                threads_ok = False
                missing = _missing_thread_perms(channel)
            except discord.HTTPException:
                log.exception("buddy thread for group %s failed; introducing by DM", group.id)
        await _dm_intro(bot, group.user_ids, intro)
        await bot.store.buddies.rounds.mark_introduced(group.id, bot.clock.now())
        by_dm += 1
    if by_dm and guild is not None:
        found = channel_id is None or isinstance(channel, discord.TextChannel)
        with using_locale(None):  # the mod log is read by the whole team
            note = text.mod_fix_message(channel_id, missing, channel_found=found)
        await _tell_moderators(bot, guild, note)
    return by_dm


async def _thread_intro(
    bot: Host, channel: discord.TextChannel, group_id: int, user_ids: tuple[int, ...], intro: Callable[[], str]
) -> None:
    with using_locale(await shared_locale(bot, user_ids)):
        content, name = intro(), text.thread_name(bot.clock.now())

    async def remember(thread_id: int) -> None:
        await bot.store.buddies.rounds.set_thread(group_id, thread_id)

    await open_private_thread(channel, name, user_ids, content, remember=remember)


async def _resume_thread(bot: Host, thread_id: int, user_ids: tuple[int, ...], intro: Callable[[], str]) -> bool:
    """Finish a group's thread saved by a run that was cut off: greet it unless the bot already did. False
    when the thread is gone, so the caller opens a new one."""
    try:
        thread = bot.get_channel(thread_id) or await bot.fetch_channel(thread_id)
    except discord.NotFound:
        thread = None
    if not isinstance(thread, discord.Thread):
        log.warning("buddy thread %s saved by a cut-off round is gone; opening a new one", thread_id)
        return False
    me = bot.user.id if bot.user is not None else None
    # The greeting is the bot's first ordinary message there (adding members leaves system messages, by the bot).
    async for message in thread.history(limit=_GREETING_WITHIN, oldest_first=True):
        if message.author.id == me and message.type is discord.MessageType.default:
            return True
    with using_locale(await shared_locale(bot, user_ids)):
        content = intro()
    # The cut may have come while members were being added; adding one already in is harmless.
    for user_id in user_ids:
        await thread.add_user(discord.Object(user_id))
    await thread.send(content, allowed_mentions=pinging(user_ids))
    return True


async def _dm_intro(bot: Host, user_ids: tuple[int, ...], intro: Callable[[], str]) -> None:
    unreachable = []
    for user_id in user_ids:
        with using_locale(await bot.store.prefs.locale_of(user_id)):
            content = intro()
        if await send_dm(bot, user_id, content=content, allowed_mentions=pinging(user_ids)) is None:
            unreachable.append(user_id)
    # Never leave a buddy waiting without knowing: tell the others who couldn't be reached.
    for user_id in unreachable:
        for other in user_ids:
            if other not in unreachable:
                with using_locale(await bot.store.prefs.locale_of(other)):
                    content = _(
                        "I couldn't reach {member} by DM. A hello from you in the server would reach them."
                    ).format(member=f"<@{user_id}>")
                await send_dm(bot, other, content=content)


def _missing_thread_perms(channel: discord.TextChannel) -> str | None:
    me = channel.guild.me
    if me is None:
        return None
    perms = channel.permissions_for(me)
    missing = [p for p in _THREAD_PERMS if not getattr(perms, p)]
    return permission_names(missing) if missing else None


async def _tell_moderators(bot: Host, guild: discord.Guild, note: str) -> None:
    config = await bot.store.config.get(guild.id)
    modlog = guild.get_channel(config.modlog_channel_id) if config.modlog_channel_id else None
    if isinstance(modlog, discord.TextChannel):
        try:
            await modlog.send(note, allowed_mentions=NO_PINGS)
            return
        except discord.HTTPException:
            log.exception("could not post the buddy-thread fix to the mod log in guild %s", guild.id)
    if guild.owner_id is not None and await send_dm(bot, guild.owner_id, content=note) is None:
        log.warning("could not tell anyone in guild %s how to fix buddy threads", guild.id)

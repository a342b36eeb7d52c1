"""The one check-in pipeline shared by ``/checkin today``, the detail modal and the reminder button.

Record → crisis scan of the note → reflection → optional share → hard-moment help. The rules
come from :mod:`bot.checkins`; this module only talks to Discord. It composes the answer's text;
:func:`cogs.checkins._views.send_answer` sends it with the buttons, so views and flow don't import each other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import discord

from bot.checkins import (
    CheckinDraft,
    ShareMode,
    hard_moment_text,
    is_hard_moment,
    reflect,
    share_summary,
    streak,
)
from bot.errors import KindredError
from bot.events import MemberText
from bot.i18n import N_, _, using_locale
from bot.messaging import NO_PINGS
from bot.resources import contacts_for, render_contacts
from cogs._gatherings import server_locale

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = [
    "CheckinAnswer",
    "current_member",
    "display_name",
    "post_to_share_channel",
    "record_checkin",
    "require_member",
]

log = logging.getLogger(__name__)

# How long the check-in answer waits for the crisis cog's verdict on a note (the sentence model takes
# milliseconds, but waits its turn behind other messages); past it, the word list's verdict is used.
NOTE_REVIEW_TIMEOUT = 2.0

CRISIS_NOTE_LINE = N_(
    "What you wrote sounds really heavy. You matter, and you don't have to carry this alone: "
    "there are people ready to listen right now, and things can get better."
)
NO_SHARE_CHANNEL = N_(
    "Your check-in is saved. This server hasn't set up a check-in share channel yet, so nothing was posted. "
    "A moderator can choose one with `/config share-channel`."
)


def safe_text(text: str) -> str:
    """Member text made inert: no @everyone/@here, role or user mention syntax survives."""
    return discord.utils.escape_mentions(text)


async def current_member(bot: KindredBot, guild_id: int, user_id: int) -> discord.Member | None:
    """The member if they are still in the server (asking Discord when the cache doesn't know)."""
    guild = bot.get_guild(guild_id)
    if guild is None:
        return None
    member = guild.get_member(user_id)
    if member is not None:
        return member
    try:
        return await guild.fetch_member(user_id)
    except discord.NotFound:
        return None
    except discord.HTTPException:
        log.exception("could not check whether %s is still in guild %s", user_id, guild_id)
        return None


NOT_A_MEMBER = N_(
    "That button is for a server you're not in (any more), so I can't record a check-in there. Nothing was saved. "
    "If today is hard, findahelpline.com lists people you can reach right now."
)


async def require_member(bot: KindredBot, guild_id: int | None, user_id: int) -> None:
    """Refuse kindly unless the member is in the server a button or modal names (``None``: no server).

    A button's custom id is only as trustworthy as the client that sent it: a forged server id must
    not record a check-in in a server the member isn't in, nor send that server's team an alert.
    """
    if guild_id is not None and await current_member(bot, guild_id, user_id) is None:
        raise KindredError(_(NOT_A_MEMBER))


def display_name(bot: KindredBot, guild_id: int | None, user: discord.abc.User) -> str:
    """The member's server nickname when we can see it, else their global name."""
    guild = bot.get_guild(guild_id) if guild_id else None
    member = guild.get_member(user.id) if guild else None
    return (member or user).display_name


async def post_to_share_channel(bot: KindredBot, guild_id: int, content: str) -> str | None:
    """Post member-chosen text to the share channel with no pings.

    Returns ``None`` on success, or a kind sentence saying why nothing was posted.
    """
    config = await bot.store.config.get(guild_id)
    if config.checkin_share_channel_id is None:
        return _(NO_SHARE_CHANNEL)
    channel = bot.get_channel(config.checkin_share_channel_id)
    try:
        if channel is None:
            channel = await bot.fetch_channel(config.checkin_share_channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            return _(
                "Your check-in is saved, but the check-in share channel isn't a text channel, so nothing was posted."
            )
        await channel.send(content, allowed_mentions=NO_PINGS)
    except discord.HTTPException:
        log.exception("could not post to the share channel of guild %s", guild_id)
        return _(
            "Your check-in is saved, but I couldn't post in the check-in share channel (a moderator may need to check "
            "my permissions there). Nothing else was affected."
        )
    return None


@dataclass(frozen=True, slots=True)
class CheckinAnswer:
    """The private answer to a recorded check-in; the caller adds the buttons (they live in ``_views``)."""

    text: str
    guild_id: int | None
    checkin_id: int
    offer_buddy_notice: bool
    """Whether to offer "let my buddy know" (a hard moment, a current buddy, and their opt-in)."""


async def record_checkin(
    interaction: discord.Interaction,
    bot: KindredBot,
    guild_id: int | None,
    draft: CheckinDraft,
    *,
    share: ShareMode = "no",
    include_note: bool = False,
    existing_id: int | None = None,
) -> CheckinAnswer:
    """Record (or update) a check-in, share it if asked, and compose the member's private answer."""
    user = interaction.user
    store = bot.store
    if guild_id != interaction.guild_id:
        # From a DM's button or modal: the server id came with it, so the member may have left since.
        await require_member(bot, guild_id, user.id)
    zone = await store.member_zone(user.id, guild_id)
    now = bot.clock.now()
    today = now.astimezone(zone).date()
    if existing_id is None:
        checkin_id = await store.checkins.record_checkin(guild_id, user.id, draft, now=now, local_date=today)
    else:
        if not await store.checkins.update_checkin(existing_id, user.id, draft):
            raise KindredError(
                _("I couldn't find that check-in to add detail to. You can make a new one with `/checkin today`.")
            )
        checkin_id = existing_id
    if draft.note:
        # The note never appears as a message, so crisis detection hears about it here.
        bot.dispatch("member_text", MemberText(user.id, guild_id, interaction.channel_id, draft.note, "checkin_note"))

    days = await store.checkins.checkin_days(user.id, today - timedelta(days=400))
    parts = [reflect(draft, streak=streak(days, today))]

    if share != "no":
        parts.append(await _share(bot, interaction, guild_id, checkin_id, draft, share, include_note))

    offer_buddy_notice = False
    hard = is_hard_moment(draft.mood, draft.craving)
    # The crisis cog answers a crisis note by DM; the contacts also go in this private answer, so a
    # member whose DMs are closed (or whose DM fails) still sees a way to reach a person now.
    crisis_note = await note_sounds_like_crisis(bot, guild_id, draft.note)
    if hard or crisis_note:
        prefs = await store.prefs.get(user.id)
        region = prefs.region or ((await store.config.get(guild_id)).region if guild_id else None)
        if crisis_note:
            parts.append(_(CRISIS_NOTE_LINE))
        if hard:
            parts.append(hard_moment_text())
        parts.append(_("**People you can reach right now:**") + "\n" + render_contacts(contacts_for(region)))
        if guild_id is not None and await _buddy_can_be_told(bot, guild_id, user.id):
            offer_buddy_notice = True
            parts.append(
                _("If you'd like, I can let your buddy know you could use a check-in (nothing else is shared).")
            )
    return CheckinAnswer("\n\n".join(parts)[:2000], guild_id, checkin_id, offer_buddy_notice)


async def note_sounds_like_crisis(bot: KindredBot, guild_id: int | None, note: str | None) -> bool:
    """Whether crisis detection flags the note, as the crisis cog judges it (False if it can't be checked).

    The same verdict as the crisis cog's own scan of the note: the server's terms, then the sentence model's
    second opinion, so the contacts here and the DM agree. Without the crisis cog, the shipped word list;
    if the model is slow (:data:`NOTE_REVIEW_TIMEOUT`), the word list's verdict.
    """
    if not note:
        return False
    try:
        crisis = bot.features.crisis
        if crisis is None:
            # Imported here: a problem in the crisis package must never stop a check-in being recorded.
            from bot.crisis.detector import load_default_detector

            return load_default_detector().detect(note).detected
        return (await crisis.verdict(guild_id, note, patience=NOTE_REVIEW_TIMEOUT)).detected
    except Exception:
        log.exception("crisis check of a check-in note failed; the crisis listener still hears it")
        return False


async def _buddy_can_be_told(bot: KindredBot, guild_id: int, user_id: int) -> bool:
    partners = await bot.store.buddies.current_partners(guild_id, user_id)
    return bool(partners) and await bot.store.buddies.hard_moment_opt_in(guild_id, user_id)


async def _share(
    bot: KindredBot,
    interaction: discord.Interaction,
    guild_id: int | None,
    checkin_id: int,
    draft: CheckinDraft,
    share: ShareMode,
    include_note: bool,
) -> str:
    if guild_id is None:
        return _("Your check-in is saved. Sharing works from inside a server, so nothing was posted.")
    if await current_member(bot, guild_id, interaction.user.id) is None:
        # An old reminder button still names a server the member has left: nothing goes there.
        return _("Your check-in is saved. You're no longer in that server, so nothing was posted there.")
    who = None
    if share == "with my name":
        who = discord.utils.escape_markdown(safe_text(display_name(bot, guild_id, interaction.user)))
    with using_locale(server_locale(bot.get_guild(guild_id))):  # the whole server reads it
        text = safe_text(share_summary(draft, who=who, include_note=include_note))
    problem = await post_to_share_channel(bot, guild_id, text[:2000])
    if problem is not None:
        return problem
    await bot.store.checkins.mark_shared(checkin_id, share)
    with_note = include_note and draft.note
    if share == "anonymously":
        if with_note:
            return _("Shared anonymously with your note in the check-in channel.")
        return _("Shared anonymously in the check-in channel.")
    if with_note:
        return _("Shared with your name and your note in the check-in channel.")
    return _("Shared with your name in the check-in channel.")

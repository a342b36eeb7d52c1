"""How rooms look: announcement embeds, reminders, notices. Text only, no Discord calls.

Everything here is written in the current locale: the caller chooses whose (the server's for the
announcement and the event everyone sees, the recipient's for a DM, the member's for a reply).
"""

from __future__ import annotations

from datetime import datetime

import discord

from bot.clock import discord_ts
from bot.i18n import _
from bot.rooms import OPEN_LEAD
from bot.store.rooms import CANCELLED, COMPLETED, Room

__all__ = [
    "announcement_embed",
    "event_description",
    "event_url",
    "list_line",
    "reminder_text",
    "temp_location",
]

_COLOUR = discord.Colour.teal()


def event_url(room: Room) -> str | None:
    """The native event's link (opens it in Discord's Events view)."""
    if room.event_id is None:
        return None
    return f"https://discord.com/events/{room.guild_id}/{room.event_id}"


LOCATION_LIMIT = 100


def temp_location(category_name: str | None) -> str:
    """The location shown on the native event until its temporary voice room exists."""
    minutes = int(OPEN_LEAD.total_seconds() // 60)
    plain = _("A voice room opens {minutes} minutes before the start").format(minutes=minutes)
    with_place = _("A voice room in {category} opens {minutes} minutes before the start").format(
        category=category_name, minutes=minutes
    )
    # Discord refuses an event location over 100 characters, and with it the whole event.
    return with_place if category_name and len(with_place) <= LOCATION_LIMIT else plain


def event_description(room_title: str, interest: str, description: str | None, host_name: str) -> str:
    """The native event's description: the host's words, then who hosts and what it's about."""
    lines = [description] if description else []
    lines.append(
        _("A {interest} room hosted by {host}. Tap Interested for reminders.").format(interest=interest, host=host_name)
    )
    return "\n\n".join(lines)[:1000]


def _where(room: Room) -> str:
    if room.channel_id is not None:
        return f"<#{room.channel_id}>"
    minutes = int(OPEN_LEAD.total_seconds() // 60)
    return _("A temporary voice room opens {minutes} minutes before").format(minutes=minutes)


def announcement_embed(room: Room) -> discord.Embed:
    """The public announcement. Member text is only ever in the embed, which can't ping anyone."""
    embed = discord.Embed(title=room.title, description=room.description or None, colour=_COLOUR, url=event_url(room))
    embed.add_field(name=_("When"), value=f"{discord_ts(room.start_at, 'F')} ({discord_ts(room.start_at, 'R')})")
    embed.add_field(name=_("Length"), value=_("{minutes} minutes").format(minutes=room.duration_minutes))
    embed.add_field(name=_("Interest"), value=room.interest_name)
    embed.add_field(name=_("Where"), value=_where(room))
    embed.add_field(name=_("Host"), value=f"<@{room.host_user_id}>")
    if room.status == CANCELLED:
        embed.colour = discord.Colour.light_grey()
        embed.set_footer(text=_("This room was cancelled."))
    elif room.status == COMPLETED:
        embed.colour = discord.Colour.light_grey()
        embed.set_footer(text=_("This room has finished. Thank you to everyone who came."))
    else:
        embed.set_footer(text=_("RSVP for a reminder a day before and 15 minutes before. Everyone is welcome."))
    return embed


def reminder_text(room: Room, lead: str) -> str:
    """The reminder DM for one lead time ("24h" or "15m")."""
    if lead == "24h":
        head = _("Tomorrow: **{title}**, {when}.").format(title=room.title, when=discord_ts(room.start_at, "F"))
    else:
        head = _("Starting {when}: **{title}**.").format(title=room.title, when=discord_ts(room.start_at, "R"))
    parts = [head]
    if room.channel_id:
        parts.append(_("Join in {channel}.").format(channel=f"<#{room.channel_id}>"))
    parts.append(_("Come as you are; listening is joining too."))
    link = event_url(room)
    tail = f"\n{link}" if link else ""
    return " ".join(parts) + tail


def list_line(room: Room, *, going: bool, now: datetime) -> str:
    """One line of /room list."""
    live = " · " + _("happening now") if room.start_at <= now else ""
    mine = " · " + _("you're going") if going else ""
    link = event_url(room)
    title = f"[{discord.utils.escape_markdown(room.title)}]({link})" if link else f"**{room.title}**"
    host = _("host {member}").format(member=f"<@{room.host_user_id}>")
    return f"{title} · {room.interest_name} · {discord_ts(room.start_at, 'F')} · {host}{live}{mine}"

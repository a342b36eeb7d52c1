"""How rooms look: announcement embeds, reminders, notices. Text only, no Discord calls."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.clock import discord_ts
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
    plain = f"A voice room opens {minutes} minutes before the start"
    with_place = f"A voice room in {category_name} opens {minutes} minutes before the start"
    # Discord refuses an event location over 100 characters, and with it the whole event.
    return with_place if category_name and len(with_place) <= LOCATION_LIMIT else plain


def event_description(room_title: str, interest: str, description: str | None, host_name: str) -> str:
    """The native event's description: the host's words, then who hosts and what it's about."""
    lines = [description] if description else []
    lines.append(f"A {interest} room hosted by {host_name}. Tap Interested for reminders.")
    return "\n\n".join(lines)[:1000]


def _where(room: Room) -> str:
    if room.channel_id is not None:
        return f"<#{room.channel_id}>"
    minutes = int(OPEN_LEAD.total_seconds() // 60)
    return f"A temporary voice room opens {minutes} minutes before"


def announcement_embed(room: Room) -> discord.Embed:
    """The public announcement. Member text is only ever in the embed, which can't ping anyone."""
    embed = discord.Embed(title=room.title, description=room.description or None, colour=_COLOUR, url=event_url(room))
    embed.add_field(name="When", value=f"{discord_ts(room.start_at, 'F')} ({discord_ts(room.start_at, 'R')})")
    embed.add_field(name="Length", value=f"{room.duration_minutes} minutes")
    embed.add_field(name="Interest", value=room.interest_name)
    embed.add_field(name="Where", value=_where(room))
    embed.add_field(name="Host", value=f"<@{room.host_user_id}>")
    if room.status == CANCELLED:
        embed.colour = discord.Colour.light_grey()
        embed.set_footer(text="This room was cancelled.")
    elif room.status == COMPLETED:
        embed.colour = discord.Colour.light_grey()
        embed.set_footer(text="This room has finished. Thank you to everyone who came.")
    else:
        embed.set_footer(text="RSVP for a reminder a day before and 15 minutes before. Everyone is welcome.")
    return embed


def reminder_text(room: Room, lead: str) -> str:
    """The reminder DM for one lead time ("24h" or "15m")."""
    if lead == "24h":
        head = f"Tomorrow: **{room.title}**, {discord_ts(room.start_at, 'F')}."
    else:
        head = f"Starting {discord_ts(room.start_at, 'R')}: **{room.title}**."
    where = f" Join in <#{room.channel_id}>." if room.channel_id else ""
    link = event_url(room)
    tail = f"\n{link}" if link else ""
    return f"{head}{where} Come as you are; listening is joining too.{tail}"


def list_line(room: Room, *, going: bool, now: datetime) -> str:
    """One line of /room list."""
    live = " · happening now" if room.start_at <= now else ""
    mine = " · you're going" if going else ""
    link = event_url(room)
    title = f"[{discord.utils.escape_markdown(room.title)}]({link})" if link else f"**{room.title}**"
    return (
        f"{title} · {room.interest_name} · {discord_ts(room.start_at, 'F')} · host <@{room.host_user_id}>{live}{mine}"
    )

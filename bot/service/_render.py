"""What members read: the board card, change notices, thank-yous. Pure text, no Discord calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import discord_ts
from bot.repeats import describe_repeat
from bot.service._models import KIND_LABELS, Opportunity, Recurrence, Status
from bot.service._rules import format_duration
from bot.service._schedule import REMINDER_LEADS
from bot.timezones import resolve_timezone

_LATE = timedelta(minutes=30)  # a reminder this far off its lead no longer says "tomorrow"/"in an hour"

_STATUS_BANNER = {
    Status.CANCELLED: "This opportunity was cancelled.",
    Status.COMPLETED: "This one has happened. Thank you to everyone who helped.",
    Status.PASSED: "This one has happened.",
}


@dataclass(frozen=True, slots=True)
class Card:
    """The board embed as plain data; the cog turns it into a ``discord.Embed``."""

    title: str
    description: str
    fields: tuple[tuple[str, str], ...]
    footer: str
    open: bool  # False = the buttons are disabled


def slots_line(opp: Opportunity) -> str:
    """``2 of 3 slots filled · 1 open``: counts for this opportunity only, never per person."""
    line = f"{opp.filled} of {opp.slots} slot{'s' if opp.slots != 1 else ''} filled · {opp.open_slots} open"
    if opp.waitlist:
        line += f" · {len(opp.waitlist)} on the waitlist"
    return line


def board_card(opp: Opportunity) -> Card:
    """The public card on the service board. Volunteers are not named: sign-ups stay private."""
    when = f"{discord_ts(opp.starts_at, 'F')} ({discord_ts(opp.starts_at, 'R')})"
    fields = [
        ("When", when),
        ("How long", format_duration(opp.duration)),
        ("Kind", KIND_LABELS[opp.kind]),
        ("Volunteers", slots_line(opp)),
    ]
    if opp.recurrence is not Recurrence.NONE:
        rule = describe_repeat(opp.starts_at, resolve_timezone(opp.zone), opp.recurrence)
        fields.append(("Repeats", f"{rule[:1].upper()}{rule[1:]}, at the same local time"))
    description = opp.description
    banner = _STATUS_BANNER.get(opp.status)
    if banner:
        description = f"**{banner}**\n\n{description}"
    footer = f"Opportunity #{opp.id} · Volunteer or withdraw with the buttons, or /service join {opp.id}"
    return Card(
        title=opp.title,
        description=description,
        fields=tuple(fields),
        footer=footer,
        open=opp.status is Status.OPEN,
    )


def describe_changes(old: Opportunity, new: Opportunity) -> list[str]:
    """One plain line per field that changed, for the note to volunteers."""
    changes: list[str] = []
    if old.title != new.title:
        changes.append(f"Title: **{new.title}** (was {old.title})")
    if old.starts_at != new.starts_at:
        changes.append(f"Time: {discord_ts(new.starts_at, 'F')} (was {discord_ts(old.starts_at, 'F')})")
    if old.duration != new.duration:
        changes.append(f"Length: {format_duration(new.duration)} (was {format_duration(old.duration)})")
    if old.slots != new.slots:
        changes.append(f"Slots: {new.slots} (was {old.slots})")
    if old.description != new.description:
        changes.append("The description was updated.")
    if old.recurrence is not new.recurrence:
        rule = describe_repeat(new.starts_at, resolve_timezone(new.zone), new.recurrence)
        changes.append(f"Repeats: {rule}" if rule else "It no longer repeats after this one.")
    return changes


def change_notice(new: Opportunity, changes: list[str]) -> str:
    """The DM volunteers get after an edit."""
    lines = "\n".join(f"• {c}" for c in changes)
    return (
        f"A heads-up: **{new.title}**, which you signed up for, has changed.\n{lines}\n\n"
        f"If this no longer works for you, that's okay: you can withdraw with `/service withdraw {new.id}`."
    )


def cancel_notice(opp: Opportunity, reason: str | None) -> str:
    """The kind DM volunteers get when an opportunity is cancelled."""
    why = f"\nThe organiser said: {reason}" if reason else ""
    return (
        f"**{opp.title}** ({discord_ts(opp.starts_at, 'F')}) has been cancelled, so you don't need to be there.{why}\n"
        "Thank you for offering your time; it meant something. `/service list` shows other ways to help."
    )


def thank_you_dm(opp: Opportunity) -> str:
    """The personal thank-you for someone who showed up."""
    return (
        f"Thank you for helping with **{opp.title}**. Showing up for others is a real gift, "
        "and it made a difference. It's saved in your own history (`/service mine`), for your eyes only."
    )


def public_thanks(opp: Opportunity, user_ids: list[int]) -> str:
    """A short public thank-you naming those who served: no numbers, no comparisons."""
    names = [f"<@{uid}>" for uid in user_ids]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    return f"A warm thank-you to {who} for helping with **{opp.title}**. 💛"


def reminder_text(opp: Opportunity, lead: str, now: datetime | None = None) -> str:
    """The reminder DM; an invitation, not a nag.

    With ``now``, a reminder that runs late (the bot was away) says "soon" rather than a
    "tomorrow" that is no longer true; the relative timestamp beside it shows how soon.
    """
    soon = "tomorrow" if lead == "24h" else "in about an hour"
    if now is not None and abs((opp.starts_at - now) - REMINDER_LEADS.get(lead, timedelta(0))) > _LATE:
        soon = "soon"
    return (
        f"A friendly reminder: **{opp.title}** starts {soon}, {discord_ts(opp.starts_at, 'F')} "
        f"({discord_ts(opp.starts_at, 'R')}). Thank you for being there for others.\n"
        f"Can't make it any more? No worries: `/service withdraw {opp.id}` frees your place for someone else."
    )


def join_text(opp: Opportunity, leads: list[str]) -> str:
    """The private answer to a volunteer; it promises only the reminders actually scheduled."""
    text = f"You're in for **{opp.title}**, {when_echo(opp.starts_at)}. Thank you!"
    if set(leads) >= {"24h", "1h"}:
        text += " I'll DM you a reminder 24 hours and 1 hour before"
    elif "1h" in leads:
        text += " I'll DM you a reminder 1 hour before"
    elif "24h" in leads:
        text += " I'll DM you a reminder 24 hours before"
    else:
        return text
    return text + "; the button below turns them off for this one."


def next_not_posted_notice(opp: Opportunity) -> str:
    """To the poster, when a series' next occurrence couldn't go on the board (so the series stops)."""
    return (
        f"I couldn't post the next **{opp.title}** ({discord_ts(opp.starts_at, 'F')}) on the service board: "
        "it may have been removed, or I can't send messages there. "
        f"It's saved as #{opp.id}, so people can still join with `/service join {opp.id}`, "
        "but the repeat stops after it. Once the board works again, you can post it afresh with "
        "`/service post`."
    )


def newcomer_notice(server_name: str, newcomer_id: int) -> str:
    """What a volunteer on a newcomer-welcome shift hears, privately, when someone joins (``server_name``
    markdown already escaped). Never posted in public: some people don't want their arrival announced."""
    return (
        f"Someone new just joined **{server_name}** while you're on the welcome shift: <@{newcomer_id}>. "
        "If you'd like to, send them a short, friendly hello by DM. Some people want a quiet start, so there's "
        "no need to follow up if they don't reply, and please don't mention their arrival in public channels."
    )


def when_echo(starts_at: datetime) -> str:
    """The parsed time, shown back so a misread is easy to spot."""
    return f"{discord_ts(starts_at, 'F')} ({discord_ts(starts_at, 'R')})"

"""What members read: the board card, change notices, thank-yous. Pure text, no Discord calls.

Everything is written in the current locale; the caller chooses whose (the server's for the card and the public
thank-you, the recipient's for a DM, the member's for a reply).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import discord_ts
from bot.i18n import N_, _, ngettext
from bot.repeats import describe_repeat
from bot.service._models import KIND_LABELS, Opportunity, Recurrence, Status
from bot.service._rules import format_duration
from bot.service._schedule import REMINDER_LEADS
from bot.timezones import resolve_timezone

_LATE = timedelta(minutes=30)  # a reminder this far off its lead no longer says "tomorrow"/"in an hour"

_STATUS_BANNER = {
    Status.CANCELLED: N_("This opportunity was cancelled."),
    Status.COMPLETED: N_("This one has happened. Thank you to everyone who helped."),
    Status.PASSED: N_("This one has happened."),
}


@dataclass(frozen=True, slots=True)
class Card:
    """The board embed as plain data; the cog turns it into a ``discord.Embed``."""

    title: str
    description: str
    fields: tuple[tuple[str, str], ...]
    footer: str
    wide: str  # the name of the field shown full width (the volunteers' count)
    open: bool  # False = the buttons are disabled


def slots_line(opp: Opportunity) -> str:
    """``2 of 3 slots filled · 1 open``: counts for this opportunity only, never per person."""
    line = ngettext(
        "{filled} of {count} slot filled · {open} open", "{filled} of {count} slots filled · {open} open", opp.slots
    ).format(filled=opp.filled, count=opp.slots, open=opp.open_slots)
    if opp.waitlist:
        line += " · " + _("{count} on the waitlist").format(count=len(opp.waitlist))
    return line


def board_card(opp: Opportunity) -> Card:
    """The public card on the service board. Volunteers are not named: sign-ups stay private."""
    when = f"{discord_ts(opp.starts_at, 'F')} ({discord_ts(opp.starts_at, 'R')})"
    volunteers = _("Volunteers")
    fields = [
        (_("When"), when),
        (_("How long"), format_duration(opp.duration)),
        (_("Kind"), _(KIND_LABELS[opp.kind])),
        (volunteers, slots_line(opp)),
    ]
    if opp.recurrence is not Recurrence.NONE:
        rule = describe_repeat(opp.starts_at, resolve_timezone(opp.zone), opp.recurrence)
        repeats = _("{rule}, at the same local time").format(rule=rule)
        fields.append((_("Repeats"), f"{repeats[:1].upper()}{repeats[1:]}"))
    description = opp.description
    banner = _STATUS_BANNER.get(opp.status)
    if banner:
        description = f"**{_(banner)}**\n\n{description}"
    footer = _("Opportunity #{id} · Volunteer or withdraw with the buttons, or /service join {id}").format(id=opp.id)
    return Card(
        title=opp.title,
        description=description,
        fields=tuple(fields),
        footer=footer,
        wide=volunteers,
        open=opp.status is Status.OPEN,
    )


def describe_changes(old: Opportunity, new: Opportunity) -> list[str]:
    """One plain line per field that changed, for the note to volunteers (in the current locale)."""
    changes: list[str] = []
    if old.title != new.title:
        changes.append(_("Title: **{new}** (was {old})").format(new=new.title, old=old.title))
    if old.starts_at != new.starts_at:
        changes.append(
            _("Time: {new} (was {old})").format(new=discord_ts(new.starts_at, "F"), old=discord_ts(old.starts_at, "F"))
        )
    if old.duration != new.duration:
        changes.append(
            _("Length: {new} (was {old})").format(new=format_duration(new.duration), old=format_duration(old.duration))
        )
    if old.slots != new.slots:
        changes.append(_("Slots: {new} (was {old})").format(new=new.slots, old=old.slots))
    if old.description != new.description:
        changes.append(_("The description was updated."))
    if old.recurrence is not new.recurrence:
        rule = describe_repeat(new.starts_at, resolve_timezone(new.zone), new.recurrence)
        changes.append(_("Repeats: {rule}").format(rule=rule) if rule else _("It no longer repeats after this one."))
    return changes


def change_notice(old: Opportunity, new: Opportunity) -> str:
    """The DM volunteers get after an edit."""
    lines = "\n".join(f"• {c}" for c in describe_changes(old, new))
    head = _("A heads-up: **{title}**, which you signed up for, has changed.").format(title=new.title)
    tail = _("If this no longer works for you, that's okay: you can withdraw with `/service withdraw {id}`.").format(
        id=new.id
    )
    return f"{head}\n{lines}\n\n{tail}"


def cancel_notice(opp: Opportunity, reason: str | None) -> str:
    """The kind DM volunteers get when an opportunity is cancelled."""
    lines = [
        _("**{title}** ({when}) has been cancelled, so you don't need to be there.").format(
            title=opp.title, when=discord_ts(opp.starts_at, "F")
        )
    ]
    if reason:
        lines.append(_("The organiser said: {reason}").format(reason=reason))
    lines.append(_("Thank you for offering your time; it meant something. `/service list` shows other ways to help."))
    return "\n".join(lines)


def thank_you_dm(opp: Opportunity) -> str:
    """The personal thank-you for someone who showed up."""
    return _(
        "Thank you for helping with **{title}**. Showing up for others is a real gift, "
        "and it made a difference. It's saved in your own history (`/service mine`), for your eyes only."
    ).format(title=opp.title)


def public_thanks(opp: Opportunity, user_ids: list[int]) -> str:
    """A short public thank-you naming those who served: no numbers, no comparisons."""
    names = [f"<@{uid}>" for uid in user_ids]
    who = names[0] if len(names) == 1 else _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])
    return _("A warm thank-you to {members} for helping with **{title}**. 💛").format(members=who, title=opp.title)


def reminder_text(opp: Opportunity, lead: str, now: datetime | None = None) -> str:
    """The reminder DM; an invitation, not a nag.

    With ``now``, a reminder that runs late (the bot was away) says "soon" rather than a
    "tomorrow" that is no longer true; the relative timestamp beside it shows how soon.
    """
    if now is not None and abs((opp.starts_at - now) - REMINDER_LEADS.get(lead, timedelta(0))) > _LATE:
        head = _("A friendly reminder: **{title}** starts soon, {when}.")
    elif lead == "24h":
        head = _("A friendly reminder: **{title}** starts tomorrow, {when}.")
    else:
        head = _("A friendly reminder: **{title}** starts in about an hour, {when}.")
    when = f"{discord_ts(opp.starts_at, 'F')} ({discord_ts(opp.starts_at, 'R')})"
    return (
        head.format(title=opp.title, when=when)
        + " "
        + _("Thank you for being there for others.")
        + "\n"
        + _("Can't make it any more? No worries: `/service withdraw {id}` frees your place for someone else.").format(
            id=opp.id
        )
    )


def join_text(opp: Opportunity, leads: list[str]) -> str:
    """The private answer to a volunteer; it promises only the reminders actually scheduled."""
    text = _("You're in for **{title}**, {when}. Thank you!").format(title=opp.title, when=when_echo(opp.starts_at))
    if set(leads) >= {"24h", "1h"}:
        promise = _("I'll DM you a reminder 24 hours and 1 hour before; the button below turns them off for this one.")
    elif "1h" in leads:
        promise = _("I'll DM you a reminder 1 hour before; the button below turns it off for this one.")
    elif "24h" in leads:
        promise = _("I'll DM you a reminder 24 hours before; the button below turns it off for this one.")
    else:
        return text
    return f"{text} {promise}"


def next_not_posted_notice(opp: Opportunity) -> str:
    """To the poster, when a series' next occurrence couldn't go on the board (so the series stops)."""
    return _(
        "I couldn't post the next **{title}** ({when}) on the service board: "
        "it may have been removed, or I can't send messages there. "
        "It's saved as #{id}, so people can still join with `/service join {id}`, "
        "but the repeat stops after it. Once the board works again, you can post it afresh with "
        "`/service post`."
    ).format(title=opp.title, when=discord_ts(opp.starts_at, "F"), id=opp.id)


def newcomer_notice(server_name: str, newcomer_id: int) -> str:
    """What a volunteer on a newcomer-welcome shift hears, privately, when someone joins (``server_name``
    markdown already escaped). Never posted in public: some people don't want their arrival announced."""
    return _(
        "Someone new just joined **{server}** while you're on the welcome shift: {member}. "
        "If you'd like to, send them a short, friendly hello by DM. Some people want a quiet start, so there's "
        "no need to follow up if they don't reply, and please don't mention their arrival in public channels."
    ).format(server=server_name, member=f"<@{newcomer_id}>")


def when_echo(starts_at: datetime) -> str:
    """The parsed time, shown back so a misread is easy to spot."""
    return f"{discord_ts(starts_at, 'F')} ({discord_ts(starts_at, 'R')})"

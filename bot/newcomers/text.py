"""The words members read about first-30-days support: warm, private, person-first, never a comparison.

Nothing here names a label for a person or counts days against anyone; a slip is met with encouragement.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import discord_ts
from bot.i18n import N_, _, format_day_month, format_day_short, ngettext
from bot.newcomers.rules import PARTS

__all__ = [
    "DECLINED",
    "OFF",
    "OFFER",
    "PART_HINTS",
    "PART_LABELS",
    "SLIP_NOTE",
    "declined_text",
    "end_text",
    "greeting_text",
    "intro_text",
    "milestone_text",
    "off_text",
    "offer_text",
    "on_text",
    "part_text",
    "prompt_text",
    "rooms_text",
    "slip_text",
    "status_text",
    "volunteer_text",
]

# Constants are English, marked for the catalogue; the functions below give them in the current locale.
PART_LABELS: dict[str, str] = {
    "buddy": N_("A buddy now"),
    "checkins": N_("Check-in prompts"),
    "milestones": N_("Milestone notes"),
    "rooms": N_("Rooms for starting out"),
    "welcome": N_("A welcome from a volunteer"),
}

# Short enough for a select menu option's description (Discord allows 100 characters), in every language.
PART_HINTS: dict[str, str] = {
    "buddy": N_("A steady member who offered, introduced within a day"),
    "checkins": N_("Daily for the first week, then every other day, at your time"),
    "milestones": N_("Private notes at 24 hours, 3 days, 1 week and 2 weeks"),
    "rooms": N_("Once a week, the next newcomer-friendly rooms, in your time zone"),
    "welcome": N_("A hello from the welcome rota, by DM or in your buddy thread"),
}

_OFFER_HEAD = N_(
    "**Would some extra support for your first 30 days help?**\n"
    "The start is often the hardest part, and nobody should have to do it alone. If you like, for the next "
    "30 days I can send you:"
)
_OFFER_TAIL = N_(
    "It's completely private: nobody else is told, and nothing is posted anywhere. Take all of it, "
    "choose the parts you want, or say no thanks. `/recovery support on` or `off` changes it any time."
)

DECLINED = N_(
    "No problem at all. Nothing changes. If you ever want it, `/recovery support on` is there, "
    "and `/resources show` lists people you can talk to any time."
)

OFF = N_(
    "First-30-days support is off, and nothing more will come from it. Everything else stays as it was. "
    "`/recovery support on` brings it back whenever you like."
)

SLIP_NOTE = N_(
    "Your first-30-days support stays on, just as before. A slip doesn't change that, and I'm glad you're "
    "still here. Your next check-in prompt will come at the usual time."
)


def part_text(part: str) -> str:
    """One part's words in the offer and status, in the current locale."""
    return _(PARTS[part])


def offer_text() -> str:
    """The private offer of first-30-days support."""
    parts = "\n".join(f"• {part_text(p)}" for p in PARTS)
    return f"{_(_OFFER_HEAD)}\n{parts}\n\n{_(_OFFER_TAIL)}"


# The offer in English, as it was always shown (tests and docs compare against it).
OFFER = f"{_OFFER_HEAD}\n" + "\n".join(f"• {text}" for text in PARTS.values()) + f"\n\n{_OFFER_TAIL}"


def declined_text() -> str:
    """The answer to "No thanks"."""
    return _(DECLINED)


def off_text() -> str:
    """The answer to ``/recovery support off`` when it was on."""
    return _(OFF)


def slip_text() -> str:
    """The note after a slip during the period."""
    return _(SLIP_NOTE)


def _parts_lines(parts: frozenset[str]) -> str:
    return "\n".join(f"• {part_text(p)}" for p in sorted(parts))


def on_text(
    parts: frozenset[str], start: date, at: str, reminders_on: bool, *, buddy_needs_server: bool = False
) -> str:
    """The confirmation after the member says yes (or changes the parts)."""
    lines = [
        _("**First-30-days support is on.** Only you can see this."),
        _("Your 30 days started on {day}. You'll get:").format(day=format_day_month(start)),
        _parts_lines(parts) if parts else _("(no parts chosen)"),
    ]
    if "buddy" in parts:
        lines.append(_("I'm looking for your buddy now; you'll meet in a private thread, or by DM."))
    if buddy_needs_server:
        lines.append(
            _("A buddy and a welcome belong to a server: run `/recovery support on` in your server for those parts.")
        )
    if "checkins" in parts:
        if reminders_on:
            lines.append(
                _(
                    "You already have a daily check-in reminder, so I won't add a second one; "
                    "your reminder does the job."
                )
            )
        else:
            lines.append(
                _("Check-in prompts come at **{time}** your time; `/recovery support on time:` changes it.").format(
                    time=at
                )
            )
    lines.append(_("`/recovery support off` stops it at once, and `/recovery support status` shows where things are."))
    return "\n".join(lines)


def status_text(status: str, parts: frozenset[str], start: date | None, today: date, at: str) -> str:
    """The private ``/recovery support status`` answer."""
    if status == "on" and start is not None:
        day = (today - start).days + 1
        lines = [
            _("**First-30-days support is on.** Today is day {day} of your 30.").format(day=max(day, 1)),
            _parts_lines(parts) if parts else _("(no parts chosen)"),
        ]
        if "checkins" in parts:
            lines.append(_("Check-in prompts come at **{time}** your time.").format(time=at))
        lines.append(_("`/recovery support off` stops it at once."))
        return "\n".join(lines)
    if status == "ended":
        return _(
            "Your first 30 days with support are complete. `/recovery support on` starts another 30 days whenever "
            "you'd like them."
        )
    return _(
        "First-30-days support is off. It's private extra support as you start: {parts}. "
        "`/recovery support on` turns it on."
    ).format(parts="; ".join(part_text(p) for p in PARTS))


def prompt_text(day: int) -> str:
    """A check-in prompt: an invitation, never a demand."""
    if day == 1:
        return _(
            "🌱 Day 1. How are you doing right now? A check-in takes thirty seconds and only you see it. "
            "No pressure: skipping is fine too."
        )
    return _("🌱 Day {day}. A gentle nudge: how are you today? A quick check-in is here if you'd like it.").format(
        day=day
    )


def milestone_text(label: str) -> str:
    """A milestone note for the period: about this member's own path, with no comparison and no count against
    anyone. ``label`` is the English label the timer stored, translated here."""
    return _(
        "🎉 **{milestone}** since you started your first 30 days here. Every day you show up for yourself counts. "
        "Well done."
    ).format(milestone=_(label))


def end_text(checkins: int, prompts: int, notes: int, parts: frozenset[str], reminders_on: bool) -> str:
    """The day-30 reflection: what the member tried, and an invitation to keep any part."""
    tried = []
    if checkins:
        tried.append(ngettext("you checked in {n} time", "you checked in {n} times", checkins).format(n=checkins))
    if prompts:
        tried.append(
            ngettext("{n} check-in prompt came your way", "{n} check-in prompts came your way", prompts).format(
                n=prompts
            )
        )
    if notes:
        tried.append(
            ngettext("you reached {n} milestone note", "you reached {n} milestone notes", notes).format(n=notes)
        )
    look_back = _("A quiet look back, just for you: {what}.").format(what="; ".join(tried))
    lines = [
        _("🌿 **30 days since you started here.** Thank you for letting Kindred walk alongside you."),
        look_back if tried else _("A quiet look back, just for you: you showed up, and that counts."),
        "",
        _("Your first-30-days support ends today by itself. Nothing is deleted unless you ask (`/privacy delete`)."),
        _("**Keep anything that helped:**"),
    ]
    if reminders_on:
        lines.append(_("• Your daily check-in reminder carries on as it is."))
    else:
        lines.append(_("• A daily check-in reminder: the button below, or `/checkin remind set` for another time."))
    lines.append(_("• `/buddy join` for a buddy in the regular rounds, and `/room list` for this week's rooms."))
    lines.append(_("• `/recovery support on` starts another 30 days, any time."))
    return "\n".join(lines)


def intro_text(newcomer_id: int, mentor_id: int) -> str:
    """The first-30-days buddy introduction, in a private thread (or by DM): it pings exactly these two."""
    return _(
        "👋 {newcomer}, meet {mentor}.\n"
        "{mentor} offered to be a buddy for people finding their feet here, and {newcomer} asked "
        "for one. Say hello whenever you're ready: no pressure, no script.\n"
        "A first question, if it helps: what's one small thing that helped you this week?\n"
        "This is private to the two of you. If it isn't the right fit, either of you can press "
        "“{change}”; no reason is asked or shared."
    ).format(newcomer=f"<@{newcomer_id}>", mentor=f"<@{mentor_id}>", change=_("Change my buddy"))


def rooms_text(rooms: list[tuple[str, datetime, str | None]], zone: ZoneInfo) -> str:
    """The weekly note of newcomer-friendly rooms: (title, start, event link), titles already escaped.

    Discord shows ``<t:…:F>`` in each reader's own time zone; the plain local time beside it is in the zone
    the member told us, for apps that show the tag raw.
    """
    lines = [
        _("🌿 **Rooms this week that welcome people starting out.** Drop in, or just listen: nobody has to speak.")
    ]
    for title, start, link in rooms:
        local = start.astimezone(zone)
        line = _("• **{title}**: {when} ({day}, {time} your time)").format(
            title=title, when=discord_ts(start, "F"), day=format_day_short(local), time=f"{local:%H:%M}"
        )
        lines.append(f"{line}\n  {link}" if link else line)
    lines.append(_("Hosts marked these as good first rooms. `/recovery support on rooms:False` stops this note."))
    return "\n".join(lines)


def volunteer_text(server_name: str, newcomer_id: int, how: str) -> str:
    """What a volunteer on the welcome rota hears, privately: only about a member who asked for it."""
    if how == "dm":
        ask = _("They'd welcome a short, friendly hello by DM.")
    else:
        ask = _("They'd like a hello in their buddy thread: press the button to be added to it with a short hello.")
    return _(
        "Someone in their first 30 days in **{server}** asked for a welcome from the rota: {member}. "
        "{ask} They chose this. Please keep it private, and there's no need to follow up if they don't reply."
    ).format(server=server_name, member=f"<@{newcomer_id}>", ask=ask)


def greeting_text(volunteer_id: int, newcomer_id: int) -> str:
    """The volunteer's hello in the buddy thread."""
    return _(
        "👋 {volunteer} from the welcome rota came to say hello, {member}. "
        "Glad you're here. Ask anything, or just say hi back when you feel like it."
    ).format(volunteer=f"<@{volunteer_id}>", member=f"<@{newcomer_id}>")

"""The words members read about first-30-days support: warm, private, person-first, never a comparison.

Nothing here names a label for a person or counts days against anyone; a slip is met with encouragement.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import discord_ts
from bot.newcomers.rules import PARTS

__all__ = [
    "DECLINED",
    "OFF",
    "OFFER",
    "PART_HINTS",
    "PART_LABELS",
    "SLIP_NOTE",
    "end_text",
    "greeting_text",
    "intro_text",
    "milestone_text",
    "on_text",
    "prompt_text",
    "rooms_text",
    "status_text",
    "volunteer_text",
]

PART_LABELS: dict[str, str] = {
    "buddy": "A buddy now",
    "checkins": "Check-in prompts",
    "milestones": "Milestone notes",
    "rooms": "Rooms for starting out",
    "welcome": "A welcome from a volunteer",
}

# Short enough for a select menu option's description (Discord allows 100 characters).
PART_HINTS: dict[str, str] = {
    "buddy": "A steady member who offered, introduced within a day",
    "checkins": "Daily for the first week, then every other day, at your time",
    "milestones": "Private notes at 24 hours, 3 days, 1 week and 2 weeks",
    "rooms": "Once a week, the next newcomer-friendly rooms, in your time zone",
    "welcome": "A hello from the welcome rota, by DM or in your buddy thread",
}

OFFER = (
    "**Would some extra support for your first 30 days help?**\n"
    "The start is often the hardest part, and nobody should have to do it alone. If you like, for the next "
    "30 days I can send you:\n"
    + "\n".join(f"• {text}" for text in PARTS.values())
    + "\n\nIt's completely private: nobody else is told, and nothing is posted anywhere. Take all of it, "
    "choose the parts you want, or say no thanks. `/recovery support on` or `off` changes it any time."
)

DECLINED = (
    "No problem at all. Nothing changes. If you ever want it, `/recovery support on` is there, "
    "and `/resources show` lists people you can talk to any time."
)

OFF = (
    "First-30-days support is off, and nothing more will come from it. Everything else stays as it was. "
    "`/recovery support on` brings it back whenever you like."
)

SLIP_NOTE = (
    "Your first-30-days support stays on, just as before. A slip doesn't change that, and I'm glad you're "
    "still here. Your next check-in prompt will come at the usual time."
)


def _fmt(day: date) -> str:
    return f"{day.day} {day:%B}"


def _parts_lines(parts: frozenset[str]) -> str:
    return "\n".join(f"• {PARTS[p]}" for p in sorted(parts))


def on_text(
    parts: frozenset[str], start: date, at: str, reminders_on: bool, *, buddy_needs_server: bool = False
) -> str:
    """The confirmation after the member says yes (or changes the parts)."""
    lines = [
        "**First-30-days support is on.** Only you can see this.",
        f"Your 30 days started on {_fmt(start)}. You'll get:",
        _parts_lines(parts) if parts else "(no parts chosen)",
    ]
    if "buddy" in parts:
        lines.append("I'm looking for your buddy now; you'll meet in a private thread, or by DM.")
    if buddy_needs_server:
        lines.append(
            "A buddy and a welcome belong to a server: run `/recovery support on` in your server for those parts."
        )
    if "checkins" in parts:
        if reminders_on:
            lines.append(
                "You already have a daily check-in reminder, so I won't add a second one; your reminder does the job."
            )
        else:
            lines.append(f"Check-in prompts come at **{at}** your time; `/recovery support on time:` changes it.")
    lines.append("`/recovery support off` stops it at once, and `/recovery support status` shows where things are.")
    return "\n".join(lines)


def status_text(status: str, parts: frozenset[str], start: date | None, today: date, at: str) -> str:
    """The private ``/recovery support status`` answer."""
    if status == "on" and start is not None:
        day = (today - start).days + 1
        lines = [
            f"**First-30-days support is on.** Today is day {max(day, 1)} of your 30.",
            _parts_lines(parts) if parts else "(no parts chosen)",
        ]
        if "checkins" in parts:
            lines.append(f"Check-in prompts come at **{at}** your time.")
        lines.append("`/recovery support off` stops it at once.")
        return "\n".join(lines)
    if status == "ended":
        return (
            "Your first 30 days with support are complete. `/recovery support on` starts another 30 days whenever "
            "you'd like them."
        )
    return (
        "First-30-days support is off. It's private extra support as you start: "
        + "; ".join(PARTS.values())
        + ". `/recovery support on` turns it on."
    )


def prompt_text(day: int) -> str:
    """A check-in prompt: an invitation, never a demand."""
    if day == 1:
        return (
            "🌱 Day 1. How are you doing right now? A check-in takes thirty seconds and only you see it. "
            "No pressure: skipping is fine too."
        )
    return f"🌱 Day {day}. A gentle nudge: how are you today? A quick check-in is here if you'd like it."


def milestone_text(label: str) -> str:
    """A milestone note for the period: about this member's own path, with no comparison and no count against
    anyone."""
    return (
        f"🎉 **{label}** since you started your first 30 days here. Every day you show up for yourself counts. "
        "Well done."
    )


def end_text(checkins: int, prompts: int, notes: int, parts: frozenset[str], reminders_on: bool) -> str:
    """The day-30 reflection: what the member tried, and an invitation to keep any part."""
    tried = []
    if checkins:
        tried.append(f"you checked in {checkins} time{'s' if checkins != 1 else ''}")
    if prompts:
        tried.append(f"{prompts} check-in prompt{'s' if prompts != 1 else ''} came your way")
    if notes:
        tried.append(f"you reached {notes} milestone note{'s' if notes != 1 else ''}")
    lines = [
        "🌿 **30 days since you started here.** Thank you for letting Kindred walk alongside you.",
        "A quiet look back, just for you: " + ("; ".join(tried) + "." if tried else "you showed up, and that counts."),
        "",
        "Your first-30-days support ends today by itself. Nothing is deleted unless you ask (`/privacy delete`).",
        "**Keep anything that helped:**",
    ]
    if reminders_on:
        lines.append("• Your daily check-in reminder carries on as it is.")
    else:
        lines.append("• A daily check-in reminder: the button below, or `/checkin remind set` for another time.")
    lines.append("• `/buddy join` for a buddy in the regular rounds, and `/room list` for this week's rooms.")
    lines.append("• `/recovery support on` starts another 30 days, any time.")
    return "\n".join(lines)


def intro_text(newcomer_id: int, mentor_id: int) -> str:
    """The first-30-days buddy introduction, in a private thread (or by DM): it pings exactly these two."""
    return (
        f"👋 <@{newcomer_id}>, meet <@{mentor_id}>.\n"
        f"<@{mentor_id}> offered to be a buddy for people finding their feet here, and <@{newcomer_id}> asked "
        "for one. Say hello whenever you're ready: no pressure, no script.\n"
        "A first question, if it helps: what's one small thing that helped you this week?\n"
        "This is private to the two of you. If it isn't the right fit, either of you can press "
        "“Change my buddy”; no reason is asked or shared."
    )


def rooms_text(rooms: list[tuple[str, datetime, str | None]], zone: ZoneInfo) -> str:
    """The weekly note of newcomer-friendly rooms: (title, start, event link), titles already escaped.

    Discord shows ``<t:…:F>`` in each reader's own time zone; the plain local time beside it is in the zone
    the member told us, for apps that show the tag raw.
    """
    lines = ["🌿 **Rooms this week that welcome people starting out.** Drop in, or just listen: nobody has to speak."]
    for title, start, link in rooms:
        local = start.astimezone(zone)
        line = f"• **{title}**: {discord_ts(start, 'F')} ({local:%a} {local.day} {local:%b}, {local:%H:%M} your time)"
        lines.append(f"{line}\n  {link}" if link else line)
    lines.append("Hosts marked these as good first rooms. `/recovery support on rooms:False` stops this note.")
    return "\n".join(lines)


def volunteer_text(server_name: str, newcomer_id: int, how: str) -> str:
    """What a volunteer on the welcome rota hears, privately: only about a member who asked for it."""
    if how == "dm":
        ask = "They'd welcome a short, friendly hello by DM."
    else:
        ask = "They'd like a hello in their buddy thread: press the button to be added to it with a short hello."
    return (
        f"Someone in their first 30 days in **{server_name}** asked for a welcome from the rota: <@{newcomer_id}>. "
        f"{ask} They chose this. Please keep it private, and there's no need to follow up if they don't reply."
    )


def greeting_text(volunteer_id: int, newcomer_id: int) -> str:
    """The volunteer's hello in the buddy thread."""
    return (
        f"👋 <@{volunteer_id}> from the welcome rota came to say hello, <@{newcomer_id}>. "
        "Glad you're here. Ask anything, or just say hi back when you feel like it."
    )

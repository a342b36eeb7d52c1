"""Everything the buddy feature says, in one place: warm, plain, brief, and never judging."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from bot.clock import discord_ts
from bot.i18n import N_, _, current_locale, format_day_month

__all__ = [
    "SKIP_LABEL",
    "STARTER_QUESTIONS",
    "auto_pause_dm",
    "connect_answer_reply",
    "connect_prompt",
    "end_partner_dm",
    "end_thanks",
    "hard_moment_dm",
    "intro_message",
    "mod_fix_message",
    "nudge_dm",
    "starter_questions",
    "unmatched_dm",
]

# Open, light questions anyone can answer, whatever their pathway; none asks about using or dates. English,
# marked for the catalogue; :func:`intro_message` writes them in the current locale.
STARTER_QUESTIONS: Final[tuple[str, ...]] = (
    N_("What's something small that made you smile this week?"),
    N_("What does a good day look like for you lately?"),
    N_("Is there a song, book or show that's been keeping you company?"),
    N_("What's one thing you're looking forward to?"),
    N_("What helps you reset when a day gets heavy?"),
    N_("If you had a free afternoon tomorrow, how would you spend it?"),
    N_("What's a hobby you'd love to get back into, or try for the first time?"),
    N_("Who or what has been a good support for you recently?"),
    N_("What's something you've learned about yourself this year?"),
    N_("Where's your favourite place to be, indoors or out?"),
    N_("What time of day are you usually free for a chat?"),
    N_("What's a little win you'd like to celebrate?"),
)


def starter_questions(seed: int, count: int = 3) -> list[str]:
    """A few starter questions (English), chosen deterministically from ``seed`` so each group gets a different
    mix."""
    return random.Random(seed).sample(list(STARTER_QUESTIONS), k=min(count, len(STARTER_QUESTIONS)))


def _mentions(user_ids: Sequence[int]) -> str:
    marks = [f"<@{u}>" for u in user_ids]
    if len(marks) == 1:
        return marks[0]
    return _("{first} and {last}").format(first=", ".join(marks[:-1]), last=marks[-1])


def intro_message(user_ids: Sequence[int], reason: str, questions: Sequence[str], ends_at: datetime) -> str:
    """The introduction posted in a private thread (or sent by DM): who, why, and a way in.

    ``reason`` is already in the current locale; ``questions`` are English and translated here."""
    who = _mentions(user_ids)
    trio = len(user_ids) > 2
    hello = (
        _("Hi {members}! You're a buddy group of three this round.")
        if trio
        else _("Hi {members}! You're buddies this round.")
    )
    lines = [
        hello.format(members=who),
        _("Why you were matched: {reason}.").format(reason=reason),
        "",
        _("A few ways to start, if they help:"),
        *(f"• {_(q)}" for q in questions),
        "",
        _("This round runs until {end}. There's no pressure: a quick hello is a great start.").format(
            end=discord_ts(ends_at, "F")
        ),
        _("If it's not the right fit, `/buddy end` closes the pairing kindly, no reason needed."),
    ]
    return "\n".join(lines)


def nudge_dm(round_at: datetime) -> str:
    """The day-before nudge, with a one-click way to sit this round out."""
    return _(
        "A new buddy round starts {relative} ({when}). "
        "If this week isn't a good one for you, press **{skip}** and I'll leave you out, just this once. "
        "Otherwise there's nothing to do."
    ).format(relative=discord_ts(round_at, "R"), when=discord_ts(round_at, "F"), skip=_(SKIP_LABEL))


SKIP_LABEL = N_("Skip this round")


def unmatched_dm(next_round: datetime) -> str:
    """Told kindly when no buddy could be found this round."""
    return _(
        "I couldn't find a buddy for you this round: it's just how the numbers and everyone's preferences fell, "
        "nothing about you. You're first in line for the next round, {when}."
    ).format(when=discord_ts(next_round, "F"))


def connect_prompt() -> str:
    """The halfway check."""
    return _(
        "Halfway through this buddy round: did you get a chance to connect with your buddy? "
        "Any answer is fine. It just helps me make better pairings."
    )


def connect_answer_reply(answer: str) -> str:
    """What the member sees after pressing a "Did you connect?" button."""
    if answer == "yes":
        return _("That's lovely to hear. Thanks for letting me know.")
    if answer == "not_yet":
        return _("No rush at all. There's still time this round, and a simple hello counts.")
    return _("That's okay. Thanks for telling me; life gets busy. See you next round.")


def auto_pause_dm() -> str:
    """After three quiet rounds in a row: paused, kindly, with the way back."""
    return _(
        "It looks like the last few buddy rounds haven't been a good fit for your time, so I've paused your "
        "pairing for now. No problem at all. Whenever you'd like a buddy again, use `/buddy resume` in the server."
    )


def end_partner_dm(next_round: datetime | None, *, still_grouped: bool = False) -> str:
    """The neutral note a partner gets when a pairing ends (by /buddy end or because data was erased)."""
    if still_grouped:
        return _(
            "One member of your buddy group has stepped away for this round. That happens, and no reason is needed. "
            "The two of you are still buddies until the round ends."
        )
    ended = _(
        "Your buddy pairing for this round has ended. That happens, and no reason is needed. "
        "You'll be in the next round as usual."
    )
    if next_round is None:
        return ended
    return ended + " " + _("The next round is {when}.").format(when=discord_ts(next_round, "F"))


def end_thanks() -> str:
    """The thank-you after someone ends a pairing."""
    return _(
        "Done: the pairing has ended and your buddy has been told, neutrally. Thank you for giving it a go; "
        "reaching out takes courage. You'll be in the next round unless you `/buddy pause`."
    )


def hard_moment_dm(display_name: str) -> str:
    """The only thing a buddy learns about a hard moment: never the check-in itself."""
    return _("{name} could use a check-in from you. A short, kind message can mean a lot.").format(name=display_name)


def mod_fix_message(channel_id: int | None, missing: str | None, *, channel_found: bool = True) -> str:
    """What moderators are told when buddy threads fell back to DMs, naming the command that fixes it."""
    if channel_id is None:
        return _(
            "Buddy round: no buddy channel is set, so I introduced this round's buddies by DM. "
            "To give them private threads, choose one with `/config buddy-channel`."
        )
    if not channel_found:
        return _(
            "Buddy round: the buddy channel ({channel}) no longer exists or isn't a text channel I can see, "
            "so I introduced this round's buddies by DM. Please choose a text channel with `/config buddy-channel`."
        ).format(channel=f"<#{channel_id}>")
    return _(
        "Buddy round: I couldn't create private threads in {channel}, so I introduced this round's "
        "buddies by DM. Please give my role **{permissions}** in that channel."
    ).format(channel=f"<#{channel_id}>", permissions=missing or _("Create Private Threads, Send Messages in Threads"))


def thread_name(now: datetime) -> str:
    """A buddy thread's name, in the current locale: "Buddy chat · 07 Dec"."""
    day = f"{now:%d %b}" if current_locale() is None else format_day_month(now.date())
    return _("Buddy chat · {day}").format(day=day)

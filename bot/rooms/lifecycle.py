"""What happens once a room exists: when it is complete, who came, and what its buttons still do."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.i18n import _, ngettext
from bot.rooms.schedule import OPEN_LEAD
from bot.store.rooms import CANCELLED, COMPLETED, SCHEDULED, Room

# After the planned end, a room that has been empty this long is over.
EMPTY_GRACE = timedelta(minutes=10)
# A conversation may run on past the end; after this long we complete the event anyway, so a
# missed voice update can't leave a native event "live" for ever.
MAX_OVERRUN = timedelta(hours=4)
# While people are still talking after the end, look again this often.
RECHECK = timedelta(minutes=10)


class Completion(enum.Enum):
    """The outcome of a completion check."""

    COMPLETE = "complete"
    WAIT = "wait"


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether to complete now, and if not, when to look again."""

    outcome: Completion
    check_again_at: datetime | None = None


def completion_decision(*, now: datetime, end: datetime, occupants: int, empty_since: datetime | None) -> Decision:
    """Apply the completion rule.

    A room completes when its end time has come and it is empty, or when it has been empty for
    :data:`EMPTY_GRACE` after the end. People still in the room after the end keep it going (a
    good conversation shouldn't be cut off), up to :data:`MAX_OVERRUN`.
    """
    if now < end:
        return Decision(Completion.WAIT, end)
    if now >= end + MAX_OVERRUN:
        return Decision(Completion.COMPLETE)
    if occupants == 0:
        if empty_since is None or empty_since <= end:
            # Empty at (or since before) the end: the end time reached with nobody there.
            return Decision(Completion.COMPLETE)
        if now - empty_since >= EMPTY_GRACE:
            return Decision(Completion.COMPLETE)
        return Decision(Completion.WAIT, empty_since + EMPTY_GRACE)
    return Decision(Completion.WAIT, min(now + RECHECK, end + MAX_OVERRUN))


def count_attendees(user_ids: Iterable[int], *, exclude: Iterable[int] = ()) -> int:
    """Distinct people who joined, leaving out ``exclude`` (the host, the bot)."""
    return len(set(user_ids) - set(exclude))


def attendance_line(title: str, others: int) -> str:
    """The private note to the host after a room, in the current locale. A count for them alone, never a comparison."""
    if others == 0:
        return _(
            "**{title}** has finished. Nobody else made it this time; that happens, and holding the space "
            "still matters. Thank you for hosting."
        ).format(title=title)
    return ngettext(
        "**{title}** has finished: {count} person came and joined you. Thank you for hosting.",
        "**{title}** has finished: {count} people came and joined you. Thank you for hosting.",
        others,
    ).format(title=title, count=others)


def describe_state(room: Room) -> str | None:
    """Why a button on this room no longer does anything (in the current locale), or ``None`` if it is open."""
    if room.status == CANCELLED:
        return _("**{title}** was cancelled, so there's nothing to answer any more.").format(title=room.title)
    if room.status == COMPLETED:
        return _("**{title}** has already finished. `/room list` shows what's coming up.").format(title=room.title)
    return None


def opens_soon(room: Room, now: datetime) -> bool:
    """True from the moment the room's channel is meant to be open."""
    return room.status != SCHEDULED or now >= room.start_at - OPEN_LEAD

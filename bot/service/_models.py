"""Plain data for service opportunities: kinds, limits, and the records the store hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.i18n import N_
from bot.repeats import Repeat

TITLE_MAX = 100
DESCRIPTION_MAX = 1000
SLOTS_MIN = 1
SLOTS_MAX = 50


class Kind(StrEnum):
    """What sort of help an opportunity asks for."""

    GREETER = "greeter"
    LISTENER = "listener"
    MEETING_HOST = "meeting_host"
    NEWCOMER_WELCOME = "newcomer_welcome"
    TECH_HELP = "tech_help"
    EVENT_HELP = "event_help"
    OTHER = "other"


# English, marked for the catalogue; translated where shown.
KIND_LABELS: dict[Kind, str] = {
    Kind.GREETER: N_("Greeter"),
    Kind.LISTENER: N_("Listener"),
    Kind.MEETING_HOST: N_("Meeting host"),
    Kind.NEWCOMER_WELCOME: N_("Newcomer welcome"),
    Kind.TECH_HELP: N_("Tech help"),
    Kind.EVENT_HELP: N_("Event help"),
    Kind.OTHER: N_("Other"),
}


# How an opportunity repeats: the rule rooms use too.
Recurrence = Repeat


class Status(StrEnum):
    """Life of an opportunity: open until cancelled, completed, or its end time passes."""

    OPEN = "open"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    PASSED = "passed"  # ended without the poster confirming who came; can still be completed


class SignupStatus(StrEnum):
    """A sign-up either holds a slot or waits for one."""

    VOLUNTEER = "volunteer"
    WAITLIST = "waitlist"


@dataclass(frozen=True, slots=True)
class NewOpportunity:
    """What a poster asked for, already validated."""

    guild_id: int
    poster_user_id: int
    title: str
    description: str
    kind: Kind
    starts_at: datetime
    duration: timedelta
    slots: int
    recurrence: Recurrence
    zone: str  # the poster's IANA zone: repeats keep its local wall-clock time


@dataclass(frozen=True, slots=True)
class Opportunity(NewOpportunity):
    """One posted opportunity: what was asked for, plus where it stands and its current sign-ups."""

    id: int
    status: Status
    channel_id: int | None = None
    message_id: int | None = None
    thread_id: int | None = None
    next_id: int | None = None
    volunteers: tuple[int, ...] = field(default=())
    waitlist: tuple[int, ...] = field(default=())

    @property
    def ends_at(self) -> datetime:
        """When the opportunity finishes."""
        return self.starts_at + self.duration

    @property
    def filled(self) -> int:
        """Slots taken."""
        return len(self.volunteers)

    @property
    def open_slots(self) -> int:
        """Slots still free (never negative)."""
        return max(self.slots - len(self.volunteers), 0)

    def is_running(self, now: datetime) -> bool:
        """True from the start time up to (not including) the end time."""
        return self.starts_at <= now < self.ends_at


class JoinOutcome(StrEnum):
    """What happened when a member asked to volunteer."""

    VOLUNTEERED = "volunteered"
    WAITLISTED = "waitlisted"
    ALREADY_VOLUNTEER = "already_volunteer"
    ALREADY_WAITLISTED = "already_waitlisted"


@dataclass(frozen=True, slots=True)
class JoinResult:
    """The outcome plus, for the waitlist, the member's place in the queue (1 = next)."""

    outcome: JoinOutcome
    position: int = 0


@dataclass(frozen=True, slots=True)
class WithdrawResult:
    """Whether the member was signed up, and who (if anyone) moved up from the waitlist."""

    was: SignupStatus | None
    promoted: tuple[int, ...] = ()

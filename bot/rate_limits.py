"""Limits on actions that reach other people: per member and per server, over a sliding window.

Each of these actions pings, DMs or posts for someone else to see, so a member who repeats one (or a
few accounts working together) could flood a crisis team, a buddy or a whole server. The limits are
generous for real use and stored in the database (:class:`bot.store.limits.LimitRepo`), so a restart
doesn't reset them and several processes share them.

A member in crisis is never blocked from help: the crisis flow still shows them their contacts when the
team can't be pinged again. Only the repeated ping is limited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal, Protocol

from bot.clock import discord_ts
from bot.i18n import N_, _, ngettext
from bot.problems import KindredError

__all__ = [
    "DEFAULT_LIMITS",
    "Action",
    "ActionLimits",
    "Limit",
    "LimitLedger",
    "Scope",
    "Verdict",
    "enforce",
    "limit_lines",
    "refusal",
]


class LimitLedger(Protocol):
    """Where taken actions are recorded (:class:`bot.store.limits.LimitRepo`); typed by shape so the
    rules never import the store that imports them."""

    async def take(self, limits: ActionLimits, guild_id: int, user_id: int, *, now: datetime) -> Verdict:
        """Record the action if every limit allows it; say which limit stopped it otherwise."""
        ...


class Action(StrEnum):
    """An action that reaches other people."""

    CRISIS_TALK = "crisis_talk"  # "Talk to someone here": pings the crisis team's role
    BUDDY_NOTICE = "buddy_notice"  # "Let my buddy know": DMs the member's buddy
    ROOM_SCHEDULE = "room_schedule"  # /room schedule: pings followers' roles, DMs them, makes channels
    SERVICE_POST = "service_post"  # /service post: a card on the service board


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``count`` actions in any ``window``."""

    count: int
    window: timedelta

    def describe(self) -> str:
        """``3 per 6 hours``, in the current locale."""
        hours = int(self.window.total_seconds() // 3600)
        if hours == 1:
            return _("{count} per hour").format(count=self.count)
        if hours == 24:
            return _("{count} per day").format(count=self.count)
        return ngettext("{count} per {hours} hour", "{count} per {hours} hours", hours).format(
            count=self.count, hours=hours
        )


@dataclass(frozen=True, slots=True)
class ActionLimits:
    """The member and server limits of one action, and whether moderators are held to them."""

    action: Action
    label: str  # marked with N_, translated where it is shown
    member: Limit
    server: Limit
    # Moderators (Manage Server) post rooms and service for the whole server; limiting them protects nobody.
    moderators_exempt: bool = False

    @property
    def longest_window(self) -> timedelta:
        """How far back the log must reach for this action."""
        return max(self.member.window, self.server.window)


HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

DEFAULT_LIMITS: dict[Action, ActionLimits] = {
    # Repeated clicks within 15 minutes already reach the team only once; this caps the pings beyond that.
    Action.CRISIS_TALK: ActionLimits(
        Action.CRISIS_TALK, N_('"Talk to someone here" pings to the crisis team'), Limit(3, 6 * HOUR), Limit(10, HOUR)
    ),
    Action.BUDDY_NOTICE: ActionLimits(
        Action.BUDDY_NOTICE, N_("Hard-moment notices to a buddy"), Limit(3, DAY), Limit(30, HOUR)
    ),
    Action.ROOM_SCHEDULE: ActionLimits(
        Action.ROOM_SCHEDULE,
        N_("Rooms scheduled (`/room schedule`)"),
        Limit(5, DAY),
        Limit(20, DAY),
        moderators_exempt=True,
    ),
    Action.SERVICE_POST: ActionLimits(
        Action.SERVICE_POST,
        N_("Service posts (`/service post`)"),
        Limit(10, DAY),
        Limit(30, DAY),
        moderators_exempt=True,
    ),
}


Scope = Literal["member", "server"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether an action may go ahead. When it may, ``entry_id`` is its row (to give back if it fails)."""

    allowed: bool
    scope: Scope | None = None
    retry_at: datetime | None = None
    entry_id: int | None = None


def limit_lines(limits: dict[Action, ActionLimits] = DEFAULT_LIMITS) -> list[str]:
    """One line per limited action, for moderators (``/config show``), in the current locale."""
    lines = []
    for item in limits.values():
        line = (
            _("• {action}: {member} per member, {server} per server (moderators exempt)")
            if item.moderators_exempt
            else _("• {action}: {member} per member, {server} per server")
        )
        lines.append(line.format(action=_(item.label), member=item.member.describe(), server=item.server.describe()))
    return lines


def refusal(action: Action, verdict: Verdict) -> str:
    """The kind, specific message for a refused action (never for the crisis flow, which has its own)."""
    if action is Action.BUDDY_NOTICE:
        text = (
            _(
                "You've let your buddy know a few times today, so I won't message them again just yet; you can "
                "ask again {when}. You could message them yourself, and `/resources show` has people you can reach "
                "right now."
            )
            if verdict.scope == "member"
            else _(
                "A lot of notices have gone out in this server in the last hour, so I'm holding this one back; you "
                "can try again {when}. You could message your buddy yourself, and `/resources show` has people you "
                "can reach right now."
            )
        )
        return text.format(when=_retry_when(verdict))
    return _posting_refusal(action, verdict)


def _posting_refusal(action: Action, verdict: Verdict) -> str:
    """A room or service post refused by its limit, in the current locale."""
    rooms = action is Action.ROOM_SCHEDULE
    if verdict.scope == "member":
        text = (
            _(
                "You've posted quite a few rooms today. Thank you for giving so much! To keep things calm for "
                "everyone there's a daily limit; you can post again {when}. A moderator can post for you meanwhile."
            )
            if rooms
            else _(
                "You've posted quite a few service opportunities today. Thank you for giving so much! To keep things "
                "calm for everyone there's a daily limit; you can post again {when}. A moderator can post for you "
                "meanwhile."
            )
        )
    else:
        text = (
            _(
                "This server has had a lot of new rooms today, so there's a pause on new ones to keep things calm; "
                "you can post again {when}. A moderator can still post if it can't wait."
            )
            if rooms
            else _(
                "This server has had a lot of new service opportunities today, so there's a pause on new ones to "
                "keep things calm; you can post again {when}. A moderator can still post if it can't wait."
            )
        )
    return text.format(when=_retry_when(verdict))


def _retry_when(verdict: Verdict) -> str:
    """When the member can try again: a Discord relative time, or "later" in the current locale."""
    return discord_ts(verdict.retry_at, "R") if verdict.retry_at is not None else _("later")


async def enforce(
    repo: LimitLedger, action: Action, guild_id: int, user_id: int, *, now: datetime, moderator: bool = False
) -> Verdict:
    """Record the action, or raise a :class:`KindredError` with :func:`refusal` when a limit is reached.

    Moderators are let through unrecorded for actions that exempt them.
    """
    limits = DEFAULT_LIMITS[action]
    if moderator and limits.moderators_exempt:
        return Verdict(True)
    verdict = await repo.take(limits, guild_id, user_id, now=now)
    if not verdict.allowed:
        raise KindredError(refusal(action, verdict))
    return verdict

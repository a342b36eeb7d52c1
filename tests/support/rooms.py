"""The rooms test modules' bot, constants and steps: scheduling, clicks, voice, interest and the cancel prompt."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.interact import Posting, settle

if TYPE_CHECKING:
    from tests.double import InteractionHandle
    from tests.harness import Harness

EXTENSIONS = ["cogs.rooms", "cogs.interests"]
# Wednesday 25 November 2026, 19:00 UTC (the server default zone), three days after the harness "now".
WHEN = "2026-11-25 19:00"
START = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
EVENTS = "/guilds/{guild_id}/scheduled-events"
EVENT = "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"

# The rooms modules' bot: rooms and interests, with the announcement channel and voice category set.
ROOMS_MARKS = [
    pytest.mark.extensions(*EXTENSIONS),
    pytest.mark.configure(rooms_channel_id="rooms", rooms_category_id="rooms_category"),
    pytest.mark.quiet,
]


# /room schedule: an evening meditation sit unless a test's options say otherwise.
SCHEDULE = Posting(
    "room schedule",
    {"interest": "meditation", "title": "Evening sit", "when": WHEN, "duration": 60},
    lambda world: world.rooms,
)
schedule = SCHEDULE.posted  # (the host's private reply, the announcement)
refused = SCHEDULE.refused


def room_id(announcement: dict[str, Any]) -> int:
    """The room's id, from its RSVP button."""
    return int(announcement["components"][0]["components"][0]["custom_id"].split(":")[2])


def current(h: Harness, message: dict[str, Any]) -> dict[str, Any]:
    """The message as it is now, after the bot's edits."""
    return h.dd.messages[int(message["id"])]


async def join(h: Harness, member: Any, channel: Any) -> None:
    """``member`` joins the voice ``channel``; returns once the bot's listener is done."""
    await settle(h, "voice_state_update", lambda: h.dd.voice_join(member, channel))


async def leave(h: Harness, member: Any) -> None:
    """``member`` leaves voice; returns once the bot's listener is done."""
    await settle(h, "voice_state_update", lambda: h.dd.voice_leave(member))


async def interested(h: Harness, member: Any, event_id: int, on: bool = True) -> None:
    """Mark (or unmark) "Interested" on the native event, and wait for the bot's listener."""
    event = "scheduled_event_user_add" if on else "scheduled_event_user_remove"
    await settle(h, event, lambda: h.dd.set_event_interest(member, event_id, on))


async def ask_cancel(h: Harness, rid: int, scope: str | None = None) -> tuple[InteractionHandle, str]:
    """Alice runs /room cancel; the prompt and its "Cancel it" button's custom id."""
    options = {"room": str(rid)} if scope is None else {"room": str(rid), "scope": scope}
    ask = await h.dd.slash(h.world.alice, "room cancel", channel=h.world.general, options=options)
    await ask.response()
    confirm = next(c for row in ask.components for c in row["components"] if c["label"] == "Cancel it")
    return ask, confirm["custom_id"]


async def confirm_press(h: Harness, member: Any, prompt: InteractionHandle, custom_id: str) -> dict[str, Any]:
    """Press a confirm button and wait for the bot to finish: it acknowledges first, then edits the prompt."""
    press = await h.dd.click(member, prompt, custom_id)
    await press.response()
    await h.dd.wait_for_call(
        "PATCH", "/webhooks/{application_id}/{token}/messages/@original", lambda c: press.token in c.path
    )
    return await press.original()


async def cancel_room(h: Harness, rid: int, scope: str | None = None) -> dict[str, Any]:
    """Alice cancels a room through the confirmation; the prompt as the confirmation left it."""
    ask, confirm = await ask_cancel(h, rid, scope)
    return await confirm_press(h, h.world.alice, ask, confirm)


async def advance_to(h: Harness, when: datetime) -> None:
    """Move the clock to ``when`` and fire whatever fell due."""
    await h.advance(when - h.clock.now())


def event_record(h: Harness) -> Any:
    """The one scheduled or active native event."""
    [record] = [e for e in h.dd.scheduled_events if e.status in (1, 2)]
    return record

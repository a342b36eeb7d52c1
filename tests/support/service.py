"""The service tests' steps: posting through /service and pressing card buttons (end to end), and
opportunities made and edited straight in the store (unit tests)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.service import Kind, Opportunity, Recurrence
from bot.store.service import NewOpportunity
from tests.support.interact import Posting

if TYPE_CHECKING:
    from bot.clock import FakeClock
    from bot.store import Store
    from tests.double import InteractionHandle
    from tests.harness import Harness

GUILD = 1


# -- end to end ---------------------------------------------------------------------------------
async def run(h: Harness, member: Any, command: str, **options: Any) -> InteractionHandle:
    """``/service <command>`` with ``options``, answered."""
    return await h.command(member, f"service {command}", **options)


# /service post: a greeter shift on Friday 27 November unless a test's options say otherwise.
POST = Posting(
    "service post",
    {
        "title": "Greeter for Friday's meeting",
        "description": "Welcome people at the door and show them where the coffee is.",
        "when": "2026-11-27 18:30",
        "duration": "90m",
        "slots": 2,
        "kind": "greeter",
    },
    lambda world: world.service_board,
)
post = POST.posted  # (the confirmation, the board card)
post_refused = POST.refused


def opp_id(card: dict[str, Any]) -> int:
    """The opportunity's id, from its card's first button."""
    custom = card["components"][0]["components"][0]["custom_id"]
    return int(custom.rsplit(":", 1)[1])


def current(h: Harness, card: dict[str, Any]) -> dict[str, Any]:
    """The card as it is now, after the bot's edits."""
    return h.dd.messages[int(card["id"])]


def volunteers_field(h: Harness, card: dict[str, Any]) -> str:
    """The card's Volunteers field, as it is now."""
    fields = current(h, card)["embeds"][0]["fields"]
    return next(f["value"] for f in fields if f["name"] == "Volunteers")


async def card_shows(h: Harness, card: dict[str, Any], check: Any) -> dict[str, Any]:
    """Wait until the board card, as edited, passes ``check``."""
    return await h.dd.world.signal.wait_for(
        lambda: current(h, card) if check(current(h, card)) else None,
        timeout=5,
        describe=lambda: f"the card never matched; it is now {current(h, card)}",
    )


async def click(h: Harness, member: Any, card: dict[str, Any], action: str) -> InteractionHandle:
    """Press the card's ``action`` button (``vol``, ``wd``, ``mute``), answered."""
    inter = await h.dd.click(member, current(h, card), f"service:{action}:{opp_id(card)}")
    await inter.response()
    return inter


def button(message: dict[str, Any], label: str) -> str:
    """The custom id of the button labelled ``label`` on ``message``."""
    for row in message["components"]:
        for comp in row["components"]:
            if comp.get("label") == label:
                return str(comp["custom_id"])
    raise AssertionError(f"no button {label!r}")


# -- in the store -------------------------------------------------------------------------------
async def create_opportunity(store: Store, clock: FakeClock, **overrides: Any) -> Opportunity:
    """A greeter shift for two, two days from now, in :data:`GUILD`, with ``overrides`` for any field."""
    values: dict[str, Any] = {
        "guild_id": GUILD,
        "poster_user_id": 99,
        "title": "Greeter",
        "description": "Say hello at the door.",
        "kind": Kind.GREETER,
        "starts_at": clock.now() + timedelta(days=2),
        "duration": timedelta(hours=1),
        "slots": 2,
        "recurrence": Recurrence.NONE,
        "zone": "UTC",
    }
    return await store.service.create(NewOpportunity(**{**values, **overrides}), now=clock.now())


async def update_opportunity(
    store: Store, clock: FakeClock, opp: Opportunity, **changes: Any
) -> tuple[Opportunity, Opportunity, list[int]]:
    """Edit ``opp`` in the store with ``changes``, keeping every other field as it is."""
    return await store.service.update(replace(opp, **changes), now=clock.now())

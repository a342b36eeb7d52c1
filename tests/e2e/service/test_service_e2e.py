"""/service end to end through the Discord double: posting, signing up by button, waitlists, restarts."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.harness import Harness
from tests.support.interact import answer
from tests.support.service import card_shows, click, current, opp_id, post, run, volunteers_field

EXTENSIONS = ["cogs.service"]
pytestmark = [pytest.mark.extensions(*EXTENSIONS), pytest.mark.configure(service_board_channel_id="service_board")]


# -- posting -----------------------------------------------------------------------------------
async def test_post_puts_a_card_on_the_board_and_echoes_the_time(h: Harness) -> None:
    msg, card = await post(h)
    # 2026-11-27 18:30 in the server default zone (UTC).
    assert "<t:1795804200:F>" in msg["content"]
    assert card["embeds"][0]["title"] == "Greeter for Friday's meeting"
    assert "<t:1795804200:F>" in card["embeds"][0]["fields"][0]["value"]
    assert volunteers_field(h, card) == "0 of 2 slots filled · 2 open"
    labels = [c["label"] for c in card["components"][0]["components"]]
    assert labels == ["Volunteer", "Withdraw"]
    sent = h.dd.calls_to("POST", f"/channels/{h.world.service_board.id}/messages")[-1]
    assert sent.json["allowed_mentions"]["parse"] == []


async def test_when_is_read_in_the_members_own_time_zone(h: Harness) -> None:
    await h.bot.store.prefs.set_timezone(h.world.alice.id, "America/New_York", now=h.clock.now())
    msg, _ = await post(h, when="2026-11-27 18:30")
    # 18:30 in New York (EST, UTC-5) is 23:30 UTC.
    assert "<t:1795822200:F>" in msg["content"]


async def test_posting_is_refused_by_role_rule_with_the_rule_named(h: Harness) -> None:
    await h.configure(service_post_role_id=h.world.crisis_team.id)
    inter = await run(
        h, h.world.bob, "post", title="T", description="D", when="tomorrow 7pm", duration="1h", slots=1, kind="other"
    )
    msg = await answer(inter)
    assert msg["flags"] & 64
    assert f"<@&{h.world.crisis_team.id}>" in msg["content"] and "role can post" in msg["content"]
    followup = h.dd.calls_to("POST", "/webhooks/{application_id}/{token}")[-1]
    assert followup.json["allowed_mentions"]["parse"] == []
    assert h.dd.messages_in(h.world.service_board) == []
    # A moderator may always post, and so may members with the role.
    await post(h, h.world.mod)


async def test_posting_without_a_board_names_the_config_command(h: Harness) -> None:
    await h.configure(service_board_channel_id=None)
    inter = await run(
        h, h.world.alice, "post", title="T", description="D", when="tomorrow 7pm", duration="1h", slots=1, kind="other"
    )
    assert "/config service-board" in (await answer(inter))["content"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"when": "yesterday 7pm"}, "already passed"),
        ({"when": "whenever suits"}, "couldn't read"),
        ({"slots": 51}, "between 1 and 50"),
        ({"slots": 0}, "between 1 and 50"),
        ({"title": "x" * 101}, "limit is 100"),
        ({"description": "y" * 1001}, "limit is 1,000"),
        ({"duration": "a while"}, "length of time"),
        ({"duration": "14 hours"}, "12 hours"),
    ],
)
async def test_bad_input_gets_a_specific_error(h: Harness, overrides: dict[str, Any], expected: str) -> None:
    options: dict[str, Any] = {
        "title": "Greeter",
        "description": "Hello",
        "when": "tomorrow 7pm",
        "duration": "1h",
        "slots": 2,
        "kind": "greeter",
    }
    options.update(overrides)
    msg = await answer(await run(h, h.world.alice, "post", **options))
    assert msg["flags"] & 64
    assert expected in msg["content"]
    assert h.dd.messages_in(h.world.service_board) == []


# -- signing up --------------------------------------------------------------------------------
async def test_volunteer_and_withdraw_by_button_update_the_card(h: Harness) -> None:
    _, card = await post(h)
    joined = await click(h, h.world.bob, card, "vol")
    assert joined.ephemeral and "You're in" in joined.content
    assert any(c["custom_id"] == f"service:mute:{opp_id(card)}" for c in joined.components[0]["components"])
    await h.dd.wait_for_call("PATCH", f"/channels/{h.world.service_board.id}/messages/{card['id']}")
    assert volunteers_field(h, card) == "1 of 2 slots filled · 1 open"
    again = await click(h, h.world.bob, card, "vol")
    assert "already signed up" in again.content
    left = await click(h, h.world.bob, card, "wd")
    assert left.ephemeral and "You've left" in left.content
    await h.dd.wait_for_call("PATCH", f"/channels/{h.world.service_board.id}/messages/{card['id']}")
    assert volunteers_field(h, card) == "0 of 2 slots filled · 2 open"
    not_in = await click(h, h.world.bob, card, "wd")
    assert "aren't signed up" in not_in.content


async def test_buttons_keep_working_after_a_restart(h: Harness) -> None:
    _, card = await post(h)
    await click(h, h.world.bob, card, "vol")
    await card_shows(h, card, lambda m: "1 of 2 slots filled" in str(m["embeds"]))
    await h.restart()
    joined = await click(h, h.world.carol, card, "vol")
    assert "You're in" in joined.content
    left = await click(h, h.world.bob, card, "wd")
    assert "You've left" in left.content
    opp = await h.bot.store.service.get(opp_id(card))
    assert opp is not None and opp.volunteers == (h.world.carol.id,)
    await card_shows(h, card, lambda m: "1 of 2 slots filled" in str(m["embeds"]))


async def test_join_and_withdraw_by_command(h: Harness) -> None:
    _, card = await post(h)
    inter = await run(h, h.world.bob, "join", id=opp_id(card))
    assert "You're in" in inter.content
    inter = await run(h, h.world.bob, "withdraw", id=opp_id(card))
    assert "You've left" in inter.content
    inter = await run(h, h.world.bob, "join", id=9999)
    assert "couldn't find service opportunity #9999" in inter.content


async def test_full_opportunity_waitlists_then_promotes_and_tells_the_first_in_line(h: Harness) -> None:
    _, card = await post(h, slots=1)
    await click(h, h.world.bob, card, "vol")
    waiting = await click(h, h.world.carol, card, "vol")
    assert "number 1 on the waitlist" in waiting.content
    second = await click(h, h.world.dave, card, "vol")
    assert "number 2 on the waitlist" in second.content
    await h.dd.wait_for_call("PATCH", f"/channels/{h.world.service_board.id}/messages/{card['id']}")
    await click(h, h.world.bob, card, "wd")
    dm = await h.dd.wait_for_dm(h.world.carol, lambda m: "place opened up" in m["content"])
    assert "Greeter for Friday's meeting" in dm["content"]
    assert h.dd.dms_to(h.world.dave) == []
    opp = await h.bot.store.service.get(opp_id(card))
    assert opp is not None
    assert (opp.volunteers, opp.waitlist) == ((h.world.carol.id,), (h.world.dave.id,))
    await card_shows(h, card, lambda m: "1 of 1 slot filled · 0 open · 1 on the waitlist" in str(m["embeds"]))


async def test_two_simultaneous_clicks_on_the_last_slot_give_it_to_one(h: Harness) -> None:
    _, card = await post(h, slots=1)
    message = current(h, card)
    custom_id = f"service:vol:{opp_id(card)}"
    first, second = await asyncio.gather(
        h.dd.click(h.world.bob, message, custom_id), h.dd.click(h.world.carol, message, custom_id)
    )
    await asyncio.gather(first.response(), second.response())
    texts = sorted([first.content, second.content])
    assert sum("You're in" in t for t in texts) == 1
    assert sum("waitlist" in t for t in texts) == 1
    opp = await h.bot.store.service.get(opp_id(card))
    assert opp is not None and len(opp.volunteers) == 1 and len(opp.waitlist) == 1


async def test_mine_and_list_are_private_and_ordered(h: Harness) -> None:
    await post(h, title="Later", when="2026-11-29 10:00", kind="tech_help")
    _, sooner = await post(h, title="Sooner", when="2026-11-24 10:00", kind="listener")
    listed = await run(h, h.world.bob, "list")
    assert listed.ephemeral
    text = listed.embeds[0]["description"]
    assert text.index("Sooner") < text.index("Later")
    only = await run(h, h.world.bob, "list", kind="tech_help")
    assert "Later" in only.embeds[0]["description"] and "Sooner" not in only.embeds[0]["description"]
    await click(h, h.world.bob, sooner, "vol")
    mine = await run(h, h.world.bob, "mine")
    assert mine.ephemeral
    fields = {f["name"]: f["value"] for f in mine.embeds[0]["fields"]}
    assert "Sooner" in fields["Coming up"] and "Later" not in fields["Coming up"]
    assert "never compared" in mine.embeds[0]["footer"]["text"]

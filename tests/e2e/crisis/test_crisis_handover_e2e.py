""" "Talk to someone here" for a server another process of the cluster owns: handed over, posted once by the owner.

DMs and their buttons reach one process, which may not run the server the member picked. The running bot
plays that process (:func:`tests.support.shards.elsewhere`), then, restarted, the server's owner.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.crisis_care.consent import HANDOVER_KIND
from tests.e2e.crisis.test_crisis_flow_alerts import talk
from tests.harness import Harness
from tests.support.alerts import CRISIS, CRISIS_ALERTS, bot_messages
from tests.support.crisis import settle
from tests.support.shards import beside, elsewhere

pytestmark = CRISIS_ALERTS

PASSED_ON = "passed your request on to that server's crisis team"


async def _answered_then_elsewhere(h: Harness) -> dict[str, Any]:
    """Alice is answered by DM; then the bot plays the process that gets DMs but doesn't own the server."""
    await h.dd.send_message(h.world.alice, h.world.general, CRISIS)
    dm = await h.dd.wait_for_dm(h.world.alice)
    await settle(h)
    elsewhere(h)
    return dm


async def _talk_from_elsewhere(h: Harness) -> str:
    """Alice taps "Talk to someone here" on her answer in a process that doesn't own the server."""
    dm = await _answered_then_elsewhere(h)
    _, text = await talk(h, h.world.alice, dm, f"crisis:talk:{h.world.guild.id}:2")
    return text


async def test_the_owner_posts_a_handed_over_request_once_even_after_a_restart(h: Harness) -> None:
    w = h.world
    text = await _talk_from_elsewhere(h)
    assert PASSED_ON in text and "findahelpline.com" in text  # told the truth at once, with contacts
    assert "can't reach" not in text
    [handover] = await h.bot.timers.pending(kind=HANDOVER_KIND)
    assert handover.guild_id == w.guild.id and handover.user_id == w.alice.id
    assert await h.run_timers() == 0  # the owner's to run, not this process's
    assert bot_messages(h, w.crisis_alerts) == []
    await h.restart()  # the owner, started after the hand-over (or restarted since), finds it waiting
    beside(h)
    assert await h.run_timers() == 1
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    assert "Talk to someone here" in alert["content"] and f"<@{w.alice.id}>" in alert["content"]
    await settle(h)
    await h.advance(timedelta(minutes=1))
    assert len(bot_messages(h, w.crisis_alerts)) == 1
    assert [e.action for e in await h.bot.store.crisis.audit(w.guild.id)] == ["consent"]


async def test_a_hand_over_cut_off_by_the_owner_s_crash_is_posted_once(h: Harness) -> None:
    w = h.world
    await _talk_from_elsewhere(h)
    await h.restart()
    beside(h)
    [claimed] = await h.bot.timers.claim_due(h.clock.now())  # claimed, then the process dies before it runs
    assert claimed.kind == HANDOVER_KIND
    await h.restart()
    beside(h)
    await h.run_timers()
    await h.dd.wait_for_message(w.crisis_alerts)
    await settle(h)
    await h.restart()  # a second restart finds nothing left to deliver
    await h.run_timers()
    await settle(h)
    assert len(bot_messages(h, w.crisis_alerts)) == 1


async def test_pressing_twice_from_elsewhere_hands_over_once(h: Harness) -> None:
    w = h.world
    dm = await _answered_then_elsewhere(h)
    for _ in range(2):
        _, text = await talk(h, w.alice, dm, f"crisis:talk:{w.guild.id}:2")
        assert PASSED_ON in text
    assert len(await h.bot.timers.pending(kind=HANDOVER_KIND)) == 1
    await h.restart()
    await h.run_timers()
    await h.dd.wait_for_message(w.crisis_alerts)
    await settle(h)
    assert len(bot_messages(h, w.crisis_alerts)) == 1


async def test_a_server_without_an_alert_channel_is_said_so_without_a_hand_over(h: Harness) -> None:
    await h.bot.store.config.reset(h.world.guild.id, "crisis_alert_channel_id")
    text = await _talk_from_elsewhere(h)
    assert "hasn't set up a crisis team channel" in text and "findahelpline.com" in text
    assert await h.bot.timers.pending(kind=HANDOVER_KIND) == []


async def test_the_member_hears_by_dm_when_the_owner_can_t_reach_the_team(h: Harness) -> None:
    w = h.world
    await h.configure(crisis_alert_channel_id=w.lounge.id)  # a voice channel: no alert can be posted there
    text = await _talk_from_elsewhere(h)
    assert PASSED_ON in text
    await h.restart()
    await h.run_timers()
    followup = await h.dd.wait_for_dm(w.alice, lambda m: "crisis team channel" in m["content"])
    assert "Recovery Circle" in followup["content"] and "findahelpline.com" in followup["content"]
    assert bot_messages(h, w.crisis_alerts) == []
    await h.run_timers()
    assert len(h.dd.dms_to(w.alice)) == 2  # the answer and this one: told once


async def test_with_the_database_down_the_member_is_told_the_truth_with_their_contacts(h: Harness) -> None:
    dm = await _answered_then_elsewhere(h)
    await h.bot.db.close()  # nothing can be handed over durably
    _, text = await talk(h, h.world.alice, dm, f"crisis:talk:{h.world.guild.id}:2")
    assert "something on my side stopped me from reaching the crisis team" in text and "findahelpline.com" in text
    assert PASSED_ON not in text

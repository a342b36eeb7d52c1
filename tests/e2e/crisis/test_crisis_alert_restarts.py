"""Crisis-team alerts across crashes and races: nothing an unclaimed alert is owed is lost, nothing is posted twice.

A crash is simulated by stopping the bot at the point in question (a timer left ``running``, a row with no
timer, a message posted but not recorded), then starting a new bot on the same database and double.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.crisis import Level
from bot.store.crisis import NewAlert
from tests.harness import Harness
from tests.support.alerts import CRISIS_ALERTS, FIFTEEN, IMMINENT, bot_messages
from tests.support.crisis import care

pytestmark = CRISIS_ALERTS


async def first_alert(h: Harness) -> tuple[dict[str, Any], int]:
    await h.dd.send_message(h.world.alice, h.world.general, IMMINENT)
    alert = await h.dd.wait_for_message(h.world.crisis_alerts)
    await care(h).wait_idle()
    custom_id = alert["components"][0]["components"][0]["custom_id"]
    return alert, int(custom_id.rsplit(":", 1)[1])


async def test_a_repost_cut_off_after_posting_is_recorded_not_posted_again(h: Harness) -> None:
    w = h.world
    _, alert_id = await first_alert(h)
    h.clock.advance(FIFTEEN)
    # The re-post timer is claimed and its copy goes out, then the process dies before recording it.
    [timer] = await h.bot.timers.claim_due(h.clock.now())
    stored = await h.bot.store.crisis.alert(alert_id)
    channel = h.bot.get_channel(w.crisis_alerts.id)
    await care(h).alerts._send_alert(channel, stored, role_id=w.crisis_team.id, repost=1)
    assert len(bot_messages(h, w.crisis_alerts)) == 2
    await h.restart()
    assert await h.run_timers() == 1  # the cut-off run is retried...
    assert len(bot_messages(h, w.crisis_alerts)) == 2  # ...and finds its copy instead of posting a third
    stored = await h.bot.store.crisis.alert(alert_id)
    assert stored is not None and stored.reposts == 1 and len(stored.alert_message_ids) == 2
    assert [e.action for e in await h.bot.store.crisis.audit(w.guild.id, alert_id=alert_id)] == ["alert", "repost"]
    # The chain carries on from there.
    await h.advance(FIFTEEN)
    assert "re-post 2 of 3" in bot_messages(h, w.crisis_alerts)[-1]["content"]
    assert timer.id not in {t.id for t in await h.bot.timers.pending()}


async def test_a_repost_cut_off_before_posting_is_posted_once_after_the_restart(h: Harness) -> None:
    w = h.world
    await first_alert(h)
    h.clock.advance(FIFTEEN)
    await h.bot.timers.claim_due(h.clock.now())  # claimed, then the crash: nothing posted
    await h.restart()
    assert await h.run_timers() == 1
    messages = bot_messages(h, w.crisis_alerts)
    assert len(messages) == 2 and "re-post 1 of 3" in messages[-1]["content"]


async def test_an_alert_stored_but_never_scheduled_or_posted_is_posted_after_a_restart(h: Harness) -> None:
    w = h.world
    # The process died between storing the alert and anything else.
    alert_id = await h.bot.store.crisis.create_alert(
        NewAlert(
            guild_id=w.guild.id,
            subject_user_id=w.alice.id,
            level=Level.IMMINENT,
            categories=(),
            reason="detection",
            alert_channel_id=w.crisis_alerts.id,
            source_channel_id=w.general.id,
            source_message_id=None,
        ),
        now=h.clock.now(),
    )
    await h.restart()
    assert await h.run_timers() == 1
    [posted] = bot_messages(h, w.crisis_alerts)
    assert f"<@{w.alice.id}>" in posted["content"] and "re-post" not in posted["content"]
    assert posted["components"][0]["components"][0]["custom_id"] == f"crisis:claim:{alert_id}"
    await h.advance(FIFTEEN)
    assert "re-post 1 of 3" in bot_messages(h, w.crisis_alerts)[-1]["content"]
    # A second restart doesn't resume what is already scheduled.
    await h.restart()
    assert len(await h.bot.timers.pending(kind="crisis-repost")) == 1


async def test_old_or_finished_alerts_are_not_resumed(h: Harness) -> None:
    w = h.world
    await first_alert(h)
    for _ in range(3):
        await h.advance(FIFTEEN)
    assert len(bot_messages(h, w.crisis_alerts)) == 4
    await h.restart()
    assert await h.bot.timers.pending(kind="crisis-repost") == []
    assert await h.run_timers() == 0


async def test_a_failed_first_post_still_reaches_the_team_later(h: Harness) -> None:
    w = h.world
    h.dd.fail_next("POST", f"/channels/{w.crisis_alerts.id}/messages", status=403, code=50013)
    await h.dd.send_message(w.alice, w.general, IMMINENT)
    await h.dd.wait_for_dm(w.alice)
    await care(h).wait_idle()
    assert bot_messages(h, w.crisis_alerts) == []
    await h.advance(FIFTEEN)
    [posted] = bot_messages(h, w.crisis_alerts)
    assert "imminent risk" in posted["content"] and "re-post" not in posted["content"]


async def test_a_repost_that_fails_is_tried_again_instead_of_going_quiet(h: Harness) -> None:
    w = h.world
    await first_alert(h)
    h.dd.fail_next("POST", f"/channels/{w.crisis_alerts.id}/messages", status=403, code=50013)
    await h.advance(FIFTEEN)
    assert len(bot_messages(h, w.crisis_alerts)) == 1
    await h.advance(FIFTEEN)
    assert "re-post 1 of 3" in bot_messages(h, w.crisis_alerts)[-1]["content"]


async def test_a_claim_that_lands_while_a_repost_is_posted_marks_that_copy_too(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = h.world
    _, alert_id = await first_alert(h)
    desk = care(h).alerts
    send = desk._send_alert

    async def send_while_someone_claims(*args: Any, **kwargs: Any) -> Any:
        message = await send(*args, **kwargs)
        # The claim reads the copies before this one is recorded, so it can't edit it itself.
        await h.bot.store.crisis.claim(alert_id, w.mod.id, now=h.clock.now())
        return message

    monkeypatch.setattr(desk, "_send_alert", send_while_someone_claims)
    await h.advance(FIFTEEN)
    late = bot_messages(h, w.crisis_alerts)[-1]
    assert f"<@{w.mod.id}> is reaching out" in late["content"]
    assert late.get("components") in (None, [])
    assert await h.bot.timers.pending(kind="crisis-repost") == []

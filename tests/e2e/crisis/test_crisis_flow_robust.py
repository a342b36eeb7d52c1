"""Crisis flow under stress: a hung or failing database, bursts of messages, and abuse of the buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from tests.harness import Harness
from tests.support.alerts import bot_messages
from tests.support.crisis import care, settle
from tests.support.interact import click

EXTENSIONS = ["cogs.crisis"]
CRISIS = "honestly i want to die, i can't do this anymore"  # high
IMMINENT = "i took all my pills tonight, goodbye everyone"  # imminent
pytestmark = pytest.mark.extensions(*EXTENSIONS)


@asynccontextmanager
async def hung_database(h: Harness) -> AsyncIterator[None]:
    """Another long transaction holds the database: every store call waits until the block ends.

    The bot's database budget and the double's interaction deadline are shortened so the test stays fast
    while still proving that nothing the member needs waits on the database.
    """
    care(h).db_timeout = 0.05
    care(h).consent_wait = 0.2
    h.bot.get_cog("Resources").db_timeout = 0.05  # type: ignore[union-attr]
    h.dd.world.interaction_timeout = 1.0
    async with h.bot.db._lock:
        yield


async def answer_text(inter: Any) -> str:
    """The member-facing text of a button's answer, whether it was sent at once or after deferring."""
    if inter.type == 5:  # deferred: the words arrive as a followup
        [followup] = await inter.followups()
        return str(followup["content"])
    return str(inter.content)


# -- a slow database -------------------------------------------------------------------------------
@pytest.mark.sqlite_only  # hung_database holds the SQLite connection's lock
async def test_a_hung_database_never_holds_back_the_members_answer(h: Harness) -> None:
    w = h.world
    async with hung_database(h):
        await h.dd.send_message(w.alice, w.general, CRISIS)
        dm = await h.dd.wait_for_dm(w.alice, timeout=2)
        assert "You matter" in dm["content"] and "findahelpline.com" in dm["content"]
    await care(h).wait_idle()


@pytest.mark.sqlite_only  # hung_database holds the SQLite connection's lock
async def test_a_hung_database_still_gets_closed_dms_their_channel_line(h: Harness) -> None:
    w = h.world
    h.dd.close_dms(w.alice)
    async with hung_database(h):
        await h.dd.send_message(w.alice, w.general, CRISIS)
        reply = await h.dd.wait_for_message(w.general, timeout=2)
        assert "/resources show" in reply["content"]
    await care(h).wait_idle()


@pytest.mark.sqlite_only  # hung_database holds the SQLite connection's lock
async def test_resources_show_answers_in_time_with_a_hung_database(h: Harness) -> None:
    async with hung_database(h):
        shown = await h.dd.slash(h.world.alice, "resources show", channel=h.world.general)
        await shown.response(timeout=2)
        assert shown.ephemeral and "findahelpline.com" in shown.content


@pytest.mark.sqlite_only  # hung_database holds the SQLite connection's lock
async def test_talk_and_im_ok_answer_in_time_with_a_hung_database(h: Harness) -> None:
    w = h.world
    await h.configure(crisis_alert_channel_id=w.crisis_alerts.id, crisis_team_role_id=w.crisis_team.id)
    await h.dd.send_message(w.alice, w.general, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    await care(h).wait_idle()
    async with hung_database(h):
        talk = await h.dd.click(w.alice, dm, f"crisis:talk:{w.guild.id}:2")
        await talk.response(timeout=2)
        text = await answer_text(talk)
        assert talk.ephemeral and "findahelpline.com" in text
        ok = await h.dd.click(w.alice, dm, "crisis:ok")
        await ok.response(timeout=2)
        assert ok.ephemeral and "give you space" in ok.content
    # Once the database is back, the team hears about the member's request after all.
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    assert f"<@{w.alice.id}>" in alert["content"] and "Talk to someone here" in alert["content"]
    await care(h).wait_idle()


async def test_with_the_database_down_a_member_still_gets_one_answer_per_six_hours(h: Harness) -> None:
    w = h.world
    await h.bot.db.close()
    await h.dd.send_message(w.alice, w.general, CRISIS)
    await h.dd.wait_for_dm(w.alice)
    await care(h).wait_idle()
    for _ in range(3):
        await h.dd.send_message(w.alice, w.general, CRISIS)
    await settle(h)
    assert len(h.dd.dms_to(w.alice)) == 1
    # ... and an escalation still gets through.
    await h.dd.send_message(w.alice, w.general, IMMINENT)
    assert "please call" in (await h.dd.wait_for_dm(w.alice))["content"]
    await care(h).wait_idle()


async def test_mute_with_the_database_down_says_nothing_changed(h: Harness) -> None:
    await h.bot.db.close()
    muted = await h.dd.slash(h.world.alice, "resources mute", channel=h.world.general)
    await muted.response()
    assert muted.ephemeral and "couldn't save that" in muted.content and "nothing changed" in muted.content


async def test_a_muted_member_stays_muted_while_the_database_is_down(h: Harness) -> None:
    w = h.world
    muted = await h.dd.slash(w.alice, "resources mute", channel=w.general)
    await muted.response()
    assert "Done." in muted.content
    await h.bot.db.close()
    await h.dd.send_message(w.alice, w.general, IMMINENT)
    await settle(h)
    assert h.dd.dms_to(w.alice) == []
    # Someone the bot never saw muting still gets the answer from the shipped data.
    await h.dd.send_message(w.bob, w.general, IMMINENT)
    await h.dd.wait_for_dm(w.bob)
    await care(h).wait_idle()


# -- bursts ----------------------------------------------------------------------------------------
async def test_a_burst_of_crisis_messages_gets_one_answer_and_one_alert(h: Harness) -> None:
    w = h.world
    await h.configure(
        alert_policy="all", crisis_alert_channel_id=w.crisis_alerts.id, crisis_team_role_id=w.crisis_team.id
    )
    for _ in range(6):
        await h.dd.send_message(w.alice, w.general, IMMINENT)
    await settle(h)
    assert len(h.dd.dms_to(w.alice)) == 1
    assert len(bot_messages(h, w.crisis_alerts)) == 1
    assert [e.action for e in await h.bot.store.crisis.audit(w.guild.id)] == ["alert"]


# -- abuse -----------------------------------------------------------------------------------------
async def test_a_team_member_cannot_claim_an_alert_about_themself(h: Harness) -> None:
    """Claiming stops the re-posts; the member in crisis must not be able to wave their own alert away."""
    w = h.world
    await h.configure(
        alert_policy="all", crisis_alert_channel_id=w.crisis_alerts.id, crisis_team_role_id=w.crisis_team.id
    )
    await h.dd.send_message(w.mod, w.general, IMMINENT)  # Mod is on the crisis team
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    await care(h).wait_idle()
    custom_id = alert["components"][0]["components"][0]["custom_id"]
    alert_id = int(custom_id.rsplit(":", 1)[1])
    refused = await click(h, w.mod, alert, custom_id)
    assert refused.ephemeral and "about you" in refused.content
    assert "/resources show" in refused.content
    stored = await h.bot.store.crisis.alert(alert_id)
    assert stored is not None and stored.claimed_by_user_id is None
    assert [t.payload["alert_id"] for t in await h.bot.timers.pending(kind="crisis-repost")] == [alert_id]
    claimed = await click(h, w.owner, alert, custom_id)
    assert claimed.type == 7 and f"<@{w.owner.id}> is reaching out" in claimed.data["content"]

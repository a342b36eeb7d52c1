"""Crisis-team alerts end to end: each policy, consent by button, claims, re-posts, the audit trail and restarts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.harness import Harness
from tests.support.alerts import CRISIS, CRISIS_ALERTS, FIFTEEN, IMMINENT, bot_messages
from tests.support.crisis import care, settle
from tests.support.interact import click

pytestmark = CRISIS_ALERTS


async def alert_for(h: Harness, member: Any, text: str) -> dict[str, Any]:
    await h.dd.send_message(member, h.world.general, text)
    alert = await h.dd.wait_for_message(h.world.crisis_alerts)
    await care(h).wait_idle()  # the re-post timer is scheduled just after the post
    return alert


async def talk(h: Harness, member: Any, message: Any, custom_id: str) -> tuple[Any, str]:
    """Click **Talk to someone here**: it defers at once (reaching the team is slow work), then answers."""
    inter = await click(h, member, message, custom_id)
    assert inter.type == 5 and inter.ephemeral
    [followup] = await inter.followups()
    assert followup["flags"] & 64  # ephemeral
    return inter, str(followup["content"])


# -- policies --------------------------------------------------------------------------------------
async def test_policy_off_sends_no_alert_but_still_answers_the_member(h: Harness) -> None:
    await h.configure(alert_policy="off")
    await h.dd.send_message(h.world.alice, h.world.general, IMMINENT)
    await h.dd.wait_for_dm(h.world.alice)
    await settle(h)
    assert bot_messages(h, h.world.crisis_alerts) == []


async def test_policy_imminent_alerts_only_imminent(h: Harness) -> None:
    w = h.world
    await h.configure(alert_policy="imminent")
    await h.dd.send_message(w.alice, w.general, CRISIS)
    await h.dd.wait_for_dm(w.alice)
    await settle(h)
    assert bot_messages(h, w.crisis_alerts) == []
    alert = await alert_for(h, w.bob, IMMINENT)
    assert "imminent risk" in alert["content"] and f"<@{w.bob.id}>" in alert["content"]


async def test_policy_all_alert_names_level_categories_member_and_link_never_the_text(h: Harness) -> None:
    w = h.world
    await h.configure(alert_policy="all")
    sent = await h.dd.send_message(w.alice, w.general, CRISIS)
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    text = alert["content"]
    assert text.startswith(f"<@&{w.crisis_team.id}>")
    assert "**Crisis alert**: high" in text and "suicidal thoughts" in text
    assert f"<@{w.alice.id}>" in text
    assert f"https://discord.com/channels/{w.guild.id}/{w.general.id}/{sent['id']}" in text
    assert "want to die" not in text and "anymore" not in text
    call = await h.dd.wait_for_call(
        "POST", "/channels/{channel_id}/messages", lambda c: c.path.endswith(f"{w.crisis_alerts.id}/messages")
    )
    mentions = call.json["allowed_mentions"]
    assert mentions["roles"] == [w.crisis_team.id] or mentions["roles"] == [str(w.crisis_team.id)]
    assert mentions["parse"] == [] and not mentions.get("users")
    [alert_id] = [
        int(cid.rsplit(":", 1)[1]) for row in alert["components"] for cid in [row["components"][0]["custom_id"]]
    ]
    [entry] = await h.bot.store.crisis.audit(w.guild.id, alert_id=alert_id)
    assert (entry.action, entry.subject_user_id, entry.detail) == ("alert", w.alice.id, "high")


async def test_repeat_detections_do_not_pile_up_alerts_unless_the_level_rises(h: Harness) -> None:
    w = h.world
    await h.configure(alert_policy="all")
    await alert_for(h, w.alice, CRISIS)
    await h.dd.send_message(w.alice, w.general, CRISIS)
    await settle(h)
    assert len(bot_messages(h, w.crisis_alerts)) == 1
    rose = await alert_for(h, w.alice, IMMINENT)
    assert "imminent risk" in rose["content"]


# -- claims and re-posts ---------------------------------------------------------------------------
async def test_claim_records_who_edits_the_alert_and_tells_later_clickers(h: Harness) -> None:
    w = h.world
    alert = await alert_for(h, w.alice, IMMINENT)
    custom_id = alert["components"][0]["components"][0]["custom_id"]
    alert_id = int(custom_id.rsplit(":", 1)[1])
    refused = await click(h, w.bob, alert, custom_id)
    assert refused.ephemeral and "crisis team" in refused.content
    claimed = await click(h, w.mod, alert, custom_id)
    assert claimed.type == 7  # the alert itself was edited
    assert f"<@{w.mod.id}> is reaching out" in claimed.data["content"]
    assert claimed.data["components"][0]["components"][0]["label"] == "Claimed"
    [thanks] = await claimed.followups()
    assert "Thank you for reaching out" in thanks["content"]
    again = await click(h, w.owner, alert, custom_id)
    assert again.ephemeral and f"<@{w.mod.id}> claimed this" in again.content
    stored = await h.bot.store.crisis.alert(alert_id)
    assert stored is not None and stored.claimed_by_user_id == w.mod.id
    assert [e.action for e in await h.bot.store.crisis.audit(w.guild.id, alert_id=alert_id)] == ["alert", "claim"]
    # Claimed: no re-post.
    await h.advance(FIFTEEN)
    assert len(bot_messages(h, w.crisis_alerts)) == 1


async def test_unclaimed_alert_is_reposted_every_15_minutes_up_to_three_times(h: Harness) -> None:
    w = h.world
    first = await alert_for(h, w.alice, IMMINENT)
    custom_id = first["components"][0]["components"][0]["custom_id"]
    alert_id = int(custom_id.rsplit(":", 1)[1])
    await h.advance(timedelta(minutes=14))
    assert len(bot_messages(h, w.crisis_alerts)) == 1
    for n in (1, 2, 3):
        await h.advance(FIFTEEN if n > 1 else timedelta(minutes=1))
        repost = await h.dd.wait_for_message(w.crisis_alerts)
        assert f"re-post {n} of 3" in repost["content"] and f"<@&{w.crisis_team.id}>" in repost["content"]
    await h.advance(FIFTEEN * 2)
    assert len(bot_messages(h, w.crisis_alerts)) == 4
    actions = [e.action for e in await h.bot.store.crisis.audit(w.guild.id, alert_id=alert_id)]
    assert actions == ["alert", "repost", "repost", "repost"]
    # Claiming from the last copy marks every copy.
    claimed = await click(h, w.mod, bot_messages(h, w.crisis_alerts)[-1], custom_id)
    assert claimed.type == 7
    await h.dd.wait_for_call(
        "PATCH", "/channels/{channel_id}/messages/{message_id}", lambda c: c.path.endswith(first["id"])
    )
    assert "is reaching out" in h.dd.messages[int(first["id"])]["content"]


async def test_claim_button_and_reposts_survive_a_restart(h: Harness) -> None:
    w = h.world
    alert = await alert_for(h, w.alice, IMMINENT)
    await h.restart()
    await h.advance(FIFTEEN)
    repost = await h.dd.wait_for_message(w.crisis_alerts)
    assert "re-post 1 of 3" in repost["content"]
    custom_id = alert["components"][0]["components"][0]["custom_id"]
    claimed = await click(h, w.mod, alert, custom_id)
    assert claimed.type == 7 and "is reaching out" in claimed.data["content"]
    assert await h.bot.timers.pending(kind="crisis-repost") == []


# -- consent ---------------------------------------------------------------------------------------
async def test_talk_to_someone_alerts_the_team_with_consent_even_when_policy_is_off(h: Harness) -> None:
    w = h.world
    await h.configure(alert_policy="off", region="IE")
    await h.dd.send_message(w.alice, w.general, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    talked, text = await talk(h, w.alice, dm, f"crisis:talk:{w.guild.id}:2")
    assert talked.ephemeral and "let the crisis team" in text and "116 123" in text
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    assert "Talk to someone here" in alert["content"] and f"<@{w.alice.id}>" in alert["content"]
    _, again = await talk(h, w.alice, dm, f"crisis:talk:{w.guild.id}:2")
    assert "let the crisis team" in again
    await settle(h)
    assert len(bot_messages(h, w.crisis_alerts)) == 1  # a second tap doesn't post twice
    actions = [e.action for e in await h.bot.store.crisis.audit(w.guild.id)]
    assert actions == ["consent"]


async def test_talk_without_an_alert_channel_is_told_kindly_with_resources(h: Harness) -> None:
    w = h.world
    await h.bot.store.config.reset(w.guild.id, "crisis_alert_channel_id")
    await h.dd.send_message(w.alice, w.general, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    talked, text = await talk(h, w.alice, dm, f"crisis:talk:{w.guild.id}:2")
    assert talked.ephemeral and "hasn't set up a crisis team channel" in text
    assert "/resources show" in text and "findahelpline.com" in text


async def test_a_spanish_member_who_asks_to_talk_is_answered_in_spanish(h: Harness) -> None:
    w = h.world
    await h.configure(region="ES")
    w.alice.user.locale = "es-ES"
    await h.private_command(w.alice, "resources show")  # the language Kindred last saw from her
    await h.dd.send_message(w.alice, w.general, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    _, text = await talk(h, w.alice, dm, f"crisis:talk:{w.guild.id}:2")
    assert text.startswith("Gracias por decírmelo. He avisado al equipo de crisis de")
    assert "**024, line for people with suicidal thoughts (free, 24/7)**: llama al **024**" in text
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    assert "Talk to someone here" in alert["content"]  # the team's alert is in the bot's own words
    await settle(h)

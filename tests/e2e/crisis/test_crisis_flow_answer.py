"""Crisis flow end to end: detection in channels, DMs and check-in notes; the private answer and its limits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.events import MemberText
from bot.messaging import send_dm
from tests.harness import Harness
from tests.support.crisis import care, settle

EXTENSIONS = ["cogs.crisis"]
CRISIS = "honestly i want to die, i can't do this anymore"  # high: suicidal ideation
IMMINENT = "i took all my pills tonight, goodbye everyone"  # imminent: overdose, immediate danger
BENIGN = "this homework is killing me lol"
pytestmark = pytest.mark.extensions(*EXTENSIONS)


def ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])]


async def say(h: Harness, member: Any, text: str) -> dict[str, Any]:
    return await h.dd.send_message(member, h.world.general, text)


# -- detection and the answer ----------------------------------------------------------------------
async def test_crisis_message_in_a_channel_gets_a_private_answer_with_region_contacts(h: Harness) -> None:
    w = h.world
    await h.configure(region="US")
    await say(h, w.alice, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    text = dm["content"]
    assert "You matter" in text and "Help is available right now" in text and "can get better" in text
    assert "988" in text and "741741" in text and "911" in text and "findahelpline.com" in text
    assert "SAMHSA" not in text  # no substance categories here
    assert "want to die" not in text and "do this anymore" not in text  # never quoted
    assert ids(dm) == [f"crisis:talk:{w.guild.id}:2", "crisis:ok"]
    await settle(h)
    assert all(m["author"]["id"] != str(h.dd.bot_user.id) for m in h.dd.messages_in(w.general))  # nothing public


async def test_a_message_edited_into_crisis_words_is_scanned_again(h: Harness) -> None:
    w = h.world
    message = await say(h, w.alice, "long week, heading to a meeting later")
    await settle(h)
    assert h.dd.dms_to(w.alice) == []
    await h.dd.edit_message(w.alice, message, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    assert "You matter" in dm["content"]


async def test_overdose_answer_adds_the_substance_line_and_the_emergency_number_first(h: Harness) -> None:
    w = h.world
    await h.configure(region="UK")
    await say(h, w.bob, IMMINENT)
    text = (await h.dd.wait_for_dm(w.bob))["content"]
    assert "FRANK" in text and "Samaritans" in text and "116 123" in text and "999" in text
    assert text.index("please call **999 or 112** now") < text.index("People you can reach")
    assert "pills" not in text and "goodbye" not in text


async def test_crisis_message_in_a_dm_is_answered_and_never_alerts_a_server(h: Harness) -> None:
    w = h.world
    await h.configure(region="AU", alert_policy="all", crisis_alert_channel_id=w.crisis_alerts.id)
    await h.dd.send_dm(w.alice, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice, lambda m: "You matter" in m["content"])
    assert "13 11 14" in dm["content"] and "000" in dm["content"]
    # The member shares one server with the bot, so they can ask its team to reach out.
    assert ids(dm) == [f"crisis:talk:{w.guild.id}:2", "crisis:ok"]
    await settle(h)
    assert h.dd.messages_in(w.crisis_alerts) == []


async def test_check_in_note_triggers_the_flow(h: Harness) -> None:
    w = h.world
    await h.configure(region="NZ", alert_policy="all", crisis_alert_channel_id=w.crisis_alerts.id)
    h.bot.dispatch("member_text", MemberText(w.carol.id, w.guild.id, w.general.id, CRISIS, "checkin_note"))
    dm = await h.dd.wait_for_dm(w.carol)
    assert "1737" in dm["content"]
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    assert "privately to Kindred" in alert["content"] and "want to die" not in alert["content"]


async def test_benign_hyperbole_gets_nothing(h: Harness) -> None:
    w = h.world
    await h.configure(alert_policy="all", crisis_alert_channel_id=w.crisis_alerts.id)
    for text in (BENIGN, "that exam killed me", "my friend's post about suicide prevention month was great"):
        await say(h, w.alice, text)
    await settle(h)
    assert h.dd.dms_to(w.alice) == []
    assert h.dd.messages_in(w.crisis_alerts) == []


async def test_a_member_offering_help_gets_no_answer_and_pages_no_one(h: Harness) -> None:
    w = h.world
    await h.configure(alert_policy="all", crisis_alert_channel_id=w.crisis_alerts.id)
    for text in ("anyone feeling suicidal tonight, my dms are open", "if ur suicidal rn pls dm me, im here"):
        await say(h, w.alice, text)
    await settle(h)
    assert h.dd.dms_to(w.alice) == []
    assert h.dd.messages_in(w.crisis_alerts) == []


async def test_bot_messages_are_not_scanned(h: Harness) -> None:
    await send_dm(h.bot, h.world.alice.id, content=CRISIS)  # the bot's own words, e.g. a quoted example
    await settle(h)
    assert [m["content"] for m in h.dd.dms_to(h.world.alice)] == [CRISIS]


# -- closed DMs ------------------------------------------------------------------------------------
def bot_lines(h: Harness, channel: Any) -> list[dict[str, Any]]:
    return [m for m in h.dd.messages_in(channel) if m["author"]["id"] == str(h.dd.bot_user.id)]


async def test_closed_dms_get_a_neutral_line_that_is_no_reply_names_nobody_and_goes_away(h: Harness) -> None:
    w = h.world
    h.dd.close_dms(w.alice)
    await say(h, w.alice, CRISIS)
    line = await h.dd.wait_for_message(w.general)
    assert "/resources show" in line["content"]
    assert "die" not in line["content"] and "crisis" not in line["content"].lower()
    assert "Alice" not in line["content"] and str(w.alice.id) not in line["content"]
    assert not line.get("message_reference"), "a reply would show which message was flagged"
    assert line["mentions"] == [] and not line["mention_everyone"]
    call = await h.dd.wait_for_call(
        "POST", "/channels/{channel_id}/messages", lambda c: c.path.endswith(f"{w.general.id}/messages")
    )
    assert call.json["allowed_mentions"]["parse"] == []
    # The fallback counts as the answer: a second message in the cooldown gets no second line.
    await say(h, w.alice, CRISIS)
    await settle(h)
    assert len(bot_lines(h, w.general)) == 1
    # A short while later the line is gone.
    await h.advance(timedelta(minutes=2))
    assert len(bot_lines(h, w.general)) == 1
    await h.advance(timedelta(minutes=1))
    assert bot_lines(h, w.general) == []


async def test_the_closed_dm_line_is_still_removed_after_a_restart(h: Harness) -> None:
    w = h.world
    h.dd.close_dms(w.alice)
    await say(h, w.alice, CRISIS)
    await h.dd.wait_for_message(w.general)
    await settle(h)
    await h.stop()
    await h.start(extensions=EXTENSIONS)
    await h.advance(timedelta(minutes=3))
    assert bot_lines(h, w.general) == []
    # Removing it again (a timer cut off by a crash runs twice) is harmless.
    timers = await h.bot.store.db.fetchall("SELECT status FROM timers WHERE kind = 'crisis-line-removal'")
    assert [t["status"] for t in timers] == ["done"]


# -- cooldown, escalation, I'm OK, mute ------------------------------------------------------------
async def test_one_answer_per_six_hours_unless_it_escalates_to_imminent(h: Harness) -> None:
    w = h.world
    await say(h, w.alice, CRISIS)
    await h.dd.wait_for_dm(w.alice)
    await say(h, w.alice, CRISIS)
    await settle(h)
    assert len(h.dd.dms_to(w.alice)) == 1  # cooldown
    await say(h, w.alice, IMMINENT)
    escalated = await h.dd.wait_for_dm(w.alice)
    assert "please call" in escalated["content"]
    await say(h, w.alice, IMMINENT)
    await settle(h)
    assert len(h.dd.dms_to(w.alice)) == 2  # already answered at imminent
    await h.advance(timedelta(hours=6))
    await say(h, w.alice, CRISIS)
    await h.dd.wait_for_dm(w.alice)
    assert len(h.dd.dms_to(w.alice)) == 3


async def test_im_ok_quiets_answers_for_a_day_unless_imminent(h: Harness) -> None:
    w = h.world
    await say(h, w.alice, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    ok = await h.dd.click(w.alice, dm, "crisis:ok")
    await ok.response()
    assert ok.ephemeral and "give you space" in ok.content
    assert (await h.bot.store.crisis.member_state(w.alice.id)).acknowledged_at == h.clock.now()
    await h.advance(timedelta(hours=7))  # past the cooldown, inside the quiet day
    await say(h, w.alice, CRISIS)
    await settle(h)
    assert len(h.dd.dms_to(w.alice)) == 1
    await say(h, w.alice, IMMINENT)
    await h.dd.wait_for_dm(w.alice)
    await h.advance(timedelta(hours=24))
    await say(h, w.alice, CRISIS)
    await h.dd.wait_for_dm(w.alice)


async def test_mute_stops_answers_but_alerts_follow_the_server_policy(h: Harness) -> None:
    w = h.world
    await h.configure(alert_policy="all", crisis_alert_channel_id=w.crisis_alerts.id)
    muted = await h.dd.slash(w.alice, "resources mute", channel=w.general)
    await muted.response()
    assert muted.ephemeral and "won't send you automatic" in muted.content
    await say(h, w.alice, CRISIS)
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    assert f"<@{w.alice.id}>" in alert["content"]
    await settle(h)
    assert h.dd.dms_to(w.alice) == []
    unmuted = await h.dd.slash(w.alice, "resources unmute", channel=w.general)
    await unmuted.response()
    assert "back on" in unmuted.content
    await say(h, w.alice, IMMINENT)
    await h.dd.wait_for_dm(w.alice)


# -- database down ---------------------------------------------------------------------------------
async def test_database_down_still_answers_from_the_shipped_data(h: Harness) -> None:
    w = h.world
    await h.configure(region="US")
    await h.bot.db.close()
    await say(h, w.alice, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    # The region can't be read, so the worldwide directory and "local emergency number" are used.
    assert "You matter" in dm["content"] and "findahelpline.com" in dm["content"]
    assert "emergency number" in dm["content"]
    await care(h).wait_idle()
    # A second message: still no crash, and still answered (the cooldown can't be read either).
    await say(h, w.bob, IMMINENT)
    assert "please call" in (await h.dd.wait_for_dm(w.bob))["content"]
    await care(h).wait_idle()


async def test_a_real_check_in_note_triggers_the_flow(harness: Harness) -> None:
    h = harness
    await h.start(extensions=["cogs.crisis", "cogs.checkins"])
    w = h.world
    await h.configure(region="CA")
    inter = await h.dd.slash(
        w.alice, "checkin today", channel=w.general, options={"mood": 2, "craving": 2, "note": CRISIS}
    )
    await inter.response()
    assert inter.ephemeral
    dm = await h.dd.wait_for_dm(w.alice, lambda m: "You matter" in m["content"])
    assert "9-8-8" in dm["content"] and "want to die" not in dm["content"]


# -- never crash message handling ------------------------------------------------------------------
class _Broken:
    def detect(self, text: str) -> Any:
        raise RuntimeError("lexicon exploded")


async def test_a_failing_scan_is_logged_and_never_stops_message_handling(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    w = h.world
    care(h)._detectors[w.guild.id] = _Broken()
    await say(h, w.alice, CRISIS)
    await settle(h)  # the bot still answers commands
    assert "crisis scan of message" in caplog.text and "lexicon exploded" in caplog.text
    # A follow-up that fails (the DM and the channel reply both refused) is logged too.
    care(h).invalidate(w.guild.id)
    h.dd.fail_next("POST", "/channels/{channel_id}/messages", status=403, code=50001, count=2)
    await say(h, w.bob, CRISIS)
    await settle(h)
    assert "could not post the closed-DM line" in caplog.text
    await say(h, w.carol, CRISIS)
    await h.dd.wait_for_dm(w.carol)  # and the next member is still answered


async def test_the_answer_speaks_the_language_the_member_last_used_and_never_translates_a_line(h: Harness) -> None:
    w = h.world
    await h.configure(region="US")
    w.alice.user.locale = "es-419"
    await h.private_command(w.alice, "resources show")  # the last language Kindred saw from her
    await say(h, w.alice, IMMINENT)
    dm = await h.dd.wait_for_dm(w.alice)
    text = dm["content"]
    labels = [c["label"] for row in dm.get("components", []) for c in row.get("components", [])]
    assert labels == ["Hablar con alguien de aquí", "Estoy bien"]
    assert text.startswith("Hola, te escribo en privado porque me preocupa que ahora mismo no estés a salvo.")
    assert "Importas" in text and "las cosas pueden mejorar" in text
    assert "llama ahora a **911**" in text
    # Line names and numbers stay exactly as the service gives them.
    assert "**988 Suicide & Crisis Lifeline**" in text and "**Text HOME to 741741**" in text
    assert "SAMHSA National Helpline" in text
    assert "pills" not in text and "goodbye" not in text  # never quoted, in any language
    await settle(h)


async def test_a_member_kindred_never_saw_use_a_command_is_answered_in_english(h: Harness) -> None:
    await h.configure(region="US")
    await say(h, h.world.bob, CRISIS)
    assert "You matter" in (await h.dd.wait_for_dm(h.world.bob))["content"]
    await settle(h)


async def test_a_message_in_spanish_is_answered_in_spanish_even_from_a_member_kindred_never_saw(h: Harness) -> None:
    await h.configure(region="ES")
    await say(h, h.world.bob, "ya no aguanto más, quiero morirme")
    text = (await h.dd.wait_for_dm(h.world.bob))["content"]
    assert "Importas" in text and "You matter" not in text
    assert "aguanto" not in text and "morirme" not in text  # never quoted, in any language
    await settle(h)


async def test_the_language_a_member_writes_in_wins_over_the_one_they_last_used(h: Harness) -> None:
    w = h.world
    await h.configure(region="FR")
    w.alice.user.locale = "en-US"
    await h.private_command(w.alice, "resources show")  # Kindred last saw her in English
    await say(h, w.alice, "je veux mourir, je n'en peux plus")
    text = (await h.dd.wait_for_dm(w.alice))["content"]
    assert "Tu comptes" in text and "You matter" not in text
    await settle(h)

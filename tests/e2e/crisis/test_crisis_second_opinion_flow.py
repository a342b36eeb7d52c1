"""The sentence model's second opinion in the bot: it catches what the lexicon misses, off the event loop,
and when it is slow, failing or backlogged the lexicon's verdict still stands (and the failure is logged)."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

import pytest

from bot.crisis import Level, load_default_detector
from tests.harness import Harness
from tests.support.crisis import care, settle

EXTENSIONS = ["cogs.crisis"]
# Nothing the lexicon reads as a crisis on its own; the sentence model does.
INDIRECT = "i feel so trapped and nothing ever changes"
CONCERN = "been quietly putting my affairs in order this week"  # the lexicon alone says concern
CRISIS = "honestly i want to die, i can't do this anymore"  # the lexicon alone says high
BENIGN = "anyone going to the 7pm meeting tonight? i can give someone a ride"
# The lexicon alone says high ("kms"); the model reads everyday talk and clears it.
HYPERBOLE = "kms the wifi died during my exam lol"
pytestmark = [
    pytest.mark.extensions(*EXTENSIONS),
    pytest.mark.configure(
        alert_policy="all", crisis_alert_channel_id="crisis_alerts", crisis_team_role_id="crisis_team"
    ),
]


def test_the_fixtures_mean_what_the_tests_say() -> None:
    assert load_default_detector().detect(INDIRECT).level is Level.NONE
    assert load_default_detector().detect(CONCERN).level is Level.CONCERN
    assert load_default_detector().detect(CRISIS).level is Level.HIGH
    assert load_default_detector().detect(HYPERBOLE).level is Level.HIGH


async def test_the_sentence_model_catches_what_the_lexicon_misses(h: Harness) -> None:
    w = h.world
    assert care(h).opinion is not None
    await h.dd.send_message(w.alice, w.general, INDIRECT)
    dm = await h.dd.wait_for_dm(w.alice)
    assert "You matter" in dm["content"] and "trapped" not in dm["content"]
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    assert f"<@{w.alice.id}>" in alert["content"] and "trapped" not in alert["content"]
    await care(h).wait_idle()


async def test_everyday_chat_gets_nothing(h: Harness) -> None:
    await h.dd.send_message(h.world.alice, h.world.general, BENIGN)
    await settle(h)
    assert h.dd.dms_to(h.world.alice) == []


async def test_a_lexicon_match_the_model_reads_as_everyday_talk_gets_nothing(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        await h.dd.send_message(h.world.alice, h.world.general, HYPERBOLE)
        await h.dd.send_message(h.world.bob, h.world.general, CRISIS)  # a real one right after still gets its answer
        await h.dd.wait_for_dm(h.world.bob)
        await settle(h)
    assert h.dd.dms_to(h.world.alice) == []
    assert len(h.dd.messages_in(h.world.crisis_alerts)) == 1  # Bob's
    cleared = [r.getMessage() for r in caplog.records if "cleared" in r.getMessage()]
    # Logged without the member: logs outlive /privacy delete, so a verdict is never tied to an id there.
    assert cleared == ["crisis: the sentence model cleared a high lexicon match (reads as everyday talk)"]
    assert "wifi" not in cleared[0]
    # A moderator can see what the word list found and why it was let be.
    inter = await h.dd.slash(h.world.mod, "crisis test", channel=h.world.general, text=HYPERBOLE)
    await inter.response()
    assert "kill_myself" in inter.content and "everyday talk" in inter.content


async def test_crisis_test_shows_the_sentence_models_part(h: Harness) -> None:
    inter = await h.dd.slash(h.world.mod, "crisis test", channel=h.world.general, text=INDIRECT)
    await inter.response()
    assert inter.ephemeral and "models:" in inter.content and "quick read" in inter.content
    assert "Nothing:" not in inter.content


async def test_the_model_runs_off_the_event_loop(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    opinion = care(h).opinion
    review_many = opinion.review_many
    threads: list[bool] = []

    def recording(items: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        return review_many(items)

    monkeypatch.setattr(opinion, "review_many", recording)
    await h.dd.send_message(h.world.alice, h.world.general, INDIRECT)
    await h.dd.wait_for_dm(h.world.alice)
    await care(h).wait_idle()
    assert threads == [False]


async def test_a_failing_model_is_logged_and_the_lexicon_verdict_stands(
    h: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(items: Any) -> Any:
        raise RuntimeError("model exploded")

    monkeypatch.setattr(care(h).opinion, "review_many", broken)
    with caplog.at_level(logging.ERROR):
        # A lexicon concern still gets its answer; a message only the model would catch gets none.
        await h.dd.send_message(h.world.alice, h.world.general, CONCERN)
        await h.dd.wait_for_dm(h.world.alice)
        await h.dd.send_message(h.world.bob, h.world.general, INDIRECT)
        await settle(h)
    assert h.dd.dms_to(h.world.bob) == []
    assert any("sentence model failed" in r.getMessage() for r in caplog.records)


async def test_a_full_backlog_keeps_the_lexicon_verdict_and_never_blocks(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = care(h)
    desk.max_waiting = 1
    gate = threading.Event()
    review_many = desk.opinion.review_many

    def slow(items: Any) -> Any:
        gate.wait(5)
        return review_many(items)

    monkeypatch.setattr(desk.opinion, "review_many", slow)
    await h.dd.send_message(h.world.alice, h.world.general, INDIRECT)  # occupies the model
    for _ in range(500):  # until the bot has it in the model
        if desk._waiting:
            break
        await asyncio.sleep(0.01)
    await h.dd.send_message(h.world.bob, h.world.general, INDIRECT)  # backlog full: lexicon only (none)
    await h.dd.send_message(h.world.dave, h.world.general, CRISIS)  # high, backlog full: answered at once
    await h.dd.wait_for_dm(h.world.dave)
    gate.set()
    await h.dd.wait_for_dm(h.world.alice)
    await settle(h)
    assert h.dd.dms_to(h.world.bob) == []
    assert desk.skipped_reviews == 2


async def test_without_the_model_the_lexicon_alone_decides(h: Harness) -> None:
    # CRISIS_SENTENCE_MODEL=off, or the model's files missing.
    await h.stop()
    h.settings_overrides = {"crisis_sentence_model": False}
    await h.start(extensions=EXTENSIONS)
    assert care(h).opinion is None
    await h.dd.send_message(h.world.alice, h.world.general, INDIRECT)
    await h.dd.send_message(h.world.bob, h.world.general, CRISIS)
    await h.dd.wait_for_dm(h.world.bob)
    await settle(h)
    assert h.dd.dms_to(h.world.alice) == []


async def test_a_burst_waiting_for_the_model_is_read_as_one_batch(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    desk = care(h)
    gate = threading.Event()
    batches: list[int] = []
    review_many = desk.opinion.review_many

    def held(items: Any) -> Any:
        batches.append(len(items))
        gate.wait(5)
        return review_many(items)

    monkeypatch.setattr(desk.opinion, "review_many", held)
    w = h.world
    await h.dd.send_message(w.alice, w.general, INDIRECT)  # read alone, and held in the model
    for _ in range(500):
        if batches:
            break
        await asyncio.sleep(0.01)
    for member in (w.bob, w.carol, w.dave):
        await h.dd.send_message(member, w.general, INDIRECT)
    for _ in range(500):  # until all three wait for the model
        if desk._waiting == 4:
            break
        await asyncio.sleep(0.01)
    gate.set()
    for member in (w.alice, w.bob, w.carol, w.dave):
        await h.dd.wait_for_dm(member)
    await settle(h)
    assert batches == [1, 3]

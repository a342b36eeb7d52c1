"""/checkin end to end through the Discord double: check-ins, sharing, hard moments, history, errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.checkins.chart import PNG_SIGNATURE
from bot.events import MemberText
from tests.double import InteractionHandle
from tests.harness import Harness
from tests.support.buddies import pair

EXTENSIONS = ["cogs.checkins"]
pytestmark = pytest.mark.extensions(*EXTENSIONS)


async def run(h: Harness, member: Any, command: str, **options: Any) -> InteractionHandle:
    return await h.command(member, f"checkin {command}", **options)


def heard_texts(h: Harness) -> list[MemberText]:
    """Collect member_text events the way the crisis cog would hear them."""
    heard: list[MemberText] = []

    async def on_member_text(text: MemberText) -> None:
        heard.append(text)

    h.bot.add_listener(on_member_text, "on_member_text")
    return heard


# -- the check-in ------------------------------------------------------------------------------
async def test_checkin_without_note_is_private_warm_and_stored(h: Harness) -> None:
    inter = await run(h, h.world.alice, "today", mood=4, craving=2)
    assert inter.ephemeral
    assert "okay" in inter.content
    assert "coping" not in inter.content.lower() and "right now" not in inter.content
    labels = [c["label"] for row in inter.components for c in row["components"]]
    assert labels == ["Check in with more detail"]
    entries = await h.bot.store.checkins.entries_since(h.world.alice.id, h.clock.now().date())
    assert [(e.mood, e.craving, e.note) for e in entries] == [(4, 2, None)]
    assert h.dd.messages_in(h.world.share) == []


async def test_checkin_with_note_saves_it_and_sends_it_to_crisis_detection(h: Harness) -> None:
    heard = heard_texts(h)
    inter = await run(h, h.world.alice, "today", mood=3, craving=4, note="Long day at work.", triggers="stress, tired")
    assert "note is saved" in inter.content
    assert "stress, tiredness" in inter.content
    entry = (await h.bot.store.checkins.entries_since(h.world.alice.id, h.clock.now().date()))[0]
    assert entry.note == "Long day at work." and entry.triggers == ("stress", "tiredness")
    await h.dd.wait_for_call("POST", "/interactions/{interaction_id}/{token}/callback")
    assert [(t.user_id, t.text, t.source) for t in heard] == [(h.world.alice.id, "Long day at work.", "checkin_note")]
    assert heard[0].guild_id == h.world.guild.id


async def test_reflection_varies_with_the_answers(h: Harness) -> None:
    low = await run(h, h.world.alice, "today", mood=2, craving=6)
    high = await run(h, h.world.bob, "today", mood=5, craving=0)
    assert low.content != high.content
    assert "heavy day" in low.content and "doing well" in high.content


async def test_streak_counts_days_in_the_members_time_zone(h: Harness) -> None:
    await h.bot.store.prefs.set_timezone(h.world.alice.id, "Pacific/Auckland", now=h.clock.now())
    await run(h, h.world.alice, "today", mood=3, craving=1)  # Sunday noon UTC = Monday 01:00 in Auckland
    h.clock.advance(timedelta(hours=20))  # Monday 08:00 UTC = Monday 21:00 Auckland: same local day
    second = await run(h, h.world.alice, "today", mood=3, craving=1)
    assert "in a row" not in second.content
    h.clock.advance(timedelta(hours=6))  # Tuesday 03:00 Auckland
    third = await run(h, h.world.alice, "today", mood=3, craving=1)
    assert "2 days in a row" in third.content


async def test_more_detail_button_opens_the_prefilled_modal_and_updates_the_checkin(h: Harness) -> None:
    heard = heard_texts(h)
    inter = await run(h, h.world.alice, "today", mood=3, craving=5)
    opened = await h.dd.click(h.world.alice, inter, "checkin:more:1")
    await opened.response()
    modal = opened.modal
    assert modal["title"] == "Check in"
    submitted = await h.dd.submit_modal(
        h.world.alice, opened, {"mood": "3", "craving": "5", "triggers": "loneliness", "note": "Quiet evening."}
    )
    await submitted.response()
    assert "Loneliness" in submitted.content
    entries = await h.bot.store.checkins.entries_since(h.world.alice.id, h.clock.now().date())
    assert len(entries) == 1 and entries[0].note == "Quiet evening." and entries[0].triggers == ("loneliness",)
    assert [t.text for t in heard] == ["Quiet evening."]


async def test_someone_elses_more_detail_button_is_refused(h: Harness) -> None:
    inter = await run(h, h.world.alice, "today", mood=3, craving=5)
    # Bob can't see Alice's ephemeral message in Discord; even a forged click is refused.
    click = await h.dd.click(h.world.bob, inter, "checkin:more:1")
    await click.response()
    assert click.ephemeral and "isn't one of yours" in click.content


# -- sharing -----------------------------------------------------------------------------------
def nasty(h: Harness) -> str:
    """A note trying every kind of ping, with real ids from the test server."""
    return f"@everyone look <@&{h.world.crisis_team.id}> and <@{h.world.bob.id}> <@!{h.world.bob.id}> @here"


async def test_share_anonymously_posts_a_summary_without_the_name_or_note(h: Harness) -> None:
    await h.configure(checkin_share_channel_id=h.world.share.id)
    inter = await run(h, h.world.alice, "today", mood=4, craving=1, note=nasty(h), share="anonymously")
    assert "Shared anonymously" in inter.content
    post = await h.dd.wait_for_message(h.world.share)
    assert "Someone" in post["content"] and "Alice" not in post["content"]
    assert "look" not in post["content"]
    call = h.dd.calls_to("POST", f"/channels/{h.world.share.id}/messages")[-1]
    assert call.json["allowed_mentions"]["parse"] == []


async def test_share_with_name_and_note_can_ping_nobody(h: Harness) -> None:
    await h.configure(checkin_share_channel_id=h.world.share.id)
    await run(h, h.world.alice, "today", mood=2, craving=3, note=nasty(h), share="with my name", include_note=True)
    post = await h.dd.wait_for_message(h.world.share)
    content = post["content"]
    assert "Alice" in content and "look" in content
    # Mention syntax is neutralised in the text, and the request allows no mentions at all.
    assert "@everyone" not in content and "@here" not in content
    assert f"<@&{h.world.crisis_team.id}>" not in content and f"<@{h.world.bob.id}>" not in content
    call = h.dd.calls_to("POST", f"/channels/{h.world.share.id}/messages")[-1]
    assert call.json["allowed_mentions"] == {"parse": []}
    assert post["mentions"] == [] and post["mention_roles"] == [] and not post["mention_everyone"]


async def test_share_no_posts_nothing(h: Harness) -> None:
    await h.configure(checkin_share_channel_id=h.world.share.id)
    inter = await run(h, h.world.alice, "today", mood=4, craving=1, note="private", share="no")
    assert "Shared" not in inter.content
    assert h.dd.messages_in(h.world.share) == []


async def test_share_without_a_channel_keeps_the_checkin_and_says_so(h: Harness) -> None:
    inter = await run(h, h.world.alice, "today", mood=4, craving=1, share="with my name")
    assert "saved" in inter.content and "share channel" in inter.content
    assert len(await h.bot.store.checkins.entries_since(h.world.alice.id, h.clock.now().date())) == 1


# -- hard moments ------------------------------------------------------------------------------
async def test_hard_moment_offers_coping_steps_and_contacts_but_no_buddy_button_without_a_buddy(h: Harness) -> None:
    await h.configure(region="UK")
    inter = await run(h, h.world.alice, "today", mood=1, craving=3)
    assert "A few things that can help right now" in inter.content
    assert "Samaritans" in inter.content and "116 123" in inter.content
    labels = [c["label"] for row in inter.components for c in row["components"]]
    assert "Let my buddy know" not in labels


async def test_high_craving_alone_is_a_hard_moment(h: Harness) -> None:
    inter = await run(h, h.world.alice, "today", mood=4, craving=8)
    assert "A few things that can help right now" in inter.content


async def _pair(h: Harness, a: Any, b: Any, *, opt_in: bool) -> None:
    await pair(h, a, b, a_opts_in=opt_in)


async def test_buddy_who_did_not_opt_in_gets_no_button(h: Harness) -> None:
    await _pair(h, h.world.alice, h.world.bob, opt_in=False)
    inter = await run(h, h.world.alice, "today", mood=1, craving=9)
    labels = [c["label"] for row in inter.components for c in row["components"]]
    assert "Let my buddy know" not in labels


async def test_hard_moment_with_an_opted_in_buddy_tells_the_buddy_only_one_line(h: Harness) -> None:
    await _pair(h, h.world.alice, h.world.bob, opt_in=True)
    inter = await run(h, h.world.alice, "today", mood=1, craving=9, note="secret words")
    labels = [c["label"] for row in inter.components for c in row["components"]]
    assert "Let my buddy know" in labels
    [button_id] = [c["custom_id"] for row in inter.components for c in row["components"] if "buddy" in c["custom_id"]]
    click = await h.dd.click(h.world.alice, inter, button_id)
    await click.response()
    [told] = await click.followups()
    assert "let your buddy know" in told["content"] and told["flags"] & 64
    dm = await h.dd.wait_for_dm(h.world.bob)
    assert dm["content"] == "Alice could use a check-in from you. A short, kind message can mean a lot."
    assert "secret" not in dm["content"] and "9" not in dm["content"]
    # One notice per hard moment: the button is gone, "more detail" stays.
    labels = [c["label"] for row in click.data["components"] for c in row["components"]]
    assert labels == ["Check in with more detail"]


# -- history -----------------------------------------------------------------------------------
async def test_history_without_data_explains_how_to_start(h: Harness) -> None:
    inter = await run(h, h.world.alice, "history", days=14)
    assert inter.ephemeral and "/checkin today" in inter.content


async def test_history_attaches_a_real_png_with_streak_triggers_and_an_observation(h: Harness) -> None:
    for day in range(6):
        lonely = day % 2 == 0
        await run(
            h,
            h.world.alice,
            "today",
            mood=2 if lonely else 4,
            craving=8 if lonely else 2,
            **({"triggers": "loneliness"} if lonely else {}),
        )
        h.clock.advance(timedelta(days=1))
    h.clock.advance(timedelta(days=-1))
    inter = await run(h, h.world.alice, "history", days=14)
    assert inter.ephemeral  # deferred privately first (the chart is slow), then the original is edited
    message = await inter.original()
    assert message["flags"] & 64
    [edit] = h.dd.calls_to("PATCH", "/webhooks/{application_id}/{token}/messages/@original")
    png = edit.files[0]
    assert png.filename == "checkins.png" and png.data.startswith(PNG_SIGNATURE) and len(png.data) > 1000
    fields = {f["name"]: f["value"] for f in message["embeds"][0]["fields"]}
    assert fields["Current streak"] == "6 days"
    assert fields["Most noted"] == "loneliness (3)"
    assert "Cravings were higher on days you noted loneliness" in fields["Something to notice"]
    assert message["embeds"][0]["image"]["url"] == "attachment://checkins.png"


# -- bad input ---------------------------------------------------------------------------------
async def test_over_long_note_in_the_modal_gets_a_specific_error_and_nothing_is_saved(h: Harness) -> None:
    inter = await run(h, h.world.alice, "today", mood=3, craving=2)
    opened = await h.dd.click(h.world.alice, inter, "checkin:more:1")
    await opened.response()
    # A client that ignores max_length: submit by custom id so the double doesn't enforce it.
    submitted = await h.dd.submit_modal(
        h.world.alice, opened.modal["custom_id"], {"mood": "3", "craving": "2", "note": "x" * 1001}
    )
    await submitted.response()
    assert submitted.ephemeral
    assert "1,001 characters; the limit is 1,000" in submitted.content
    entry = (await h.bot.store.checkins.entries_since(h.world.alice.id, h.clock.now().date()))[0]
    assert entry.note is None


async def test_modal_with_an_impossible_mood_gets_a_specific_error(h: Harness) -> None:
    inter = await run(h, h.world.alice, "today", mood=3, craving=2)
    opened = await h.dd.click(h.world.alice, inter, "checkin:more:1")
    await opened.response()
    submitted = await h.dd.submit_modal(h.world.alice, opened, {"mood": "9", "craving": "2"})
    await submitted.response()
    assert "Mood runs from 1 to 5" in submitted.content


async def test_unknown_trigger_gets_the_list(h: Harness) -> None:
    inter = await run(h, h.world.alice, "today", mood=3, craving=2, triggers="weather")
    assert "I don't know the trigger 'weather'" in inter.content and "loneliness" in inter.content


async def test_trigger_autocomplete_allows_several(h: Harness) -> None:
    choices = await h.dd.autocomplete(
        h.world.alice, "checkin today", focused="triggers", value="stress, lo", mood=3, craving=2
    )
    assert [c["value"] for c in choices] == ["stress, loneliness"]

"""/privacy export and delete with real data in EVERY feature, made through the Discord double.

Alice checks in, sets a reminder and a recovery date, follows interests, joins buddy pairing and is
paired with Bob, posts a service opportunity (Bob volunteers), volunteers for Carol's (Dave waits),
hosts a room (Bob RSVPs), RSVPs to Carol's room, and says something the crisis detector alerts on.
Then she exports and erases everything, and time runs on for weeks.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.privacy_ops import count_member_rows, retention_key
from tests.harness import Harness
from tests.support.crisis import care
from tests.support.interact import answer, click_answer
from tests.support.members import leave_server
from tests.support.privacy import confirm_erasure, rows_mentioning

CRISIS = "honestly i want to die, i can't do this anymore"
TO_ROUND = timedelta(hours=30)  # the default round: Monday 18:00 UTC
# Every feature's channels and roles set, so each feature really stores (and must export and erase) data.
EVERY_FEATURE = {
    "buddy_channel_id": "buddies",
    "service_board_channel_id": "service_board",
    "rooms_channel_id": "rooms",
    "rooms_category_id": "rooms_category",
    "crisis_alert_channel_id": "crisis_alerts",
    "crisis_team_role_id": "crisis_team",
    "alert_policy": "all",
    "checkin_share_channel_id": "share",
}
pytestmark = [pytest.mark.configure(**EVERY_FEATURE), pytest.mark.quiet]


async def run(h: Harness, who: Any, command: str, **options: Any) -> dict[str, Any]:
    inter = await h.dd.slash(who, command, channel=h.world.general, options=options)
    reply = await answer(inter)
    assert reply["flags"] & 64, f"/{command} answered publicly: {reply}"
    return reply


def ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])]


async def post_opportunity(h: Harness, member: Any, title: str, slots: int) -> dict[str, Any]:
    await run(
        h,
        member,
        "service post",
        title=title,
        description="Help out for an hour.",
        when="2026-11-27 18:30",
        duration="60m",
        slots=slots,
        kind="greeter",
    )
    return await h.dd.wait_for_message(h.world.service_board)


async def schedule_room(h: Harness, member: Any, title: str) -> dict[str, Any]:
    await run(
        h,
        member,
        "room schedule",
        interest="meditation",
        title=title,
        when="2026-11-25 19:00",
        duration=60,
        voice_channel=h.world.lounge,
    )
    return await h.dd.wait_for_message(h.world.rooms)


async def rows_holding(h: Harness, user_id: int) -> dict[str, int]:
    """Every member-id column (except declared references to someone else) that still holds ``user_id``."""
    return await rows_mentioning(h.bot.db, user_id)


async def give_everyone_data(h: Harness) -> dict[str, dict[str, Any]]:
    """Alice takes part in every feature, with Bob, Carol and Dave around her."""
    w = h.world
    alice, bob, carol, dave = w.alice, w.bob, w.carol, w.dave
    # Check-ins, reminder, recovery date.
    await run(h, alice, "checkin today", mood=3, craving=4, note="Long day at work.")
    await run(h, alice, "checkin remind set", time="19:00", timezone="Europe/London")
    await run(h, alice, "recovery set", date="2026-10-13")
    await run(h, alice, "recovery support on")
    await run(h, bob, "checkin today", mood=4, craving=1, note="Bob's own private note")
    # Interests.
    await run(h, alice, "interests add", interest="music")
    await run(h, bob, "interests add", interest="art and making")
    # Buddies: a confidential list each way, then a round pairs Alice with Bob.
    await run(h, alice, "buddy join", interests="meditation", timezone="Europe/London")
    await run(h, bob, "buddy join", interests="meditation", timezone="Europe/Paris")
    await run(h, alice, "buddy avoid", member=carol)
    await run(h, carol, "buddy avoid", member=alice)
    await h.advance(TO_ROUND)
    assert await h.bot.store.buddies.current_partners(w.guild.id, alice.id) == [bob.id]
    # Service: Alice posts (Bob volunteers); Carol posts one place, Alice takes it, Dave waits.
    alice_card = await post_opportunity(h, alice, "Greeter at Alice's meeting", 2)
    [vol, *_] = [c for c in ids(alice_card) if ":vol:" in c]
    await click_answer(h, bob, alice_card, vol)
    carol_card = await post_opportunity(h, carol, "Tea at Carol's meeting", 1)
    [carol_vol, *_] = [c for c in ids(carol_card) if ":vol:" in c]
    await click_answer(h, alice, carol_card, carol_vol)
    await click_answer(h, dave, carol_card, carol_vol)
    # Rooms: Alice hosts (Bob RSVPs); Alice RSVPs to Carol's room.
    alice_room = await schedule_room(h, alice, "Alice's evening sit")
    await click_answer(h, bob, alice_room, next(c for c in ids(alice_room) if c.endswith(":yes")))
    carol_room = await schedule_room(h, carol, "Carol's morning sit")
    await click_answer(h, alice, carol_room, next(c for c in ids(carol_room) if c.endswith(":yes")))
    # Crisis: a detection answers Alice privately and alerts the team; the moderator claims it.
    await h.dd.send_message(alice, w.general, CRISIS)
    alert = await h.dd.wait_for_message(w.crisis_alerts)
    await h.dd.wait_for_dm(alice)
    await care(h).wait_idle()
    claim = next(c for c in ids(alert) if "claim" in c)
    await answer(await h.dd.click(w.mod, alert, claim))
    return {"alice_card": alice_card, "carol_card": carol_card, "alice_room": alice_room, "carol_room": carol_room}


async def export_of(h: Harness, member: Any) -> tuple[dict[str, Any], str]:
    inter = await h.dd.slash(member, "privacy export", channel=h.world.general)
    await inter.response()
    assert inter.ephemeral
    call = await h.dd.wait_for_call("POST", "/webhooks/{webhook_id}/{webhook_token}", lambda c: bool(c.files))
    raw = call.files[0].data.decode()
    return json.loads(raw), raw


async def erase(h: Harness, member: Any) -> None:
    asked = await h.dd.slash(member, "privacy delete", channel=h.world.general)
    await asked.response()
    await confirm_erasure(h, member, asked)


async def leave(h: Harness, member: Any) -> None:
    """The member leaves; their retention purge is scheduled."""
    await leave_server(h, member)
    assert await h.bot.timers.pending(dedupe_key=retention_key(h.world.guild.id, member.id))


async def six_silent_weeks(h: Harness, member: Any, *, dms_before: int) -> None:
    """Six weeks pass without one more DM to ``member`` (who had ``dms_before``), and no row holds their id."""
    for _ in range(6):
        await h.advance(timedelta(days=7))
    assert h.dd.dms_to(member)[dms_before:] == []
    assert await rows_holding(h, member.id) == {}


async def test_export_holds_every_features_rows_for_the_member_and_nobody_elses(h: Harness) -> None:
    await give_everyone_data(h)
    w = h.world
    data, raw = await export_of(h, w.alice)
    tables = data["tables"]
    expected = {
        "checkins",
        "checkin_reminders",
        "recovery_dates",
        "member_prefs",
        "member_interests",
        "timers",
        "buddy_members",
        "buddy_avoid",
        "buddy_group_members",
        "service_opportunities",
        "service_signups",
        "room_series",
        "rooms",
        "room_rsvps",
        "crisis_member_state",
        "crisis_alerts",
        "crisis_audit",
        "newcomer_support",
    }
    empty = sorted(t for t in expected if not tables[t]["rows"])
    assert empty == []
    # Nothing of anyone else's: no other member's id, note or time zone.
    others = {m.id: m.name for m in (w.bob, w.carol, w.dave, w.mod, w.owner)}
    seen = [
        (table, column, others[value])
        for table, entry in tables.items()
        for row in entry["rows"]
        for column, value in row.items()
        if value in others or str(value) in {str(o) for o in others}
    ]
    # Her own do-not-pair list names Carol: that is Alice's own choice, so it is hers to see. Who on
    # the crisis team claimed her alert is that helper's data, not hers.
    assert seen == [("buddy_avoid", "avoided_user_id", "Carol")]
    assert tables["crisis_alerts"]["rows"][0]["claimed_by_user_id"] == "(another member)"
    for other in (w.bob, w.dave, w.mod):
        assert str(other.id) not in raw, f"{other.name}'s id is in Alice's export"
    assert "Bob's own private note" not in raw and "Europe/Paris" not in raw
    # Her own confidential list is hers to see (Carol's id is in it only as her own choice), but
    # Carol's list naming Alice is never revealed to her.
    assert [r["user_id"] for r in tables["buddy_avoid"]["rows"]] == [w.alice.id]


async def test_delete_with_data_everywhere_erases_every_row_and_tells_people_neutrally(h: Harness) -> None:
    await give_everyone_data(h)
    w = h.world
    gid = w.guild.id
    before_dms = {m.id: len(h.dd.dms_to(m)) for m in (w.alice, w.bob, w.carol, w.dave)}

    await erase(h, w.alice)

    assert await rows_holding(h, w.alice.id) == {}
    # Bob: his buddy pairing ended, the room he RSVP'd to is off, the post he volunteered for is off.
    bob_dms = [m["content"] for m in h.dd.dms_to(w.bob)[before_dms[w.bob.id] :]]
    assert any("pairing for this round has ended" in c for c in bob_dms), bob_dms
    assert any("won't go ahead" in c for c in bob_dms), bob_dms
    assert any("Greeter at Alice's meeting" in c for c in bob_dms), bob_dms
    # Dave was first on the waitlist for the place Alice held.
    dave_dms = [m["content"] for m in h.dd.dms_to(w.dave)[before_dms[w.dave.id] :]]
    assert any("Tea at Carol's meeting" in c for c in dave_dms), dave_dms
    # Neutral: nobody is told who or why.
    for content in bob_dms + dave_dms:
        assert "Alice" not in content.replace("Alice's", "") and str(w.alice.id) not in content
        assert "erase" not in content.lower() and "delete" not in content.lower()
    # Others keep what is theirs.
    assert await h.bot.store.buddies.get(gid, w.bob.id) is not None
    assert await h.bot.store.interests.of_member(gid, w.bob.id) == ["art and making", "meditation"]
    carol_avoid = await h.bot.db.fetchval("SELECT COUNT(*) FROM buddy_avoid WHERE user_id = ?", (w.carol.id,))
    assert carol_avoid == 1  # Carol's own safety choice stands
    assert await h.bot.db.fetchval("SELECT COUNT(*) FROM service_opportunities WHERE poster_user_id = ?", (w.carol.id,))
    assert await h.bot.db.fetchval("SELECT COUNT(*) FROM rooms WHERE host_user_id = ?", (w.carol.id,))

    # Weeks pass: every timer Alice had (reminder, milestone, service and room reminders, the
    # buddy follow-up, crisis re-posts) is gone or finds nothing, and never DMs her again.
    alice_dms = len(h.dd.dms_to(w.alice))
    await six_silent_weeks(h, w.alice, dms_before=alice_dms)


async def test_delete_then_restart_sends_nothing_to_the_erased_member(h: Harness) -> None:
    await give_everyone_data(h)
    w = h.world
    await erase(h, w.alice)
    alice_dms = len(h.dd.dms_to(w.alice))
    await h.restart()
    await six_silent_weeks(h, w.alice, dms_before=alice_dms)


async def test_a_helpers_export_never_holds_the_member_they_helped(h: Harness) -> None:
    await give_everyone_data(h)
    w = h.world
    data, raw = await export_of(h, w.mod)
    # The moderator claimed Alice's alert: the claim is theirs, but Alice's identity is not.
    assert data["tables"]["crisis_alerts"]["rows"], "the claimed alert is part of the helper's data"
    assert str(w.alice.id) not in raw
    for row in data["tables"]["crisis_audit"]["rows"]:
        assert row["actor_user_id"] == w.mod.id and row["subject_user_id"] == "(another member)"


async def test_an_unclaimed_alert_of_an_erased_member_is_not_reposted_and_fails_nothing(h: Harness) -> None:
    w = h.world
    await h.dd.send_message(w.alice, w.general, CRISIS)
    await h.dd.wait_for_message(w.crisis_alerts)
    await care(h).wait_idle()
    await erase(h, w.alice)
    posts = len(h.dd.messages_in(w.crisis_alerts))
    await h.advance(timedelta(hours=6))
    assert len(h.dd.messages_in(w.crisis_alerts)) == posts
    assert await rows_holding(h, w.alice.id) == {}


async def test_retention_purge_with_data_everywhere_leaves_nothing_and_tells_people_neutrally(h: Harness) -> None:
    await give_everyone_data(h)
    w = h.world
    bob_before = len(h.dd.dms_to(w.bob))
    await h.configure(retention_days=3)
    await leave(h, w.alice)
    for _ in range(12):
        await h.advance(timedelta(hours=6))
        if not await rows_holding(h, w.alice.id):
            break
    assert await rows_holding(h, w.alice.id) == {}
    bob_dms = [m["content"] for m in h.dd.dms_to(w.bob)[bob_before:]]
    assert any("pairing for this round has ended" in c for c in bob_dms), bob_dms
    for content in bob_dms:  # neutral: never who, never why
        assert "Alice" not in content.replace("Alice's", "") and "left the server" not in content
    # Bob's own data is untouched by Alice's purge.
    assert await h.bot.store.buddies.get(w.guild.id, w.bob.id) is not None
    assert await h.bot.store.interests.of_member(w.guild.id, w.bob.id) == ["art and making", "meditation"]


async def test_show_lists_every_kind_held_whole_within_discords_limits(h: Harness) -> None:
    await give_everyone_data(h)
    inter = await h.dd.slash(h.world.alice, "privacy show", channel=h.world.general)
    await inter.response()
    assert inter.ephemeral
    [embed] = inter.embeds
    fields = embed["fields"]
    assert all(len(f["value"]) <= 1024 for f in fields) and len(fields) <= 25
    total = len(embed["title"]) + len(embed["footer"]["text"]) + sum(len(f["name"]) + len(f["value"]) for f in fields)
    assert total <= 6000
    stored = "\n".join(f["value"] for f in fields if f["name"].startswith("Stored now"))
    counts = await count_member_rows(h.bot.db, h.world.alice.id)
    held = [s for s in counts if s.count]
    assert len(held) >= 15
    for summary in held:  # every kind she has, in full, none cut off by the 1024-character field limit
        assert f"• {summary.what} ({summary.count} stored). Seen by: {summary.who_sees}." in stored

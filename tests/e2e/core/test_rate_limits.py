"""Limits on actions that reach other people: per member and per server, stored, and refused kindly."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.db import Database
from bot.errors import KindredError
from bot.rate_limits import DEFAULT_LIMITS, Action, ActionLimits, Limit, Verdict, enforce, limit_lines, refusal
from bot.store import Store
from tests.harness import Harness
from tests.support.buddies import pair
from tests.support.crisis import care, settle

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SMALL = ActionLimits(Action.SERVICE_POST, "test", Limit(2, timedelta(hours=1)), Limit(3, timedelta(hours=1)))
CRISIS = "honestly i want to die, i can't do this anymore"


# -- the store ---------------------------------------------------------------------------------------
async def test_member_limit_then_server_limit_with_the_time_a_place_frees(store: Store) -> None:
    limits = store.limits
    assert (await limits.take(SMALL, 1, 10, now=NOW)).allowed
    assert (await limits.take(SMALL, 1, 10, now=NOW + timedelta(minutes=10))).allowed
    refused = await limits.take(SMALL, 1, 10, now=NOW + timedelta(minutes=20))
    assert not refused.allowed and refused.scope == "member"
    assert refused.retry_at == NOW + timedelta(hours=1)
    assert (await limits.take(SMALL, 1, 11, now=NOW + timedelta(minutes=30))).allowed
    server = await limits.take(SMALL, 1, 12, now=NOW + timedelta(minutes=40))
    assert not server.allowed and server.scope == "server" and server.retry_at == NOW + timedelta(hours=1)
    # Another server has its own count; the window slides.
    assert (await limits.take(SMALL, 2, 10, now=NOW)).allowed
    assert (await limits.take(SMALL, 1, 10, now=NOW + timedelta(hours=1, minutes=1))).allowed


async def test_an_action_given_back_does_not_count(store: Store) -> None:
    first = await store.limits.take(SMALL, 1, 10, now=NOW)
    await store.limits.give_back(first)
    assert (await store.limits.take(SMALL, 1, 10, now=NOW)).allowed
    assert (await store.limits.take(SMALL, 1, 10, now=NOW)).allowed
    assert not (await store.limits.take(SMALL, 1, 10, now=NOW)).allowed


async def test_old_rows_are_pruned(store: Store) -> None:
    for minute in range(2):
        await store.limits.take(SMALL, 1, 10, now=NOW + timedelta(minutes=minute))
    await store.limits.take(SMALL, 1, 10, now=NOW + timedelta(days=2))
    assert await store.db.fetchval("SELECT count(*) FROM action_log") == 1


async def test_limits_hold_across_processes_sharing_the_file(db_path: Path) -> None:
    first, second = await Database.open(db_path), await Database.open(db_path)
    try:
        await first.migrate()
        stores = [Store(first), Store(second)]
        verdicts = await asyncio.gather(
            *(stores[n % 2].limits.take(SMALL, 1, 10, now=NOW) for n in range(6)),
        )
        assert sum(v.allowed for v in verdicts) == 2
    finally:
        await first.close()
        await second.close()


async def test_enforce_refuses_kindly_and_exempts_moderators_where_it_should(store: Store) -> None:
    for _ in range(DEFAULT_LIMITS[Action.SERVICE_POST].member.count):
        await enforce(store.limits, Action.SERVICE_POST, 1, 10, now=NOW)
    with pytest.raises(KindredError, match="daily limit") as caught:
        await enforce(store.limits, Action.SERVICE_POST, 1, 10, now=NOW)
    assert "<t:" in caught.value.message
    assert (await enforce(store.limits, Action.SERVICE_POST, 1, 10, now=NOW, moderator=True)).allowed
    for _ in range(DEFAULT_LIMITS[Action.BUDDY_NOTICE].member.count):
        await enforce(store.limits, Action.BUDDY_NOTICE, 1, 10, now=NOW, moderator=True)
    with pytest.raises(KindredError, match="buddy"):
        await enforce(store.limits, Action.BUDDY_NOTICE, 1, 10, now=NOW, moderator=True)


def test_every_refusal_is_specific_and_every_limit_is_listed_for_moderators() -> None:
    lines = limit_lines()
    assert len(lines) == len(Action) and all("per member" in line and "per server" in line for line in lines)
    assert len("\n".join(lines)) < 1024
    for action in (Action.BUDDY_NOTICE, Action.ROOM_SCHEDULE, Action.SERVICE_POST):
        member = refusal(action, Verdict(False, "member", NOW))
        server = refusal(action, Verdict(False, "server", NOW))
        assert member != server and f"<t:{int(NOW.timestamp())}:R>" in member


# -- end to end --------------------------------------------------------------------------------------
async def talk(h: Harness, member: Any, dm: dict[str, Any]) -> str:
    inter = await h.dd.click(member, dm, f"crisis:talk:{h.world.guild.id}:2")
    await inter.response()
    [followup] = await inter.followups()
    await care(h).wait_idle()
    return str(followup["content"])


async def consent_alerts(h: Harness) -> int:
    return len([e for e in await h.bot.store.crisis.audit(h.world.guild.id) if e.action == "consent"])


@pytest.fixture
async def crisis(harness: Harness) -> Harness:
    await harness.start(extensions=["cogs.crisis"])
    w = harness.world
    await harness.configure(crisis_alert_channel_id=w.crisis_alerts.id, crisis_team_role_id=w.crisis_team.id)
    return harness


async def test_talk_pings_are_limited_per_member_but_contacts_are_always_shown(crisis: Harness) -> None:
    h, w = crisis, crisis.world
    await h.dd.send_message(w.alice, w.general, CRISIS)
    dm = await h.dd.wait_for_dm(w.alice)
    for n in range(3):
        assert "let the crisis team" in await talk(h, w.alice, dm)
        assert await consent_alerts(h) == n + 1
        await h.advance(timedelta(minutes=16))  # past the 15 minutes in which a repeat tap posts nothing
    # The limit is stored: a restart doesn't reset it.
    await h.restart()
    text = await talk(h, w.alice, dm)
    assert "haven't pinged them again" in text and "findahelpline.com" in text
    assert await consent_alerts(h) == 3
    # Six hours after the first, a place frees up.
    await h.advance(timedelta(hours=6))
    assert "let the crisis team" in await talk(h, w.alice, dm)
    assert await consent_alerts(h) == 4


async def test_talk_pings_are_limited_per_server(crisis: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    h, w = crisis, crisis.world
    hour = timedelta(hours=1)
    monkeypatch.setitem(
        DEFAULT_LIMITS, Action.CRISIS_TALK, ActionLimits(Action.CRISIS_TALK, "talk", Limit(3, hour), Limit(2, hour))
    )
    dms = {}
    for member in (w.alice, w.bob, w.carol):
        await h.dd.send_message(member, w.general, CRISIS)
        dms[member.id] = await h.dd.wait_for_dm(member)
    assert "let the crisis team" in await talk(h, w.alice, dms[w.alice.id])
    assert "let the crisis team" in await talk(h, w.bob, dms[w.bob.id])
    text = await talk(h, w.carol, dms[w.carol.id])
    assert "a lot of requests in the last hour" in text and "findahelpline.com" in text
    await settle(h)
    assert await consent_alerts(h) == 2


@pytest.fixture
async def posting(harness: Harness) -> Harness:
    await harness.start(extensions=["cogs.service", "cogs.rooms", "cogs.interests", "cogs.checkins"])
    w = harness.world
    await harness.configure(
        service_board_channel_id=w.service_board.id, rooms_channel_id=w.rooms.id, rooms_category_id=w.rooms_category.id
    )
    return harness


async def post(h: Harness, member: Any, n: int) -> str:
    inter = await h.dd.slash(
        member,
        "service post",
        channel=h.world.general,
        title=f"Greeter {n}",
        description="Welcome newcomers",
        when="2026-11-25 19:00",
        duration="1h",
        slots=2,
        kind="greeter",
    )
    await inter.response()
    return str((await inter.original())["content"])


async def test_service_posts_are_limited_per_member_but_not_for_moderators(posting: Harness) -> None:
    h, w = posting, posting.world
    count = DEFAULT_LIMITS[Action.SERVICE_POST].member.count
    for n in range(count):
        assert "Posted" in await post(h, w.alice, n)
    refused = await post(h, w.alice, count)
    assert "daily limit" in refused and "<t:" in refused
    posted = await h.bot.store.db.fetchval(
        "SELECT count(*) FROM service_opportunities WHERE poster_user_id = ?", (w.alice.id,)
    )
    assert posted == count
    assert "Posted" in await post(h, w.mod, count + 1)


async def test_room_schedules_are_limited_per_member(posting: Harness) -> None:
    h, w = posting, posting.world
    count = DEFAULT_LIMITS[Action.ROOM_SCHEDULE].member.count
    for n in range(count + 1):
        inter = await h.dd.slash(
            w.alice,
            "room schedule",
            channel=w.general,
            interest="meditation",
            title=f"Sit {n}",
            when=f"2026-11-{25 + n % 4} 19:00",
            duration=30,
        )
        await inter.response()
        content = inter.content if inter.type == 4 else str((await inter.original())["content"])
        if n < count:
            assert "Scheduled" in content, content
        else:
            assert inter.ephemeral and "daily limit" in content
    announced = [m for m in h.dd.messages_in(w.rooms) if m["author"]["id"] == str(h.dd.bot_user.id)]
    assert len(announced) == count


async def test_buddy_notices_are_limited_per_member(posting: Harness) -> None:
    h, w = posting, posting.world
    await pair(h, w.alice, w.bob, a_opts_in=True)
    count = DEFAULT_LIMITS[Action.BUDDY_NOTICE].member.count
    for n in range(count + 1):
        inter = await h.dd.slash(w.alice, "checkin today", channel=w.general, mood=1, craving=9)
        await inter.response()
        [button] = [c["custom_id"] for row in inter.components for c in row["components"] if "buddy" in c["custom_id"]]
        click = await h.dd.click(w.alice, inter, button)
        await click.response()
        if n < count:
            [told] = await click.followups()
            assert "let your buddy know" in told["content"]
            await h.dd.wait_for_dm(w.bob)
        else:
            assert click.type == 4 and click.ephemeral and "won't message them again just yet" in click.content
            assert "/resources show" in click.content
    assert len([m for m in h.dd.dms_to(w.bob) if "could use a check-in" in m["content"]]) == count

"""Buttons whose custom id names a server: a forged id never records or alerts anything in a server the clicker isn't in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.harness import Harness
from tests.support.crisis import care


@pytest.fixture
async def h(harness: Harness) -> Harness:
    # A second server Alice is not in, with a crisis team that would be alerted about anything there.
    other = harness.dd.add_guild("Elsewhere")
    team = other.add_role("Team", mentionable=True)
    other.add_member("Eve", roles=[team])
    alerts = other.add_text_channel("alerts")
    harness.other = other  # type: ignore[attr-defined]
    harness.other_alerts = alerts  # type: ignore[attr-defined]
    await harness.start(extensions=["cogs.checkins", "cogs.crisis"])
    now = harness.clock.now()
    for key, value in {
        "crisis_alert_channel_id": alerts.id,
        "crisis_team_role_id": team.id,
        "alert_policy": "all",
        "checkin_share_channel_id": alerts.id,
    }.items():
        await harness.bot.store.config.set(other.id, key, value, now=now)
    return harness


async def reminder_dm(h: Harness) -> dict[str, Any]:
    inter = await h.dd.slash(h.world.alice, "checkin remind set", channel=h.world.general, time="13:00", timezone="UTC")
    await inter.response()
    await h.advance(timedelta(hours=1))
    [dm] = [m for m in h.dd.dms_to(h.world.alice) if "Time for your check-in" in m["content"]]
    return dm


async def test_forged_check_in_now_for_another_server_is_refused_before_anything_is_recorded(h: Harness) -> None:
    dm = await reminder_dm(h)
    other: Any = h.other  # type: ignore[attr-defined]
    forged = await h.dd.forged_click(h.world.alice, dm, f"checkin:now:{other.id}")
    await forged.response()
    assert forged.type == 4 and forged.ephemeral, "refused with a message, not a modal"
    assert "server you're not in" in forged.content and "Nothing was saved" in forged.content
    assert await h.bot.store.checkins.entries_since(h.world.alice.id, h.clock.now().date()) == []
    await care(h).wait_idle()
    assert h.dd.messages_in(h.other_alerts) == []  # type: ignore[attr-defined]


async def test_forged_buddy_notice_for_another_server_is_refused(h: Harness) -> None:
    dm = await reminder_dm(h)
    other: Any = h.other  # type: ignore[attr-defined]
    forged = await h.dd.forged_click(h.world.alice, dm, f"checkin:buddy:{other.id}:1")
    await forged.response()
    assert forged.type == 4 and forged.ephemeral and "server you're not in" in forged.content


async def test_forged_talk_button_for_another_server_alerts_nobody_and_still_shows_contacts(h: Harness) -> None:
    dm = await reminder_dm(h)
    other: Any = h.other  # type: ignore[attr-defined]
    forged = await h.dd.forged_click(h.world.alice, dm, f"crisis:talk:{other.id}:3")
    await forged.response()
    [answer] = await forged.followups()
    assert "can't reach that server's team" in answer["content"] and "findahelpline.com" in answer["content"]
    await care(h).wait_idle()
    assert h.dd.messages_in(h.other_alerts) == []  # type: ignore[attr-defined]


async def test_the_real_button_still_opens_the_check_in(h: Harness) -> None:
    dm = await reminder_dm(h)
    opened = await h.dd.click(h.world.alice, dm, f"checkin:now:{h.world.guild.id}")
    await opened.response()
    assert opened.modal["title"] == "Check in"

"""``/crisis audit`` end to end: alerts, claims, re-posts and term changes, filtered and paged, for moderators
only, never with message text; and the same events in the mod-log, never naming the member in crisis."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.crisis_care.policy import REPOST_AFTER
from tests.harness import Harness
from tests.support.alerts import CRISIS, IMMINENT
from tests.support.crisis import care

pytestmark = [
    pytest.mark.extensions("cogs.crisis"),
    pytest.mark.configure(
        crisis_alert_channel_id="crisis_alerts",
        crisis_team_role_id="crisis_team",
        modlog_channel_id="modlog",
        alert_policy="all",
    ),
]


async def command(h: Harness, who: Any, name: str, **options: Any) -> Any:
    inter = await h.dd.slash(who, name, channel=h.world.general, options=options)
    await inter.response()
    assert inter.ephemeral, f"/{name} answered publicly"
    return inter


async def alert_for(h: Harness, member: Any, text: str) -> dict[str, Any]:
    await h.dd.send_message(member, h.world.general, text)
    alert = await h.dd.wait_for_message(h.world.crisis_alerts, lambda m: f"<@{member.id}>" in m["content"])
    await care(h).wait_idle()
    return alert


async def claim(h: Harness, member: Any, alert: dict[str, Any]) -> None:
    custom_id = alert["components"][0]["components"][0]["custom_id"]
    inter = await h.dd.click(member, alert, custom_id)
    await inter.response()
    await care(h).wait_idle()


def modlog(h: Harness) -> str:
    return "\n".join(m["content"] for m in h.dd.messages_in(h.world.modlog))


async def test_the_audit_shows_alerts_claims_reposts_and_term_changes_without_message_text(h: Harness) -> None:
    w = h.world
    claimed = await alert_for(h, w.alice, IMMINENT)
    await claim(h, w.mod, claimed)
    await alert_for(h, w.bob, CRISIS)  # left unclaimed: re-posted
    await h.advance(REPOST_AFTER + timedelta(minutes=1))
    await care(h).wait_idle()
    await command(h, w.mod, "crisis terms add", term="yeet myself", category="suicidal_ideation", level="high")
    await command(h, w.mod, "crisis terms remove", term="yeet myself")

    shown = str((await command(h, w.mod, "crisis audit")).content)
    assert "Crisis audit, last 30 days" in shown
    assert f"alert #1 about <@{w.alice.id}> claimed by <@{w.mod.id}>" in shown
    assert f"about <@{w.bob.id}> posted again, unclaimed" in shown
    assert "added or changed an extra crisis term" in shown and "removed an extra crisis term" in shown
    assert "<t:" in shown  # each reader sees their own time zone
    for words in ("pills", "want to die", "yeet"):
        assert words not in shown
    # Filtered by member: only what was about Alice.
    hers = str((await command(h, w.mod, "crisis audit", member=w.alice)).content)
    assert f"<@{w.alice.id}>" in hers and f"<@{w.bob.id}>" not in hers and "term" not in hers
    # Filtered by period.
    h.clock.advance(timedelta(days=3))
    recent = str((await command(h, w.mod, "crisis audit", days=1)).content)
    assert "Nothing recorded in this period" in recent

    # The mod-log has each event, and never names the members the alerts were about.
    log = modlog(h)
    assert "Crisis alert #1 (imminent) was posted" in log and f"Crisis alert #1 was claimed by <@{w.mod.id}>" in log
    assert "Crisis alert #2 was posted again" in log
    assert f"<@{w.mod.id}> added the extra crisis term **yeet myself**" in log
    assert f"<@{w.mod.id}> removed the extra crisis term **yeet myself**" in log
    assert str(w.alice.id) not in log and str(w.bob.id) not in log


async def test_the_audit_is_paged_newest_first(h: Harness) -> None:
    for n in range(6):  # 12 entries
        term = f"local slang {n}"
        await command(h, h.world.mod, "crisis terms add", term=term, category="self_harm", level="concern")
        h.clock.advance(timedelta(minutes=1))
        await command(h, h.world.mod, "crisis terms remove", term=term)
        h.clock.advance(timedelta(minutes=1))
    first = str((await command(h, h.world.mod, "crisis audit")).content)
    assert "Page 1 of 2 (12 entries, newest first)" in first and "`page:2`" in first
    assert first.count(" · ") == 10 and first.index("removed") < first.index("added")
    second = str((await command(h, h.world.mod, "crisis audit", page=2)).content)
    assert "Page 2 of 2" in second and second.count(" · ") == 2 and "page:3" not in second
    beyond = str((await command(h, h.world.mod, "crisis audit", page=5)).content)
    assert "There are only 2 pages for this filter." in beyond


async def test_only_moderators_see_the_audit(h: Harness) -> None:
    # Discord hides the command from members; an admin may override that, and the bot still refuses.
    inter = await h.overridden_command(h.world.alice, "crisis audit")
    assert inter.ephemeral and "Manage Server" in str(inter.content)

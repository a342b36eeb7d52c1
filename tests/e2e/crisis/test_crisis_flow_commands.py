"""``/crisis test`` and ``/crisis terms`` end to end: moderators only, per-server terms, specific errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.double import CommandError, InteractionHandle
from tests.harness import Harness
from tests.support.crisis import care

EXTENSIONS = ["cogs.crisis"]
SLANG = "going big zorp mode this weekend"  # local slang a moderator adds (the sentence model sees no risk in it)
pytestmark = pytest.mark.extensions(*EXTENSIONS)


async def run(h: Harness, command: str, member: Any = None, **options: Any) -> InteractionHandle:
    inter = await h.command(member or h.world.mod, command, **options)
    assert inter.ephemeral, f"/{command} answered publicly"
    return inter


# -- /crisis test ----------------------------------------------------------------------------------
async def test_crisis_test_shows_level_categories_evidence_and_what_would_happen(h: Harness) -> None:
    w = h.world
    await h.configure(alert_policy="imminent", crisis_alert_channel_id=w.crisis_alerts.id, region="CA")
    high = await run(h, "crisis test", text="i want to die")
    assert "**Level:** high" in high.content and "suicidal thoughts" in high.content
    assert "want to die" in high.content  # the evidence, shown only to the moderator who typed it
    assert "Canada" in high.content and "No team alert under this policy" in high.content
    imminent = await run(h, "crisis test", text="i have the pills ready and im going to end it tonight")
    assert "imminent risk" in imminent.content and f"<#{w.crisis_alerts.id}>" in imminent.content
    benign = await run(h, "crisis test", text="this homework is killing me")
    assert "**Level:** none" in benign.content and "Nothing: no answer, no alert" in benign.content
    # Testing sends nothing to anyone.
    await care(h).wait_idle()
    assert h.dd.messages_in(w.crisis_alerts) == [] and h.dd.dms_to(w.mod) == []


async def test_crisis_test_warns_when_alerts_are_wanted_but_no_channel_is_set(h: Harness) -> None:
    await h.configure(alert_policy="all")
    report = await run(h, "crisis test", text="i want to die")
    assert "no crisis alert channel is set" in report.content and "/config crisis-channel" in report.content


async def test_members_cannot_see_or_run_crisis_commands(h: Harness) -> None:
    with pytest.raises(CommandError, match="cannot see it"):
        await h.dd.slash(h.world.alice, "crisis test", channel=h.world.general, text="hi")
    refused = await h.overridden_command(
        h.world.alice, "crisis terms add", term="purple rain", category="self_harm", level="high"
    )
    assert refused.ephemeral and "Manage Server" in refused.content
    assert await h.bot.store.crisis.terms(h.world.guild.id) == []
    refused = await h.overridden_command(h.world.alice, "crisis test", text="i want to die")
    assert "Manage Server" in refused.content and "Level" not in refused.content


# -- /crisis terms ---------------------------------------------------------------------------------
async def test_terms_add_list_update_remove_with_specific_errors(h: Harness) -> None:
    added = await run(h, "crisis terms add", term="yeet off the bridge", category="immediate_danger", level="imminent")
    assert "Added **yeet off the bridge**" in added.content and "this server only" in added.content
    updated = await run(h, "crisis terms add", term="Yeet off the bridge", category="suicidal_ideation", level="high")
    assert "Updated" in updated.content
    listing = await run(h, "crisis terms list")
    assert "**Yeet off the bridge**: suicidal thoughts, high" in listing.content  # one term, latest spelling
    short = await run(h, "crisis terms add", term=" x ", category="self_harm", level="concern")
    assert "too short" in short.content
    choices = await h.dd.autocomplete(
        h.world.mod, "crisis terms remove", focused="term", value="yeet", channel=h.world.general
    )
    assert [c["value"] for c in choices] == ["Yeet off the bridge"]
    removed = await run(h, "crisis terms remove", term="yeet off the bridge")
    assert "Removed" in removed.content
    missing = await run(h, "crisis terms remove", term="yeet off the bridge")
    assert "isn't one of this server's extra terms" in missing.content
    empty = await run(h, "crisis terms list")
    assert "no extra terms" in empty.content
    actions = [e.action for e in await h.bot.store.crisis.audit(h.world.guild.id)]
    assert actions == ["term-add", "term-add", "term-remove"]


async def test_a_server_term_triggers_only_in_that_server(harness: Harness) -> None:
    h = harness
    other = h.dd.add_guild("Other Circle")
    stranger = other.add_member("Erin")
    lobby = other.add_text_channel("lobby")
    await h.start(extensions=EXTENSIONS)
    # Before the term exists, the slang means nothing.
    await h.dd.send_message(h.world.alice, h.world.general, SLANG)
    inter = await h.dd.slash(h.world.dave, "resources show", channel=h.world.general)
    await inter.response()
    await care(h).wait_idle()
    assert h.dd.dms_to(h.world.alice) == []

    await run(h, "crisis terms add", term="big zorp", category="suicidal_ideation", level="high")
    await h.dd.send_message(stranger, lobby, SLANG)
    # The model reads this as everyday talk too, but a server's own term is never cleared.
    await h.dd.send_message(h.world.bob, h.world.general, "b1g z0rp mode this weekend")
    dm = await h.dd.wait_for_dm(h.world.bob)
    assert "You matter" in dm["content"]
    await care(h).wait_idle()
    assert h.dd.dms_to(stranger) == []  # the other server never added it
    # The change survives a restart (terms are read from the database).
    await h.restart()
    report = await run(h, "crisis test", text=SLANG)
    assert "extra:big zorp" in report.content

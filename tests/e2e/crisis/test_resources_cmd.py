"""``/resources show|region|mute|unmute`` end to end: contacts per region, private, and working with the database down."""

from __future__ import annotations

import pytest

from tests.harness import Harness

EXTENSIONS = ["cogs.crisis"]
pytestmark = pytest.mark.extensions(*EXTENSIONS)


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("US", ["988", "741741", "1-800-662-4357", "911"]),
        ("CA", ["9-8-8", "1-888-688-6677", "911"]),
        ("UK", ["116 123", "85258", "999"]),
        ("IE", ["116 123", "50808", "112"]),
        ("AU", ["13 11 14", "1800 250 015", "000"]),
        ("NZ", ["1737", "0800 787 797", "111"]),
        ("other", ["findahelpline.com", "local emergency number"]),
    ],
)
async def test_show_gives_the_servers_region_contacts(h: Harness, region: str, expected: list[str]) -> None:
    await h.configure(region=region)
    shown = await h.private_command(h.world.alice, "resources show")
    for needle in expected:
        assert needle in shown.content, (region, needle)
    assert "this server's region" in shown.content or region == "other"


async def test_a_members_own_region_wins_everywhere_including_dms(h: Harness) -> None:
    await h.configure(region="US")
    chosen = await h.private_command(h.world.alice, "resources region", region="UK")
    assert chosen.content.startswith("Saved.") and "Samaritans" in chosen.content
    prefs = await h.bot.store.prefs.get(h.world.alice.id)
    assert prefs.region == "UK"
    assert "Samaritans" in (await h.private_command(h.world.alice, "resources show")).content
    assert "Samaritans" in (await h.private_command(h.world.alice, "resources show", dm=True)).content
    assert "988" in (await h.private_command(h.world.bob, "resources show")).content  # Bob still gets the server's


async def test_show_in_dms_without_a_region_gives_the_worldwide_directory(h: Harness) -> None:
    shown = await h.private_command(h.world.bob, "resources show", dm=True)
    assert "findahelpline.com" in shown.content and "worldwide" in shown.content


async def test_show_works_with_the_database_down(h: Harness) -> None:
    await h.configure(region="US")
    await h.bot.db.close()
    shown = await h.private_command(h.world.alice, "resources show")
    assert "findahelpline.com" in shown.content


async def test_mute_and_unmute_say_what_changed(h: Harness) -> None:
    first = await h.private_command(h.world.alice, "resources mute")
    assert first.content.startswith("Done.") and "crisis team may still be told" in first.content
    again = await h.private_command(h.world.alice, "resources mute")
    assert again.content.startswith("They're already off.")
    assert (await h.bot.store.crisis.member_state(h.world.alice.id)).muted
    on = await h.private_command(h.world.alice, "resources unmute")
    assert "back on" in on.content
    assert "already on" in (await h.private_command(h.world.alice, "resources unmute")).content


async def test_help_text_names_the_subcommands(h: Harness) -> None:
    [command] = [c for c in h.dd.commands if c["name"] == "resources"]
    assert "(show)" in command["description"]
    assert sorted(o["name"] for o in command["options"]) == ["mute", "region", "show", "unmute"]

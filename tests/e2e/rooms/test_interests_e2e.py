"""/interests end to end: the seeded catalogue, following, unfollowing, listing and room notices."""

from __future__ import annotations

from typing import Any

import pytest

from bot.interests import interest_choices
from bot.store.core import DEFAULT_INTERESTS
from tests.double import InteractionHandle
from tests.harness import Harness

EXTENSIONS = ["cogs.interests"]
pytestmark = pytest.mark.extensions(*EXTENSIONS)


async def run(h: Harness, member: Any, command: str, **options: Any) -> InteractionHandle:
    inter = await h.command(member, f"interests {command}", **options)
    assert inter.ephemeral
    return inter


def test_choices_put_prefix_matches_first_and_cap_at_25() -> None:
    names = ["art and making", "jam bands", "meditation", "music"]
    assert [c.value for c in interest_choices(names, "m")] == ["meditation", "music", "art and making", "jam bands"]
    assert len(interest_choices([f"i{n}" for n in range(40)], "")) == 25


async def test_autocomplete_offers_the_seeded_catalogue(h: Harness) -> None:
    choices = await h.dd.autocomplete(
        h.world.alice, "interests add", focused="interest", value="", channel=h.world.general
    )
    assert len(choices) == 13
    assert {c["value"] for c in choices} == set(DEFAULT_INTERESTS)
    typed = await h.dd.autocomplete(
        h.world.alice, "interests add", focused="interest", value="yoga", channel=h.world.general
    )
    assert [c["value"] for c in typed] == ["recovery yoga"]


async def test_a_moderator_added_interest_shows_up_for_members(h: Harness) -> None:
    await h.bot.store.interests.add(h.world.guild.id, "parkour jams", None, now=h.clock.now())
    choices = await h.dd.autocomplete(
        h.world.alice, "interests add", focused="interest", value="parkour", channel=h.world.general
    )
    assert "parkour jams" in [c["value"] for c in choices]
    await run(h, h.world.alice, "add", interest="parkour jams")
    assert await h.bot.store.interests.of_member(h.world.guild.id, h.world.alice.id) == ["parkour jams"]


async def test_add_list_and_remove(h: Harness) -> None:
    added = await run(h, h.world.alice, "add", interest="Meditation")  # case doesn't matter
    assert "You now follow **meditation**" in added.content
    await run(h, h.world.alice, "add", interest="jam bands")
    again = await run(h, h.world.alice, "add", interest="jam bands")
    assert "already follow" in again.content

    listed = await run(h, h.world.alice, "list")
    fields = {f["name"]: f["value"] for f in listed.embeds[0]["fields"]}
    assert fields["You follow"] == "jam bands, meditation"
    assert "meditation" not in fields["Also here"] and "cooking" in fields["Also here"]

    # Remove autocompletes only what she follows.
    choices = await h.dd.autocomplete(
        h.world.alice, "interests remove", focused="interest", value="", channel=h.world.general
    )
    assert [c["value"] for c in choices] == ["jam bands", "meditation"]
    removed = await run(h, h.world.alice, "remove", interest="jam bands")
    assert "no longer follow **jam bands**" in removed.content
    not_followed = await run(h, h.world.alice, "remove", interest="cooking")
    assert "weren't following" in not_followed.content
    assert await h.bot.store.interests.of_member(h.world.guild.id, h.world.alice.id) == ["meditation"]
    # Interests are private to the member: Bob's list is his own.
    bob = await run(h, h.world.bob, "list")
    assert "Nothing yet" in bob.embeds[0]["fields"][0]["value"]


async def test_notify_on_and_off_and_new_interests_follow_the_switch(h: Harness) -> None:
    await run(h, h.world.bob, "add", interest="music")
    on = await run(h, h.world.bob, "notify", setting="on")
    assert "Room notices are on" in on.content
    await run(h, h.world.bob, "add", interest="gaming")
    store, guild = h.bot.store.interests, h.world.guild.id
    for name in ("music", "gaming"):
        interest = await store.find(guild, name, now=h.clock.now())
        assert interest is not None
        assert await store.followers(interest.id, notify_only=True) == [h.world.bob.id]
    listed = await run(h, h.world.bob, "list")
    assert "on" in listed.embeds[0]["footer"]["text"]
    off = await run(h, h.world.bob, "notify", setting="off")
    assert "off" in off.content
    assert not await h.bot.store.rooms.notices_on(guild, h.world.bob.id)


async def test_unknown_interest_gets_a_specific_error(h: Harness) -> None:
    inter = await run(h, h.world.alice, "add", interest="underwater basket weaving")
    assert "isn't one of this server's interests" in inter.content
    assert "/config interests add" in inter.content


async def test_notify_without_any_interests_says_what_to_do_first(h: Harness) -> None:
    inter = await run(h, h.world.carol, "notify", setting="on")
    assert "/interests add" in inter.content

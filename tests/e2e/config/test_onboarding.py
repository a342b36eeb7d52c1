"""When Kindred joins a server it posts the setup checklist, or DMs it to the owner if it can't."""

from __future__ import annotations

from tests.double import GuildHandle
from tests.double.permissions import SEND_MESSAGES
from tests.harness import Harness

EXTENSIONS = ["cogs.config", "cogs.privacy", "cogs.meta"]


def join_new_server(
    h: Harness, *, system_channel: bool = True, can_post: bool = True, locale: str = "en-US"
) -> GuildHandle:
    """A server that adds the bot after it is connected: GUILD_CREATE for a new guild, so on_guild_join."""
    world = h.dd.world
    guild = GuildHandle(world, "Sunrise Circle", owner_name="Sam")
    guild.preferred_locale = locale
    if system_channel:
        # Built before the bot hears of the guild, so its first text channel is the system channel.
        overwrites = {} if can_post else {guild.bot_member: (0, SEND_MESSAGES)}
        guild.add_text_channel("welcome", overwrites=overwrites)
    world.guilds[guild.id] = guild
    payload = guild.payload(include_members=False)
    # Discord omits "unavailable" when the bot joins a guild; discord.py dispatches on_guild_join
    # only then (``unavailable: false`` means an outage ended: on_guild_available).
    payload.pop("unavailable", None)
    world.dispatch("GUILD_CREATE", payload)
    return guild


async def test_checklist_is_posted_in_the_system_channel(harness: Harness) -> None:
    await harness.start(extensions=EXTENSIONS)
    guild = join_new_server(harness)
    message = await harness.dd.wait_for_message(guild.text_channels[0])
    assert "/config region" in message["content"] and "/config show" in message["content"]
    assert "/config buddy-channel" in message["content"] and "/privacy show" in message["content"]
    assert "Crisis detection reads messages in English, Spanish" in message["content"]
    assert "no crisis detection yet" not in message["content"]
    assert harness.dd.dms_to(guild.owner) == []


async def test_checklist_says_plainly_when_the_servers_language_has_no_crisis_detection(harness: Harness) -> None:
    await harness.start(extensions=EXTENSIONS)
    guild = join_new_server(harness, locale="pl")
    message = await harness.dd.wait_for_message(guild.text_channels[0])
    assert "This server's language (Polish) has no crisis detection yet" in message["content"]
    assert len(message["content"]) <= 2000


async def test_checklist_goes_to_the_owner_when_the_bot_cannot_post_there(harness: Harness) -> None:
    await harness.start(extensions=EXTENSIONS)
    guild = join_new_server(harness, can_post=False)
    dm = await harness.dd.wait_for_dm(guild.owner)
    assert "Sunrise Circle" in dm["content"] and "/config region" in dm["content"]
    assert [m for m in harness.dd.messages_in(guild.text_channels[0]) if m["author"]["id"] != str(guild.owner.id)] == []


async def test_checklist_goes_to_the_owner_when_there_is_no_system_channel(harness: Harness) -> None:
    await harness.start(extensions=EXTENSIONS)
    guild = join_new_server(harness, system_channel=False)
    dm = await harness.dd.wait_for_dm(guild.owner)
    assert "couldn't post in its system channel" in dm["content"]


async def test_a_failed_post_falls_back_to_the_owner(harness: Harness) -> None:
    await harness.start(extensions=EXTENSIONS)
    harness.dd.fail_next("POST", "/channels/{channel_id}/messages", status=403, code=50013)
    guild = join_new_server(harness)
    dm = await harness.dd.wait_for_dm(guild.owner)
    assert "/config show" in dm["content"]


async def test_servers_present_at_startup_get_no_checklist(harness: Harness) -> None:
    await harness.start(extensions=EXTENSIONS)
    inter = await harness.dd.slash(harness.world.alice, "about", channel=harness.world.general)
    await inter.response()
    assert harness.dd.messages_in(harness.world.general) == []
    assert harness.dd.dms_to(harness.world.owner) == []

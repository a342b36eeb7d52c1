"""Self-tests for the Discord double, driving a tiny real discord.py bot (not the project bot)."""

from __future__ import annotations

import datetime as dt
import io

import discord
import pytest

from tests.double import (
    CommandError,
    DiscordDouble,
    running_bot,
)
from tests.support.tinybot import TinyBot, World


async def test_login_ready_guild_and_command_sync(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    guild = await bot.seen.wait("guild_available")
    assert guild.id == world.guild.id
    assert bot.user is not None and bot.user.id == dd.bot_user.id
    assert bot.application_id == dd.application_id
    assert guild.get_member(world.alice.id) is not None  # chunked over op 8
    assert {c.name for c in guild.text_channels} == {"general"}
    assert guild.me.guild_permissions.manage_channels
    assert {c["name"] for c in dd.commands} >= {"checkin", "config", "remind", "panel", "ping"}
    assert dd.calls_to("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
    assert dd.unknown_calls == []


async def test_wrong_token_is_login_failure(dd: DiscordDouble, world: World) -> None:
    bot = TinyBot(world.guild.id)
    with pytest.raises(discord.LoginFailure):
        await dd.connect(bot, token="not-the-token")
    assert bot.is_closed()


async def test_slash_with_typed_options_and_ephemeral_reply(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    inter = await dd.slash(world.alice, "checkin", mood=3, note="x", buddy=world.mod, where=world.text)
    await inter.response()
    assert inter.type == 4
    assert inter.ephemeral
    assert inter.content == "mood=3 note=x buddy=Mod where=general"
    assert dd.messages_in(world.text) == []  # ephemeral messages are not in the channel


async def test_slash_rejects_what_the_client_would(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    with pytest.raises(CommandError, match="maximum"):
        await dd.slash(world.alice, "checkin", mood=9)
    with pytest.raises(CommandError, match="no option 'colour'"):
        await dd.slash(world.alice, "checkin", mood=1, colour="red")
    with pytest.raises(CommandError, match="not one of the choices"):
        await dd.slash(world.alice, "config region", region="FR")
    with pytest.raises(CommandError, match="default_member_permissions"):
        await dd.slash(world.alice, "room", member=world.mod)


async def test_group_subcommand_defer_and_followup(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    inter = await dd.slash(world.mod, "config region", region="UK", channel=world.text)
    assert (await inter.response())["type"] == 5
    [followup] = await inter.followups(1)
    assert followup["content"] == "region=UK"
    message = await dd.wait_for_message(world.text, lambda m: m["content"] == "region=UK")
    assert message["id"] == followup["id"]


async def test_autocomplete_returns_choices(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    choices = await dd.autocomplete(world.alice, "remind", focused="timezone", value="Europe/L")
    assert [c["value"] for c in choices] == ["Europe/London", "Europe/Lisbon"]


async def test_button_click_updates_message_and_select(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    opened = await dd.slash(world.alice, "panel")
    await opened.response()
    panel_message = await opened.original()
    click = await dd.click(world.mod, panel_message, "panel:confirm")
    assert (await click.response())["type"] == 7
    assert dd.messages[int(panel_message["id"])]["content"] == "confirmed by Mod"
    assert dd.messages[int(panel_message["id"])]["components"] == []


async def test_select_menu(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    opened = await dd.slash(world.alice, "panel")
    await opened.response()
    pick = await dd.select(world.alice, opened, "panel:mood", ["low"])
    await pick.response()
    assert pick.content == "mood low" and pick.ephemeral


async def test_modal_submit(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    opener = await dd.slash(world.alice, "feedback")
    await opener.response()
    assert opener.modal["title"] == "Feedback"
    submitted = await dd.submit_modal(world.alice, opener, {"feedback:text": "great group"})
    await submitted.response()
    assert submitted.content == "thanks: great group|"


async def test_dm_open_and_send_then_closed_dms(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    first = await dd.slash(world.alice, "dmme")
    assert (await first.followups(1))[0]["content"] == "sent"
    dm = await dd.wait_for_dm(world.alice)
    assert dm["content"] == "hello from the bot"

    dd.close_dms(world.alice)
    second = await dd.slash(world.alice, "dmme")
    assert (await second.followups(1))[0]["content"] == "closed 50007"
    assert len(dd.dms_to(world.alice)) == 1


async def test_member_dm_reaches_bot_and_dm_slash(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    await dd.send_dm(world.alice, "hi bot")
    message = await bot.seen.wait("message", lambda m: m.content == "hi bot")
    assert isinstance(message.channel, discord.DMChannel)
    inter = await dd.slash(world.alice, "ping", dm=True)
    await inter.response()
    assert inter.content == "pong"
    assert inter.record.payload["context"] == 1 and "user" in inter.record.payload


async def test_fail_next_missing_permissions(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    dd.fail_next("POST", "/channels/{channel_id}/messages", status=403, code=50013)
    channel = bot.get_channel(world.text.id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.Forbidden) as excinfo:
        await channel.send("nope")
    assert excinfo.value.code == 50013
    await channel.send("yes")
    assert [m["content"] for m in dd.messages_in(world.text)] == ["yes"]


async def test_rate_limit_is_retried_without_loss(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    dd.rate_limit_next("POST", "/channels/{channel_id}/messages", retry_after=0.05)
    channel = bot.get_channel(world.text.id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("once")
    assert [m["content"] for m in dd.messages_in(world.text)] == ["once"]
    assert [c.status for c in dd.calls_to("POST", "/channels/{channel_id}/messages")] == [429, 200]


async def test_server_error_is_retried(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    dd.fail_next("POST", "/channels/{channel_id}/messages", status=500, code=0)
    channel = bot.get_channel(world.text.id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("after 500")
    assert [c.status for c in dd.calls_to("POST", f"/channels/{world.text.id}/messages")] == [500, 200]


async def test_gateway_drop_resumes_and_replays(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    await dd.drop_gateway(bot, wait=False)
    await dd.send_message(world.alice, world.text, "while you were away")
    await bot.seen.wait("resumed")
    seen = await bot.seen.wait("message", lambda m: m.content == "while you were away")
    assert seen.author.id == world.alice.id
    await dd.send_message(world.alice, world.text, "after resume")
    await bot.seen.wait("message", lambda m: m.content == "after resume")


async def test_invalid_session_reidentifies(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    await dd.drop_gateway(bot, resume=False)
    inter = await dd.slash(world.alice, "ping")
    await inter.response()
    assert dd.gateway.identify_count == 2


async def test_private_thread_and_member(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    inter = await dd.slash(world.mod, "room", member=world.alice, channel=world.text)
    await inter.response()
    [thread] = dd.threads
    assert inter.content == f"room {thread.id}"
    assert thread.type == 12 and world.alice.id in thread.thread_members
    assert bot.get_channel(thread.id) is not None


async def test_private_thread_without_permission_is_forbidden(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    # @everyone may create private threads by default, so take it away from the bot in this channel.
    world.guild.set_bot_permissions(0, channel=world.text, deny=discord.Permissions(create_private_threads=True))
    inter = await dd.slash(world.mod, "room", member=world.alice)
    await inter.response()
    assert inter.content == "forbidden 50013"
    assert dd.threads == []


async def test_scheduled_event_lifecycle(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    start = discord.utils.utcnow() + dt.timedelta(days=1)
    event = await guild.create_scheduled_event(
        name="Meeting",
        start_time=start,
        end_time=start + dt.timedelta(hours=1),
        entity_type=discord.EntityType.external,
        location="Library",
        privacy_level=discord.PrivacyLevel.guild_only,
    )
    [record] = dd.scheduled_events
    assert record.name == "Meeting" and record.location == "Library"
    await dd.set_event_interest(world.alice, record.id, True)
    await bot.seen.wait("event_user_add")
    users = [u async for u in event.users()]
    assert [u.id for u in users] == [world.alice.id]
    event = await event.edit(name="Meeting (moved)")
    event = await event.start()
    assert record.status == 2
    await event.end()
    assert record.status == 3
    await event.delete()
    assert dd.scheduled_events == []


async def test_scheduled_event_without_permission(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    world.guild.set_bot_permissions(discord.Permissions(view_channel=True, send_messages=True))
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    start = discord.utils.utcnow() + dt.timedelta(days=1)
    with pytest.raises(discord.Forbidden) as excinfo:
        await guild.create_scheduled_event(
            name="x", start_time=start, end_time=start, entity_type=discord.EntityType.external, location="y",
            privacy_level=discord.PrivacyLevel.guild_only,
        )  # fmt: skip
    assert excinfo.value.code == 50013


async def test_voice_join_and_leave(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    await dd.voice_join(world.alice, world.voice)
    member, before, after = await bot.seen.wait("voice")
    assert member.id == world.alice.id and before is None and after.id == world.voice.id
    voice = bot.get_channel(world.voice.id)
    assert isinstance(voice, discord.VoiceChannel) and [m.id for m in voice.members] == [world.alice.id]
    await dd.voice_leave(world.alice)
    await bot.seen.wait("voice", lambda v: v[2] is None)
    assert voice.members == []


async def test_member_join_and_channel_create(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    newbie = await dd.member_join(world.guild, "Newbie")
    joined = await bot.seen.wait("member_join")
    assert joined.id == newbie.id
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    created = await guild.create_text_channel("check-ins")
    assert dd.channels[created.id].name == "check-ins"
    world.guild.set_bot_permissions(discord.Permissions(view_channel=True, send_messages=True))
    with pytest.raises(discord.Forbidden):
        await guild.create_text_channel("nope")


async def test_multipart_attachment_recorded(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    channel = bot.get_channel(world.text.id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("chart", file=discord.File(io.BytesIO(b"PNGDATA"), filename="chart.png"))
    call = await dd.wait_for_call("POST", "/channels/{channel_id}/messages")
    assert [(f.filename, f.data) for f in call.files] == [("chart.png", b"PNGDATA")]
    assert call.json["content"] == "chart"
    assert await sent.attachments[0].read() == b"PNGDATA"


async def test_unknown_route_is_a_named_404(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    route = discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=world.guild.id)
    with pytest.raises(discord.NotFound) as excinfo:
        await bot.http.request(route)
    assert f"GET /guilds/{world.guild.id}/bans" in str(excinfo.value)
    assert [c.path for c in dd.unknown_calls] == [f"/guilds/{world.guild.id}/bans"]


async def test_wait_timeout_explains_what_was_seen(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    await dd.send_message(world.alice, world.text, "hello")
    with pytest.raises(AssertionError, match="alice: 'hello'"):
        await dd.wait_for_message(world.text, timeout=0.05)


async def test_guild_added_after_connect_is_joined(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    second = dd.add_guild("Second Circle")
    second.add_text_channel("lobby")
    guild = await bot.seen.wait("guild_join")
    assert guild.id == second.id and guild.name == "Second Circle"


async def test_messages_in_hidden_channels_do_not_reach_the_bot(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    hidden = world.guild.add_text_channel("staff")
    world.guild.set_bot_permissions(0, channel=hidden, deny=discord.Permissions(view_channel=True))
    await dd.send_message(world.mod, hidden, "secret")
    await dd.send_message(world.alice, world.text, "public")
    await bot.seen.wait("message", lambda m: m.content == "public")
    assert [m.content for _, m in [e for e in bot.seen.events if e[0] == "message"]] == ["public"]


async def test_restart_on_the_same_double(dd: DiscordDouble, world: World) -> None:
    first = TinyBot(world.guild.id)
    await dd.connect(first)
    await dd.disconnect(first)
    assert first.is_closed()
    second = TinyBot(world.guild.id)
    async with running_bot(dd, second):
        inter = await dd.slash(world.alice, "ping")
        await inter.response()
        assert inter.content == "pong"
    assert dd.gateway.identify_count == 2


async def test_interaction_response_with_file_then_edit_original(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    inter = await dd.slash(world.alice, "chart")
    await inter.response()
    assert [(f.filename, f.data) for f in inter.files] == [("c.png", b"PNG1")]
    await dd.wait_for_call("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
    message = await inter.original()
    assert message["content"] == "chart v2"
    assert [a["filename"] for a in message["attachments"]] == ["c.png"]
    assert message["interaction_metadata"]["user"]["id"] == str(world.alice.id)


async def test_a_held_call_waits_unanswered_until_released(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    hold = dd.hold("POST", "/channels/{channel_id}/messages")
    inter = await dd.slash(world.alice, "dmme")
    await inter.response()
    await dd.world.signal.wait_for(lambda: hold.waiting or None, timeout=5, describe=lambda: "no call was held")
    assert dd.dms_to(world.alice) == []  # received, not yet done
    hold.release()
    assert (await dd.wait_for_dm(world.alice))["content"] == "hello from the bot"
    assert (hold.waiting, hold.held) == (0, 1)

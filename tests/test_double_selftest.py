"""Self-tests for the Discord double, driving a tiny real discord.py bot (not the project bot)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.double import (
    ChannelHandle,
    CommandError,
    DiscordDouble,
    GuildHandle,
    MemberHandle,
    RoleHandle,
    running_bot,
)

BOT_EVENT_TIMEOUT = 3.0
TIMEZONES = ["Europe/London", "Europe/Lisbon", "America/New_York", "Asia/Tokyo"]


class Seen:
    """What the bot observed, with event-driven waits (no sleeps)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self._changed = asyncio.Event()

    def add(self, name: str, value: Any = None) -> None:
        self.events.append((name, value))
        self._changed.set()

    async def wait(self, name: str, predicate: Callable[[Any], bool] = lambda v: True) -> Any:
        async def loop() -> Any:
            while True:
                for event, value in self.events:
                    if event == name and predicate(value):
                        return value
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(loop(), BOT_EVENT_TIMEOUT)


class PanelView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=30)

    @discord.ui.button(label="Confirm", custom_id="panel:confirm", style=discord.ButtonStyle.green)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[PanelView]) -> None:
        await interaction.response.edit_message(content=f"confirmed by {interaction.user.display_name}", view=None)

    @discord.ui.select(
        custom_id="panel:mood",
        options=[discord.SelectOption(label="Good", value="good"), discord.SelectOption(label="Low", value="low")],
    )
    async def mood(self, interaction: discord.Interaction, select: discord.ui.Select[PanelView]) -> None:
        await interaction.response.send_message(f"mood {select.values[0]}", ephemeral=True)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(label="Your feedback", custom_id="feedback:text")
    extra: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
        label="Anything else", custom_id="feedback:extra", required=False
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}|{self.extra.value}", ephemeral=True)


class TinyBot(commands.AutoShardedBot):
    """A minimal bot with the command shapes the project uses."""

    def __init__(self, guild_id: int) -> None:
        intents = discord.Intents.default()
        intents.members = True
        intents.message_content = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
        self.guild_id = guild_id
        self.seen = Seen()

    async def setup_hook(self) -> None:
        guild = discord.Object(self.guild_id)
        self.tree.add_command(checkin, guild=guild)
        self.tree.add_command(ConfigGroup(), guild=guild)
        self.tree.add_command(remind, guild=guild)
        self.tree.add_command(panel, guild=guild)
        self.tree.add_command(feedback, guild=guild)
        self.tree.add_command(dmme, guild=guild)
        self.tree.add_command(private_room, guild=guild)
        self.tree.add_command(chart, guild=guild)
        self.tree.add_command(ping)  # global, usable in DMs
        await self.tree.sync(guild=guild)
        await self.tree.sync()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s before every re-IDENTIFY; a local double needs no such courtesy."""

    async def on_ready(self) -> None:
        self.seen.add("ready")

    async def on_resumed(self) -> None:
        self.seen.add("resumed")

    async def on_guild_available(self, guild: discord.Guild) -> None:
        self.seen.add("guild_available", guild)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        self.seen.add("guild_join", guild)

    async def on_message(self, message: discord.Message) -> None:
        self.seen.add("message", message)

    async def on_voice_state_update(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        self.seen.add("voice", (member, before.channel, after.channel))

    async def on_scheduled_event_user_add(self, event: discord.ScheduledEvent, user: discord.User) -> None:
        self.seen.add("event_user_add", (event, user))

    async def on_member_join(self, member: discord.Member) -> None:
        self.seen.add("member_join", member)


@app_commands.command()
@app_commands.describe(mood="1-5", note="Anything to add")
async def checkin(
    interaction: discord.Interaction,
    mood: app_commands.Range[int, 1, 5],
    note: str | None = None,
    buddy: discord.Member | None = None,
    where: discord.TextChannel | None = None,
) -> None:
    """Record a check-in."""
    buddy_name = buddy.display_name if buddy else "-"
    where_name = where.name if where else "-"
    await interaction.response.send_message(
        f"mood={mood} note={note} buddy={buddy_name} where={where_name}", ephemeral=True
    )


class ConfigGroup(app_commands.Group, name="config", description="Server settings"):
    @app_commands.command()
    @app_commands.choices(
        region=[app_commands.Choice(name="UK", value="UK"), app_commands.Choice(name="US", value="US")]
    )
    async def region(self, interaction: discord.Interaction, region: app_commands.Choice[str]) -> None:
        """Set the region."""
        await interaction.response.defer(thinking=True)
        await interaction.followup.send(f"region={region.value}")


@app_commands.command()
async def remind(interaction: discord.Interaction, timezone: str) -> None:
    """Set a reminder timezone."""
    await interaction.response.send_message(f"tz={timezone}")


@remind.autocomplete("timezone")
async def _tz_complete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=tz, value=tz) for tz in TIMEZONES if tz.lower().startswith(current.lower())]


@app_commands.command()
async def panel(interaction: discord.Interaction) -> None:
    """Show a panel."""
    await interaction.response.send_message("panel", view=PanelView())


@app_commands.command()
async def feedback(interaction: discord.Interaction) -> None:
    """Give feedback."""
    await interaction.response.send_modal(FeedbackModal())


@app_commands.command()
async def dmme(interaction: discord.Interaction) -> None:
    """DM me."""
    await interaction.response.defer(ephemeral=True)
    try:
        await interaction.user.send("hello from the bot")
    except discord.Forbidden as exc:
        await interaction.followup.send(f"closed {exc.code}", ephemeral=True)
    else:
        await interaction.followup.send("sent", ephemeral=True)


@app_commands.command(name="room")
@app_commands.default_permissions(manage_threads=True)
async def private_room(interaction: discord.Interaction, member: discord.Member) -> None:
    """Open a private room with a member."""
    assert isinstance(interaction.channel, discord.TextChannel)
    try:
        thread = await interaction.channel.create_thread(name=f"room-{member.name}", invitable=False)
    except discord.Forbidden as exc:
        await interaction.response.send_message(f"forbidden {exc.code}", ephemeral=True)
        return
    await thread.add_user(member)
    await interaction.response.send_message(f"room {thread.id}", ephemeral=True)


@app_commands.command()
async def chart(interaction: discord.Interaction) -> None:
    """Send a chart, then retitle it."""
    await interaction.response.send_message("chart", file=discord.File(io.BytesIO(b"PNG1"), filename="c.png"))
    await interaction.edit_original_response(content="chart v2")


@app_commands.command()
async def ping(interaction: discord.Interaction) -> None:
    """Ping."""
    await interaction.response.send_message("pong")


@dataclass
class World:
    guild: GuildHandle
    mods: RoleHandle
    mod: MemberHandle
    alice: MemberHandle
    text: ChannelHandle
    voice: ChannelHandle


@pytest.fixture
async def dd() -> AsyncIterator[DiscordDouble]:
    async with DiscordDouble() as double:
        yield double


@pytest.fixture
def world(dd: DiscordDouble) -> World:
    guild = dd.add_guild("Recovery Circle")
    mods = guild.add_role("Crisis Team", permissions=discord.Permissions(manage_threads=True), mentionable=True)
    mod = guild.add_member("Mod", roles=[mods])
    alice = guild.add_member("Alice")
    text = guild.add_text_channel("general")
    rooms = guild.add_category("Rooms")
    voice = guild.add_voice_channel("Voice 1", category=rooms)
    return World(guild, mods, mod, alice, text, voice)


@pytest.fixture
async def bot(dd: DiscordDouble, world: World) -> AsyncIterator[TinyBot]:
    async with running_bot(dd, TinyBot(world.guild.id)) as running:
        yield running


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

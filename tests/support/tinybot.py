"""A tiny real discord.py bot (not the project bot) and its server, for the Discord double's self-tests.

Kept apart from ``tests/e2e/double/test_double_selftest.py`` so the tests read on their own: this module is the bot
under test (commands, views, a modal, listeners) and the server it joins.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from tests.double import ChannelHandle, DiscordDouble, GuildHandle, MemberHandle, RoleHandle

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

    def __init__(self, guild_id: int, **options: Any) -> None:
        intents = discord.Intents.default()
        intents.members = True
        intents.message_content = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05, **options)
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


def build_world(dd: DiscordDouble) -> World:
    """The server the tiny bot joins: a moderator role and member, Alice, a text and a voice channel."""
    guild = dd.add_guild("Recovery Circle")
    mods = guild.add_role("Crisis Team", permissions=discord.Permissions(manage_threads=True), mentionable=True)
    mod = guild.add_member("Mod", roles=[mods])
    alice = guild.add_member("Alice")
    text = guild.add_text_channel("general")
    rooms = guild.add_category("Rooms")
    voice = guild.add_voice_channel("Voice 1", category=rooms)
    return World(guild, mods, mod, alice, text, voice)

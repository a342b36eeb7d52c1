"""Runs the real Kindred bot against the local Discord double, with a controllable clock.

A test gets a :class:`Harness` from the ``harness`` fixture, builds on the standard :class:`World`
(a server with moderators, members and every channel the features use), starts the bot, drives it
as members through ``harness.dd`` and can restart it on the same database file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import discord

from bot.client import KindredBot
from bot.clock import FakeClock
from bot.db import Database
from bot.settings import Settings
from tests.double.commands import encode_command
from tests.double.interactions import InteractionHandle, build_interaction

if TYPE_CHECKING:
    from tests.double import ChannelHandle, DiscordDouble, GuildHandle, MemberHandle, RoleHandle

__all__ = ["START", "Harness", "World", "build_world"]

# Sunday 22 November 2026, noon UTC: a fixed "now" for every end-to-end test.
START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@dataclass
class World:
    """The standard test server. Handles come from the double (``tests.double``)."""

    guild: GuildHandle
    moderators: RoleHandle  # role with Manage Server
    crisis_team: RoleHandle  # role mentioned on crisis alerts
    owner: MemberHandle
    mod: MemberHandle
    alice: MemberHandle
    bob: MemberHandle
    carol: MemberHandle
    dave: MemberHandle
    general: ChannelHandle
    share: ChannelHandle  # check-in share channel
    buddies: ChannelHandle  # buddy threads
    service_board: ChannelHandle
    rooms: ChannelHandle  # room announcements
    crisis_alerts: ChannelHandle
    modlog: ChannelHandle
    rooms_category: ChannelHandle
    lounge: ChannelHandle  # a voice channel

    def ids(self, **fields: str) -> dict[str, int]:
        """Settings whose values name fields of this world, as ids: ``ids(rooms_channel_id="rooms")``."""
        return {setting: getattr(self, name).id for setting, name in fields.items()}


def build_world(dd: DiscordDouble) -> World:
    """Create the standard server on the double."""
    guild = dd.add_guild("Recovery Circle")
    moderators = guild.add_role("Moderators", permissions=discord.Permissions(manage_guild=True, manage_events=True))
    crisis_team = guild.add_role("Crisis Team", mentionable=True)
    category = guild.add_category("Rooms")
    return World(
        guild=guild,
        moderators=moderators,
        crisis_team=crisis_team,
        owner=guild.owner,
        mod=guild.add_member("Mod", roles=[moderators, crisis_team]),
        alice=guild.add_member("Alice"),
        bob=guild.add_member("Bob"),
        carol=guild.add_member("Carol"),
        dave=guild.add_member("Dave"),
        general=guild.add_text_channel("general"),
        share=guild.add_text_channel("check-ins"),
        buddies=guild.add_text_channel("buddies"),
        service_board=guild.add_text_channel("service-board"),
        rooms=guild.add_text_channel("rooms"),
        crisis_alerts=guild.add_text_channel("crisis-alerts"),
        modlog=guild.add_text_channel("mod-log"),
        rooms_category=category,
        lounge=guild.add_voice_channel("Lounge", category=category),
    )


class Harness:
    """One bot process at a time against one double and one database file."""

    def __init__(
        self, dd: DiscordDouble, db_path: Path, clock: FakeClock, world: World, *, database_url: str | None = None
    ) -> None:
        self.dd = dd
        self.db_path = db_path
        # The test's PostgreSQL database (the bot then runs on it, as with DATABASE_URL), or None for the file.
        self.database_url = database_url
        self.clock = clock
        # The double judges "in the past" by the bot's clock, not the wall clock: the tests' fixed dates
        # must not expire as real time passes them.
        dd.world.now = clock.now
        self.world = world
        self._bot: KindredBot | None = None
        self._db: Database | None = None
        # Settings fields to change for the next start (e.g. {"crisis_sentence_model": False}).
        self.settings_overrides: dict[str, Any] = {}

    @property
    def bot(self) -> KindredBot:
        """The running bot (``start`` first)."""
        assert self._bot is not None, "call `await harness.start()` first"
        return self._bot

    async def start(self, extensions: list[str] | None = None) -> KindredBot:
        """Start a fresh bot process on the same database and wait until it is ready."""
        assert self._bot is None, "already running"
        settings = Settings(
            discord_token=self.dd.token,
            database_path=self.db_path,
            database_url=self.database_url,
            **self.settings_overrides,
        )
        self._db = await Database.open(settings.database_target)
        # No poll job: tests fire timers explicitly with `run_timers`, after moving the clock.
        self._bot = KindredBot(
            settings,
            self._db,
            clock=self.clock,
            timer_poll_seconds=None,
            extensions=extensions,
            guild_ready_timeout=0.05,
        )
        await self.dd.connect(self._bot)
        return self._bot

    async def stop(self) -> None:
        """Close the bot and its database, as a process exit would."""
        if self._bot is not None:
            await self.dd.disconnect(self._bot)
            self._bot = None
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def restart(self) -> KindredBot:
        """Stop and start again: the simulated restart every restart-safety test uses."""
        await self.stop()
        return await self.start()

    async def advance(self, delta: timedelta) -> int:
        """Move the clock forward and fire whatever fell due; returns how many timers ran."""
        self.clock.advance(delta)
        return await self.run_timers()

    async def run_timers(self) -> int:
        """Fire every due timer now (what the scheduler's poll job does in production)."""
        return await self.bot.timers.run_due()

    async def configure(self, **values: object) -> None:
        """Set server settings directly in the store (tests of other features use this)."""
        for key, value in values.items():
            await self.bot.store.config.set(self.world.guild.id, key, value, now=self.clock.now())

    async def command(self, member: MemberHandle, name: str, /, **options: object) -> InteractionHandle:
        """Run the slash command ``name`` as ``member`` in #general and wait for its first response."""
        inter = await self.dd.slash(member, name, channel=self.world.general, options=options)
        await inter.response()
        return inter

    async def private_command(
        self, member: MemberHandle, name: str, /, *, dm: bool = False, **options: object
    ) -> InteractionHandle:
        """Run ``name`` as ``member`` (in #general, or in a DM with ``dm``) and check the answer is private."""
        if dm:
            inter = await self.dd.slash(member, name, dm=True, options=options)
        else:
            inter = await self.dd.slash(member, name, channel=self.world.general, options=options)
        await inter.response()
        assert inter.ephemeral, f"/{name} answered publicly"
        return inter

    async def overridden_command(self, member: MemberHandle, name: str, /, **options: object) -> InteractionHandle:
        """Run ``name`` as ``member`` though the client would hide it from them (an admin overrode the command's
        permissions), in #general, and wait for its first response."""
        world = self.dd.world
        encoded = encode_command(world, name, options, guild=self.world.guild, invoker=self.world.owner)
        record = build_interaction(
            world, itype=2, data=encoded.data, invoker=member, channel=self.world.general, label=name
        )
        world.dispatch("INTERACTION_CREATE", record.payload)
        inter = InteractionHandle(world, record)
        await inter.response()
        return inter

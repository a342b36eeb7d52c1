"""DiscordDouble: the object tests use — build a guild, connect a bot, act as members, observe, break things."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from types import TracebackType

import discord
import discord.gateway
import discord.http
import yarl

from .drivers import DriverError, MemberDrivers
from .faults import FaultRule, Hold
from .forward import Forwarded
from .gateway import Gateway, GatewaySession
from .guild import GuildHandle
from .ids import shard_of
from .models import JSON, ChannelHandle, MemberHandle, ScheduledEventRecord, UserRecord
from .ratelimit import RateLimiter, RateLimits
from .recorder import DEFAULT_TIMEOUT, Claims, RecordedCall, route_matches
from .server import DoubleServer
from .state import World

CallPredicate = Callable[[RecordedCall], bool]
MessagePredicate = Callable[[JSON], bool]


class DiscordDouble(MemberDrivers):
    """A local Discord (gateway v10 + REST v10) on 127.0.0.1 for the real, unmodified discord.py client.

    Use ``async with DiscordDouble() as dd:`` (or ``await dd.start()`` / ``await dd.stop()``), build guilds
    with :meth:`add_guild`, then ``await dd.connect(bot)``.
    """

    def __init__(self, *, bot_name: str = "Kindred", interaction_timeout: float = 3.0, shard_count: int = 1) -> None:
        self.world = World(bot_name=bot_name, interaction_timeout=interaction_timeout, shard_count=shard_count)
        self.gateway = Gateway(self.world)
        self.server = DoubleServer(self.world, self.gateway)
        self._bots: dict[int, tuple[discord.Client, asyncio.Task[None]]] = {}
        self._saved: tuple[str, yarl.URL] | None = None
        self._call_claims = Claims()
        self._message_claims = Claims()

    # -- lifecycle ------------------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on 127.0.0.1 (a free port)."""
        await self.server.start()

    async def stop(self) -> None:
        """Close any bot still connected, then the gateway sessions and the server."""
        for bot, _ in list(self._bots.values()):
            await self.disconnect(bot)
        await self.server.stop()

    async def __aenter__(self) -> DiscordDouble:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    base_url = Forwarded[str]("world", doc="``http://127.0.0.1:{port}``.")
    token = Forwarded[str](
        "world", doc="The one bot token the double accepts (anything else: 401 -> ``discord.LoginFailure``)."
    )
    bot_user = Forwarded[UserRecord]("world")
    application_id = Forwarded[int]("world")

    # -- wiring discord.py ----------------------------------------------------------------------------
    def patch_discord(self) -> None:
        """Point discord.py's REST base and default gateway at the double (undone by :meth:`unpatch_discord`)."""
        if self._saved is None:
            self._saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
        discord.http.Route.BASE = f"{self.base_url}/api/v10"
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"{self.base_url.replace('http', 'ws', 1)}/gateway")

    def unpatch_discord(self) -> None:
        if self._saved is not None and not self._bots:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self._saved = None

    async def connect(self, bot: discord.Client, *, token: str | None = None, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Log ``bot`` in (runs ``setup_hook``), connect it, and wait for ``on_ready``.

        Raises whatever login raised (e.g. ``discord.LoginFailure``), or the error that ended the connection.
        """
        self.patch_discord()
        try:
            await bot.login(token or self.token)
        except BaseException:
            await bot.close()
            self.unpatch_discord()
            raise
        task = asyncio.create_task(bot.connect(reconnect=True), name="discord-double-bot")
        self._bots[id(bot)] = (bot, task)
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait({task, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if ready in done:
            return
        ready.cancel()
        await self.disconnect(bot)
        calls = "\n  ".join(str(c) for c in self.world.calls[-10:])
        if task in done:
            error = task.exception()
            if error is not None:
                raise error
            raise RuntimeError(f"the bot's connection ended before it was ready. Last REST calls:\n  {calls}")
        raise TimeoutError(f"bot was not ready after {timeout}s. Last REST calls:\n  {calls}")

    async def disconnect(self, bot: discord.Client) -> None:
        """``await bot.close()`` and wait for its connection task to end; restores discord.py's URLs."""
        entry = self._bots.pop(id(bot), None)
        await bot.close()
        if entry is not None:
            task = entry[1]
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(task, 5.0)
        self.unpatch_discord()

    # -- building -------------------------------------------------------------------------------------
    @property
    def shard_count(self) -> int:
        """The shard count ``GET /gateway/bot`` recommends (settable before a bot connects)."""
        return self.world.shard_count

    @shard_count.setter
    def shard_count(self, count: int) -> None:
        self.world.shard_count = count

    def shard_of(self, guild: GuildHandle | int) -> int:
        """The shard (of :attr:`shard_count`) that receives ``guild``'s events: ``(guild_id >> 22) % count``."""
        return shard_of(guild if isinstance(guild, int) else guild.id, self.world.shard_count)

    def add_guild(self, name: str, *, owner_name: str = "Owner", shard: int | None = None) -> GuildHandle:
        """Add a guild the bot is in. After connecting, the bot receives GUILD_CREATE (``on_guild_join``).

        ``shard`` gives the guild an id that shard (of :attr:`shard_count`) owns; by default the id is just the
        next snowflake, whichever shard that lands on.
        """
        guild = GuildHandle(self.world, name, owner_name=owner_name, shard=shard)
        self.world.guilds[guild.id] = guild
        payload = guild.payload(include_members=False)
        del payload["unavailable"]  # a guild joined while connected -> on_guild_join, as on Discord
        self.world.dispatch("GUILD_CREATE", payload)
        return guild

    def remove_guild(self, guild: GuildHandle) -> None:
        """Remove the bot from a guild: GUILD_DELETE without ``unavailable`` (``on_guild_remove``)."""
        self.world.guilds.pop(guild.id, None)
        self.world.dispatch("GUILD_DELETE", {"id": str(guild.id)})

    def rejoin_guild(self, guild: GuildHandle) -> None:
        """Add the bot back to a guild it was removed from (GUILD_CREATE, ``on_guild_join``)."""
        self.world.guilds[guild.id] = guild
        payload = guild.payload(include_members=False)
        del payload["unavailable"]
        self.world.dispatch("GUILD_CREATE", payload)

    @property
    def guilds(self) -> list[GuildHandle]:
        return list(self.world.guilds.values())

    channels = Forwarded[dict[int, ChannelHandle]]("world", doc="Every channel, thread and DM channel by id.")

    @property
    def threads(self) -> list[ChannelHandle]:
        return [c for c in self.world.channels.values() if c.is_thread]

    @property
    def scheduled_events(self) -> list[ScheduledEventRecord]:
        return [e for g in self.world.guilds.values() for e in g.scheduled_events.values()]

    messages = Forwarded[dict[int, JSON]]("world", doc="Every stored message (including ephemeral ones) by id.")

    @property
    def commands(self) -> list[JSON]:
        """Global commands followed by every guild's commands, as synced by the bot."""
        return self.world.global_commands + [c for cs in self.world.guild_commands.values() for c in cs]

    # -- observing ------------------------------------------------------------------------------------
    calls = Forwarded[list[RecordedCall]]("world", doc="Every REST call in order, including faulted and unknown ones.")

    @property
    def unknown_calls(self) -> list[RecordedCall]:
        """Calls to routes the double does not implement (each also logged at ERROR)."""
        return [c for c in self.world.calls if c.fault == "unknown route"]

    internal_errors = Forwarded[list[str]](
        "world", doc="Bugs in the double itself (answered with 400 so the bot fails fast)."
    )

    def calls_to(self, method: str, route: str) -> list[RecordedCall]:
        return [c for c in self.world.calls if c.method == method.upper() and route_matches(route, c.route, c.path)]

    async def wait_for_call(
        self,
        method: str,
        route: str,
        predicate: CallPredicate | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> RecordedCall:
        """The next unclaimed call to ``method route`` (template or concrete path) matching ``predicate``."""
        pred = predicate or (lambda c: True)

        def check() -> RecordedCall | None:
            return self._call_claims.first(
                self.calls_to(method, route), lambda c: c.index, lambda c: c.status != 0 and pred(c)
            )

        def describe() -> str:
            seen = "\n  ".join(str(c) for c in self.world.calls[-20:]) or "(no calls)"
            return f"no {method} {route} call matching the predicate. Calls seen:\n  {seen}"

        return await self.world.signal.wait_for(check, timeout=timeout, describe=describe)

    async def wait_for_message(
        self,
        channel: ChannelHandle | int,
        predicate: MessagePredicate | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
        include_ephemeral: bool = False,
    ) -> JSON:
        """The next unclaimed message the bot posted in ``channel`` matching ``predicate``."""
        channel_id = channel if isinstance(channel, int) else channel.id
        pred = predicate or (lambda m: True)
        bot_id = str(self.bot_user.id)

        def candidates() -> list[JSON]:
            found = self.world.messages_in(channel_id, include_ephemeral=include_ephemeral)
            return [m for m in found if m["author"]["id"] == bot_id]

        def describe() -> str:
            seen = "\n  ".join(_summary(m) for m in self.world.messages_in(channel_id, include_ephemeral=True))
            return (
                f"no bot message in channel {channel_id} matching the predicate. Messages there:\n  {seen or '(none)'}"
            )

        return await self.world.signal.wait_for(
            lambda: self._message_claims.first(candidates(), lambda m: int(m["id"]), pred),
            timeout=timeout,
            describe=describe,
        )

    async def wait_for_dm(
        self,
        member: MemberHandle | UserRecord,
        predicate: MessagePredicate | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> JSON:
        """The next unclaimed DM the bot sent to ``member`` matching ``predicate``."""
        user = member.user if isinstance(member, MemberHandle) else member
        channel = self.world.dm_channel_for(user)
        return await self.wait_for_message(channel, predicate, timeout=timeout)

    def messages_in(self, channel: ChannelHandle | int, *, include_ephemeral: bool = False) -> list[JSON]:
        """All (non-ephemeral by default) messages in a channel, from anyone, oldest first."""
        channel_id = channel if isinstance(channel, int) else channel.id
        return self.world.messages_in(channel_id, include_ephemeral=include_ephemeral)

    def dms_to(self, member: MemberHandle | UserRecord) -> list[JSON]:
        """DMs the bot has sent to ``member``, oldest first."""
        user = member.user if isinstance(member, MemberHandle) else member
        channel = self.world.dm_channels.get(user.id)
        if channel is None:
            return []
        return [m for m in self.world.messages_in(channel.id) if m["author"]["id"] == str(self.bot_user.id)]

    # -- faults ---------------------------------------------------------------------------------------
    def close_dms(self, member: MemberHandle | UserRecord) -> None:
        """DMs to ``member`` now fail with 403 / 50007 "Cannot send messages to this user"."""
        self.world.closed_dms.add(member.id)

    def open_dms(self, member: MemberHandle | UserRecord) -> None:
        self.world.closed_dms.discard(member.id)

    def fail_next(
        self,
        method: str,
        route: str,
        *,
        status: int = 403,
        code: int = 50013,
        message: str | None = None,
        count: int = 1,
    ) -> FaultRule:
        """The next ``count`` calls to ``method route`` fail with ``status``/``code`` (500s are retried by discord.py)."""
        return self.world.faults.add(FaultRule(method.upper(), route, status, code, message, count=count))

    def enforce_rate_limits(self, limits: RateLimits | None = None, *, on: bool = True) -> RateLimiter | None:
        """Enforce Discord's global and per-route rate limits from now on (``on=False``: stop).

        Off by default so ordinary tests run at full speed. Returns the limiter, whose ``stats``
        count what went through and what was refused.
        """
        self.world.rate_limiter = RateLimiter(limits or RateLimits()) if on else None
        return self.world.rate_limiter

    def hold(self, method: str, route: str) -> Hold:
        """Calls to ``method route`` wait, received but unanswered, until ``hold.release()`` (``hold.waiting``
        counts them). A client killed meanwhile never hears back, though the call is then done, as on Discord."""
        hold = Hold(method.upper(), route)
        self.world.faults.holds.append(hold)
        return hold

    def rate_limit_next(self, method: str, route: str, *, retry_after: float = 0.05, count: int = 1) -> FaultRule:
        """The next ``count`` calls get 429 + ``retry_after``; discord.py sleeps and retries by itself."""
        return self.world.faults.add(FaultRule(method.upper(), route, 429, retry_after=retry_after, count=count))

    async def drop_gateway(
        self,
        bot: discord.Client | None = None,
        *,
        resume: bool = True,
        code: int = 4000,
        wait: bool = True,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> None:
        """Close the bot's gateway websocket.

        ``resume=True``: discord.py reconnects to ``resume_gateway_url`` and RESUMEs; missed events are replayed,
        then RESUMED. ``resume=False``: the session is invalidated (op 9) and the bot re-IDENTIFYs (new READY).
        With ``wait`` (default) this returns once the double has sent RESUMED / the new READY.
        """
        sessions = self._sessions_for(bot)
        before = [(s, s.resumes) for s in sessions]
        identifies = self.gateway.identify_count
        for session in sessions:
            await self.gateway.drop(session, resume=resume, code=code)
        if not wait:
            return

        def done() -> bool | None:
            if resume:
                return all(s.resumes > n for s, n in before) or None
            return self.gateway.identify_count >= identifies + len(sessions) or None

        await self.world.signal.wait_for(
            done, timeout=timeout, describe=lambda: f"the bot did not {'resume' if resume else 're-identify'}"
        )

    def _sessions_for(self, bot: discord.Client | None) -> list[GatewaySession]:
        live = [s for s in self.gateway.live_sessions() if s.conn is not None]
        if bot is not None:
            wanted = _session_ids(bot)
            live = [s for s in live if s.id in wanted]
        if not live:
            raise DriverError("no connected gateway session to drop")
        return live

    def gateway_sent(self, op: int) -> list[JSON]:
        """Frames the bot sent with opcode ``op`` (e.g. 3 presence updates), across sessions."""
        return [f for s in self.gateway.sessions.values() for f in s.received if f.get("op") == op]


def _session_ids(bot: discord.Client) -> set[str]:
    """Gateway session ids of a client's websockets (one per shard for AutoShardedClient)."""
    if isinstance(bot, discord.AutoShardedClient):
        sockets = [bot._get_websocket(shard_id=shard_id) for shard_id in bot.shards]
    else:
        sockets = [bot.ws]
    return {ws.session_id for ws in sockets if ws is not None and ws.session_id is not None}


def _summary(message: JSON) -> str:
    author = message["author"].get("username")
    flags = " (ephemeral)" if message.get("flags", 0) & 64 else ""
    embeds = f" +{len(message.get('embeds') or [])} embed(s)" if message.get("embeds") else ""
    return f"{message['id']} {author}: {message.get('content', '')[:80]!r}{embeds}{flags}"


__all__ = ["DiscordDouble", "DriverError"]

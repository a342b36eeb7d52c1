"""The gateway: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME with replay, member chunks.

Sessions are sharded as on Discord: IDENTIFY's ``shard: [shard_id, shard_count]`` picks the guilds a session
hears about, those with ``(guild_id >> 22) % shard_count == shard_id``; events without a guild (DMs) go to
shard 0. The default ``[0, 1]`` hears everything.

Frames are plain JSON text; the client's ``compress=zlib-stream`` request is ignored, which discord.py
accepts because it only decompresses binary frames.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import secrets
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from .ids import shard_of
from .models import JSON, PRIVATE_THREAD
from .permissions import MANAGE_THREADS, VIEW_CHANNEL
from .state import World, log

HEARTBEAT_INTERVAL_MS = 41250

# Intent bits (https://discord.com/developers/docs/events/gateway#gateway-intents).
GUILDS, GUILD_MEMBERS, GUILD_VOICE_STATES = 1 << 0, 1 << 1, 1 << 7
GUILD_MESSAGES, GUILD_MESSAGE_REACTIONS, DIRECT_MESSAGES = 1 << 9, 1 << 10, 1 << 12
DIRECT_MESSAGE_REACTIONS, MESSAGE_CONTENT, GUILD_SCHEDULED_EVENTS = 1 << 13, 1 << 15, 1 << 16

_GUILD_EVENTS = {"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE", "THREAD_MEMBER_UPDATE"}
_GUILD_OBJECT_EVENTS = ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE")  # the guild's id is ``id``
INVALID_SHARD = 4010  # Discord's close code for an IDENTIFY whose shard is not [id < count, count]
_EVENT_INTENTS = {
    "GUILD_MEMBER_ADD": GUILD_MEMBERS,
    "GUILD_MEMBER_UPDATE": GUILD_MEMBERS,
    "GUILD_MEMBER_REMOVE": GUILD_MEMBERS,
    "VOICE_STATE_UPDATE": GUILD_VOICE_STATES,
}


def required_intent(event: str, data: JSON) -> int:
    """The intent a session needs to receive ``event`` (0 = always sent)."""
    if event in _GUILD_EVENTS or event.startswith(("GUILD_ROLE_", "CHANNEL_", "THREAD_")):
        if event == "THREAD_MEMBERS_UPDATE":
            return GUILD_MEMBERS
        return GUILDS
    if event.startswith("MESSAGE_REACTION_"):
        return GUILD_MESSAGE_REACTIONS if data.get("guild_id") else DIRECT_MESSAGE_REACTIONS
    if event.startswith("MESSAGE_"):
        return GUILD_MESSAGES if data.get("guild_id") else DIRECT_MESSAGES
    if event.startswith("GUILD_SCHEDULED_EVENT_"):
        return GUILD_SCHEDULED_EVENTS
    return _EVENT_INTENTS.get(event, 0)


def event_guild_id(event: str, data: JSON) -> int | None:
    """The guild an event belongs to, or None for a DM (Discord sends those to shard 0)."""
    raw = data.get("id") if event in _GUILD_OBJECT_EVENTS else data.get("guild_id")
    return int(raw) if raw else None


def valid_shard(shard: object) -> bool:
    """Whether IDENTIFY's ``shard`` is ``[shard_id, shard_count]`` with ``0 <= shard_id < shard_count``."""
    if not isinstance(shard, list) or len(shard) != 2 or not all(isinstance(n, int) for n in shard):
        return False
    return 0 <= shard[0] < shard[1]


class GatewayConnection:
    """One websocket; frames go through a queue so their order is the order they were produced."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.writer = asyncio.create_task(self._write(), name="discord-double-gateway-writer")

    def send(self, frame: JSON) -> None:
        self.queue.put_nowait(json.dumps(frame))

    async def _write(self) -> None:
        while True:
            text = await self.queue.get()
            if self.ws.closed:
                return
            try:
                await self.ws.send_str(text)
            except ConnectionError:
                return  # the client went away mid-send; the session keeps the frame for RESUME

    async def close(self, code: int) -> None:
        self.writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError):
            await self.writer
        if not self.ws.closed:
            await self.ws.close(code=code, message=b"Discord double closed the connection")


@dataclass(eq=False)
class GatewaySession:
    """A gateway session; outlives its websocket so that RESUME can replay what was missed."""

    world: World
    intents: int
    shard: list[int]
    id: str = field(default_factory=lambda: secrets.token_hex(16))
    seq: int = 0
    buffer: list[JSON] = field(default_factory=list)
    conn: GatewayConnection | None = None
    invalid: bool = False
    resumes: int = 0
    received: list[JSON] = field(default_factory=list)

    def owns(self, guild_id: int | None) -> bool:
        """Whether this session's shard receives the events of ``guild_id`` (None: DMs, shard 0)."""
        shard_id, shard_count = self.shard
        if guild_id is None:
            return shard_id == 0
        return shard_of(guild_id, shard_count) == shard_id

    def emit(self, event: str, data: JSON) -> None:
        """Sequence a DISPATCH, keep it for replay, and send it if connected (subject to intents)."""
        if self.invalid:
            return
        need = required_intent(event, data)
        if event == "THREAD_MEMBERS_UPDATE" and self._about_bot(data):
            need = 0
        if need and not self.intents & need:
            return
        if not self._bot_can_see(event, data):
            return
        self.seq += 1
        frame = {"op": 0, "t": event, "s": self.seq, "d": self._redact(event, data)}
        self.buffer.append(frame)
        if self.conn is not None:
            self.conn.send(frame)

    def _bot_can_see(self, event: str, data: JSON) -> bool:
        """Message events only reach the bot from channels it can view (private threads: when joined)."""
        if not event.startswith("MESSAGE_") or not data.get("guild_id"):
            return True
        channel = self.world.channels.get(int(data.get("channel_id") or 0))
        if channel is None or channel.guild is None:
            return True
        bot = channel.guild.bot_member
        have = channel.guild.permissions_for(bot, channel)
        if not have & VIEW_CHANNEL:
            return False
        return channel.type != PRIVATE_THREAD or bot.id in channel.thread_members or bool(have & MANAGE_THREADS)

    def _about_bot(self, data: JSON) -> bool:
        bot_id = str(self.world.bot_user.id)
        added = {m.get("user_id") for m in data.get("added_members", [])}
        return bot_id in added or bot_id in data.get("removed_member_ids", [])

    def _redact(self, event: str, data: JSON) -> JSON:
        """Without MESSAGE_CONTENT, guild messages lose content unless they mention or are from the bot."""
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE") or self.intents & MESSAGE_CONTENT:
            return data
        bot_id = str(self.world.bot_user.id)
        if not data.get("guild_id") or data.get("author", {}).get("id") == bot_id:
            return data
        if any(m.get("id") == bot_id for m in data.get("mentions", [])):
            return data
        redacted = copy.deepcopy(data)
        redacted.update(content="", embeds=[], attachments=[], components=[])
        redacted.pop("poll", None)
        return redacted


class Gateway:
    """The websocket endpoint and the set of sessions."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.sessions: dict[str, GatewaySession] = {}
        self.identify_count = 0
        world.add_dispatcher(self.broadcast)

    def broadcast(self, event: str, data: JSON) -> None:
        """Send an event to every session of the shard that owns its guild."""
        guild_id = event_guild_id(event, data)
        for session in self.sessions.values():
            if session.owns(guild_id):
                session.emit(event, data)

    def live_sessions(self) -> list[GatewaySession]:
        return [s for s in self.sessions.values() if not s.invalid]

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, timeout=2.0)
        await ws.prepare(request)
        conn = GatewayConnection(ws)
        conn.send({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS, "_trace": ["discord-double"]}})
        session: GatewaySession | None = None
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                session = await self._on_frame(conn, session, payload)
        finally:
            if session is not None and session.conn is conn:
                session.conn = None
                if ws.close_code in (1000, 1001):
                    session.invalid = True  # a clean client close ends the session, as on Discord
            await conn.close(1000)
            self.world.changed()
        return ws

    async def _on_frame(
        self, conn: GatewayConnection, session: GatewaySession | None, payload: JSON
    ) -> GatewaySession | None:
        op = payload.get("op")
        raw = payload.get("d")
        data: JSON = raw if isinstance(raw, dict) else {}
        if session is not None:
            session.received.append(payload)
        if op == 1:
            conn.send({"op": 11})
        elif op == 2:
            return await self._identify(conn, data)
        elif op == 6:
            return await self._resume(conn, data)
        elif op == 8 and session is not None:
            self._request_members(session, data)
        elif op in (3, 4):
            pass  # presence / voice state from the bot: accepted and recorded, nothing to do
        else:
            log.warning("Discord double: unexpected gateway op %s: %s", op, payload)
        return session

    async def _identify(self, conn: GatewayConnection, data: JSON) -> GatewaySession | None:
        if data.get("token") != self.world.token:
            await conn.close(4004)
            return None
        shard = data.get("shard", [0, 1])
        if not valid_shard(shard):
            await conn.close(INVALID_SHARD)
            return None
        session = GatewaySession(self.world, int(data.get("intents", 0)), list(shard))
        session.received.append({"op": 2, "d": {**data, "token": "<redacted>"}})
        session.conn = conn
        self.sessions[session.id] = session
        self.identify_count += 1
        world = self.world
        guilds = [guild for gid, guild in world.guilds.items() if session.owns(gid)]
        user = {**world.bot_user.payload(), "verified": True, "mfa_enabled": False, "email": None}
        session.emit(
            "READY",
            {
                "v": 10,
                "user": user,
                "user_settings": {},
                "guilds": [{"id": str(guild.id), "unavailable": True} for guild in guilds],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": f"{world.base_url.replace('http', 'ws', 1)}/gateway",
                "shard": session.shard,
                "application": {"id": str(world.application_id), "flags": world.application_payload()["flags"]},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": ["local"],
                "auth": {},
                "_trace": ["discord-double"],
            },
        )
        for guild in guilds:
            session.emit("GUILD_CREATE", guild.payload(include_members=False))
        world.changed()
        return session

    async def _resume(self, conn: GatewayConnection, data: JSON) -> GatewaySession | None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or session.invalid or data.get("token") != self.world.token:
            conn.send({"op": 9, "d": False})
            return None
        if session.conn is not None and session.conn is not conn:
            await session.conn.close(4000)
        session.conn = conn
        last_seen = int(data.get("seq") or 0)
        for frame in session.buffer:
            if frame["s"] > last_seen:
                conn.send(frame)
        session.resumes += 1
        session.emit("RESUMED", {"_trace": ["discord-double"]})
        self.world.changed()
        return session

    def _request_members(self, session: GatewaySession, data: JSON) -> None:
        guild_ids = data["guild_id"] if isinstance(data["guild_id"], list) else [data["guild_id"]]
        for guild_id in guild_ids:
            guild = self.world.guilds.get(int(guild_id))
            if guild is None or not session.owns(guild.id):
                continue  # Discord answers only for guilds on the asking shard
            members = list(guild.members.values())
            not_found: list[str] = []
            if data.get("user_ids"):
                wanted = [int(u) for u in data["user_ids"]]
                not_found = [str(u) for u in wanted if u not in guild.members]
                members = [m for m in members if m.id in wanted]
            elif data.get("query"):
                query = str(data["query"]).lower()
                members = [m for m in members if m.user.username.startswith(query) or m.name.lower().startswith(query)]
            limit = int(data.get("limit") or 0)
            if limit:
                members = members[:limit]
            chunks = [members[i : i + 1000] for i in range(0, len(members), 1000)] or [[]]
            for index, chunk in enumerate(chunks):
                payload: JSON = {
                    "guild_id": str(guild.id),
                    "members": [m.payload() for m in chunk],
                    "chunk_index": index,
                    "chunk_count": len(chunks),
                }
                if not_found:
                    payload["not_found"] = not_found
                if data.get("nonce") is not None:
                    payload["nonce"] = data["nonce"]
                session.emit("GUILD_MEMBERS_CHUNK", payload)

    async def drop(self, session: GatewaySession, *, resume: bool, code: int) -> None:
        """Close a session's websocket; with ``resume=False`` the session is invalidated first."""
        conn, session.conn = session.conn, None
        if not resume:
            session.invalid = True
        if conn is not None:
            await conn.close(code)

    async def close_all(self) -> None:
        for session in self.sessions.values():
            conn, session.conn = session.conn, None
            session.invalid = True
            if conn is not None:
                await conn.close(1001)

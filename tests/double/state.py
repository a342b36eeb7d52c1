"""World: everything the double knows, shared by the gateway, the REST routes and the drivers."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .faults import FaultInjector
from .ids import SnowflakeGenerator, fake_bot_token
from .models import DM, JSON, ChannelHandle, MemberHandle, UserRecord
from .ratelimit import RateLimiter
from .recorder import RecordedCall, Signal

if TYPE_CHECKING:
    from .guild import GuildHandle
    from .interactions import InteractionRecord

log = logging.getLogger("tests.double")

Dispatcher = Callable[[str, JSON], None]


class World:
    """The double's state. Tests normally reach it through :class:`DiscordDouble`."""

    def __init__(self, *, bot_name: str = "Kindred", interaction_timeout: float = 3.0, shard_count: int = 1) -> None:
        self.snowflake = SnowflakeGenerator()
        #: The shard count ``GET /gateway/bot`` recommends; guilds can be placed on a shard (``add_guild(shard=)``).
        self.shard_count = shard_count
        self.bot_user = UserRecord(self.snowflake(), bot_name.lower(), global_name=None, bot=True)
        self.app_owner = UserRecord(self.snowflake(), "appowner", global_name="App Owner")
        self.application_id = self.bot_user.id
        self.token = fake_bot_token(self.bot_user.id)
        self.verify_key = secrets.token_hex(32)
        self.interaction_timeout = interaction_timeout
        #: Interaction tokens (followups, edits of the original) are valid for 15 minutes.
        self.interaction_token_lifetime = 15 * 60.0
        #: The double's idea of "now" for rules about the future (a scheduled event must start after it). Tests
        #: with a fake clock point this at it, so their fixed dates never fall into the real past.
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self.base_url = ""  # set when the server starts: http://127.0.0.1:{port}
        self.users: dict[int, UserRecord] = {self.bot_user.id: self.bot_user, self.app_owner.id: self.app_owner}
        self.guilds: dict[int, GuildHandle] = {}
        self.channels: dict[int, ChannelHandle] = {}
        self.dm_channels: dict[int, ChannelHandle] = {}
        self.closed_dms: set[int] = set()
        self.messages: dict[int, JSON] = {}
        self.attachments: dict[int, bytes] = {}
        self.global_commands: list[JSON] = []
        self.guild_commands: dict[int, list[JSON]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.calls: list[RecordedCall] = []
        self.internal_errors: list[str] = []
        self.signal = Signal()
        self.faults = FaultInjector()
        # Discord's rate limits, enforced only when a test turns them on (DiscordDouble.enforce_rate_limits).
        self.rate_limiter: RateLimiter | None = None
        self._dispatchers: list[Dispatcher] = []

    # -- gateway fan-out ------------------------------------------------------------------------------
    def add_dispatcher(self, dispatcher: Dispatcher) -> None:
        self._dispatchers.append(dispatcher)

    def dispatch(self, event: str, data: JSON) -> None:
        """Send a gateway DISPATCH to every connected (or resumable) session, then wake waiters."""
        for dispatcher in self._dispatchers:
            dispatcher(event, data)
        self.signal.notify()

    # -- lookups --------------------------------------------------------------------------------------
    def application_payload(self) -> JSON:
        return {
            "id": str(self.application_id),
            "name": self.bot_user.username.title(),
            "icon": None,
            "description": "Local Discord double application",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": self.verify_key,
            "owner": self.app_owner.payload(),
            "team": None,
            "flags": (1 << 15) | (1 << 19) | (1 << 23),  # members, message content, commands badge
            "rpc_origins": [],
            "tags": [],
            "install_params": None,
            "custom_install_url": None,
            "terms_of_service_url": None,
            "privacy_policy_url": None,
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "redirect_uris": [],
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
            "bot": self.bot_user.payload(),
        }

    def channel(self, channel_id: int) -> ChannelHandle | None:
        return self.channels.get(channel_id)

    def member(self, guild_id: int | None, user_id: int) -> MemberHandle | None:
        guild = self.guilds.get(guild_id) if guild_id is not None else None
        return None if guild is None else guild.members.get(user_id)

    def dm_channel_for(self, user: UserRecord) -> ChannelHandle:
        """The DM channel between the bot and ``user`` (created on first use, like Discord)."""
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = ChannelHandle(self.snowflake(), DM, "", recipient=user)
            self.dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return channel

    def commands_for(self, guild_id: int | None) -> list[JSON]:
        """Commands visible in a guild (guild commands first) or in DMs (global only)."""
        scoped = self.guild_commands.get(guild_id, []) if guild_id is not None else []
        names = {c["name"] for c in scoped}
        return scoped + [c for c in self.global_commands if c["name"] not in names]

    def messages_in(self, channel_id: int, *, include_ephemeral: bool = False) -> list[JSON]:
        """Messages in a channel, oldest first."""
        return [
            m
            for m in self.messages.values()
            if int(m["channel_id"]) == channel_id and (include_ephemeral or not m.get("flags", 0) & 64)
        ]

    def interaction_by_token(self, token: str) -> InteractionRecord | None:
        for record in self.interactions.values():
            if record.token == token:
                return record
        return None

    def changed(self) -> None:
        """Wake waiters after a state change that dispatches nothing (e.g. an ephemeral message)."""
        self.signal.notify()

    def unknown(self, kind: str, ident: Any) -> str:
        return f"Unknown {kind} {ident!r} in the Discord double"


WORLD_KEY = web.AppKey("world", World)

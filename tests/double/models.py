"""Users, roles, members, channels and scheduled events, with their Discord v10 payloads.

Handles are the objects tests hold (``alice``, ``text``, ``crisis_role``); each knows how to render itself as
the JSON Discord would send, and the payload shapes follow ``discord/types/*.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .ids import iso_now
from .permissions import Overwrite

if TYPE_CHECKING:
    from .guild import GuildHandle

JSON = dict[str, Any]

TEXT, DM, VOICE, CATEGORY, NEWS = 0, 1, 2, 4, 5
PUBLIC_THREAD, PRIVATE_THREAD = 11, 12
THREAD_TYPES = (10, PUBLIC_THREAD, PRIVATE_THREAD)


@dataclass(eq=False)
class UserRecord:
    """A Discord user (a member's account, or the bot itself)."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    #: The language the user's Discord client is set to; interactions carry it as ``locale``.
    locale: str = "en-US"

    @property
    def name(self) -> str:
        """The display name (global name if set, else the username)."""
        return self.global_name or self.username

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
            "flags": 0,
            "primary_guild": None,
            "collectibles": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass(eq=False)
class RoleHandle:
    """A guild role. ``id == guild.id`` for @everyone."""

    id: int
    guild: GuildHandle
    name: str
    permissions: int
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        return "@everyone" if self.id == self.guild.id else f"<@&{self.id}>"

    def payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "color": self.color,
            "colors": {"primary_color": self.color, "secondary_color": None, "tertiary_color": None},
            "hoist": self.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class MemberHandle:
    """A guild member. ``name`` is the display name tests gave it."""

    user: UserRecord
    guild: GuildHandle
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)
    communication_disabled_until: str | None = None

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.nick or self.user.name

    @property
    def mention(self) -> str:
        return self.user.mention

    @property
    def roles(self) -> list[RoleHandle]:
        return [self.guild.roles[r] for r in self.role_ids if r in self.guild.roles]

    def permissions(self, channel: ChannelHandle | None = None) -> int:
        """Guild-level permissions, or the effective permissions in ``channel``."""
        return self.guild.permissions_for(self, channel)

    def payload(self, *, with_user: bool = True, permissions: int | None = None) -> JSON:
        data: JSON = {
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.role_ids],
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": self.communication_disabled_until,
            "avatar_decoration_data": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass(eq=False)
class ChannelHandle:
    """A guild channel, category, thread or DM channel."""

    id: int
    type: int
    name: str
    guild: GuildHandle | None = None
    parent_id: int | None = None
    position: int = 0
    overwrites: list[Overwrite] = field(default_factory=list)
    topic: str | None = None
    nsfw: bool = False
    rate_limit_per_user: int = 0
    bitrate: int = 64000
    user_limit: int = 0
    last_message_id: int | None = None
    # Threads
    owner_id: int | None = None
    thread_members: dict[int, str] = field(default_factory=dict)
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    auto_archive_duration: int = 1440
    message_count: int = 0
    created_at: str = field(default_factory=iso_now)
    # DMs
    recipient: UserRecord | None = None

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def is_dm(self) -> bool:
        return self.type == DM

    @property
    def parent(self) -> ChannelHandle | None:
        if self.guild is None or self.parent_id is None:
            return None
        return self.guild.channels.get(self.parent_id)

    def set_permissions(
        self,
        target: RoleHandle | MemberHandle,
        *,
        allow: Any = 0,
        deny: Any = 0,
    ) -> None:
        """Set (replace) the overwrite for a role or member; the bot is told with CHANNEL_UPDATE."""
        from .permissions import to_bits

        kind = 0 if isinstance(target, RoleHandle) else 1
        self.overwrites = [ow for ow in self.overwrites if ow.id != target.id]
        self.overwrites.append(Overwrite(target.id, kind, to_bits(allow), to_bits(deny)))
        if self.guild is not None:
            self.guild.world.dispatch("CHANNEL_UPDATE", self.payload())

    def thread_member_payload(self, user_id: int) -> JSON:
        return {
            "id": str(self.id),
            "user_id": str(user_id),
            "join_timestamp": self.thread_members.get(user_id, iso_now()),
            "flags": 0,
        }

    def payload(self) -> JSON:
        if self.type == DM:
            assert self.recipient is not None
            return {
                "id": str(self.id),
                "type": DM,
                "last_message_id": _opt_str(self.last_message_id),
                "recipients": [self.recipient.payload()],
                "flags": 0,
            }
        assert self.guild is not None
        base: JSON = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "name": self.name,
            "parent_id": _opt_str(self.parent_id),
            "nsfw": self.nsfw,
            "flags": 0,
        }
        if self.is_thread:
            base.update(
                owner_id=_opt_str(self.owner_id),
                last_message_id=_opt_str(self.last_message_id),
                rate_limit_per_user=self.rate_limit_per_user,
                message_count=self.message_count,
                total_message_sent=self.message_count,
                member_count=min(len(self.thread_members), 50),
                thread_metadata={
                    "archived": self.archived,
                    "auto_archive_duration": self.auto_archive_duration,
                    "archive_timestamp": self.created_at,
                    "locked": self.locked,
                    "invitable": self.invitable,
                    "create_timestamp": self.created_at,
                },
            )
            bot_id = self.guild.world.bot_user.id
            if bot_id in self.thread_members:
                base["member"] = self.thread_member_payload(bot_id)
            return base
        base.update(position=self.position, permission_overwrites=[ow.payload() for ow in self.overwrites])
        if self.type in (TEXT, NEWS, VOICE):
            base.update(
                topic=self.topic,
                last_message_id=_opt_str(self.last_message_id),
                last_pin_timestamp=None,
                rate_limit_per_user=self.rate_limit_per_user,
            )
        if self.type in (TEXT, NEWS):
            base.update(default_auto_archive_duration=1440, default_thread_rate_limit_per_user=0)
        if self.type == VOICE:
            base.update(bitrate=self.bitrate, user_limit=self.user_limit, rtc_region=None, video_quality_mode=1)
        return base


@dataclass(eq=False)
class ScheduledEventRecord:
    """A guild scheduled event, plus who marked themselves interested."""

    id: int
    guild_id: int
    name: str
    scheduled_start_time: str
    entity_type: int
    creator: UserRecord
    status: int = 1
    privacy_level: int = 2
    description: str | None = None
    scheduled_end_time: str | None = None
    channel_id: int | None = None
    location: str | None = None
    image: str | None = None
    interested: list[int] = field(default_factory=list)

    def payload(self, *, with_user_count: bool = True) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "guild_id": str(self.guild_id),
            "channel_id": _opt_str(self.channel_id),
            "creator_id": str(self.creator.id),
            "creator": self.creator.payload(),
            "name": self.name,
            "description": self.description,
            "scheduled_start_time": self.scheduled_start_time,
            "scheduled_end_time": self.scheduled_end_time,
            "privacy_level": self.privacy_level,
            "status": self.status,
            "entity_type": self.entity_type,
            "entity_id": None,
            "entity_metadata": {"location": self.location} if self.entity_type == 3 else None,
            "image": self.image,
            "recurrence_rule": None,
        }
        if with_user_count:
            data["user_count"] = len(self.interested)
        return data


def _opt_str(value: int | None) -> str | None:
    return None if value is None else str(value)

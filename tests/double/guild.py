"""GuildHandle: a guild built in code, and the GUILD_CREATE payload discord.py caches it from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import discord

from .ids import iso_now
from .models import (
    CATEGORY,
    JSON,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    TEXT,
    VOICE,
    ChannelHandle,
    MemberHandle,
    RoleHandle,
    ScheduledEventRecord,
    UserRecord,
)
from .permissions import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    Overwrite,
    apply_overwrites,
    base_permissions,
    to_bits,
)

if TYPE_CHECKING:
    from .state import World

PermissionsLike = discord.Permissions | int
OverwritesLike = Mapping[
    RoleHandle | MemberHandle, discord.PermissionOverwrite | tuple[PermissionsLike, PermissionsLike]
]


class GuildHandle:
    """A guild the double serves. Mutations made after the bot connected are dispatched to it.

    Attributes:
        id, name: the guild's snowflake and name.
        owner: the owner member (all permissions).
        default_role: @everyone (``id == guild.id``).
        bot_member / bot_role: the bot's member and its managed role (see :meth:`set_bot_permissions`).
        roles, members, channels, scheduled_events: state keyed by id (channels include threads).
        voice_states: user id -> voice channel id.
    """

    def __init__(self, world: World, name: str, *, owner_name: str = "Owner", shard: int | None = None) -> None:
        self.world = world
        if shard is not None and not 0 <= shard < world.shard_count:
            raise ValueError(f"shard {shard} is outside the double's {world.shard_count} shard(s)")
        self.id = world.snowflake(shard=None if shard is None else (shard, world.shard_count))
        self.name = name
        self.roles: dict[int, RoleHandle] = {}
        self.members: dict[int, MemberHandle] = {}
        self.channels: dict[int, ChannelHandle] = {}
        self.scheduled_events: dict[int, ScheduledEventRecord] = {}
        self.voice_states: dict[int, int] = {}
        self.joined_at = iso_now()
        #: The server's community language; interactions in it carry it as ``guild_locale``.
        self.preferred_locale = "en-US"
        self.default_role = RoleHandle(self.id, self, "@everyone", DEFAULT_EVERYONE_PERMISSIONS)
        self.roles[self.id] = self.default_role
        self.owner = self._new_member(owner_name, [], bot=False)
        self.bot_role = RoleHandle(
            world.snowflake(),
            self,
            world.bot_user.username,
            DEFAULT_BOT_PERMISSIONS,
            position=1,
            managed=True,
            bot_id=world.bot_user.id,
        )
        self.roles[self.bot_role.id] = self.bot_role
        self.bot_member = MemberHandle(world.bot_user, self, [self.bot_role.id])
        self.members[world.bot_user.id] = self.bot_member

    def __repr__(self) -> str:
        return f"<GuildHandle id={self.id} name={self.name!r}>"

    # -- building -------------------------------------------------------------------------------------
    def add_role(
        self,
        name: str,
        *,
        permissions: PermissionsLike = 0,
        mentionable: bool = False,
        hoist: bool = False,
        color: int = 0,
    ) -> RoleHandle:
        """Add a role (positioned above existing roles except the bot's). Dispatches GUILD_ROLE_CREATE."""
        position = max(r.position for r in self.roles.values()) + 1
        role = RoleHandle(
            self.world.snowflake(),
            self,
            name,
            to_bits(permissions),
            position=position,
            mentionable=mentionable,
            hoist=hoist,
            color=color,
        )
        self.roles[role.id] = role
        # Keep the bot's role on top, as after a typical invite + "drag the bot role up".
        self.bot_role.position = position + 1
        self.world.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(self.id), "role": role.payload()})
        return role

    def add_member(
        self,
        name: str,
        *,
        roles: Iterable[RoleHandle] = (),
        permissions: PermissionsLike | None = None,
        bot: bool = False,
        user: UserRecord | MemberHandle | None = None,
    ) -> MemberHandle:
        """Add a member. ``permissions`` creates a personal role granting them. Dispatches GUILD_MEMBER_ADD.

        ``user`` (a user, or their member handle in another guild) makes someone already in another server a
        member here too: one account, one DM channel, a member in each server.
        """
        role_list = list(roles)
        if permissions is not None:
            role_list.append(self.add_role(f"{name} perms", permissions=permissions))
        if user is not None:
            account = user.user if isinstance(user, MemberHandle) else user
            member = self.members[account.id] = MemberHandle(account, self, [r.id for r in role_list])
        else:
            member = self._new_member(name, [r.id for r in role_list], bot=bot)
        self.world.dispatch("GUILD_MEMBER_ADD", {"guild_id": str(self.id), **member.payload()})
        return member

    def remove_member(self, member: MemberHandle) -> None:
        """Remove a member (they left or were kicked). Dispatches GUILD_MEMBER_REMOVE."""
        self.members.pop(member.id, None)
        self.voice_states.pop(member.id, None)
        self.world.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": str(self.id), "user": member.user.payload()})

    def add_category(self, name: str, *, overwrites: OverwritesLike | None = None) -> ChannelHandle:
        """Add a category channel (type 4)."""
        return self._add_channel(CATEGORY, name, None, overwrites)

    def add_text_channel(
        self,
        name: str,
        *,
        category: ChannelHandle | None = None,
        overwrites: OverwritesLike | None = None,
        topic: str | None = None,
    ) -> ChannelHandle:
        """Add a text channel (type 0). The first one becomes the system channel."""
        channel = self._add_channel(TEXT, name, category, overwrites, topic=topic)
        return channel

    def add_voice_channel(
        self,
        name: str,
        *,
        category: ChannelHandle | None = None,
        overwrites: OverwritesLike | None = None,
        user_limit: int = 0,
    ) -> ChannelHandle:
        """Add a voice channel (type 2)."""
        return self._add_channel(VOICE, name, category, overwrites, user_limit=user_limit)

    def add_thread(
        self,
        parent: ChannelHandle,
        name: str,
        *,
        owner: MemberHandle | None = None,
        private: bool = False,
        members: Iterable[MemberHandle] = (),
    ) -> ChannelHandle:
        """A thread a member (default: the owner) started; the bot gets THREAD_CREATE if it can see it."""
        starter = owner or self.owner
        thread = ChannelHandle(
            self.world.snowflake(),
            PRIVATE_THREAD if private else PUBLIC_THREAD,
            name,
            guild=self,
            parent_id=parent.id,
            owner_id=starter.id,
            invitable=True,
        )
        for member in [starter, *members]:
            thread.thread_members[member.id] = iso_now()
        self.register_channel(thread)
        self.world.dispatch("THREAD_CREATE", {**thread.payload(), "newly_created": True})
        return thread

    def set_member_roles(self, member: MemberHandle, roles: Iterable[RoleHandle]) -> None:
        """Replace a member's roles (a moderator edited them): GUILD_MEMBER_UPDATE."""
        member.role_ids = [r.id for r in roles]
        self.world.dispatch("GUILD_MEMBER_UPDATE", {"guild_id": str(self.id), **member.payload()})

    def set_bot_permissions(
        self,
        permissions: PermissionsLike,
        *,
        channel: ChannelHandle | None = None,
        deny: PermissionsLike = 0,
    ) -> None:
        """Set the bot's guild permissions (its managed role), or with ``channel``, a member overwrite there."""
        if channel is not None:
            channel.set_permissions(self.bot_member, allow=permissions, deny=deny)
            return
        self.bot_role.permissions = to_bits(permissions)
        self.world.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(self.id), "role": self.bot_role.payload()})

    # -- queries --------------------------------------------------------------------------------------
    @property
    def text_channels(self) -> list[ChannelHandle]:
        return [c for c in self.channels.values() if c.type == TEXT]

    def get_member(self, user_id: int) -> MemberHandle | None:
        return self.members.get(user_id)

    def permissions_for(self, member: MemberHandle, channel: ChannelHandle | None = None) -> int:
        """Discord's permission algorithm: owner/admin -> all; roles; then channel overwrites."""
        base = base_permissions(
            is_owner=member.id == self.owner.id,
            everyone=self.default_role.permissions,
            role_permissions=(self.roles[r].permissions for r in member.role_ids if r in self.roles),
        )
        if channel is None:
            return base
        target = channel.parent if channel.is_thread and channel.parent is not None else channel
        return apply_overwrites(
            base,
            guild_id=self.id,
            member_id=member.id,
            role_ids=member.role_ids,
            overwrites=target.overwrites,
        )

    # -- payloads -------------------------------------------------------------------------------------
    def payload(self, *, include_members: bool = True) -> JSON:
        """The full GUILD_CREATE payload (also returned, trimmed, by GET /guilds/{id})."""
        bot_id = self.world.bot_user.id
        voice_ids = set(self.voice_states)
        members = [m.payload() for m in self.members.values() if include_members or m.id == bot_id or m.id in voice_ids]
        text = self.text_channels
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "icon_hash": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner.id),
            "region": "deprecated",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "widget_enabled": False,
            "widget_channel_id": None,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "nsfw_level": 0,
            "nsfw": False,
            "application_id": None,
            "system_channel_id": str(text[0].id) if text else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.preferred_locale,
            "max_presences": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "incidents_data": None,
            "joined_at": self.joined_at,
            "large": False,
            "unavailable": False,
            "lazy": True,
            "member_count": len(self.members),
            "members": members,
            "voice_states": [self.voice_state_payload(uid, include_member=False) for uid in self.voice_states],
            "presences": [],
            "channels": [c.payload() for c in self.channels.values() if not c.is_thread],
            "threads": [c.payload() for c in self.channels.values() if c.is_thread and not c.archived],
            "stage_instances": [],
            "guild_scheduled_events": [e.payload() for e in self.scheduled_events.values()],
            "soundboard_sounds": [],
            "embedded_activities": [],
        }

    def voice_state_payload(self, user_id: int, *, include_member: bool = True) -> JSON:
        channel_id = self.voice_states.get(user_id)
        data: JSON = {
            "guild_id": str(self.id),
            "channel_id": None if channel_id is None else str(channel_id),
            "user_id": str(user_id),
            "session_id": f"voice-{user_id}",
            "deaf": False,
            "mute": False,
            "self_deaf": False,
            "self_mute": False,
            "self_video": False,
            "self_stream": False,
            "suppress": False,
            "request_to_speak_timestamp": None,
        }
        member = self.members.get(user_id)
        if include_member and member is not None:
            data["member"] = member.payload()
        return data

    # -- internals ------------------------------------------------------------------------------------
    def _new_member(self, name: str, role_ids: list[int], *, bot: bool) -> MemberHandle:
        username = "".join(ch for ch in name.lower() if ch.isalnum() or ch in "._") or "user"
        user = UserRecord(self.world.snowflake(), username, global_name=name, bot=bot)
        self.world.users[user.id] = user
        member = MemberHandle(user, self, role_ids)
        self.members[user.id] = member
        return member

    def _add_channel(
        self,
        kind: int,
        name: str,
        category: ChannelHandle | None,
        overwrites: OverwritesLike | None,
        **extra: Any,
    ) -> ChannelHandle:
        channel = ChannelHandle(
            self.world.snowflake(),
            kind,
            name,
            guild=self,
            parent_id=None if category is None else category.id,
            position=sum(1 for c in self.channels.values() if not c.is_thread),
            overwrites=self._convert_overwrites(overwrites or {}),
            **extra,
        )
        self.register_channel(channel)
        self.world.dispatch("CHANNEL_CREATE", channel.payload())
        return channel

    def register_channel(self, channel: ChannelHandle) -> None:
        """Index a channel (or thread) in this guild and in the double's global channel map."""
        self.channels[channel.id] = channel
        self.world.channels[channel.id] = channel

    @staticmethod
    def _convert_overwrites(overwrites: OverwritesLike) -> list[Overwrite]:
        result = []
        for target, value in overwrites.items():
            if isinstance(value, discord.PermissionOverwrite):
                allow, deny = (p.value for p in value.pair())
            else:
                allow, deny = to_bits(value[0]), to_bits(value[1])
            result.append(Overwrite(target.id, 0 if isinstance(target, RoleHandle) else 1, allow, deny))
        return result

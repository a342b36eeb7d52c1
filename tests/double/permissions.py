"""Discord's permission arithmetic: guild base permissions, then channel overwrites.

Follows https://discord.com/developers/docs/topics/permissions#permission-overwrites so that the numbers the
double puts in interactions (``member.permissions``, ``app_permissions``) and the checks it applies to REST
calls agree with what discord.py computes from the same guild.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import discord

ALL = discord.Permissions.all().value
ADMINISTRATOR = discord.Permissions(administrator=True).value
VIEW_CHANNEL = discord.Permissions(view_channel=True).value
SEND_MESSAGES = discord.Permissions(send_messages=True).value
SEND_IN_THREADS = discord.Permissions(send_messages_in_threads=True).value
ATTACH_FILES = discord.Permissions(attach_files=True).value
MANAGE_CHANNELS = discord.Permissions(manage_channels=True).value
MANAGE_ROLES = discord.Permissions(manage_roles=True).value
PIN_MESSAGES = discord.Permissions(pin_messages=True).value
MANAGE_MESSAGES = discord.Permissions(manage_messages=True).value
MODERATE_MEMBERS = discord.Permissions(moderate_members=True).value
MANAGE_THREADS = discord.Permissions(manage_threads=True).value
MANAGE_EVENTS = discord.Permissions(manage_events=True).value
CREATE_EVENTS = discord.Permissions(create_events=True).value
CREATE_PUBLIC_THREADS = discord.Permissions(create_public_threads=True).value
CREATE_PRIVATE_THREADS = discord.Permissions(create_private_threads=True).value
CONNECT = discord.Permissions(connect=True).value


def allowing(*names: str) -> int:
    """The bits of the named permissions (``discord.Permissions`` flag names; an unknown name raises)."""
    return discord.Permissions(**dict.fromkeys(names, True)).value


#: Seeing a channel and its history.
READ = allowing("view_channel", "read_message_history")
#: Posting messages with links, files, reactions and emoji from other servers.
POST = allowing("send_messages", "embed_links", "attach_files", "add_reactions", "use_external_emojis")
#: Talking in and starting threads.
THREADS = allowing("send_messages_in_threads", "create_public_threads", "create_private_threads")
#: Joining a voice channel and speaking there.
VOICE = allowing("connect", "speak")
#: What the bot and @everyone both have: reading, posting, threads, voice and slash commands.
MEMBER_BASICS = READ | POST | THREADS | VOICE | allowing("use_application_commands")

#: Everything a typical community bot needs, short of administrator, so missing-permission paths stay testable:
#: the basics, keeping order (messages, threads, members) and running the server (channels, roles, events).
DEFAULT_BOT_PERMISSIONS = (
    MEMBER_BASICS
    | allowing("manage_messages", "manage_threads", "moderate_members", "move_members", "mute_members")
    | allowing("manage_channels", "manage_roles", "manage_events", "create_events")
)

#: What @everyone gets in a new Discord server: the basics, and what Discord lets every member do by default.
DEFAULT_EVERYONE_PERMISSIONS = (
    MEMBER_BASICS
    | allowing("create_instant_invite", "change_nickname", "use_external_stickers", "send_voice_messages")
    | allowing("send_polls", "use_external_apps", "stream", "use_voice_activation", "use_embedded_activities")
)

#: What an app may do in a DM channel (the ``app_permissions`` Discord sends with a DM interaction).
DM_APP_PERMISSIONS = READ | POST | allowing("mention_everyone")


def to_bits(value: discord.Permissions | int | None, default: int = 0) -> int:
    """Accept ``discord.Permissions`` or a raw int."""
    if value is None:
        return default
    if isinstance(value, discord.Permissions):
        return value.value
    return int(value)


@dataclass
class Overwrite:
    """A channel permission overwrite: ``type`` 0 = role, 1 = member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, object]:
        return {"id": str(self.id), "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


def base_permissions(*, is_owner: bool, everyone: int, role_permissions: Iterable[int]) -> int:
    """Guild-level permissions: owner and administrator get everything."""
    if is_owner:
        return ALL
    perms = everyone
    for bits in role_permissions:
        perms |= bits
    if perms & ADMINISTRATOR:
        return ALL
    return perms


def apply_overwrites(
    base: int,
    *,
    guild_id: int,
    member_id: int,
    role_ids: Iterable[int],
    overwrites: Iterable[Overwrite],
) -> int:
    """Apply @everyone, then the member's roles, then the member's own overwrite."""
    if base & ADMINISTRATOR:
        return ALL
    by_id = {ow.id: ow for ow in overwrites}
    perms = base
    everyone = by_id.get(guild_id)
    if everyone is not None:
        perms = (perms & ~everyone.deny) | everyone.allow
    allow = deny = 0
    for role_id in role_ids:
        ow = by_id.get(role_id)
        if ow is not None and ow.type == 0:
            allow |= ow.allow
            deny |= ow.deny
    perms = (perms & ~deny) | allow
    own = by_id.get(member_id)
    if own is not None and own.type == 1:
        perms = (perms & ~own.deny) | own.allow
    if not perms & VIEW_CHANNEL:
        return 0
    return perms


def describe(bits: int) -> str:
    """Human-readable names of the permissions in ``bits`` (for error messages)."""
    names = [name for name, value in discord.Permissions(bits) if value]
    return ", ".join(names) or "none"

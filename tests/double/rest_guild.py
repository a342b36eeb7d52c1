"""REST: guilds, channels, threads, members and roles, scheduled events."""

from __future__ import annotations

import re

from aiohttp import web

from . import permissions as perms
from .guild import GuildHandle
from .http_util import API_PREFIX as API
from .http_util import ApiError, body_of, known, no_content, ok, snowflake_param
from .ids import iso_now
from .models import (
    CATEGORY,
    JSON,
    NEWS,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    TEXT,
    VOICE,
    ChannelHandle,
)
from .permissions import Overwrite
from .rest_core import get_channel, get_member, require, world_of

routes = web.RouteTableDef()


def get_guild(request: web.Request) -> GuildHandle:
    return known(world_of(request).guilds.get(snowflake_param(request, "guild_id")), "Guild", 10004)


def require_guild(guild: GuildHandle, needed: int) -> None:
    have = guild.permissions_for(guild.bot_member)
    if have & needed != needed:
        raise ApiError.missing_permissions(perms.describe(needed & ~have))


# -- guild, roles, members ----------------------------------------------------------------------------
@routes.get(API + "/guilds/{guild_id}")
async def get_guild_route(request: web.Request) -> web.Response:
    data = get_guild(request).payload(include_members=False)
    for key in ("members", "channels", "threads", "voice_states", "presences", "guild_scheduled_events"):
        data.pop(key, None)
    return ok(data)


@routes.get(API + "/guilds/{guild_id}/roles")
async def get_roles(request: web.Request) -> web.Response:
    return ok([r.payload() for r in get_guild(request).roles.values()])


@routes.get(API + "/guilds/{guild_id}/channels")
async def get_guild_channels(request: web.Request) -> web.Response:
    return ok([c.payload() for c in get_guild(request).channels.values() if not c.is_thread])


@routes.get(API + "/guilds/{guild_id}/members")
async def list_members(request: web.Request) -> web.Response:
    members = sorted(get_guild(request).members.values(), key=lambda m: m.id)
    after = int(request.query.get("after", 0))
    limit = int(request.query.get("limit", 1))
    return ok([m.payload() for m in members if m.id > after][:limit])


@routes.get(API + "/guilds/{guild_id}/members/{user_id}")
async def get_member_route(request: web.Request) -> web.Response:
    return ok(get_member(request, get_guild(request)).payload())


@routes.put(API + "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
@routes.delete(API + "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def member_role(request: web.Request) -> web.Response:
    guild = get_guild(request)
    member = get_member(request, guild)
    role = known(guild.roles.get(snowflake_param(request, "role_id")), "Role", 10011)
    require_guild(guild, perms.MANAGE_ROLES)
    top = max((guild.roles[r].position for r in guild.bot_member.role_ids), default=0)
    if guild.owner.id != guild.bot_member.id and role.position >= top:
        raise ApiError.missing_permissions("role is above the bot's highest role")
    if request.method == "PUT" and role.id not in member.role_ids:
        member.role_ids.append(role.id)
    elif request.method == "DELETE" and role.id in member.role_ids:
        member.role_ids.remove(role.id)
    world_of(request).dispatch("GUILD_MEMBER_UPDATE", {"guild_id": str(guild.id), **member.payload()})
    return no_content()


@routes.patch(API + "/guilds/{guild_id}/members/{user_id}")
async def edit_member(request: web.Request) -> web.Response:
    world = world_of(request)
    guild = get_guild(request)
    member = get_member(request, guild)
    body = body_of(request).obj()
    if "nick" in body:
        member.nick = body["nick"]
    if "roles" in body:
        require_guild(guild, perms.MANAGE_ROLES)
        member.role_ids = [int(r) for r in body["roles"]]
    if "communication_disabled_until" in body:
        require_guild(guild, perms.MODERATE_MEMBERS)
        member.communication_disabled_until = body["communication_disabled_until"]
    if "channel_id" in body:
        target = body["channel_id"]
        if target is None:
            guild.voice_states.pop(member.id, None)
        else:
            guild.voice_states[member.id] = int(target)
        world.dispatch("VOICE_STATE_UPDATE", guild.voice_state_payload(member.id))
    world.dispatch("GUILD_MEMBER_UPDATE", {"guild_id": str(guild.id), **member.payload()})
    return ok(member.payload())


# -- channels -----------------------------------------------------------------------------------------
@routes.post(API + "/guilds/{guild_id}/channels")
async def create_channel(request: web.Request) -> web.Response:
    world = world_of(request)
    guild = get_guild(request)
    require_guild(guild, perms.MANAGE_CHANNELS)
    body = body_of(request).obj()
    kind = int(body.get("type") or TEXT)
    if kind not in (TEXT, VOICE, CATEGORY, NEWS):
        raise ApiError.invalid_form("type", f"Channel type {kind} is not supported by the double")
    name = _channel_name(body.get("name"), kind)
    _check_channel_fields(guild, body)
    channel = ChannelHandle(
        world.snowflake(),
        kind,
        name,
        guild=guild,
        parent_id=int(body["parent_id"]) if body.get("parent_id") else None,
        position=int(body.get("position") or len(guild.channels)),
        overwrites=_overwrites(body.get("permission_overwrites") or []),
        topic=body.get("topic"),
        nsfw=bool(body.get("nsfw", False)),
        user_limit=int(body.get("user_limit") or 0),
        bitrate=int(body.get("bitrate") or 64000),
    )
    guild.register_channel(channel)
    world.dispatch("CHANNEL_CREATE", channel.payload())
    return ok(channel.payload(), status=201)


@routes.get(API + "/channels/{channel_id}")
async def get_channel_route(request: web.Request) -> web.Response:
    return ok(get_channel(request).payload())


@routes.patch(API + "/channels/{channel_id}")
async def edit_channel(request: web.Request) -> web.Response:
    world = world_of(request)
    channel = get_channel(request)
    body = body_of(request).obj()
    if channel.is_thread:
        if channel.owner_id != world.bot_user.id or {"locked", "invitable"} & body.keys():
            require(world, channel, perms.MANAGE_THREADS)
    else:
        require(world, channel, perms.MANAGE_CHANNELS)
    if "name" in body:
        body = {**body, "name": _channel_name(body["name"], channel.type)}
    if not channel.is_thread:
        _check_channel_fields(channel.guild, body)
    if "auto_archive_duration" in body and channel.is_thread:
        _check_archive_duration(body["auto_archive_duration"])
    for key in ("name", "topic", "nsfw", "position", "user_limit", "bitrate", "rate_limit_per_user"):
        if key in body:
            setattr(channel, key, body[key])
    for key in ("archived", "locked", "invitable", "auto_archive_duration"):
        if key in body and channel.is_thread:
            setattr(channel, key, body[key])
    if "parent_id" in body and not channel.is_thread:
        channel.parent_id = int(body["parent_id"]) if body["parent_id"] else None
    if "permission_overwrites" in body:
        channel.overwrites = _overwrites(body["permission_overwrites"])
    world.dispatch("THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE", channel.payload())
    return ok(channel.payload())


@routes.delete(API + "/channels/{channel_id}")
async def delete_channel(request: web.Request) -> web.Response:
    world = world_of(request)
    channel = get_channel(request)
    require(world, channel, perms.MANAGE_THREADS if channel.is_thread else perms.MANAGE_CHANNELS)
    assert channel.guild is not None
    channel.guild.channels.pop(channel.id, None)
    world.channels.pop(channel.id, None)
    if channel.is_thread:
        data: JSON = {"id": str(channel.id), "guild_id": str(channel.guild.id), "parent_id": str(channel.parent_id)}
        world.dispatch("THREAD_DELETE", {**data, "type": channel.type})
    else:
        world.dispatch("CHANNEL_DELETE", channel.payload())
    return ok(channel.payload())


@routes.put(API + "/channels/{channel_id}/permissions/{target}")
@routes.delete(API + "/channels/{channel_id}/permissions/{target}")
async def channel_overwrite(request: web.Request) -> web.Response:
    world = world_of(request)
    channel = get_channel(request)
    require(world, channel, perms.MANAGE_ROLES)
    target = snowflake_param(request, "target")
    channel.overwrites = [ow for ow in channel.overwrites if ow.id != target]
    if request.method == "PUT":
        body = body_of(request).obj()
        allow, deny = int(body.get("allow") or 0), int(body.get("deny") or 0)
        channel.overwrites.append(Overwrite(target, int(body.get("type", 0)), allow, deny))
    world.dispatch("CHANNEL_UPDATE", channel.payload())
    return no_content()


# -- threads ------------------------------------------------------------------------------------------
@routes.post(API + "/channels/{channel_id}/threads")
@routes.post(API + "/channels/{channel_id}/messages/{message_id}/threads")
async def create_thread(request: web.Request) -> web.Response:
    world = world_of(request)
    parent = get_channel(request)
    body = body_of(request).obj()
    from_message = "message_id" in request.match_info
    if parent.type not in (TEXT, NEWS) or parent.guild is None:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    news_thread = 10
    if from_message:
        kind = news_thread if parent.type == NEWS else PUBLIC_THREAD
    else:
        kind = int(body.get("type") or PRIVATE_THREAD)  # v10 still defaults to a private thread
        allowed = (news_thread,) if parent.type == NEWS else (PUBLIC_THREAD, PRIVATE_THREAD)
        if kind not in allowed:
            raise ApiError.invalid_form(
                "type", f"Thread type {kind} cannot be created in a channel of type {parent.type}"
            )
    name = body.get("name")
    if name is None or not str(name).strip():
        raise ApiError.invalid_form("name", "This field is required")
    if len(str(name)) > 100:
        raise ApiError.invalid_form("name", "Must be between 1 and 100 in length.")
    if body.get("auto_archive_duration") is not None:
        _check_archive_duration(body["auto_archive_duration"])
    rate = body.get("rate_limit_per_user")
    if rate is not None and not 0 <= int(rate) <= 21600:
        raise ApiError.invalid_form("rate_limit_per_user", "int value should be between 0 and 21600.")
    require(world, parent, perms.CREATE_PRIVATE_THREADS if kind == PRIVATE_THREAD else perms.CREATE_PUBLIC_THREADS)
    if from_message:
        source = world.messages.get(snowflake_param(request, "message_id"))
        if source is None or int(source["channel_id"]) != parent.id:
            raise ApiError.not_found("Message", 10008)
        if world.channel(int(source["id"])) is not None:
            raise ApiError(400, 160004, "A thread has already been created for this message")
    thread = ChannelHandle(
        snowflake_param(request, "message_id") if from_message else world.snowflake(),
        kind,
        str(name),
        guild=parent.guild,
        parent_id=parent.id,
        owner_id=world.bot_user.id,
        invitable=bool(body.get("invitable", True)),
        auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
    )
    thread.thread_members[world.bot_user.id] = iso_now()
    parent.guild.register_channel(thread)
    world.dispatch("THREAD_CREATE", {**thread.payload(), "newly_created": True})
    return ok(thread.payload(), status=201)


@routes.put(API + "/channels/{channel_id}/thread-members/{user_id}")
@routes.delete(API + "/channels/{channel_id}/thread-members/{user_id}")
async def thread_member(request: web.Request) -> web.Response:
    world = world_of(request)
    thread = get_channel(request)
    if not thread.is_thread or thread.guild is None:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    raw = request.match_info["user_id"]
    user_id = world.bot_user.id if raw == "@me" else snowflake_param(request, "user_id")
    if user_id not in thread.guild.members:
        raise ApiError.not_found("Member", 10007)
    if thread.archived and thread.locked:
        raise ApiError(400, 50083, "Thread is archived")
    # A private thread is invisible to a bot that is not in it, unless the bot can manage threads.
    in_thread = world.bot_user.id in thread.thread_members
    can_manage = thread.guild.permissions_for(thread.guild.bot_member, thread) & perms.MANAGE_THREADS
    if thread.type == PRIVATE_THREAD and not in_thread and not can_manage:
        raise ApiError.missing_access()
    if raw != "@me":
        require(world, thread, perms.SEND_IN_THREADS)
        if request.method == "DELETE" and thread.owner_id != world.bot_user.id:
            require(world, thread, perms.MANAGE_THREADS)
    update: JSON = {"id": str(thread.id), "guild_id": str(thread.guild.id)}
    if request.method == "PUT":
        thread.thread_members[user_id] = iso_now()
        added = {**thread.thread_member_payload(user_id), "member": thread.guild.members[user_id].payload()}
        update["added_members"] = [added]
    else:
        thread.thread_members.pop(user_id, None)
        update["removed_member_ids"] = [str(user_id)]
    update["member_count"] = len(thread.thread_members)
    world.dispatch("THREAD_MEMBERS_UPDATE", update)
    return no_content()


@routes.get(API + "/channels/{channel_id}/thread-members")
async def list_thread_members(request: web.Request) -> web.Response:
    thread = get_channel(request)
    return ok([thread.thread_member_payload(uid) for uid in thread.thread_members])


_ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)


def _check_archive_duration(value: object) -> None:
    if value not in _ARCHIVE_DURATIONS:
        raise ApiError.invalid_form("auto_archive_duration", f"Value must be one of {_ARCHIVE_DURATIONS}.")


def _channel_name(raw: object, kind: int) -> str:
    """Names are 1-100 characters; text and announcement names are lowercased with spaces as dashes."""
    if raw is None or not str(raw).strip():
        raise ApiError.invalid_form("name", "This field is required")
    name = str(raw)
    if len(name) > 100:
        raise ApiError.invalid_form("name", "Must be between 1 and 100 in length.")
    if kind in (TEXT, NEWS):
        name = re.sub(r"[\s-]+", "-", name.strip().lower())
    return name


def _check_channel_fields(guild: GuildHandle | None, body: JSON) -> None:
    """Topic at most 1024, slowmode 0-21600, user_limit 0-99, and a parent that is a category in this guild."""
    if body.get("topic") is not None and len(str(body["topic"])) > 1024:
        raise ApiError.invalid_form("topic", "Must be 1024 or fewer in length.")
    rate = body.get("rate_limit_per_user")
    if rate is not None and not 0 <= int(rate) <= 21600:
        raise ApiError.invalid_form("rate_limit_per_user", "int value should be between 0 and 21600.")
    limit = body.get("user_limit")
    if limit is not None and not 0 <= int(limit) <= 99:
        raise ApiError.invalid_form("user_limit", "int value should be between 0 and 99.")
    parent_id = body.get("parent_id")
    if parent_id and guild is not None:
        parent = guild.channels.get(int(parent_id))
        if parent is None or parent.type != CATEGORY:
            raise ApiError.invalid_form("parent_id", "Not a category", code="CHANNEL_PARENT_INVALID_TYPE")


def _overwrites(raw: list[JSON]) -> list[Overwrite]:
    return [
        Overwrite(int(o["id"]), int(o.get("type", 0)), int(o.get("allow") or 0), int(o.get("deny") or 0)) for o in raw
    ]

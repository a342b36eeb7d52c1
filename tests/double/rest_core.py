"""REST: the request helpers every route module shares, login, gateway discovery and application commands."""

from __future__ import annotations

from aiohttp import web

from . import permissions as perms
from .guild import GuildHandle
from .http_util import API_PREFIX as API
from .http_util import ApiError, body_of, known, ok, snowflake_param
from .models import JSON, ChannelHandle, MemberHandle
from .state import WORLD_KEY, World

routes = web.RouteTableDef()


def world_of(request: web.Request) -> World:
    """The double's world, which every route reads and changes."""
    return request.app[WORLD_KEY]


def get_channel(request: web.Request) -> ChannelHandle:
    """The channel named in the route, or Discord's Unknown Channel."""
    return known(world_of(request).channel(snowflake_param(request, "channel_id")), "Channel", 10003)


def get_member(request: web.Request, guild: GuildHandle) -> MemberHandle:
    """The member of ``guild`` named in the route, or Discord's Unknown Member."""
    return known(guild.members.get(snowflake_param(request, "user_id")), "Member", 10007)


def require(world: World, channel: ChannelHandle, needed: int) -> None:
    """403 like Discord when the bot lacks ``needed`` in ``channel`` (50001 if it cannot even see it)."""
    if channel.guild is None:
        return
    have = channel.guild.permissions_for(channel.guild.bot_member, channel)
    if not have & perms.VIEW_CHANNEL:
        raise ApiError.missing_access()
    if have & needed != needed:
        raise ApiError.missing_permissions(perms.describe(needed & ~have))


# -- login and discovery ------------------------------------------------------------------------------
@routes.get(API + "/gateway/bot")
async def gateway_bot(request: web.Request) -> web.Response:
    world = world_of(request)
    limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
    url = world.base_url.replace("http", "ws", 1) + "/gateway"
    return ok({"url": url, "shards": world.shard_count, "session_start_limit": limit})


@routes.get(API + "/gateway")
async def gateway(request: web.Request) -> web.Response:
    return ok({"url": world_of(request).base_url.replace("http", "ws", 1) + "/gateway"})


@routes.get(API + "/users/@me")
async def users_me(request: web.Request) -> web.Response:
    world = world_of(request)
    return ok({**world.bot_user.payload(), "verified": True, "mfa_enabled": False, "email": None, "locale": "en-US"})


@routes.get(API + "/oauth2/applications/@me")
async def application_me(request: web.Request) -> web.Response:
    return ok(world_of(request).application_payload())


@routes.get(API + "/users/{user_id}")
async def get_user(request: web.Request) -> web.Response:
    return ok(known(world_of(request).users.get(snowflake_param(request, "user_id")), "User", 10013).payload())


# -- application commands -----------------------------------------------------------------------------
@routes.put(API + "/applications/{application_id}/commands")
@routes.put(API + "/applications/{application_id}/guilds/{guild_id}/commands")
async def bulk_overwrite_commands(request: web.Request) -> web.Response:
    world = world_of(request)
    if snowflake_param(request, "application_id") != world.application_id:
        raise ApiError.missing_access()
    guild_id = int(request.match_info["guild_id"]) if "guild_id" in request.match_info else None
    if guild_id is not None and guild_id not in world.guilds:
        raise ApiError.missing_access()
    body = body_of(request).json or []
    previous = {c["name"]: c for c in (world.guild_commands.get(guild_id, []) if guild_id else world.global_commands)}
    echoed: list[JSON] = []
    for command in body:
        old = previous.get(command["name"])
        item: JSON = {
            "type": 1,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            **command,
            "id": old["id"] if old else str(world.snowflake()),
            "application_id": str(world.application_id),
            "version": str(world.snowflake()),
        }
        if guild_id is not None:
            item["guild_id"] = str(guild_id)
        echoed.append(item)
    if guild_id is None:
        world.global_commands = echoed
    else:
        world.guild_commands[guild_id] = echoed
    world.changed()
    return ok(echoed)


@routes.get(API + "/applications/{application_id}/commands")
@routes.get(API + "/applications/{application_id}/guilds/{guild_id}/commands")
async def get_commands(request: web.Request) -> web.Response:
    world = world_of(request)
    if "guild_id" in request.match_info:
        return ok(world.guild_commands.get(snowflake_param(request, "guild_id"), []))
    return ok(world.global_commands)

"""REST: guild scheduled events (create, edit with status changes, delete, interested users)."""

from __future__ import annotations

from aiohttp import web

from . import permissions as perms
from .guild import GuildHandle
from .http_util import API_PREFIX as API
from .http_util import ApiError, body_of, no_content, ok, snowflake_param
from .models import JSON, ScheduledEventRecord
from .rest_core import world_of
from .rest_guild import get_guild
from .state import World

routes = web.RouteTableDef()

#: Status changes Discord allows: scheduled -> active/canceled, active -> completed.
_ALLOWED_STATUS = {1: {2, 4}, 2: {3}}


def _event(request: web.Request) -> tuple[GuildHandle, ScheduledEventRecord]:
    guild = get_guild(request)
    event = guild.scheduled_events.get(snowflake_param(request, "guild_scheduled_event_id"))
    if event is None:
        raise ApiError.not_found("Guild Scheduled Event", 10070)
    return guild, event


def _require_event_permission(world: World, guild: GuildHandle, event: ScheduledEventRecord | None) -> None:
    have = guild.permissions_for(guild.bot_member)
    if have & perms.MANAGE_EVENTS:
        return
    own = event is None or event.creator.id == world.bot_user.id
    if own and have & perms.CREATE_EVENTS:
        return
    raise ApiError.missing_permissions("manage_events")


@routes.get(API + "/guilds/{guild_id}/scheduled-events")
async def list_events(request: web.Request) -> web.Response:
    guild = get_guild(request)
    with_count = request.query.get("with_user_count", "false").lower() in ("true", "1")
    return ok([e.payload(with_user_count=with_count) for e in guild.scheduled_events.values()])


@routes.post(API + "/guilds/{guild_id}/scheduled-events")
async def create_event(request: web.Request) -> web.Response:
    world = world_of(request)
    guild = get_guild(request)
    _require_event_permission(world, guild, None)
    body = body_of(request).obj()
    entity_type = int(body.get("entity_type") or 0)
    for key in ("name", "scheduled_start_time", "entity_type", "privacy_level"):
        if not body.get(key):
            raise ApiError.invalid_form(key, "This field is required")
    if entity_type == 3:
        if not (body.get("entity_metadata") or {}).get("location"):
            raise ApiError.invalid_form("entity_metadata.location", "This field is required")
        if not body.get("scheduled_end_time"):
            raise ApiError.invalid_form("scheduled_end_time", "This field is required")
    elif not body.get("channel_id") or int(body["channel_id"]) not in guild.channels:
        raise ApiError.invalid_form("channel_id", "A voice or stage channel is required")
    event = ScheduledEventRecord(
        world.snowflake(),
        guild.id,
        str(body["name"]),
        str(body["scheduled_start_time"]),
        entity_type,
        world.bot_user,
        privacy_level=int(body["privacy_level"]),
        description=body.get("description"),
        scheduled_end_time=body.get("scheduled_end_time"),
        channel_id=int(body["channel_id"]) if body.get("channel_id") else None,
        location=(body.get("entity_metadata") or {}).get("location"),
        image=body.get("image"),
    )
    guild.scheduled_events[event.id] = event
    world.dispatch("GUILD_SCHEDULED_EVENT_CREATE", event.payload())
    return ok(event.payload())


@routes.get(API + "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
async def get_event(request: web.Request) -> web.Response:
    return ok(_event(request)[1].payload())


@routes.patch(API + "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
async def edit_event(request: web.Request) -> web.Response:
    world = world_of(request)
    guild, event = _event(request)
    _require_event_permission(world, guild, event)
    body = body_of(request).obj()
    if "status" in body and int(body["status"]) != event.status:
        if int(body["status"]) not in _ALLOWED_STATUS.get(event.status, set()):
            raise ApiError.invalid_form("status", f"Cannot change status from {event.status} to {body['status']}")
        event.status = int(body["status"])
    for key in ("name", "description", "scheduled_start_time", "scheduled_end_time", "privacy_level", "image"):
        if key in body:
            setattr(event, key, body[key])
    if "entity_type" in body:
        event.entity_type = int(body["entity_type"])
    if "channel_id" in body:
        event.channel_id = int(body["channel_id"]) if body["channel_id"] else None
    if "entity_metadata" in body:
        event.location = (body["entity_metadata"] or {}).get("location")
    world.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", event.payload())
    return ok(event.payload())


@routes.delete(API + "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
async def delete_event(request: web.Request) -> web.Response:
    world = world_of(request)
    guild, event = _event(request)
    _require_event_permission(world, guild, event)
    del guild.scheduled_events[event.id]
    world.dispatch("GUILD_SCHEDULED_EVENT_DELETE", event.payload())
    return no_content()


@routes.get(API + "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}/users")
async def event_users(request: web.Request) -> web.Response:
    world = world_of(request)
    guild, event = _event(request)
    with_member = request.query.get("with_member", "false").lower() in ("true", "1")
    ids = sorted(event.interested)
    if "after" in request.query:
        ids = [i for i in ids if i > int(request.query["after"])]
    if "before" in request.query:
        ids = [i for i in ids if i < int(request.query["before"])][::-1]
    result = []
    for user_id in ids[: int(request.query.get("limit", 100))]:
        entry: JSON = {"guild_scheduled_event_id": str(event.id), "user": world.users[user_id].payload()}
        member = guild.members.get(user_id)
        if with_member and member is not None:
            entry["member"] = member.payload(with_user=False)
        result.append(entry)
    return ok(result)

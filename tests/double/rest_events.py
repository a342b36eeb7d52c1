"""REST: guild scheduled events (create, edit with status changes, delete, interested users)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from . import permissions as perms
from .guild import GuildHandle
from .http_util import API_PREFIX as API
from .http_util import ApiError, body_of, known, no_content, ok, snowflake_param
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
    return guild, known(event, "Guild Scheduled Event", 10070)


def _require_event_permission(world: World, guild: GuildHandle, event: ScheduledEventRecord | None) -> None:
    have = guild.permissions_for(guild.bot_member)
    if have & perms.MANAGE_EVENTS:
        return
    own = event is None or event.creator.id == world.bot_user.id
    if own and have & perms.CREATE_EVENTS:
        return
    raise ApiError.missing_permissions("manage_events")


def _parse_time(value: object, field: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ApiError.invalid_form(field, "Could not parse ISO8601 timestamp.", code="DATE_TIME_TYPE_PARSE") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _check_event(
    guild: GuildHandle,
    *,
    name: object,
    description: object,
    start: object,
    end: object,
    entity_type: int,
    channel_id: Any,  # JSON: whatever the client sent, checked here
    location: object,
    privacy_level: Any,
    check_start: bool,
    now: dt.datetime,
) -> None:
    """Guild scheduled event rules (resources/guild-scheduled-event): 50035 with the offending field.

    name 1-100, description at most 1000, privacy_level 2 (GUILD_ONLY); a start time in the future and an end
    after it; stage (1) / voice (2) events need a stage / voice channel; external (3) events need
    ``entity_metadata.location`` (1-100) and an end time, and no channel.
    """
    if not str(name or "").strip() or len(str(name)) > 100:
        raise ApiError.invalid_form("name", "Must be between 1 and 100 in length.")
    if description is not None and len(str(description)) > 1000:
        raise ApiError.invalid_form("description", "Must be 1000 or fewer in length.")
    if int(privacy_level) != 2:
        raise ApiError.invalid_form("privacy_level", "Value must be one of (2,).")
    if entity_type not in (1, 2, 3):
        raise ApiError.invalid_form("entity_type", "Value must be one of (1, 2, 3).")
    starts = _parse_time(start, "scheduled_start_time")
    if check_start and starts <= now:
        raise ApiError.invalid_form(
            "scheduled_start_time", "Cannot schedule event in the past.", code="GUILD_SCHEDULED_EVENT_SCHEDULE_PAST"
        )
    if end is not None and _parse_time(end, "scheduled_end_time") <= starts:
        raise ApiError.invalid_form(
            "scheduled_end_time", "Cannot schedule event to end before starting.",
            code="GUILD_SCHEDULED_EVENT_END_BEFORE_START",
        )  # fmt: skip
    if entity_type == 3:
        if not location or not str(location).strip():
            raise ApiError.invalid_form("entity_metadata.location", "This field is required")
        if len(str(location)) > 100:
            raise ApiError.invalid_form("entity_metadata.location", "Must be 100 or fewer in length.")
        if end is None:
            raise ApiError.invalid_form("scheduled_end_time", "This field is required")
        if channel_id is not None:
            raise ApiError.invalid_form("channel_id", "External events cannot have a channel_id")
        return
    channel = guild.channels.get(int(channel_id)) if channel_id else None
    wanted = 13 if entity_type == 1 else 2  # stage channel, voice channel
    if channel is None or channel.type != wanted:
        raise ApiError.invalid_form("channel_id", "A voice or stage channel is required")


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
    if "status" in body:
        raise ApiError.invalid_form("status", "An event is created as scheduled; change status with an edit")
    _check_event(
        guild,
        name=body["name"],
        description=body.get("description"),
        start=body["scheduled_start_time"],
        end=body.get("scheduled_end_time"),
        entity_type=entity_type,
        channel_id=body.get("channel_id"),
        location=(body.get("entity_metadata") or {}).get("location"),
        privacy_level=body["privacy_level"],
        check_start=True,
        now=world.now(),
    )
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
    if event.status in (3, 4):
        raise ApiError.invalid_form("status", "A completed or canceled event cannot be edited")
    new_type = int(body["entity_type"]) if "entity_type" in body else event.entity_type
    # Switching to an external event needs an explicit ``channel_id: null``; the old channel is kept otherwise.
    channel_id = body.get("channel_id", event.channel_id)
    _check_event(
        guild,
        name=body.get("name", event.name),
        description=body.get("description", event.description),
        start=body.get("scheduled_start_time", event.scheduled_start_time),
        end=body.get("scheduled_end_time", event.scheduled_end_time),
        entity_type=new_type,
        channel_id=channel_id,
        location=(body["entity_metadata"] or {}).get("location") if "entity_metadata" in body else event.location,
        privacy_level=body.get("privacy_level", event.privacy_level),
        check_start="scheduled_start_time" in body and event.status == 1,
        now=world.now(),
    )
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

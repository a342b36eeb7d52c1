"""REST: DMs and channel messages (send, read, edit, delete, pins, attachments) and the checks Discord makes."""

from __future__ import annotations

from aiohttp import web

from . import permissions as perms
from .http_util import API_PREFIX as API
from .http_util import ApiError, body_of, known, no_content, ok, snowflake_param
from .limits import check_message
from .messages import EPHEMERAL, apply_edit, build_message, delete_message, dispatch_update, store_and_dispatch
from .models import JSON, ChannelHandle
from .rest_core import get_channel, require, world_of
from .state import World

routes = web.RouteTableDef()


@routes.post(API + "/users/@me/channels")
async def open_dm(request: web.Request) -> web.Response:
    world = world_of(request)
    recipient_id = int(body_of(request).obj().get("recipient_id", 0))
    user = known(world.users.get(recipient_id), "User", 10013)
    return ok(world.dm_channel_for(user).payload())


@routes.post(API + "/channels/{channel_id}/messages")
async def create_message(request: web.Request) -> web.Response:
    world = world_of(request)
    channel = get_channel(request)
    parsed = body_of(request)
    if channel.is_dm:
        assert channel.recipient is not None
        if channel.recipient.id in world.closed_dms or channel.recipient.bot:
            raise ApiError(403, 50007, "Cannot send messages to this user")  # bots cannot DM bots
    else:
        needed = perms.SEND_IN_THREADS if channel.is_thread else perms.SEND_MESSAGES
        if parsed.files:
            needed |= perms.ATTACH_FILES
        require(world, channel, needed)
        assert channel.guild is not None
        if channel.type == 12 and world.bot_user.id not in channel.thread_members:
            require(world, channel, perms.MANAGE_THREADS)
    validate_message_body(parsed.obj(), parsed.files)
    _check_reference(world, channel, parsed.obj())
    message = build_message(world, channel, world.bot_user, parsed.obj(), parsed.files)
    store_and_dispatch(world, message)
    return ok(message)


def find_message(world: World, message_id: int, *, channel: ChannelHandle | None = None) -> JSON:
    """The stored message, or Discord's Unknown Message (10008).

    With ``channel`` (the channel routes), the message must be in that channel and not ephemeral: ephemeral
    messages exist only for their interaction's webhook, so channel routes do not know them.
    """
    message = known(world.messages.get(message_id), "Message", 10008)
    if channel is not None and (int(message["channel_id"]) != channel.id or message.get("flags", 0) & EPHEMERAL):
        raise ApiError.not_found("Message", 10008)
    return message


def _message(request: web.Request) -> tuple[ChannelHandle, JSON]:
    channel = get_channel(request)
    return channel, find_message(world_of(request), snowflake_param(request, "message_id"), channel=channel)


@routes.get(API + "/channels/{channel_id}/messages/{message_id}")
async def get_message(request: web.Request) -> web.Response:
    return ok(_message(request)[1])


@routes.get(API + "/channels/{channel_id}/messages")
async def get_messages(request: web.Request) -> web.Response:
    channel = get_channel(request)
    history = world_of(request).messages_in(channel.id)
    if "before" in request.query:
        history = [m for m in history if int(m["id"]) < int(request.query["before"])]
    if "after" in request.query:
        history = [m for m in history if int(m["id"]) > int(request.query["after"])]
    limit = int(request.query.get("limit", 50))
    return ok(list(reversed(history))[:limit])


@routes.patch(API + "/channels/{channel_id}/messages/{message_id}")
async def edit_message(request: web.Request) -> web.Response:
    world = world_of(request)
    _, message = _message(request)
    if int(message["author"]["id"]) != world.bot_user.id:
        raise ApiError(403, 50005, "Cannot edit a message authored by another user")
    return edit_from_request(request, message)


@routes.delete(API + "/channels/{channel_id}/messages/{message_id}")
async def remove_message(request: web.Request) -> web.Response:
    world = world_of(request)
    channel, message = _message(request)
    if int(message["author"]["id"]) != world.bot_user.id:
        require(world, channel, perms.MANAGE_MESSAGES)
    delete_message(world, message)
    return no_content()


@routes.put(API + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
async def add_reaction(request: web.Request) -> web.Response:
    _message(request)
    return no_content()


@routes.post(API + "/channels/{channel_id}/typing")
async def trigger_typing(request: web.Request) -> web.Response:
    get_channel(request)
    return no_content()


@routes.put(API + "/channels/{channel_id}/messages/pins/{message_id}")
@routes.delete(API + "/channels/{channel_id}/messages/pins/{message_id}")
async def pin_message(request: web.Request) -> web.Response:
    world = world_of(request)
    channel, message = _message(request)
    require(world, channel, perms.PIN_MESSAGES)
    message["pinned"] = request.method == "PUT"
    dispatch_update(world, message)
    return no_content()


@routes.get("/attachments/{channel_id}/{attachment_id}/{filename}")
async def download_attachment(request: web.Request) -> web.Response:
    data = world_of(request).attachments.get(int(request.match_info["attachment_id"]))
    if data is None:
        raise web.HTTPNotFound()
    return web.Response(body=data, content_type="application/octet-stream")


def _check_reference(world: World, channel: ChannelHandle, body: JSON) -> None:
    """A reply to a message that does not exist (or is ephemeral) is refused unless fail_if_not_exists is false."""
    reference = body.get("message_reference")
    if not reference or reference.get("fail_if_not_exists", True) is False:
        return
    target = world.messages.get(int(reference.get("message_id") or 0))
    channel_id = int(reference.get("channel_id") or channel.id)
    if target is None or int(target["channel_id"]) != channel_id or target.get("flags", 0) & EPHEMERAL:
        raise ApiError.invalid_form(
            "message_reference", "Unknown message", code="MESSAGE_REFERENCE_UNKNOWN_MESSAGE"
        )  # fmt: skip


def validate_message_body(body: JSON, files: list, *, allow_empty: bool = False) -> None:
    """The checks Discord makes that bots trip over most: empty messages and length limits."""
    check_message(body)  # content 2000, 10 embeds and the rest; edits are held to the same limits
    keys = ("content", "embeds", "components", "sticker_ids", "poll")
    if not allow_empty and not files and not any(body.get(k) for k in keys):
        raise ApiError(400, 50006, "Cannot send an empty message")


def edit_from_request(request: web.Request, message: JSON) -> web.Response:
    """Check the edit in the request body, apply it to ``message`` and tell the gateway."""
    world = world_of(request)
    parsed = body_of(request)
    check_message(parsed.obj())
    apply_edit(world, message, parsed.obj(), parsed.files)
    dispatch_update(world, message)
    return ok(message)

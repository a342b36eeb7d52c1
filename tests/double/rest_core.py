"""REST: login, gateway discovery, application commands, interaction callbacks, webhooks, DMs, messages."""

from __future__ import annotations

import time

from aiohttp import web

from . import permissions as perms
from .http_util import API_PREFIX as API
from .http_util import ApiError, body_of, no_content, ok, snowflake_param
from .interactions import (
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MODAL,
    UPDATE_MESSAGE,
    InteractionRecord,
)
from .limits import check_choices, check_message, check_modal
from .messages import EPHEMERAL, LOADING, apply_edit, build_message, delete_message, dispatch_update, store_and_dispatch
from .models import JSON, ChannelHandle
from .state import WORLD_KEY, World

routes = web.RouteTableDef()


def world_of(request: web.Request) -> World:
    return request.app[WORLD_KEY]


# -- login and discovery ------------------------------------------------------------------------------
@routes.get(API + "/gateway/bot")
async def gateway_bot(request: web.Request) -> web.Response:
    world = world_of(request)
    limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
    return ok({"url": world.base_url.replace("http", "ws", 1) + "/gateway", "shards": 1, "session_start_limit": limit})


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
    user = world_of(request).users.get(snowflake_param(request, "user_id"))
    if user is None:
        raise ApiError.not_found("User", 10013)
    return ok(user.payload())


# -- application commands -----------------------------------------------------------------------------
@routes.put(API + "/applications/{application_id}/commands")
@routes.put(API + "/applications/{application_id}/guilds/{guild_id}/commands")
async def bulk_overwrite_commands(request: web.Request) -> web.Response:
    world = world_of(request)
    if snowflake_param(request, "application_id") != world.application_id:
        raise ApiError(403, 50001, "Missing Access")
    guild_id = int(request.match_info["guild_id"]) if "guild_id" in request.match_info else None
    if guild_id is not None and guild_id not in world.guilds:
        raise ApiError(403, 50001, "Missing Access")
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


# -- interaction callbacks and webhooks -----------------------------------------------------------------
@routes.post(API + "/interactions/{interaction_id}/{interaction_token}/callback")
async def interaction_callback(request: web.Request) -> web.Response:
    world = world_of(request)
    record = world.interactions.get(snowflake_param(request, "interaction_id"))
    if record is None or record.token != request.match_info["interaction_token"]:
        raise ApiError.not_found("interaction", 10062)
    if record.response is not None:
        raise ApiError(400, 40060, "Interaction has already been acknowledged.")
    if time.monotonic() - record.created > world.interaction_timeout:
        raise ApiError.not_found("interaction", 10062)  # the 3 second window has passed
    parsed = body_of(request)
    body = parsed.obj()
    rtype = int(body.get("type", 0))
    data: JSON = body.get("data") or {}
    _check_callback_type(record, rtype, data)
    message = _apply_callback(world, record, rtype, data, parsed.files)
    record.response = body
    record.responded = time.monotonic()
    record.response_files = parsed.files
    flags = int((message or data).get("flags") or 0)
    result: JSON = {
        "interaction": {
            "id": str(record.id),
            "type": record.type,
            "response_message_id": message["id"] if message else None,
            "response_message_loading": rtype == DEFERRED_CHANNEL_MESSAGE,
            "response_message_ephemeral": bool(flags & EPHEMERAL),
            "activity_instance_id": None,
        },
        "resource": {"type": rtype, **({"message": message} if message else {})},
    }
    world.changed()
    return ok(result)


#: Interaction types: 2 application command, 3 component, 4 autocomplete, 5 modal submit.
_AUTOCOMPLETE_INTERACTION, _MODAL_SUBMIT_INTERACTION = 4, 5


def _check_callback_type(record: InteractionRecord, rtype: int, data: JSON) -> None:
    """Which callback types each interaction accepts (receiving-and-responding, interaction callback type).

    Autocomplete interactions can only be answered with choices (8); a modal (9) cannot answer a modal
    submit or an autocomplete; a deferred message (5) may only carry the EPHEMERAL flag.
    """
    if record.type == _AUTOCOMPLETE_INTERACTION and rtype != AUTOCOMPLETE_RESULT:
        raise ApiError.invalid_form("type", f"Autocomplete interactions only accept type 8, not {rtype}")
    if rtype == MODAL and record.type in (_AUTOCOMPLETE_INTERACTION, _MODAL_SUBMIT_INTERACTION):
        raise ApiError.invalid_form("type", "A modal cannot answer a modal submit or an autocomplete interaction")
    if rtype == DEFERRED_CHANNEL_MESSAGE and int(data.get("flags") or 0) & ~EPHEMERAL:
        raise ApiError.invalid_form("data.flags", "Only the EPHEMERAL flag may be set on a deferred response")


def _apply_callback(world: World, record: InteractionRecord, rtype: int, data: JSON, files: list) -> JSON | None:
    meta: JSON = {
        "id": str(record.id),
        "type": record.type,
        "user": record.user.payload(),
        "authorizing_integration_owners": record.payload["authorizing_integration_owners"],
    }
    if record.source_message_id is not None:
        meta["interacted_message_id"] = str(record.source_message_id)
    if rtype in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
        body = dict(data)
        if rtype == DEFERRED_CHANNEL_MESSAGE:
            body = {"content": "", "flags": LOADING | (int(data.get("flags") or 0) & EPHEMERAL)}
        _validate_message_body(body, files, allow_empty=rtype == DEFERRED_CHANNEL_MESSAGE)
        msg_type = 20 if record.type == 2 else 0
        message = build_message(
            world, record.channel, world.bot_user, body, files, msg_type=msg_type,
            webhook_id=world.application_id, interaction_metadata=meta,
        )  # fmt: skip
        store_and_dispatch(world, message)
        record.original_message_id = int(message["id"])
        return message
    if rtype in (UPDATE_MESSAGE, DEFERRED_UPDATE_MESSAGE):
        source = world.messages.get(record.source_message_id or 0)
        if source is None:
            raise ApiError.invalid_form("type", "Update responses need a component or modal-from-message")
        record.original_message_id = int(source["id"])
        if rtype == UPDATE_MESSAGE:
            check_message(data)
            apply_edit(world, source, data, files)
            dispatch_update(world, source)
            return source
        return None
    if rtype == AUTOCOMPLETE_RESULT:
        if record.type != 4:
            raise ApiError.invalid_form("type", "Autocomplete results answer autocomplete interactions only")
        check_choices(list(data.get("choices") or []))
        return None
    if rtype == MODAL:
        if not data.get("custom_id") or not data.get("title") or not data.get("components"):
            raise ApiError.invalid_form("data", "A modal needs custom_id, title and components")
        check_modal(data)
        return None
    raise ApiError.invalid_form("type", f"Unsupported interaction callback type {rtype}")


def _webhook_record(request: web.Request) -> InteractionRecord:
    world = world_of(request)
    record = world.interaction_by_token(request.match_info["webhook_token"])
    if record is None or snowflake_param(request, "webhook_id") != world.application_id:
        raise ApiError.not_found("Webhook", 10015)
    if time.monotonic() - record.created > world.interaction_token_lifetime:
        raise ApiError(401, 50027, "Invalid Webhook Token")  # interaction tokens last 15 minutes
    if record.response is None:
        raise ApiError.not_found("Webhook", 10015)  # followups before the initial response are refused
    return record


@routes.post(API + "/webhooks/{webhook_id}/{webhook_token}")
async def execute_followup(request: web.Request) -> web.Response:
    world = world_of(request)
    record = _webhook_record(request)
    parsed = body_of(request)
    _validate_message_body(parsed.obj(), parsed.files)
    original = world.messages.get(record.original_message_id or 0)
    if original is not None and original.get("flags", 0) & LOADING and not record.followup_ids:
        # Discord: the first followup after DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE edits the loading message
        # instead of creating one, and its ephemeral flag is ignored (the defer's choice is kept).
        apply_edit(world, original, parsed.obj(), parsed.files)
        dispatch_update(world, original)
        record.followup_ids.append(int(original["id"]))
        world.changed()
        return ok(original) if request.query.get("wait", "false").lower() in ("true", "1") else no_content()
    message = build_message(
        world, record.channel, world.bot_user, parsed.obj(), parsed.files, webhook_id=world.application_id
    )
    store_and_dispatch(world, message)
    record.followup_ids.append(int(message["id"]))
    world.changed()
    if request.query.get("wait", "false").lower() in ("true", "1"):
        return ok(message)
    return no_content()


def _webhook_message(request: web.Request) -> tuple[InteractionRecord, JSON]:
    world = world_of(request)
    record = _webhook_record(request)
    message_ref = request.match_info["message_id"]
    message_id = record.original_message_id if message_ref == "@original" else int(message_ref)
    message = world.messages.get(message_id or 0)
    if message is None:
        raise ApiError.not_found("Message", 10008)
    return record, message


@routes.get(API + "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def get_webhook_message(request: web.Request) -> web.Response:
    return ok(_webhook_message(request)[1])


@routes.patch(API + "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def edit_webhook_message(request: web.Request) -> web.Response:
    _, message = _webhook_message(request)
    return _edit(request, message)


def _edit(request: web.Request, message: JSON) -> web.Response:
    """Check the edit in the request body, apply it to ``message`` and tell the gateway."""
    world = world_of(request)
    parsed = body_of(request)
    check_message(parsed.obj())
    apply_edit(world, message, parsed.obj(), parsed.files)
    dispatch_update(world, message)
    return ok(message)


@routes.delete(API + "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def delete_webhook_message(request: web.Request) -> web.Response:
    _, message = _webhook_message(request)
    delete_message(world_of(request), message)
    return no_content()


# -- DMs and channel messages -------------------------------------------------------------------------
@routes.post(API + "/users/@me/channels")
async def open_dm(request: web.Request) -> web.Response:
    world = world_of(request)
    recipient_id = int(body_of(request).obj().get("recipient_id", 0))
    user = world.users.get(recipient_id)
    if user is None:
        raise ApiError.not_found("User", 10013)
    return ok(world.dm_channel_for(user).payload())


def get_channel(request: web.Request) -> ChannelHandle:
    channel = world_of(request).channel(snowflake_param(request, "channel_id"))
    if channel is None:
        raise ApiError.not_found("Channel", 10003)
    return channel


def require(world: World, channel: ChannelHandle, needed: int) -> None:
    """403 like Discord when the bot lacks ``needed`` in ``channel`` (50001 if it cannot even see it)."""
    if channel.guild is None:
        return
    have = channel.guild.permissions_for(channel.guild.bot_member, channel)
    if not have & perms.VIEW_CHANNEL:
        raise ApiError.missing_access()
    if have & needed != needed:
        raise ApiError.missing_permissions(perms.describe(needed & ~have))


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
    _validate_message_body(parsed.obj(), parsed.files)
    _check_reference(world, channel, parsed.obj())
    message = build_message(world, channel, world.bot_user, parsed.obj(), parsed.files)
    store_and_dispatch(world, message)
    return ok(message)


def _message(request: web.Request) -> tuple[ChannelHandle, JSON]:
    channel = get_channel(request)
    message = world_of(request).messages.get(snowflake_param(request, "message_id"))
    if message is None or int(message["channel_id"]) != channel.id:
        raise ApiError.not_found("Message", 10008)
    if message.get("flags", 0) & EPHEMERAL:
        # Ephemeral messages exist only for their interaction's webhook; channel routes do not know them.
        raise ApiError.not_found("Message", 10008)
    return channel, message


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
    return _edit(request, message)


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


def _validate_message_body(body: JSON, files: list, *, allow_empty: bool = False) -> None:
    """The checks Discord makes that bots trip over most: empty messages and length limits."""
    check_message(body)  # content 2000, 10 embeds and the rest; edits are held to the same limits
    keys = ("content", "embeds", "components", "sticker_ids", "poll")
    if not allow_empty and not files and not any(body.get(k) for k in keys):
        raise ApiError(400, 50006, "Cannot send an empty message")

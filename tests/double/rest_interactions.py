"""REST: interaction callbacks and the interaction webhooks (followups, the original response)."""

from __future__ import annotations

import time

from aiohttp import web

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
from .models import JSON
from .rest_core import world_of
from .rest_messages import edit_from_request, find_message, validate_message_body
from .state import World

routes = web.RouteTableDef()


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
        validate_message_body(body, files, allow_empty=rtype == DEFERRED_CHANNEL_MESSAGE)
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
    validate_message_body(parsed.obj(), parsed.files)
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
    return record, find_message(world, message_id or 0)


@routes.get(API + "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def get_webhook_message(request: web.Request) -> web.Response:
    return ok(_webhook_message(request)[1])


@routes.patch(API + "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def edit_webhook_message(request: web.Request) -> web.Response:
    _, message = _webhook_message(request)
    return edit_from_request(request, message)


@routes.delete(API + "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")
async def delete_webhook_message(request: web.Request) -> web.Response:
    _, message = _webhook_message(request)
    delete_message(world_of(request), message)
    return no_content()

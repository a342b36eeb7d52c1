"""Building, editing and dispatching message payloads."""

from __future__ import annotations

import copy
import mimetypes
import re
from typing import Any

from .ids import iso_now
from .models import JSON, ChannelHandle, UserRecord
from .recorder import RecordedFile
from .state import World

EPHEMERAL = 64
LOADING = 128
_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


def build_message(
    world: World,
    channel: ChannelHandle,
    author: UserRecord,
    body: JSON,
    files: list[RecordedFile] = (),  # type: ignore[assignment]
    *,
    msg_type: int = 0,
    webhook_id: int | None = None,
    interaction_metadata: JSON | None = None,
) -> JSON:
    """A message object as Discord returns it from REST (gateway extras are added on dispatch)."""
    message_id = world.snowflake()
    flags = int(body.get("flags") or 0)
    message: JSON = {
        "id": str(message_id),
        "channel_id": str(channel.id),
        "type": msg_type,
        "author": author.payload(),
        "content": str(body.get("content") or ""),
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts", False)),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": _attachments(world, channel, None, body, list(files), ephemeral=bool(flags & EPHEMERAL)),
        "embeds": list(body.get("embeds") or []),
        "components": list(body.get("components") or []),
        "pinned": False,
        "flags": flags,
    }
    if channel.guild is not None:
        message["guild_id"] = str(channel.guild.id)
    if "nonce" in body:
        message["nonce"] = body["nonce"]
    if body.get("poll"):
        message["poll"] = body["poll"]
    if webhook_id is not None:
        message["webhook_id"] = str(webhook_id)
        message["application_id"] = str(world.application_id)
    if interaction_metadata is not None:
        message["interaction_metadata"] = interaction_metadata
    reference = body.get("message_reference")
    referenced = world.messages.get(int(reference["message_id"])) if reference else None
    # With fail_if_not_exists false, a missing message is sent as a plain message.
    if reference and referenced is not None:
        message["message_reference"] = {
            "type": 0,
            "message_id": str(reference["message_id"]),
            "channel_id": str(reference.get("channel_id") or channel.id),
            "guild_id": message.get("guild_id"),
        }
        message["referenced_message"] = copy.deepcopy(referenced)
        message["type"] = 19
    _refresh_mentions(world, message, body.get("allowed_mentions"))
    return message


def apply_edit(world: World, message: JSON, body: JSON, files: list[RecordedFile]) -> JSON:
    """Apply a PATCH body to a stored message in place and return it."""
    channel = world.channels[int(message["channel_id"])]
    for key in ("content", "embeds", "components"):
        if key in body:
            message[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
    if "flags" in body and body["flags"] is not None:
        # Only SUPPRESS_EMBEDS may change on edit; the ephemeral bit is kept.
        message["flags"] = (message.get("flags", 0) & EPHEMERAL) | (int(body["flags"]) & ~EPHEMERAL)
    if "attachments" in body or files:
        message["attachments"] = _attachments(
            world, channel, message, body, files, ephemeral=bool(message.get("flags", 0) & EPHEMERAL)
        )
    message["flags"] = message.get("flags", 0) & ~LOADING
    message["edited_timestamp"] = iso_now()
    _refresh_mentions(world, message, body.get("allowed_mentions"))
    return message


def store_and_dispatch(world: World, message: JSON) -> JSON:
    """Store a new message and dispatch MESSAGE_CREATE (ephemeral messages are not dispatched)."""
    message_id = int(message["id"])
    world.messages[message_id] = message
    channel = world.channels.get(int(message["channel_id"]))
    if channel is not None and not message.get("flags", 0) & EPHEMERAL:
        channel.last_message_id = message_id
        if channel.is_thread:
            channel.message_count += 1
        world.dispatch("MESSAGE_CREATE", gateway_message(world, message))
    else:
        world.changed()
    return message


def dispatch_update(world: World, message: JSON) -> None:
    if message.get("flags", 0) & EPHEMERAL:
        world.changed()
        return
    world.dispatch("MESSAGE_UPDATE", gateway_message(world, message))


def delete_message(world: World, message: JSON) -> None:
    world.messages.pop(int(message["id"]), None)
    if message.get("flags", 0) & EPHEMERAL:
        world.changed()
        return
    data: JSON = {"id": message["id"], "channel_id": message["channel_id"]}
    if "guild_id" in message:
        data["guild_id"] = message["guild_id"]
    world.dispatch("MESSAGE_DELETE", data)


def gateway_message(world: World, message: JSON) -> JSON:
    """The MESSAGE_CREATE/UPDATE form: guild messages carry the author's ``member`` and mention members."""
    data = copy.deepcopy(message)
    guild_id = message.get("guild_id")
    if guild_id is None:
        return data
    member = world.member(int(guild_id), int(message["author"]["id"]))
    if member is not None and "webhook_id" not in message:
        data["member"] = member.payload(with_user=False)
    for mention in data["mentions"]:
        mentioned = world.member(int(guild_id), int(mention["id"]))
        if mentioned is not None:
            mention["member"] = mentioned.payload(with_user=False)
    return data


def _refresh_mentions(world: World, message: JSON, allowed: JSON | None = None) -> None:
    """``mentions``/``mention_roles``/``mention_everyone`` as Discord fills them: only what actually pings.

    Without ``allowed_mentions`` everything in the content pings (and a reply pings the replied-to author).
    With it, users/roles ping only if ``parse`` names the type or the id is listed, @everyone/@here only with
    ``parse: ["everyone"]``, and the replied-to author only with ``replied_user: true``.
    """
    content = message.get("content") or ""
    user_ids = [int(uid) for uid in dict.fromkeys(_USER_MENTION.findall(content))]
    role_ids = list(dict.fromkeys(_ROLE_MENTION.findall(content)))
    everyone = "@everyone" in content or "@here" in content
    referenced = message.get("referenced_message") or {}
    replied = int(referenced["author"]["id"]) if referenced.get("author") else None
    if allowed is not None:
        parse = set(allowed.get("parse") or [])
        listed_users = {int(u) for u in allowed.get("users") or []}
        listed_roles = {str(r) for r in allowed.get("roles") or []}
        user_ids = [u for u in user_ids if "users" in parse or u in listed_users]
        role_ids = [r for r in role_ids if "roles" in parse or r in listed_roles]
        everyone = everyone and "everyone" in parse
        if replied is not None and not allowed.get("replied_user", False):
            replied = None
    if replied is not None and replied not in user_ids and replied != int(message["author"]["id"]):
        user_ids.append(replied)
    message["mentions"] = [world.users[u].payload() for u in user_ids if u in world.users]
    message["mention_roles"] = role_ids
    message["mention_everyone"] = everyone


def _attachments(
    world: World,
    channel: ChannelHandle,
    existing: JSON | None,
    body: JSON,
    files: list[RecordedFile],
    *,
    ephemeral: bool,
) -> list[JSON]:
    by_field = {f.field: f for f in files}
    old = {a["id"]: a for a in (existing or {}).get("attachments", [])}
    specs: list[Any] = body.get("attachments")  # type: ignore[assignment]
    if specs is None:
        specs = [{"id": i, "filename": f.filename} for i, f in enumerate(files)]
        specs = list(old.values()) + specs
    result = []
    for spec in specs:
        key = str(spec.get("id"))
        if key in old:
            result.append(old[key])
            continue
        upload = by_field.get(f"files[{key}]")
        if upload is None:
            continue
        attachment_id = world.snowflake()
        world.attachments[attachment_id] = upload.data
        filename = spec.get("filename") or upload.filename
        url = f"{world.base_url}/attachments/{channel.id}/{attachment_id}/{filename}"
        attachment: JSON = {
            "id": str(attachment_id),
            "filename": filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
            "content_type": upload.content_type
            if upload.content_type not in (None, "application/octet-stream")
            else (mimetypes.guess_type(filename)[0] or "application/octet-stream"),
            "flags": 0,
        }
        if spec.get("description"):
            attachment["description"] = spec["description"]
        if ephemeral:
            attachment["ephemeral"] = True
        result.append(attachment)
    return result

"""Encode a member's slash-command input the way the Discord client does, from the synced definitions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .guild import GuildHandle
from .models import JSON, ChannelHandle, MemberHandle, RoleHandle, UserRecord
from .recorder import RecordedFile
from .state import World

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11
TYPE_NAMES = {
    STRING: "string",
    INTEGER: "integer",
    BOOLEAN: "boolean",
    USER: "user",
    CHANNEL: "channel",
    ROLE: "role",
    MENTIONABLE: "mentionable",
    NUMBER: "number",
    ATTACHMENT: "attachment",
}


class CommandError(LookupError):
    """The command, subcommand or an option does not exist as synced, or a value is one Discord would refuse."""


@dataclass
class EncodedCommand:
    """The ``data`` of an APPLICATION_COMMAND / AUTOCOMPLETE interaction."""

    definition: JSON
    data: JSON
    resolved: JSON = field(default_factory=dict)


def find_command(world: World, name: str, guild: GuildHandle | None) -> JSON:
    """The synced chat-input command called ``name`` visible in ``guild`` (or in DMs)."""
    commands = world.commands_for(guild.id if guild else None)
    for command in commands:
        if command["name"] == name and command.get("type", 1) == 1:
            return command
    available = sorted(c["name"] for c in commands if c.get("type", 1) == 1)
    raise CommandError(f"No slash command /{name} was synced by the bot. Synced commands: {available}")


def encode_command(
    world: World,
    path: str,
    options: Mapping[str, Any],
    *,
    guild: GuildHandle | None,
    invoker: MemberHandle | UserRecord,
    focused: str | None = None,
) -> EncodedCommand:
    """Build interaction data for ``/a b c`` with typed option values (``focused`` marks autocomplete)."""
    parts = path.strip().lstrip("/").split()
    command = find_command(world, parts[0], guild)
    data: JSON = {"id": command["id"], "name": command["name"], "type": 1}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    container: list[JSON] = []
    data["options"] = container
    defs: list[JSON] = command.get("options", [])
    for part in parts[1:]:
        sub = next((d for d in defs if d["name"] == part and d["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)), None)
        if sub is None:
            subs = [d["name"] for d in defs if d["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
            raise CommandError(f"/{path}: no subcommand {part!r}; available: {subs}")
        nested: JSON = {"name": part, "type": sub["type"], "options": []}
        container.append(nested)
        container = nested["options"]
        defs = sub.get("options", [])
    subs = [d["name"] for d in defs if d["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
    if subs:
        raise CommandError(f"/{path} is a group; name a subcommand: {subs}")
    _check_available(command, guild, invoker)
    encoded = EncodedCommand(command, data)
    by_name = {d["name"]: d for d in defs}
    for name in options:
        if name not in by_name:
            raise CommandError(f"/{path} has no option {name!r}; options: {list(by_name)}")
    for definition in defs:
        name = definition["name"]
        if name == focused:
            container.append(
                {"name": name, "type": definition["type"], "value": str(options.get(name, "")), "focused": True}
            )
            if not definition.get("autocomplete"):
                raise CommandError(f"/{path} option {name!r} has no autocomplete")
        elif name in options:
            value = _encode_value(world, path, definition, options[name], guild, invoker, encoded.resolved)
            container.append({"name": name, "type": definition["type"], "value": value})
        elif definition.get("required") and focused is None:
            raise CommandError(f"/{path} requires option {name!r} ({TYPE_NAMES.get(definition['type'])})")
    if focused is not None and focused not in by_name:
        raise CommandError(f"/{path} has no option {focused!r} to focus; options: {list(by_name)}")
    if encoded.resolved:
        data["resolved"] = encoded.resolved
    return encoded


def _check_available(command: JSON, guild: GuildHandle | None, invoker: MemberHandle | UserRecord) -> None:
    """Discord's client hides commands by context and ``default_member_permissions``."""
    contexts = command.get("contexts")
    context = 0 if guild is not None else 1
    if contexts is not None and context not in contexts:
        where = "in a guild" if guild is not None else "in DMs"
        raise CommandError(f"/{command['name']} is not available {where} (contexts={contexts})")
    required = command.get("default_member_permissions")
    if guild is not None and required is not None and isinstance(invoker, MemberHandle):
        perms = guild.permissions_for(invoker)
        if perms & int(required) != int(required):
            raise CommandError(
                f"/{command['name']} needs default_member_permissions={required}; {invoker.name} cannot see it"
            )


def _encode_value(
    world: World,
    path: str,
    definition: JSON,
    value: Any,
    guild: GuildHandle | None,
    invoker: MemberHandle | UserRecord,
    resolved: JSON,
) -> Any:
    kind, name = definition["type"], definition["name"]
    where = f"/{path} option {name!r} ({TYPE_NAMES.get(kind, kind)})"
    if kind == STRING:
        if not isinstance(value, str):
            raise TypeError(f"{where} needs a str, got {value!r}")
        _check_range(where, len(value), definition.get("min_length"), definition.get("max_length"), "length")
        encoded: Any = value
    elif kind == INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{where} needs an int, got {value!r}")
        _check_range(where, value, definition.get("min_value"), definition.get("max_value"), "value")
        encoded = value
    elif kind == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{where} needs a number, got {value!r}")
        _check_range(where, value, definition.get("min_value"), definition.get("max_value"), "value")
        encoded = value
    elif kind == BOOLEAN:
        if not isinstance(value, bool):
            raise TypeError(f"{where} needs a bool, got {value!r}")
        encoded = value
    elif kind in (USER, MENTIONABLE) and isinstance(value, MemberHandle | UserRecord):
        encoded = _resolve_user(value, guild, resolved)
    elif kind in (ROLE, MENTIONABLE) and isinstance(value, RoleHandle):
        resolved.setdefault("roles", {})[str(value.id)] = value.payload()
        encoded = str(value.id)
    elif kind == CHANNEL and isinstance(value, ChannelHandle):
        allowed = definition.get("channel_types")
        if allowed and value.type not in allowed:
            raise CommandError(f"{where} accepts channel types {allowed}, not {value.type}")
        data = value.payload()
        if isinstance(invoker, MemberHandle) and value.guild is not None:
            data["permissions"] = str(value.guild.permissions_for(invoker, value))
        resolved.setdefault("channels", {})[str(value.id)] = data
        encoded = str(value.id)
    elif kind == ATTACHMENT and isinstance(value, RecordedFile | tuple):
        upload = value if isinstance(value, RecordedFile) else RecordedFile("", value[0], None, value[1])
        attachment_id = world.snowflake()
        world.attachments[attachment_id] = upload.data
        url = f"{world.base_url}/attachments/0/{attachment_id}/{upload.filename}"
        resolved.setdefault("attachments", {})[str(attachment_id)] = {
            "id": str(attachment_id),
            "filename": upload.filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
            "content_type": upload.content_type or "application/octet-stream",
            "ephemeral": True,
        }
        encoded = str(attachment_id)
    else:
        raise TypeError(f"{where} cannot take {value!r}")
    choices = definition.get("choices")
    if choices and encoded not in [c["value"] for c in choices]:
        raise CommandError(f"{where}: {encoded!r} is not one of the choices {[c['value'] for c in choices]}")
    return encoded


def _resolve_user(value: MemberHandle | UserRecord, guild: GuildHandle | None, resolved: JSON) -> str:
    user = value.user if isinstance(value, MemberHandle) else value
    resolved.setdefault("users", {})[str(user.id)] = user.payload()
    member = guild.members.get(user.id) if guild is not None else None
    if member is not None:
        payload = member.payload(with_user=False, permissions=guild.permissions_for(member) if guild else None)
        resolved.setdefault("members", {})[str(user.id)] = payload
    return str(user.id)


def _check_range(where: str, value: float, low: float | None, high: float | None, what: str) -> None:
    if low is not None and value < low:
        raise CommandError(f"{where}: {what} {value} is below the minimum {low}")
    if high is not None and value > high:
        raise CommandError(f"{where}: {what} {value} is above the maximum {high}")

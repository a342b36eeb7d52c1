"""What a member's action looks like to Discord: the component they act on, select values, modal answers.

Plain functions over the :class:`World`, used by the drivers in :mod:`tests.double.drivers`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .commands import CommandError
from .interactions import InteractionHandle, custom_ids, find_component
from .models import JSON, ChannelHandle, MemberHandle, RoleHandle, ScheduledEventRecord, UserRecord
from .state import World

__all__ = [
    "SELECT_TYPES",
    "DriverError",
    "MessageRef",
    "check_reserved",
    "clickable",
    "fill_modal",
    "find_event",
    "option_names",
    "pick_entity",
    "resolve_entities",
]

MessageRef = JSON | int | InteractionHandle
SELECT_TYPES = {3: "string", 5: "user", 6: "role", 7: "mentionable", 8: "channel"}


class DriverError(AssertionError):
    """A member action the real Discord client would not allow (e.g. clicking a disabled button)."""


def clickable(world: World, ref: MessageRef, custom_id: str) -> tuple[JSON, JSON]:
    """The bot's message ``ref`` points at and its enabled component ``custom_id``, as the client offers them."""
    if isinstance(ref, InteractionHandle):
        message_id = ref.record.original_message_id
    else:
        message_id = int(ref["id"]) if isinstance(ref, dict) else int(ref)
    current = world.messages.get(message_id or 0)
    if current is None:
        raise DriverError(f"no message {message_id} from the bot to interact with")
    component = find_component(current, custom_id)
    if component is None:
        raise DriverError(f"message {message_id} has no component {custom_id!r}; it has {custom_ids(current)}")
    if component.get("disabled"):
        raise DriverError(f"component {custom_id!r} is disabled")
    return current, component


def pick_entity(world: World, value: Any, kind: int, channel: ChannelHandle) -> Any:
    """Entity selects accept handles, or ids (str/int) looked up like the client would offer them."""
    if not isinstance(value, str | int):
        return value
    ident = int(value)
    guild = channel.guild
    candidates: list[Any] = []
    if kind in (5, 7):
        candidates.append(guild.members.get(ident) if guild else world.users.get(ident))
    if kind in (6, 7) and guild is not None:
        candidates.append(guild.roles.get(ident))
    if kind == 8:
        candidates.append(world.channels.get(ident))
    found = next((c for c in candidates if c is not None), None)
    if found is None:
        raise DriverError(f"no {SELECT_TYPES[kind]} with id {value} to pick")
    return found


def resolve_entities(values: Sequence[Any]) -> tuple[list[str], JSON]:
    """The ids an entity select sends, and the ``resolved`` data Discord adds for them."""
    resolved: JSON = {}
    ids = []
    for value in values:
        if isinstance(value, MemberHandle | UserRecord):
            user = value.user if isinstance(value, MemberHandle) else value
            resolved.setdefault("users", {})[str(user.id)] = user.payload()
            if isinstance(value, MemberHandle):
                resolved.setdefault("members", {})[str(user.id)] = value.payload(
                    with_user=False, permissions=value.permissions()
                )
        elif isinstance(value, RoleHandle):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
        elif isinstance(value, ChannelHandle):
            resolved.setdefault("channels", {})[str(value.id)] = {**value.payload(), "permissions": "0"}
        else:
            raise DriverError(f"entity selects take handles, not {value!r}")
        ids.append(str(value.id))
    return ids, resolved


def find_event(world: World, event: ScheduledEventRecord | int) -> ScheduledEventRecord:
    """The scheduled event, given itself or its id."""
    if isinstance(event, ScheduledEventRecord):
        return event
    for guild in world.guilds.values():
        if int(event) in guild.scheduled_events:
            return guild.scheduled_events[int(event)]
    raise DriverError(f"no scheduled event {event}")


def check_reserved(
    world: World,
    command: str,
    channel: ChannelHandle | None,
    options: Mapping[str, Any] | None,
    kwoptions: Mapping[str, Any],
) -> None:
    """``channel=`` means "run it here"; refuse it when the command also has an option called ``channel``."""
    if channel is None or "channel" in (options or {}):
        return
    names = option_names(world, command)
    if "channel" in names:
        raise CommandError(
            f"/{command} has an option named 'channel': pass it as options={{'channel': ...}} "
            "(channel= is where the command is run)"
        )


def option_names(world: World, command: str) -> set[str]:
    """The option names of ``command`` (``"group sub"`` for subcommands), as the bot registered them."""
    parts = command.strip().lstrip("/").split()
    found = world.global_commands + [c for cs in world.guild_commands.values() for c in cs]
    defs: list[JSON] = next((c.get("options", []) for c in found if c["name"] == parts[0]), [])
    for part in parts[1:]:
        defs = next((d.get("options", []) for d in defs if d["name"] == part), [])
    return {d["name"] for d in defs}


def fill_modal(modal: JSON, values: Mapping[str, str | Sequence[str]]) -> list[JSON]:
    """Answer each input of the modal the bot sent, keeping its layout (action rows or labels)."""
    unused = dict(values)

    def answer(comp: JSON) -> JSON:
        custom_id = comp.get("custom_id")
        kind = comp["type"]
        if custom_id is None:
            return {"type": kind, **({"id": comp["id"]} if "id" in comp else {})}
        if custom_id not in unused:
            if kind == 4 and comp.get("required", True):
                raise DriverError(f"modal field {custom_id!r} is required; given {list(values)}")
            value: Any = "" if kind == 4 else []
        else:
            value = unused.pop(custom_id)
        if kind == 4:
            text = str(value)
            if comp.get("max_length") is not None and len(text) > comp["max_length"]:
                raise DriverError(f"modal field {custom_id!r} allows {comp['max_length']} characters")
            if text and comp.get("min_length") is not None and len(text) < comp["min_length"]:
                raise DriverError(f"modal field {custom_id!r} needs {comp['min_length']} characters")
            return {"type": 4, "custom_id": custom_id, "value": text}
        return {"type": kind, "custom_id": custom_id, "values": list(value)}

    result = []
    for comp in modal.get("components", []):
        if comp["type"] == 1:
            result.append({"type": 1, "components": [answer(c) for c in comp.get("components", [])]})
        elif comp["type"] == 18:
            result.append({"type": 18, "id": comp.get("id"), "component": answer(comp["component"])})
        else:
            result.append(answer(comp))
    if unused:
        raise DriverError(f"modal {modal.get('custom_id')!r} has no fields {list(unused)}")
    return result

"""Interactions: the INTERACTION_CREATE payload, what the bot answered, and a handle tests await on."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .forward import Forwarded
from .ids import interaction_token
from .models import JSON, ChannelHandle, MemberHandle, UserRecord
from .permissions import DM_APP_PERMISSIONS
from .recorder import DEFAULT_TIMEOUT, RecordedFile
from .state import World

#: Interaction callback types (https://discord.com/developers/docs/interactions/receiving-and-responding).
PONG, CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE = 1, 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


@dataclass(eq=False)
class InteractionRecord:
    """An interaction the double dispatched, and everything the bot did with it."""

    id: int
    token: str
    type: int
    payload: JSON
    label: str
    channel: ChannelHandle
    user: UserRecord
    guild_id: int | None
    source_message_id: int | None = None
    created: float = field(default_factory=time.monotonic)
    response: JSON | None = None
    # time.monotonic() when the bot's callback (its acknowledgement) arrived.
    responded: float | None = None
    response_files: list[RecordedFile] = field(default_factory=list)
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    call_index: int = 0


def build_interaction(
    world: World,
    *,
    itype: int,
    data: JSON,
    invoker: MemberHandle | UserRecord,
    channel: ChannelHandle,
    label: str,
    message: JSON | None = None,
) -> InteractionRecord:
    """Create and register an interaction; the caller dispatches ``record.payload``."""
    interaction_id = world.snowflake()
    token = interaction_token()
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(world.application_id),
        "type": itype,
        "token": token,
        "version": 1,
        "data": data,
        "channel_id": str(channel.id),
        "locale": (invoker.user if isinstance(invoker, MemberHandle) else invoker).locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    guild = channel.guild
    if guild is not None and isinstance(invoker, MemberHandle):
        perms = guild.permissions_for(invoker, channel)
        user = invoker.user
        payload.update(
            guild_id=str(guild.id),
            guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
            guild_locale=guild.preferred_locale,
            member=invoker.payload(permissions=perms),
            app_permissions=str(guild.permissions_for(guild.bot_member, channel)),
            context=0,
            authorizing_integration_owners={"0": str(guild.id)},
            channel={**channel.payload(), "permissions": str(perms)},
        )
    else:
        user = invoker.user if isinstance(invoker, MemberHandle) else invoker
        payload.update(
            user=user.payload(),
            app_permissions=str(DM_APP_PERMISSIONS),
            context=1,
            authorizing_integration_owners={"0": "0"},
            channel={**channel.payload(), "permissions": str(DM_APP_PERMISSIONS)},
        )
    if message is not None:
        payload["message"] = message
    record = InteractionRecord(
        interaction_id,
        token,
        itype,
        payload,
        label,
        channel,
        user,
        guild.id if guild is not None else None,
        source_message_id=int(message["id"]) if message is not None else None,
        call_index=len(world.calls),
    )
    world.interactions[interaction_id] = record
    return record


class InteractionHandle:
    """What a test holds after ``dd.slash``/``dd.click``/...; every wait has a timeout and explains itself."""

    def __init__(self, world: World, record: InteractionRecord) -> None:
        self._world = world
        self.record = record

    def __repr__(self) -> str:
        return f"<InteractionHandle {self.record.label} id={self.id}>"

    id = Forwarded[int]("record")
    token = Forwarded[str]("record")

    async def response(self, timeout: float = DEFAULT_TIMEOUT) -> JSON:  # noqa: ASYNC109
        """The callback body the bot POSTed: ``{"type": 4, "data": {...}}``."""
        return await self._world.signal.wait_for(
            lambda: self.record.response,
            timeout=timeout,
            describe=lambda: f"the bot never answered interaction {self.record.label}. {self._since()}",
        )

    @property
    def type(self) -> int:
        """The callback type (4 message, 5 deferred, 6 deferred update, 7 update, 8 choices, 9 modal)."""
        return int(self._responded()["type"])

    @property
    def data(self) -> JSON:
        return dict(self._responded().get("data") or {})

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags") or 0) & 64)

    @property
    def content(self) -> str:
        return str(self.data.get("content") or "")

    @property
    def embeds(self) -> list[JSON]:
        return list(self.data.get("embeds") or [])

    @property
    def components(self) -> list[JSON]:
        return list(self.data.get("components") or [])

    @property
    def choices(self) -> list[JSON]:
        return list(self.data.get("choices") or [])

    @property
    def files(self) -> list[RecordedFile]:
        return list(self.record.response_files)

    @property
    def modal(self) -> JSON:
        """The modal the bot opened (callback type 9): ``custom_id``, ``title``, ``components``."""
        if self.type != MODAL:
            raise AssertionError(f"{self.record.label} was answered with type {self.type}, not a modal")
        return self.data

    async def original(self, timeout: float = DEFAULT_TIMEOUT) -> JSON:  # noqa: ASYNC109
        """The response message as it is now, once it exists and is no longer "thinking" (deferred)."""

        def check() -> JSON | None:
            mid = self.record.original_message_id
            message = self._world.messages.get(mid) if mid is not None else None
            if message is None or message.get("flags", 0) & 128:
                return None
            return message

        return await self._world.signal.wait_for(
            check,
            timeout=timeout,
            describe=lambda: f"no (non-deferred) original response for {self.record.label}. {self._since()}",
        )

    async def followups(self, n: int = 1, timeout: float = DEFAULT_TIMEOUT) -> list[JSON]:  # noqa: ASYNC109
        """Wait until the bot sent at least ``n`` followup messages; returns them all (current versions)."""

        def check() -> list[JSON] | None:
            if len(self.record.followup_ids) < n:
                return None
            return [self._world.messages[m] for m in self.record.followup_ids if m in self._world.messages]

        return await self._world.signal.wait_for(
            check,
            timeout=timeout,
            describe=lambda: (
                f"expected {n} followup(s) to {self.record.label}, saw {len(self.record.followup_ids)}. {self._since()}"
            ),
        )

    def _responded(self) -> JSON:
        if self.record.response is None:
            raise AssertionError(f"{self.record.label} has no response yet; `await handle.response()` first")
        return self.record.response

    def _since(self) -> str:
        calls = self._world.calls[self.record.call_index :]
        listed = "\n  ".join(str(c) for c in calls[-15:]) or "(none)"
        return f"REST calls since it was dispatched:\n  {listed}"


def find_component(message: JSON, custom_id: str) -> JSON | None:
    """The component with ``custom_id`` anywhere in a message's component tree."""
    return _walk(message.get("components") or [], custom_id)


def _walk(components: list[Any], custom_id: str) -> JSON | None:
    for comp in components:
        if comp.get("custom_id") == custom_id:
            return dict(comp)
        children = list(comp.get("components") or [])
        if "component" in comp:
            children.append(comp["component"])
        if "accessory" in comp:
            children.append(comp["accessory"])
        found = _walk(children, custom_id)
        if found is not None:
            return found
    return None


def custom_ids(message: JSON) -> list[str]:
    """Every custom_id in a message (for error messages)."""
    found: list[str] = []

    def walk(components: list[Any]) -> None:
        for comp in components:
            if comp.get("custom_id"):
                found.append(comp["custom_id"])
            walk(list(comp.get("components") or []) + [c for k in ("component", "accessory") if (c := comp.get(k))])

    walk(message.get("components") or [])
    return found

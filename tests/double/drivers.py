"""Acting as members: messages, DMs, slash commands, autocomplete, buttons, selects, modals, voice, events."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from . import permissions as perms
from .commands import encode_command
from .guild import GuildHandle
from .ids import iso_now
from .interactions import AUTOCOMPLETE_RESULT, InteractionHandle, build_interaction, custom_ids
from .member_input import (
    SELECT_TYPES,
    DriverError,
    MessageRef,
    check_reserved,
    clickable,
    fill_modal,
    find_event,
    pick_entity,
    resolve_entities,
)
from .messages import build_message, dispatch_update, store_and_dispatch
from .models import JSON, VOICE, ChannelHandle, MemberHandle, RoleHandle, ScheduledEventRecord, UserRecord
from .recorder import DEFAULT_TIMEOUT
from .state import World

__all__ = ["DriverError", "MemberDrivers"]


class MemberDrivers:
    """Mixed into :class:`DiscordDouble`; every method acts as a member would in the Discord client."""

    world: World

    # -- messages -------------------------------------------------------------------------------------
    async def send_message(
        self,
        member: MemberHandle,
        channel: ChannelHandle,
        content: str = "",
        *,
        embeds: Sequence[JSON] = (),
        reply_to: JSON | None = None,
    ) -> JSON:
        """Post as ``member`` in a guild channel (MESSAGE_CREATE). Returns the message payload."""
        if channel.guild is None or channel.guild is not member.guild:
            raise DriverError(f"{member.name} is not in the guild of #{channel.name}")
        needed = perms.SEND_IN_THREADS if channel.is_thread else perms.SEND_MESSAGES
        if member.permissions(channel) & needed != needed:
            raise DriverError(f"{member.name} cannot send messages in #{channel.name}")
        body: JSON = {"content": content, "embeds": list(embeds)}
        if reply_to is not None:
            body["message_reference"] = {"message_id": reply_to["id"], "channel_id": reply_to["channel_id"]}
        return store_and_dispatch(self.world, build_message(self.world, channel, member.user, body))

    async def send_dm(self, member: MemberHandle | UserRecord, content: str) -> JSON:
        """Send the bot a direct message (MESSAGE_CREATE in the DM channel, no guild_id)."""
        user = member.user if isinstance(member, MemberHandle) else member
        channel = self.world.dm_channel_for(user)
        return store_and_dispatch(self.world, build_message(self.world, channel, user, {"content": content}))

    async def edit_message(self, member: MemberHandle | UserRecord, message: JSON, content: str) -> JSON:
        """Edit one of the member's own messages (MESSAGE_UPDATE). Returns the updated payload."""
        user = member.user if isinstance(member, MemberHandle) else member
        if int(message["author"]["id"]) != user.id:
            raise DriverError(f"{user.name} can only edit their own messages")
        stored = self.world.messages[int(message["id"])]
        stored["content"] = content
        stored["edited_timestamp"] = iso_now()
        dispatch_update(self.world, stored)
        return stored

    # -- application commands -------------------------------------------------------------------------
    async def slash(
        self,
        member: MemberHandle | UserRecord,
        command: str,
        /,
        *,
        channel: ChannelHandle | None = None,
        dm: bool = False,
        options: Mapping[str, Any] | None = None,
        **kwoptions: Any,
    ) -> InteractionHandle:
        """Run ``/command`` (``"group sub"`` for subcommands) with typed options; returns at once.

        ``channel`` is where the command is run (default: the first text channel ``member`` can see);
        ``dm=True`` runs it in the bot's DMs. Pass options named ``channel``/``dm``/``options`` via ``options=``.
        """
        check_reserved(self.world, command, channel, options, kwoptions)
        invoker, where = self._where(member, channel, dm)
        values = {**(options or {}), **kwoptions}
        encoded = encode_command(self.world, command, values, guild=where.guild, invoker=invoker)
        record = build_interaction(
            self.world, itype=2, data=encoded.data, invoker=invoker, channel=where, label=f"/{command}"
        )
        self.world.dispatch("INTERACTION_CREATE", record.payload)
        return InteractionHandle(self.world, record)

    async def autocomplete(
        self,
        member: MemberHandle | UserRecord,
        command: str,
        /,
        *,
        focused: str,
        value: str = "",
        channel: ChannelHandle | None = None,
        dm: bool = False,
        options: Mapping[str, Any] | None = None,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
        **kwoptions: Any,
    ) -> list[JSON]:
        """Type ``value`` into option ``focused``; returns the choices the bot offered (callback type 8)."""
        check_reserved(self.world, command, channel, options, kwoptions)
        invoker, where = self._where(member, channel, dm)
        values = {**(options or {}), **kwoptions, focused: value}
        encoded = encode_command(self.world, command, values, guild=where.guild, invoker=invoker, focused=focused)
        record = build_interaction(
            self.world, itype=4, data=encoded.data, invoker=invoker, channel=where, label=f"/{command} ({focused}…)"
        )
        self.world.dispatch("INTERACTION_CREATE", record.payload)
        handle = InteractionHandle(self.world, record)
        response = await handle.response(timeout)
        if response.get("type") != AUTOCOMPLETE_RESULT:
            raise AssertionError(f"autocomplete answered with callback type {response.get('type')}, not 8")
        return handle.choices

    # -- components and modals ------------------------------------------------------------------------
    async def click(
        self, member: MemberHandle | UserRecord, message: MessageRef, custom_id: str, /
    ) -> InteractionHandle:
        """Click the button ``custom_id`` on a message the bot sent (dict, id, or an InteractionHandle)."""
        current, component = clickable(self.world, message, custom_id)
        if component.get("type") != 2:
            raise DriverError(f"{custom_id!r} is a component of type {component.get('type')}, not a button")
        data = {"custom_id": custom_id, "component_type": 2}
        return self._dispatch_component(member, current, data, f"click {custom_id!r}")

    async def forged_click(
        self, member: MemberHandle | UserRecord, message: MessageRef, custom_id: str, /
    ) -> InteractionHandle:
        """The worst case for a button that trusts its custom id: a click carrying any ``custom_id``.

        The message's first button is presented with that id, in the interaction's ``message`` too:
        discord.py only routes a click whose custom id is on the message it was given, so this is what a
        forged id would look like if it ever got past Discord. The stored message is not changed.
        """
        ref_id = message.record.original_message_id if isinstance(message, InteractionHandle) else None
        message_id = ref_id or (int(message["id"]) if isinstance(message, dict) else int(str(message)))
        current = self.world.messages.get(message_id)
        if current is None or not custom_ids(current):
            raise DriverError(f"no message {message_id} with a button from the bot to interact with")
        forged = copy.deepcopy(current)
        first = custom_ids(current)[0]

        def rename(components: list[Any]) -> None:
            for comp in components:
                if comp.get("custom_id") == first:
                    comp["custom_id"] = custom_id
                rename(comp.get("components") or [])

        rename(forged.get("components") or [])
        data = {"custom_id": custom_id, "component_type": 2}
        return self._dispatch_component(member, forged, data, f"forged click {custom_id!r}")

    async def select(
        self,
        member: MemberHandle | UserRecord,
        message: MessageRef,
        custom_id: str,
        values: Sequence[str | int | MemberHandle | UserRecord | RoleHandle | ChannelHandle],
    ) -> InteractionHandle:
        """Pick ``values`` in a select menu: option values for string selects; handles or ids for user,
        role, mentionable and channel selects (resolved data is included like Discord does)."""
        current, component = clickable(self.world, message, custom_id)
        kind = int(component.get("type", 0))
        if kind not in SELECT_TYPES:
            raise DriverError(f"{custom_id!r} is a component of type {kind}, not a select menu")
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(values) <= high:
            raise DriverError(f"{custom_id!r} takes {low}..{high} values, got {len(values)}")
        data: JSON = {"custom_id": custom_id, "component_type": kind, "values": []}
        if kind == 3:
            allowed = [o["value"] for o in component.get("options", [])]
            for value in values:
                if value not in allowed:
                    raise DriverError(f"{value!r} is not an option of {custom_id!r}; options: {allowed}")
            data["values"] = list(values)
        else:
            channel = self.world.channels[int(current["channel_id"])]
            entities = [pick_entity(self.world, v, kind, channel) for v in values]
            data["values"], data["resolved"] = resolve_entities(entities)
        return self._dispatch_component(member, current, data, f"select {custom_id!r}")

    async def submit_modal(
        self,
        member: MemberHandle | UserRecord,
        opener: InteractionHandle | str,
        values: Mapping[str, str | Sequence[str]],
        *,
        channel: ChannelHandle | None = None,
    ) -> InteractionHandle:
        """Fill and submit the modal the bot opened in ``opener`` (or one with that custom_id)."""
        message = None
        if isinstance(opener, InteractionHandle):
            modal = opener.modal
            where = channel or opener.record.channel
            if opener.record.source_message_id is not None:
                message = self.world.messages.get(opener.record.source_message_id)
            components = fill_modal(modal, values)
            custom_id = modal["custom_id"]
        else:
            custom_id = opener
            where = channel or self._where(member, None, False)[1]
            components = [
                {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()
            ]
        invoker = self._invoker(member, where)
        data = {"custom_id": custom_id, "components": components}
        record = build_interaction(
            self.world,
            itype=5,
            data=data,
            invoker=invoker,
            channel=where,
            label=f"modal {custom_id!r}",
            message=message,
        )
        self.world.dispatch("INTERACTION_CREATE", record.payload)
        return InteractionHandle(self.world, record)

    # -- voice, membership, events --------------------------------------------------------------------
    async def voice_join(self, member: MemberHandle, channel: ChannelHandle) -> None:
        """Join (or move to) a voice channel: VOICE_STATE_UPDATE."""
        guild = member.guild
        if channel.type != VOICE or channel.guild is not guild:
            raise DriverError(f"#{channel.name} is not a voice channel in {guild.name}")
        if not member.permissions(channel) & perms.CONNECT:
            raise DriverError(f"{member.name} cannot connect to {channel.name}")
        present = [uid for uid, cid in guild.voice_states.items() if cid == channel.id and uid != member.id]
        if channel.user_limit and len(present) >= channel.user_limit:
            raise DriverError(f"{channel.name} is full ({channel.user_limit})")
        guild.voice_states[member.id] = channel.id
        self.world.dispatch("VOICE_STATE_UPDATE", guild.voice_state_payload(member.id))

    async def voice_leave(self, member: MemberHandle) -> None:
        """Disconnect from voice: VOICE_STATE_UPDATE with channel_id null."""
        member.guild.voice_states.pop(member.id, None)
        self.world.dispatch("VOICE_STATE_UPDATE", member.guild.voice_state_payload(member.id))

    async def member_join(self, guild: GuildHandle, name: str, *, roles: Sequence[RoleHandle] = ()) -> MemberHandle:
        """A new member joins: GUILD_MEMBER_ADD (needs the members intent)."""
        return guild.add_member(name, roles=roles)

    async def member_leave(self, member: MemberHandle) -> None:
        """A member leaves: GUILD_MEMBER_REMOVE."""
        member.guild.remove_member(member)

    async def set_event_interest(
        self, member: MemberHandle, event: ScheduledEventRecord | int, interested: bool = True
    ) -> None:
        """Mark / unmark "Interested": GUILD_SCHEDULED_EVENT_USER_ADD / _REMOVE, and GET .../users."""
        record = find_event(self.world, event)
        present = member.id in record.interested
        if interested and not present:
            record.interested.append(member.id)
        elif not interested and present:
            record.interested.remove(member.id)
        else:
            return
        event_name = "GUILD_SCHEDULED_EVENT_USER_ADD" if interested else "GUILD_SCHEDULED_EVENT_USER_REMOVE"
        data = {"guild_scheduled_event_id": str(record.id), "user_id": str(member.id), "guild_id": str(record.guild_id)}
        self.world.dispatch(event_name, data)

    # -- helpers --------------------------------------------------------------------------------------
    def _where(
        self, member: MemberHandle | UserRecord, channel: ChannelHandle | None, dm: bool
    ) -> tuple[MemberHandle | UserRecord, ChannelHandle]:
        user = member.user if isinstance(member, MemberHandle) else member
        if dm or (channel is not None and channel.is_dm):
            return user, self.world.dm_channel_for(user)
        if channel is None:
            if not isinstance(member, MemberHandle):
                raise DriverError("a guild channel is needed for a user who is not a member")
            visible = [c for c in member.guild.text_channels if member.permissions(c) & perms.VIEW_CHANNEL]
            if not visible:
                raise DriverError(f"{member.name} can see no text channel in {member.guild.name}")
            channel = visible[0]
        return self._invoker(member, channel), channel

    def _invoker(self, member: MemberHandle | UserRecord, channel: ChannelHandle) -> MemberHandle | UserRecord:
        if channel.guild is None:
            return member.user if isinstance(member, MemberHandle) else member
        resolved = channel.guild.members.get(member.id)
        if resolved is None:
            raise DriverError(f"{member.name} is not a member of {channel.guild.name}")
        if not resolved.permissions(channel) & perms.VIEW_CHANNEL:
            raise DriverError(f"{resolved.name} cannot see #{channel.name}")
        return resolved

    def _dispatch_component(
        self, member: MemberHandle | UserRecord, message: JSON, data: JSON, label: str
    ) -> InteractionHandle:
        channel = self.world.channels[int(message["channel_id"])]
        invoker = self._invoker(member, channel)
        record = build_interaction(
            self.world, itype=3, data=data, invoker=invoker, channel=channel, label=label, message=message
        )
        self.world.dispatch("INTERACTION_CREATE", record.payload)
        return InteractionHandle(self.world, record)

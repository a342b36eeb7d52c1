"""The double answers like Discord where Discord refuses or behaves specially (so feature tests cannot hide bugs).

Each test names the documented rule it pins. The REST tests talk to the double directly over HTTP (no bot),
so a failure points at the double, not at a feature.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.double import DiscordDouble
from tests.double import permissions as perms
from tests.double.http_util import ApiError
from tests.double.interactions import build_interaction
from tests.double.limits import check_message, check_modal

JSON = dict[str, Any]


@pytest.fixture
async def dd() -> AsyncIterator[DiscordDouble]:
    async with DiscordDouble() as double:
        yield double


async def rest(dd: DiscordDouble, method: str, path: str, body: JSON | None = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bot {dd.world.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, dd.world.base_url + "/api/v10" + path, json=body, headers=headers) as resp,
    ):
        data = await resp.json(content_type=None) if resp.status != 204 else None
        return resp.status, data


def _field(data: JSON) -> str:
    return next(iter(data["errors"]))


def _refused(body: JSON, field: str | None = None, check: Any = check_message) -> None:
    with pytest.raises(ApiError) as info:
        check(body)
    assert info.value.code == 50035
    if field is not None:
        assert field in (info.value.errors or {}), info.value.errors


def _row(*components: JSON) -> JSON:
    return {"type": 1, "components": list(components)}


def _button(custom_id: str | None = "b", **extra: Any) -> JSON:
    button: JSON = {"type": 2, "style": 1, "label": "Go", **extra}
    if custom_id is not None:
        button["custom_id"] = custom_id
    return button


def _select(**extra: Any) -> JSON:
    options = [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}]
    return {"type": 3, "custom_id": "s", "options": options, **extra}


# -- components (docs: components/reference, "custom_id ... must be unique per component") ----------------
def test_duplicate_custom_ids_in_one_message_are_refused() -> None:
    check_message({"components": [_row(_button("a"), _button("b"))]})
    _refused({"components": [_row(_button("a")), _row(_button("a"))]}, "components.1.components.0.custom_id")


def test_link_buttons_need_a_url_and_no_custom_id() -> None:
    link = {"type": 2, "style": 5, "label": "Help", "url": "https://example.org/help"}
    check_message({"components": [_row(link)]})
    _refused({"components": [_row({**link, "custom_id": "x"})]}, "components.0.components.0.custom_id")
    _refused({"components": [_row({k: v for k, v in link.items() if k != "url"})]}, "components.0.components.0.url")
    _refused({"components": [_row(_button(None))]}, "components.0.components.0.custom_id")
    _refused({"components": [_row(_button("x", url="https://example.org"))]}, "components.0.components.0.url")
    _refused({"components": [_row(_button("x", label=None))]}, "components.0.components.0.label")


def test_select_min_max_values_and_options() -> None:
    check_message({"components": [_row(_select(min_values=0, max_values=2))]})
    _refused({"components": [_row(_select(max_values=3))]}, "components.0.components.0.max_values")
    _refused({"components": [_row(_select(min_values=2, max_values=1))]}, "components.0.components.0.min_values")
    _refused({"components": [_row(_select(max_values=0))]}, "components.0.components.0.max_values")
    _refused({"components": [_row(_select(options=[]))]}, "components.0.components.0.options")
    twice = [{"label": "A", "value": "a"}, {"label": "B", "value": "a"}]
    _refused({"components": [_row(_select(options=twice))]}, "components.0.components.0.options.1.value")


def test_action_rows_are_not_empty_and_selects_stand_alone() -> None:
    _refused({"components": [_row()]}, "components.0.components")
    _refused({"components": [_row(_select(), _button("x"))]}, "components.0.components")


def test_embed_urls_must_be_well_formed() -> None:
    check_message({"embeds": [{"title": "t", "url": "https://example.org", "image": {"url": "attachment://a.png"}}]})
    _refused({"embeds": [{"title": "t", "url": "example.org/page"}]}, "embeds.0.url")
    _refused({"embeds": [{"title": "t", "thumbnail": {"url": "ftp://example.org/x.png"}}]}, "embeds.0.thumbnail.url")
    _refused({"embeds": [{"title": "t", "color": 0x1000000}]}, "embeds.0.color")


def test_allowed_mentions_parse_and_lists_are_mutually_exclusive() -> None:
    check_message({"content": "hi", "allowed_mentions": {"parse": ["roles"], "users": ["1"]}})
    _refused({"content": "hi", "allowed_mentions": {"parse": ["users"], "users": ["1"]}}, "allowed_mentions")
    _refused({"content": "hi", "allowed_mentions": {"parse": ["roles"], "roles": ["1"]}}, "allowed_mentions")
    _refused({"content": "hi", "allowed_mentions": {"parse": ["members"]}}, "allowed_mentions.parse.0")


def _text_input(**extra: Any) -> JSON:
    return {"type": 4, "custom_id": "t", "style": 1, "label": "Note", **extra}


def _modal(*rows: JSON) -> JSON:
    return {"custom_id": "m", "title": "Check in", "components": list(rows)}


def test_modals_need_one_to_five_rows_and_valid_text_inputs() -> None:
    check_modal(_modal(_row(_text_input(min_length=0, max_length=4000))))
    _refused(_modal(), "data.components", check_modal)
    _refused(_modal(*[_row(_text_input(custom_id=f"t{i}")) for i in range(6)]), "data.components", check_modal)
    _refused(_modal(_row(_text_input(max_length=4001))), "data.components.0.components.0.max_length", check_modal)
    _refused(
        _modal(_row(_text_input(min_length=5, max_length=2))), "data.components.0.components.0.min_length", check_modal
    )
    _refused(_modal(_row(_text_input(style=3))), "data.components.0.components.0.style", check_modal)
    _refused(_modal(_row(_text_input()), _row(_text_input())), "data.components.1.components.0.custom_id", check_modal)
    _refused(_modal(_row(_text_input(), _text_input(custom_id="u"))), "data.components.0.components", check_modal)


# -- interactions (docs: interactions/receiving-and-responding) ------------------------------------------
def _interaction(dd: DiscordDouble, itype: int = 2) -> Any:
    guild = dd.add_guild("G")
    member = guild.add_member("Alice")
    channel = guild.add_text_channel("general")
    data: JSON = {"id": "1", "name": "x", "type": 1}
    return build_interaction(dd.world, itype=itype, data=data, invoker=member, channel=channel, label="/x")


async def _callback(dd: DiscordDouble, record: Any, body: JSON) -> tuple[int, Any]:
    return await rest(dd, "POST", f"/interactions/{record.id}/{record.token}/callback?with_response=1", body)


async def test_first_followup_after_a_defer_edits_the_loading_message_and_keeps_its_visibility(
    dd: DiscordDouble,
) -> None:
    """Create Followup Message: after a defer it edits the loading message; the ephemeral flag is ignored."""
    record = _interaction(dd)
    assert (await _callback(dd, record, {"type": 5}))[0] == 200  # public "thinking…"
    webhook = f"/webhooks/{dd.world.application_id}/{record.token}?wait=true"
    status, message = await rest(dd, "POST", webhook, {"content": "private?", "flags": 64})
    assert status == 200
    assert message["id"] == str(record.original_message_id)
    assert not message["flags"] & 64  # still public: a bot that meant this to be private leaked it
    status, second = await rest(dd, "POST", webhook, {"content": "really private", "flags": 64})
    assert second["id"] != message["id"] and second["flags"] & 64


async def test_interaction_tokens_expire_after_15_minutes(dd: DiscordDouble) -> None:
    record = _interaction(dd)
    await _callback(dd, record, {"type": 4, "data": {"content": "hi"}})
    dd.world.interaction_token_lifetime = 0.0
    status, body = await rest(dd, "PATCH", f"/webhooks/{dd.world.application_id}/{record.token}/messages/@original", {})
    assert (status, body["code"]) == (401, 50027)


async def test_callback_types_must_fit_the_interaction(dd: DiscordDouble) -> None:
    autocomplete = _interaction(dd, itype=4)
    status, body = await _callback(dd, autocomplete, {"type": 4, "data": {"content": "no"}})
    assert (status, body["code"]) == (400, 50035)
    modal_submit = build_interaction(
        dd.world, itype=5, data={"custom_id": "m", "components": []}, invoker=autocomplete.user,
        channel=autocomplete.channel, label="modal",
    )  # fmt: skip
    status, body = await _callback(dd, modal_submit, {"type": 9, "data": _modal(_row(_text_input()))})
    assert (status, body["code"]) == (400, 50035)


async def test_mentions_follow_allowed_mentions(dd: DiscordDouble) -> None:
    guild = dd.add_guild("G")
    alice, bob = guild.add_member("Alice"), guild.add_member("Bob")
    channel = guild.add_text_channel("general")
    content = f"{alice.mention} {bob.mention} @everyone"
    _, plain = await rest(dd, "POST", f"/channels/{channel.id}/messages", {"content": content})
    assert {m["id"] for m in plain["mentions"]} == {str(alice.id), str(bob.id)} and plain["mention_everyone"]
    only_bob = {"content": content, "allowed_mentions": {"users": [str(bob.id)]}}
    _, limited = await rest(dd, "POST", f"/channels/{channel.id}/messages", only_bob)
    assert [m["id"] for m in limited["mentions"]] == [str(bob.id)] and not limited["mention_everyone"]
    both = {"content": content, "allowed_mentions": {"parse": ["users"], "users": [str(bob.id)]}}
    status, body = await rest(dd, "POST", f"/channels/{channel.id}/messages", both)
    assert (status, body["code"]) == (400, 50035)


async def test_bots_cannot_be_sent_dms(dd: DiscordDouble) -> None:
    _, dm = await rest(dd, "POST", "/users/@me/channels", {"recipient_id": str(dd.world.bot_user.id)})
    status, body = await rest(dd, "POST", f"/channels/{dm['id']}/messages", {"content": "hi"})
    assert (status, body["code"]) == (403, 50007)


# -- channels and threads (docs: resources/guild#create-guild-channel, resources/channel#start-thread-*) --
async def test_channel_names_are_checked_and_text_names_normalised(dd: DiscordDouble) -> None:
    guild = dd.add_guild("G")
    text = guild.add_text_channel("general")
    status, made = await rest(dd, "POST", f"/guilds/{guild.id}/channels", {"name": "Quiet Room", "type": 0})
    assert status == 201 and made["name"] == "quiet-room"
    _, voice = await rest(dd, "POST", f"/guilds/{guild.id}/channels", {"name": "Quiet Room", "type": 2})
    assert voice["name"] == "Quiet Room"
    status, body = await rest(dd, "POST", f"/guilds/{guild.id}/channels", {"name": "x" * 101, "type": 2})
    assert (status, _field(body)) == (400, "name")
    status, body = await rest(dd, "POST", f"/guilds/{guild.id}/channels", {"name": "a", "parent_id": str(text.id)})
    assert (status, _field(body)) == (400, "parent_id")


async def test_thread_creation_rules(dd: DiscordDouble) -> None:
    guild = dd.add_guild("G")
    text = guild.add_text_channel("general")
    path = f"/channels/{text.id}/threads"
    status, _ = await rest(dd, "POST", path, {"name": "room", "type": 12, "auto_archive_duration": 10080})
    assert status == 201
    status, body = await rest(dd, "POST", path, {"name": "room", "type": 12, "auto_archive_duration": 120})
    assert (status, _field(body)) == (400, "auto_archive_duration")
    status, body = await rest(dd, "POST", path, {"name": "", "type": 11})
    assert (status, _field(body)) == (400, "name")
    status, body = await rest(dd, "POST", path, {"name": "room", "type": 10})
    assert (status, _field(body)) == (400, "type")


async def test_adding_members_to_a_private_thread_the_bot_is_not_in(dd: DiscordDouble) -> None:
    guild = dd.add_guild("G")
    text = guild.add_text_channel("general")
    alice, bob = guild.add_member("Alice"), guild.add_member("Bob")
    thread = guild.add_thread(text, "alice's", owner=alice, private=True)
    guild.set_bot_permissions(0, channel=text, deny=perms.MANAGE_THREADS)
    status, body = await rest(dd, "PUT", f"/channels/{thread.id}/thread-members/{bob.id}")
    assert (status, body["code"]) == (403, 50001)


# -- scheduled events (docs: resources/guild-scheduled-event) -------------------------------------------
def _event_body(**extra: Any) -> JSON:
    start = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    return {
        "name": "Meetup",
        "privacy_level": 2,
        "entity_type": 3,
        "scheduled_start_time": start.isoformat(),
        "scheduled_end_time": (start + dt.timedelta(hours=1)).isoformat(),
        "entity_metadata": {"location": "Library"},
        **extra,
    }


async def test_scheduled_event_rules(dd: DiscordDouble) -> None:
    guild = dd.add_guild("G")
    text, voice = guild.add_text_channel("general"), guild.add_voice_channel("Lounge")
    path = f"/guilds/{guild.id}/scheduled-events"
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
    cases = {
        "scheduled_start_time": _event_body(scheduled_start_time=past),
        "scheduled_end_time": _event_body(scheduled_end_time=past),
        "channel_id": _event_body(channel_id=str(voice.id)),
        "entity_metadata.location": _event_body(entity_metadata={"location": "x" * 101}),
        "name": _event_body(name="x" * 101),
        "description": _event_body(description="x" * 1001),
    }
    for field, body in cases.items():
        status, answer = await rest(dd, "POST", path, body)
        assert (status, _field(answer)) == (400, field), field
    assert _field((await rest(dd, "POST", path, _event_body(entity_metadata={})))[1]) == "entity_metadata.location"
    no_end = {k: v for k, v in _event_body().items() if k != "scheduled_end_time"}
    assert _field((await rest(dd, "POST", path, no_end))[1]) == "scheduled_end_time"
    in_text = _event_body(entity_type=2, channel_id=str(text.id), entity_metadata=None)
    assert _field((await rest(dd, "POST", path, in_text))[1]) == "channel_id"
    status, event = await rest(dd, "POST", path, _event_body())
    assert status == 200
    status, answer = await rest(dd, "PATCH", f"{path}/{event['id']}", {"status": 3})  # scheduled -> completed
    assert (status, _field(answer)) == (400, "status")
    assert (await rest(dd, "PATCH", f"{path}/{event['id']}", {"status": 4}))[0] == 200  # scheduled -> canceled
    status, answer = await rest(dd, "PATCH", f"{path}/{event['id']}", {"name": "again"})
    assert (status, _field(answer)) == (400, "status")


# -- messages (docs: resources/message#edit-message, #message-reference-structure) -------------------------
async def test_edits_are_held_to_the_same_limits_and_ephemeral_messages_have_no_channel_route(
    dd: DiscordDouble,
) -> None:
    record = _interaction(dd)
    channel = record.channel
    _, sent = await rest(dd, "POST", f"/channels/{channel.id}/messages", {"content": "hi"})
    status, body = await rest(dd, "PATCH", f"/channels/{channel.id}/messages/{sent['id']}", {"content": "x" * 2001})
    assert (status, _field(body)) == (400, "content")
    await _callback(dd, record, {"type": 4, "data": {"content": "just for you", "flags": 64}})
    path = f"/channels/{channel.id}/messages/{record.original_message_id}"
    status, body = await rest(dd, "PATCH", path, {"content": "edited"})
    assert (status, body["code"]) == (404, 10008)


async def test_replies_to_unknown_messages_are_refused_unless_told_not_to_fail(dd: DiscordDouble) -> None:
    guild = dd.add_guild("G")
    channel = guild.add_text_channel("general")
    reply: JSON = {"content": "re", "message_reference": {"message_id": "123456789012345678"}}
    status, body = await rest(dd, "POST", f"/channels/{channel.id}/messages", reply)
    assert (status, _field(body)) == (400, "message_reference")
    reply["message_reference"]["fail_if_not_exists"] = False
    status, body = await rest(dd, "POST", f"/channels/{channel.id}/messages", reply)
    assert status == 200 and "message_reference" not in body

"""The double's sharded gateway: each session hears only the guilds its shard owns, as on Discord.

A guild belongs to shard ``(guild_id >> 22) % shard_count``; its READY entry, GUILD_CREATE and every later event
go to that shard's session only, and events without a guild (DMs) go to shard 0.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

from tests.double import ChannelHandle, DiscordDouble, GuildHandle, MemberHandle, running_bot
from tests.double.gateway import INVALID_SHARD, GatewaySession
from tests.support.tinybot import TinyBot


@dataclass
class Split:
    """Two guilds on different shards, one member in both."""

    first: GuildHandle  # shard 0
    second: GuildHandle  # shard 1
    first_text: ChannelHandle
    second_text: ChannelHandle
    alice: MemberHandle  # in the first guild
    alice_there: MemberHandle  # the same account in the second guild


@pytest.fixture
def split(discord_double: DiscordDouble) -> Split:
    discord_double.shard_count = 2
    first = discord_double.add_guild("Shard zero", shard=0)
    second = discord_double.add_guild("Shard one", shard=1)
    alice = first.add_member("Alice")
    return Split(
        first,
        second,
        first.add_text_channel("general"),
        second.add_text_channel("general"),
        alice,
        second.add_member("Alice", user=alice),
    )


def sessions(dd: DiscordDouble, shard_id: int) -> list[GatewaySession]:
    return [s for s in dd.gateway.sessions.values() if s.shard[0] == shard_id and not s.invalid]


def events(session: GatewaySession, name: str) -> list[dict]:
    return [frame["d"] for frame in session.buffer if frame["t"] == name]


def test_guilds_can_be_placed_on_a_shard(discord_double: DiscordDouble) -> None:
    discord_double.shard_count = 4
    placed = [discord_double.add_guild(f"g{i}", shard=i % 4) for i in range(8)]
    assert [discord_double.shard_of(g) for g in placed] == [i % 4 for i in range(8)]
    assert [g.id for g in placed] == sorted(g.id for g in placed)  # still in creation order
    with pytest.raises(ValueError, match="outside"):
        discord_double.add_guild("nowhere", shard=4)


async def test_gateway_bot_reports_the_shard_count_and_one_client_runs_every_shard(
    discord_double: DiscordDouble, split: Split
) -> None:
    dd = discord_double
    async with running_bot(dd, TinyBot(split.first.id)) as bot:
        assert bot.shard_count == 2 and sorted(bot.shards) == [0, 1]
        assert {g.id for g in bot.guilds} == {split.first.id, split.second.id}
        [zero], [one] = sessions(dd, 0), sessions(dd, 1)
        assert zero.shard == [0, 2] and one.shard == [1, 2]
        assert [g["id"] for g in events(zero, "READY")[0]["guilds"]] == [str(split.first.id)]
        assert [g["id"] for g in events(one, "READY")[0]["guilds"]] == [str(split.second.id)]
        assert [g["id"] for g in events(zero, "GUILD_CREATE")] == [str(split.first.id)]
        assert [g["id"] for g in events(one, "GUILD_CREATE")] == [str(split.second.id)]
        # discord.py asks each guild's own shard for its members (op 8), and gets them.
        second = bot.get_guild(split.second.id)
        assert second is not None and second.get_member(split.alice.id) is not None


@pytest.fixture
async def two_processes(discord_double: DiscordDouble, split: Split) -> AsyncIterator[tuple[TinyBot, TinyBot]]:
    """Two clients with one shard each, as two processes of a cluster would run."""
    dd = discord_double
    async with (
        running_bot(dd, TinyBot(split.first.id, shard_count=2, shard_ids=[0])) as zero,
        running_bot(dd, TinyBot(split.second.id, shard_count=2, shard_ids=[1])) as one,
    ):
        yield zero, one


async def test_each_client_hears_only_its_own_guilds_and_dms_go_to_shard_zero(
    discord_double: DiscordDouble, split: Split, two_processes: tuple[TinyBot, TinyBot]
) -> None:
    dd, (zero, one) = discord_double, two_processes
    assert [g.id for g in zero.guilds] == [split.first.id]
    assert [g.id for g in one.guilds] == [split.second.id]
    await dd.send_message(split.alice, split.first_text, "hello zero")
    await dd.send_message(split.alice_there, split.second_text, "hello one")
    await dd.send_dm(split.alice, "a direct message")
    await zero.seen.wait("message", lambda m: m.content == "a direct message")
    await one.seen.wait("message", lambda m: m.content == "hello one")
    heard_by_zero = [m.content for name, m in zero.seen.events if name == "message"]
    heard_by_one = [m.content for name, m in one.seen.events if name == "message"]
    assert heard_by_zero == ["hello zero", "a direct message"]
    assert heard_by_one == ["hello one"]


async def test_interactions_and_later_guild_events_reach_the_owning_shard_only(
    discord_double: DiscordDouble, split: Split, two_processes: tuple[TinyBot, TinyBot]
) -> None:
    dd, (zero, one) = discord_double, two_processes
    for member, channel in ((split.alice, split.first_text), (split.alice_there, split.second_text)):
        inter = await dd.slash(member, "ping", channel=channel)
        assert (await inter.response())["type"] == 4  # answered once: a second answer would be refused
    dm_inter = await dd.slash(split.alice, "ping", dm=True)
    await dm_inter.response()
    [zero_session], [one_session] = sessions(dd, 0), sessions(dd, 1)
    assert [i.get("guild_id") for i in events(zero_session, "INTERACTION_CREATE")] == [str(split.first.id), None]
    assert [i.get("guild_id") for i in events(one_session, "INTERACTION_CREATE")] == [str(split.second.id)]
    joined = dd.add_guild("Joined later", shard=1)
    await one.seen.wait("guild_join", lambda g: g.id == joined.id)
    joined.add_text_channel("later")
    assert zero.get_guild(joined.id) is None
    assert {e["id"] for e in events(zero_session, "GUILD_CREATE")} == {str(split.first.id)}
    assert str(joined.id) in {c.get("guild_id") for c in events(one_session, "CHANNEL_CREATE")}


async def test_identify_with_a_shard_outside_its_count_is_closed_with_4010(discord_double: DiscordDouble) -> None:
    dd = discord_double
    async with aiohttp.ClientSession() as http, http.ws_connect(dd.base_url + "/gateway") as ws:
        hello = await ws.receive_json()
        assert hello["op"] == 10
        await ws.send_str(json.dumps({"op": 2, "d": {"token": dd.token, "intents": 1, "shard": [2, 2]}}))
        await ws.receive()
        assert ws.close_code == INVALID_SHARD

"""The double's opt-in rate limits: counted like Discord counts them, and honoured by unmodified discord.py."""

from __future__ import annotations

import asyncio

import discord
import pytest

from tests.double import ChannelHandle, DiscordDouble, RateLimiter, RateLimits
from tests.support.tinybot import TinyBot, World

SEND = ("POST", "/channels/{channel_id}/messages")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_global_limit_refuses_the_request_over_it_until_the_second_is_up() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimits(global_per_second=3, route_limit=100), clock=clock)
    verdicts = [limiter.admit(*SEND, f"/channels/{i}/messages", {"channel_id": str(i)}) for i in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    refused = verdicts[-1]
    assert refused.is_global and refused.retry_after == pytest.approx(1.0)
    response = refused.refusal()
    assert response.status == 429
    assert response.headers["X-RateLimit-Global"] == "true" and response.headers["Via"]
    clock.now += 0.4
    assert limiter.admit(*SEND, "/channels/9/messages", {"channel_id": "9"}).retry_after == pytest.approx(0.6)
    clock.now += 0.6
    assert limiter.admit(*SEND, "/channels/9/messages", {"channel_id": "9"}).allowed
    assert (limiter.stats.allowed, limiter.stats.refused_global) == (4, 2)


def test_route_buckets_are_per_major_parameter_and_say_what_is_left() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimits(route_limit=2, route_window=5.0), clock=clock)
    first = limiter.admit(*SEND, "/channels/1/messages", {"channel_id": "1"})
    assert first.headers()["X-RateLimit-Remaining"] == "1"
    assert first.headers()["X-RateLimit-Limit"] == "2"
    assert limiter.admit(*SEND, "/channels/1/messages", {"channel_id": "1"}).headers()["X-RateLimit-Remaining"] == "0"
    third = limiter.admit(*SEND, "/channels/1/messages", {"channel_id": "1"})
    assert not third.allowed and not third.is_global and third.retry_after == pytest.approx(5.0)
    assert third.refusal().headers["X-RateLimit-Scope"] == "user"
    # Another channel is another bucket; and the route's own limit can be set.
    assert limiter.admit(*SEND, "/channels/2/messages", {"channel_id": "2"}).allowed
    custom = RateLimiter(RateLimits(routes={SEND: (1, 1.0)}), clock=clock)
    assert custom.admit(*SEND, "/channels/1/messages", {"channel_id": "1"}).allowed
    assert not custom.admit(*SEND, "/channels/1/messages", {"channel_id": "1"}).allowed


def test_interaction_responses_are_exempt_from_the_global_limit() -> None:
    limiter = RateLimiter(RateLimits(global_per_second=1), clock=FakeClock())
    assert limiter.admit(*SEND, "/channels/1/messages", {"channel_id": "1"}).allowed
    callback = ("POST", "/interactions/{interaction_id}/{interaction_token}/callback")
    for i in range(3):
        path = f"/interactions/{i}/tok{i}/callback"
        assert limiter.admit(*callback, path, {"interaction_id": str(i), "interaction_token": f"tok{i}"}).allowed
    assert limiter.stats.exempt == 3


def _channel(bot: TinyBot, world: World) -> discord.TextChannel:
    channel = bot.get_channel(world.text.id)
    assert isinstance(channel, discord.TextChannel)
    return channel


@pytest.fixture
def channels(world: World) -> list[ChannelHandle]:
    """Seven more text channels, made before the bot connects."""
    return [world.guild.add_text_channel(f"room-{i}") for i in range(7)]


async def test_discord_py_waits_out_global_429s_and_every_message_arrives_once(
    dd: DiscordDouble, channels: list[ChannelHandle], bot: TinyBot
) -> None:
    limiter = dd.enforce_rate_limits(RateLimits(global_per_second=3, route_limit=100))
    assert limiter is not None
    targets = [bot.get_channel(c.id) for c in channels]
    sent = await asyncio.gather(*(t.send(f"note {i}") for i, t in enumerate(targets)))  # type: ignore[union-attr]
    assert len(sent) == 7
    assert limiter.stats.allowed == 7
    assert limiter.stats.refused_global >= 1  # the double refused, discord.py slept and retried
    for i, channel in enumerate(channels):
        assert [m["content"] for m in dd.messages_in(channel)] == [f"note {i}"]
    # Seven requests at three a second cannot all land within the first two windows.
    assert limiter.stats.last_allowed is not None and limiter.stats.first_allowed is not None
    assert limiter.stats.last_allowed - limiter.stats.first_allowed >= 2.0


async def test_discord_py_paces_a_route_bucket_from_its_headers(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    limiter = dd.enforce_rate_limits(RateLimits(routes={SEND: (2, 0.5)}))
    assert limiter is not None
    channel = _channel(bot, world)
    for i in range(5):
        await channel.send(f"line {i}")
    assert [m["content"] for m in dd.messages_in(world.text)] == [f"line {i}" for i in range(5)]
    assert limiter.stats.allowed == 5
    # Told "0 remaining" by the headers, discord.py waits for the reset instead of being refused.
    assert limiter.stats.refused_route == 0
    assert limiter.stats.last_allowed - limiter.stats.first_allowed >= 1.0  # type: ignore[operator]


async def test_rate_limits_are_off_unless_asked_for(dd: DiscordDouble, world: World, bot: TinyBot) -> None:
    assert dd.enforce_rate_limits(on=False) is None
    channel = _channel(bot, world)
    await asyncio.gather(*(channel.send(f"m{i}") for i in range(12)))
    assert len(dd.messages_in(world.text)) == 12
    assert not [c for c in dd.calls if c.status == 429]

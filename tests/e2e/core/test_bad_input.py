"""Bad input gets a clear, specific answer within Discord's limits: never a traceback, never an echo that won't fit."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import discord
import pytest

from bot.discord_limits import CONTENT_MAX, EMBED_TOTAL_MAX, clamp_content, clamp_embed
from bot.errors import KindredError
from bot.service import parse_duration
from bot.text import ECHO_LIMIT, echo, is_row_id
from bot.timeparse import parse_clock_time, parse_when
from bot.timezones import resolve_timezone
from tests.harness import Harness

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


# -- inputs whose parsing could overflow or fail in the operating system ----------------------------
def test_a_duration_of_hundreds_of_digits_is_too_long_not_an_overflow() -> None:
    with pytest.raises(KindredError, match="too long"):
        parse_duration("9" * 400)
    with pytest.raises(KindredError, match="longer than 12 hours"):
        parse_duration("9" * 30)
    with pytest.raises(KindredError, match="longer than 12 hours"):
        parse_duration("9" * 39 + "h")


def test_a_very_long_time_zone_name_is_unknown_not_an_os_error() -> None:
    for name in ("a" * 400, "Europe/" + "x" * 300, "/" * 5000):
        with pytest.raises(KindredError, match="don't know the time zone") as caught:
            resolve_timezone(name)
        assert len(caught.value.message) < 300
    assert resolve_timezone("europe/london") == ZoneInfo("Europe/London")


@pytest.mark.parametrize("text", ["²", "12³", "٣", "1\u00b9", "-1", "0", "", " ", str(2**63), "1e3"])
def test_only_ascii_digits_in_sqlites_range_are_row_ids(text: str) -> None:
    assert not is_row_id(text)


def test_plain_ids_are_row_ids() -> None:
    assert is_row_id("1") and is_row_id(str(2**63 - 1))


# -- echoes are clamped ------------------------------------------------------------------------------
def test_echo_is_one_line_and_clamped() -> None:
    shown = echo("x" * 5000 + "\n\n" + "y")
    assert len(shown) <= ECHO_LIMIT + 2 and "\n" not in shown and shown.endswith("…'")
    assert echo("  two\nlines ") == "'two lines'"


@pytest.mark.parametrize(
    "call",
    [
        lambda t: parse_duration(t),
        lambda t: parse_clock_time(t),
        lambda t: parse_when(t, ZoneInfo("UTC"), NOW),
        lambda t: resolve_timezone(t),
    ],
)
def test_errors_never_repeat_more_than_a_short_echo(call: object) -> None:
    typed = "q" * 1990 + " @everyone"
    with pytest.raises(KindredError) as caught:
        call(typed)  # type: ignore[operator]
    assert len(caught.value.message) < 400 and "q" * (ECHO_LIMIT + 1) not in caught.value.message


def test_content_and_embeds_are_clamped_to_discords_limits() -> None:
    assert len(clamp_content("x" * 5000) or "") == CONTENT_MAX
    assert clamp_content(None) is None
    embed = discord.Embed(title="t" * 999, description="d" * 9999)
    for n in range(40):
        embed.add_field(name=f"n{n}" * 200, value="v" * 2000)
    embed.set_footer(text="f" * 5000)
    fitted = clamp_embed(embed)
    assert len(fitted) <= EMBED_TOTAL_MAX and len(fitted.fields) <= 25
    assert len(fitted.title or "") <= 256 and len(fitted.description or "") <= 4096
    assert all(len(f.name or "") <= 256 and len(f.value or "") <= 1024 for f in fitted.fields)
    assert all(f.name and f.value for f in fitted.fields)


# -- end to end --------------------------------------------------------------------------------------
@pytest.fixture
async def h(harness: Harness, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Harness]:
    caplog.set_level(logging.INFO)
    await harness.start(extensions=["cogs.rooms", "cogs.interests", "cogs.service", "cogs.checkins"])
    await harness.configure(service_board_channel_id=harness.world.service_board.id)
    yield harness
    assert harness.dd.unknown_calls == [] and harness.dd.internal_errors == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []


async def test_room_cancel_with_a_superscript_digit_is_not_found(h: Harness) -> None:
    inter = await h.dd.slash(h.world.alice, "room cancel", channel=h.world.general, room="²")
    await inter.response()
    assert inter.ephemeral and "couldn't find that room" in inter.content


async def test_service_post_with_a_huge_duration_says_so(h: Harness) -> None:
    inter = await h.dd.slash(
        h.world.alice,
        "service post",
        channel=h.world.general,
        title="Greeter",
        description="Welcome newcomers at the door",
        when="2026-11-25 19:00",
        duration="9" * 400,
        slots=2,
        kind="greeter",
    )
    await inter.response()
    original = await inter.original()
    assert "too long for a length of time" in original["content"]


async def test_reminder_with_a_huge_time_zone_name_is_refused_kindly_and_not_logged(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    typed = "Atlantis/" + "deep" * 1000
    inter = await h.dd.slash(h.world.alice, "checkin remind set", channel=h.world.general, time="08:00", timezone=typed)
    await inter.response()
    assert inter.ephemeral and "don't know the time zone" in inter.content
    assert len(inter.content) <= CONTENT_MAX
    # The long text is handed back (as a file: it won't fit), but the log never holds what was typed.
    assert "deepdeep" not in caplog.text


async def test_an_error_echoing_two_thousand_characters_still_fits_in_one_reply(h: Harness) -> None:
    typed = "z" * 1999
    inter = await h.dd.slash(h.world.alice, "checkin remind set", channel=h.world.general, time=typed, timezone="UTC")
    await inter.response()
    assert inter.ephemeral and "couldn't read" in inter.content and len(inter.content) <= CONTENT_MAX
    assert [f.filename for f in inter.files] == ["what-you-wrote.txt"]

"""What several features ask about time: when something starts and how it repeats (rooms and service, in the
same words because the rule behind them is the same, :mod:`bot.repeats`), reading the time typed, and time zones.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import discord
from discord import app_commands

from bot.repeats import REPEAT_CHOICES
from bot.timeparse import parse_when
from bot.timezones import suggest_timezones

__all__ = [
    "NEW_REPEAT_HELP",
    "REPEATS_HELP",
    "REPEAT_OPTIONS",
    "WHEN_HELP",
    "new_repeat_option",
    "read_when",
    "start_options",
    "timezone_autocomplete",
]

F = TypeVar("F", bound=Callable[..., Any])

WHEN_HELP = "When it starts, in your time zone: 'tomorrow 7pm', 'fri 19:00', '2026-12-01 18:30'"
REPEATS_HELP = "Whether it repeats (same local time): weekly, every two weeks, or monthly on a weekday"
NEW_REPEAT_HELP = "New repeat (monthly ones follow the start's weekday); 'Just once' ends the series after this one"
REPEAT_OPTIONS = [app_commands.Choice(name=label, value=value.value) for value, label in REPEAT_CHOICES]


def start_options(command: F) -> F:
    """The ``when`` and ``recurring`` options of a new room or opportunity: their help and the repeat choices."""
    command = app_commands.choices(recurring=REPEAT_OPTIONS)(command)
    return app_commands.describe(when=WHEN_HELP, recurring=REPEATS_HELP)(command)


def new_repeat_option(command: F) -> F:
    """The ``repeats`` option of an edit to a room or opportunity: its help and the repeat choices."""
    command = app_commands.choices(repeats=REPEAT_OPTIONS)(command)
    return app_commands.describe(repeats=NEW_REPEAT_HELP)(command)


async def read_when(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """The start a member typed, read in a worker thread.

    dateparser is synchronous CPU work (tens of milliseconds a phrase, seconds on its first use while it
    loads its language data): in a thread, every other member's commands and clicks are answered meanwhile.
    """
    return await asyncio.to_thread(parse_when, text, zone, now)


async def timezone_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Suggest IANA time zones as the member types."""
    return [app_commands.Choice(name=z, value=z) for z in suggest_timezones(current)]

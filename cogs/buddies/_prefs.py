"""Helpers behind /buddy join and /buddy prefs: options, interests from the shared catalogue, the summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import discord
from discord import app_commands

from bot.buddies.profiles import EXPERIENCE_LABELS, PATHWAY_LABELS, WANTS_LABELS, BuddyProfile, parse_interest_list
from bot.errors import KindredError
from bot.i18n import _, pgettext
from bot.text import echo
from bot.timezones import resolve_timezone
from cogs._when import timezone_autocomplete

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = [
    "EXPERIENCES",
    "OPTION_HELP",
    "PATHWAYS",
    "WANTS",
    "complete_interests",
    "interest_ids",
    "profile_options",
    "set_interests",
    "set_timezone",
    "summary",
    "validate_profile_input",
]

F = TypeVar("F", bound=Callable[..., Any])

PATHWAYS = [app_commands.Choice(name=label, value=value) for value, label in PATHWAY_LABELS.items()]
EXPERIENCES = [app_commands.Choice(name=label, value=value) for value, label in EXPERIENCE_LABELS.items()]
WANTS = [app_commands.Choice(name=label, value=value) for value, label in WANTS_LABELS.items()]

OPTION_HELP = {
    "interests": "Your interests, comma-separated (e.g. meditation, music); the same list /interests uses",
    "timezone": "Your time zone, so your buddy is awake when you are (e.g. Europe/London)",
    "pathway": "Your recovery pathway, or any",
    "experience": "New (under 90 days), steady, or mentor",
    "wants": "Would you like a peer, a mentor, or either?",
}


def complete_interests(catalogue: list[str], current: str) -> list[str]:
    """Autocomplete for a comma-separated list: keep what's typed, complete the last item.

    "meditation, mu" offers "meditation, music". Names already chosen aren't offered again, and
    values stay within Discord's 100-character limit for a choice.
    """
    head, _, tail = current.rpartition(",")
    typed = [p.strip() for p in head.split(",") if p.strip()]
    chosen = {p.casefold() for p in typed}
    prefix = ", ".join(typed)
    fragment = tail.strip().casefold()
    out: list[str] = []
    for name in catalogue:
        if name.casefold() in chosen or fragment not in name.casefold():
            continue
        value = f"{prefix}, {name}" if prefix else name
        if len(value) <= 100:
            out.append(value)
    return out[:25]


async def interests_autocomplete(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    """Complete the last comma-separated interest from the server's catalogue."""
    if interaction.guild_id is None:
        return []
    bot = cast("KindredBot", interaction.client)
    catalogue = await bot.store.interests.catalogue(interaction.guild_id, now=bot.clock.now())
    return [app_commands.Choice(name=v, value=v) for v in complete_interests([i.name for i in catalogue], current)]


def profile_options(command: F) -> F:
    """The option help, choices and autocomplete that /buddy join and /buddy prefs share."""
    command = app_commands.autocomplete(interests=interests_autocomplete, timezone=timezone_autocomplete)(command)
    command = app_commands.choices(pathway=PATHWAYS, experience=EXPERIENCES, wants=WANTS)(command)
    return app_commands.describe(**OPTION_HELP)(command)


async def validate_profile_input(bot: KindredBot, guild_id: int, interests: str | None, timezone: str | None) -> None:
    """Check given interests and time zone before anything is saved, raising a kind error for the first bad one."""
    if interests is not None:
        await interest_ids(bot, guild_id, interests)
    if timezone:
        resolve_timezone(timezone)


async def interest_ids(bot: KindredBot, guild_id: int, raw: str) -> dict[str, int]:
    """Catalogue ids for a comma-separated list, or a kind error naming the first unknown interest."""
    catalogue = await bot.store.interests.catalogue(guild_id, now=bot.clock.now())
    known, unknown = parse_interest_list(raw, [i.name for i in catalogue])
    if unknown:
        names = ", ".join(i.name for i in catalogue[:25])
        raise KindredError(
            _(
                "I don't know the interest {interest} in this server. Pick from the list as you type, "
                "separated by commas. Available: {names}."
            ).format(interest=echo(unknown[0]), names=names)
        )
    by_name = {i.name: i.id for i in catalogue}
    return {name: by_name[name] for name in known}


async def set_interests(bot: KindredBot, guild_id: int, user_id: int, raw: str, *, replace: bool) -> list[str]:
    """Follow the listed interests (the list /interests uses); with ``replace``, unfollow the rest."""
    chosen = await interest_ids(bot, guild_id, raw)
    interests = bot.store.interests
    if replace:
        for item in await interests.catalogue(guild_id, now=bot.clock.now()):
            if item.name not in chosen:
                await interests.unfollow(item.id, user_id)
    for interest_id in chosen.values():
        await interests.follow(interest_id, user_id)
    return list(chosen)


async def set_timezone(bot: KindredBot, user_id: int, name: str) -> str:
    """Save the member's time zone (one per person, shared with reminders); returns the IANA name."""
    zone = resolve_timezone(name)
    await bot.store.prefs.set_timezone(user_id, zone.key, now=bot.clock.now())
    return zone.key


def summary(profile: BuddyProfile) -> str:
    """The member's own preferences, for their eyes only."""
    interests = ", ".join(sorted(profile.interests, key=str.casefold)) or _("none yet")

    def label(labels: dict[str, str], value: str) -> str:
        # The same words as the command's choices, so the summary reads as the member chose.
        return pgettext("choice name", labels[value]) if value in labels else value

    return _(
        "**Interests:** {interests}\n**Time zone:** {timezone}\n"
        "**Pathway:** {pathway} · **Experience:** {experience} · **Looking for:** {wants}\n"
        "**Tell my buddy about hard moments:** {notify}"
    ).format(
        interests=interests,
        timezone=profile.timezone or _("not set"),
        pathway=label(PATHWAY_LABELS, profile.pathway),
        experience=label(EXPERIENCE_LABELS, profile.experience),
        wants=label(WANTS_LABELS, profile.wants),
        notify=pgettext("choice name", "on") if profile.notify_hard_moments else pgettext("choice name", "off"),
    )

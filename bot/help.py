"""Builds the /help listing from the command tree, leaving out what a member can't use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import discord
from discord import app_commands

from bot.i18n import N_, _, pgettext

__all__ = ["FEATURE_GROUPS", "HelpEntry", "compact_fields", "feature_names", "fits", "help_fields", "visible_entries"]

# Top-level command name -> the feature heading it is listed under (English; shown translated).
FEATURE_GROUPS: dict[str, str] = {
    "about": N_("Getting started"),
    "help": N_("Getting started"),
    "checkin": N_("Check-ins"),
    "recovery": N_("Recovery date"),
    "buddy": N_("Buddies"),
    "service": N_("Service"),
    "room": N_("Rooms and interests"),
    "interests": N_("Rooms and interests"),
    "resources": N_("Support"),
    "crisis": N_("Moderators"),
    "config": N_("Moderators"),
    "privacy": N_("Your data"),
}
MORE = N_("More")


@dataclass(frozen=True, slots=True)
class HelpEntry:
    """One line of /help."""

    group: str
    name: str
    description: str


def _allowed(command: app_commands.Command | app_commands.Group, perms: discord.Permissions) -> bool:
    needed = command.default_permissions
    node: app_commands.Group | None = command.parent
    while needed is None and node is not None:
        needed, node = node.default_permissions, node.parent
    return needed is None or perms.administrator or needed.is_subset(perms)


def visible_entries(
    commands: Iterable[app_commands.Command | app_commands.Group | app_commands.ContextMenu],
    perms: discord.Permissions,
) -> list[HelpEntry]:
    """Every leaf command the holder of ``perms`` may use, in feature order, named in the current locale.

    Headings, command names and descriptions come from the catalogues, as the member's client shows them.
    """
    order = {_(group): i for i, group in enumerate(dict.fromkeys(FEATURE_GROUPS.values()))}
    entries: list[HelpEntry] = []
    for top in commands:
        if isinstance(top, app_commands.ContextMenu):
            continue
        group = _(FEATURE_GROUPS.get(top.name, MORE))
        leaves = top.walk_commands() if isinstance(top, app_commands.Group) else [top]
        for leaf in leaves:
            if isinstance(leaf, app_commands.Command) and _allowed(leaf, perms):
                name = " ".join(pgettext("command name", part) for part in leaf.qualified_name.split())
                entries.append(HelpEntry(group, name, pgettext("command description", leaf.description)))
    entries.sort(key=lambda e: (order.get(e.group, len(order)), e.name))
    return entries


def help_fields(entries: list[HelpEntry], *, limit: int = 1024) -> list[tuple[str, str]]:
    """(heading, text) pairs for embed fields, one line per command.

    A heading whose lines don't fit one field (1,024 characters) continues in another field, so no
    command is ever cut off the end of a long group.
    """
    fields: list[tuple[str, str]] = []
    for entry in entries:
        line = f"`/{entry.name}`: {entry.description}"[:limit]
        heading = entry.group
        more = _("{heading} (more)").format(heading=heading)
        if fields and fields[-1][0] in (heading, more):
            last_heading, text = fields[-1]
            if len(text) + 1 + len(line) <= limit:
                fields[-1] = (last_heading, f"{text}\n{line}")
                continue
            heading = more
        fields.append((heading, line))
    return fields


# Discord rejects a message whose embeds hold more than 6,000 characters or 25 fields; keep a margin
# for the title and footer.
EMBED_BUDGET = 5500
MAX_FIELDS = 25


def fits(fields: list[tuple[str, str]]) -> bool:
    """Whether these fields fit one embed within Discord's limits."""
    return len(fields) <= MAX_FIELDS and sum(len(n) + len(v) for n, v in fields) <= EMBED_BUDGET


def compact_fields(entries: list[HelpEntry]) -> list[tuple[str, str]]:
    """One field per feature listing only command names: the overview when the full list is too long."""
    grouped: dict[str, list[str]] = {}
    for entry in entries:
        grouped.setdefault(entry.group, []).append(f"`/{entry.name}`")
    return [(group, ", ".join(names)[:1024]) for group, names in grouped.items()]


def feature_names(entries: list[HelpEntry]) -> list[str]:
    """The feature headings present in ``entries``, in listing order."""
    return list(dict.fromkeys(e.group for e in entries))

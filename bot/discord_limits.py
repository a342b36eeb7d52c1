"""Discord's size limits on what the bot sends, and clamping to them.

A message over a limit is refused outright (HTTP 400), so a reply that grew too long, often because it
repeats something a member typed, would leave the member with nothing but "interaction failed".
The error path clamps everything it sends with these.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.text import clamp

__all__ = [
    "CONTENT_MAX",
    "EMBED_DESCRIPTION_MAX",
    "EMBED_FIELDS_MAX",
    "EMBED_TOTAL_MAX",
    "clamp_content",
    "clamp_embed",
]

CONTENT_MAX = 2000
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000


def clamp_content(text: str | None) -> str | None:
    """Message content cut to Discord's 2,000 characters (``None`` stays ``None``)."""
    return None if text is None else clamp(text, CONTENT_MAX)


def clamp_embed(embed: discord.Embed) -> discord.Embed:
    """A copy of ``embed`` within every per-part limit and the 6,000-character total.

    Parts are cut in reading order, so when the total is too big, it is the last fields that go.
    """
    data = embed.to_dict()
    budget = EMBED_TOTAL_MAX

    def take(text: str, limit: int) -> str:
        nonlocal budget
        cut = clamp(text, max(min(limit, budget), 0))
        budget -= len(cut)
        return cut

    if "title" in data:
        data["title"] = take(data["title"], EMBED_TITLE_MAX)
    if "author" in data and "name" in data["author"]:
        data["author"]["name"] = take(data["author"]["name"], EMBED_AUTHOR_MAX)
    if "description" in data:
        data["description"] = take(data["description"], EMBED_DESCRIPTION_MAX)
    if "footer" in data and "text" in data["footer"]:
        data["footer"]["text"] = take(data["footer"]["text"], EMBED_FOOTER_MAX)
    fields: list[Any] = []
    for field in data.get("fields", [])[:EMBED_FIELDS_MAX]:
        # A field needs a non-empty name and value; stop before one that can't have both.
        if budget < 2:
            break
        name = take(field["name"], EMBED_FIELD_NAME_MAX)
        value = take(field["value"], EMBED_FIELD_VALUE_MAX)
        if not name or not value:
            break
        fields.append({**field, "name": name, "value": value})
    if "fields" in data:
        data["fields"] = fields
    return discord.Embed.from_dict(data)

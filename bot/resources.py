"""Crisis contacts per region, from the shipped ``bot/data/hotlines.json``.

This module never touches the database, so ``/resources`` and the crisis answer keep working
when the database is down. The answer stays short on purpose: one or two contacts a person can
reach right now work better than a long list (see ``shared/guide/crisis-safety.md``).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.package_data import data_path

__all__ = [
    "HOTLINES_PATH",
    "REGION_NAMES",
    "Contacts",
    "Line",
    "contacts_for",
    "load_hotlines",
    "render_contacts",
]

HOTLINES_PATH = data_path("hotlines.json")


@dataclass(frozen=True, slots=True)
class Line:
    """One service: how to call or text it, and where the number came from."""

    name: str
    source: str
    checked: str
    status: str
    call: str | None = None
    text: str | None = None
    url: str | None = None

    def how(self) -> str:
        """ "call 988 or text 988" style wording."""
        parts = []
        if self.call:
            parts.append(f"call **{self.call}**")
        if self.text:
            text = self.text if self.text.lower().startswith("text") else f"text **{self.text}**"
            parts.append(text if text.startswith("text **") else f"**{text}**")
        if self.url:
            parts.append(self.url)
        return " or ".join(parts)


@dataclass(frozen=True, slots=True)
class Contacts:
    """Everything a member in one region needs in a hard moment."""

    region: str
    region_name: str
    crisis: Line
    emergency: str
    emergency_line: Line
    directory: Line
    text_line: Line | None = None
    substance: Line | None = None


def _line(raw: dict[str, Any]) -> Line:
    return Line(
        name=raw["name"],
        source=raw["source"],
        checked=raw["checked"],
        status=raw["status"],
        call=raw.get("call"),
        text=raw.get("text"),
        url=raw.get("url"),
    )


@functools.cache
def load_hotlines(path: Path = HOTLINES_PATH) -> dict[str, Contacts]:
    """Parse the hotline file once; raises if an entry lacks a number, an emergency line or a source."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    directory = _line(raw["directory"])
    result: dict[str, Contacts] = {}
    for code, entry in raw["regions"].items():
        emergency = entry["emergency"]
        result[code] = Contacts(
            region=code,
            region_name=entry["name"],
            crisis=_line(entry["crisis"]),
            emergency=emergency["number"],
            emergency_line=Line(
                name="Emergency",
                source=emergency["source"],
                checked=emergency["checked"],
                status=emergency["status"],
                call=emergency["number"],
            ),
            directory=directory,
            text_line=_line(entry["text"]) if "text" in entry else None,
            substance=_line(entry["substance"]) if "substance" in entry else None,
        )
    return result


REGION_NAMES: dict[str, str] = {code: c.region_name for code, c in load_hotlines().items()}


def contacts_for(region: str | None) -> Contacts:
    """Contacts for a region code (US, CA, UK, IE, AU, NZ); anything else gets the worldwide directory."""
    hotlines = load_hotlines()
    return hotlines.get(region or "other") or hotlines["other"]


def render_contacts(contacts: Contacts, *, substance: bool = False) -> str:
    """A short block of contacts for a message: the crisis line, emergency, and the directory.

    ``substance=True`` adds the region's substance-use line, for overdose or acute substance crises.
    """
    lines = [f"• **{contacts.crisis.name}**: {contacts.crisis.how()}"]
    if contacts.text_line is not None:
        lines.append(f"• **{contacts.text_line.name}**: {contacts.text_line.how()}")
    if substance and contacts.substance is not None:
        lines.append(f"• **{contacts.substance.name}**: {contacts.substance.how()}")
    lines.append(f"• **In immediate danger:** call {contacts.emergency}")
    if contacts.region != "other":
        lines.append(f"• **Anywhere else:** {contacts.directory.url}")
    return "\n".join(lines)

"""Crisis contacts per region, from the shipped ``bot/data/hotlines.json``.

This module never touches the database, so ``/resources`` and the crisis answer keep working
when the database is down. The answer stays short on purpose: one or two contacts a person can
reach right now work better than a long list (see ``shared/guide/crisis-safety.md``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.i18n import N_, _
from bot.package_data import data_path

__all__ = [
    "HOTLINES_PATH",
    "REGION_NAMES",
    "Contacts",
    "HotlineDataError",
    "Line",
    "check_hotlines",
    "contacts_for",
    "emergency_number",
    "load_hotlines",
    "load_locale_regions",
    "region_aliases",
    "render_contacts",
]

HOTLINES_PATH = data_path("hotlines.json")

# A dialable number: digits with the spaces, dashes and brackets people write them with, a leading
# "+" for international form, or a leading "*" for short codes such as Chile's *4141.
_PHONE = re.compile(r"^[+*]?\(?\d[\d ()\-]*\d$")
_LINE_KEYS = ("crisis", "text", "substance")


class HotlineDataError(ValueError):
    """The shipped hotline file is incomplete or malformed; raised at load so a bad file never ships."""


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
            parts.append(_("call {number}").format(number=f"**{self.call}**"))
        if self.text:
            # "Text HOME to 741741" is the service's own instruction: its keyword stays as it is.
            if self.text.lower().startswith("text"):
                parts.append(f"**{self.text}**")
            else:
                parts.append(_("text {number}").format(number=f"**{self.text}**"))
        if self.url:
            parts.append(self.url)
        return _(" or ").join(parts)


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


def _numbers(value: str) -> list[str]:
    """ "0800 111 0 111 or 0800 111 0 222" -> both numbers."""
    return [part.strip() for part in value.split(" or ")]


def _check_source(where: str, raw: dict[str, Any]) -> list[str]:
    problems = []
    if not str(raw.get("source", "")).startswith(("https://", "http://")):
        problems.append(f"{where}: source must be a URL")
    try:
        dt.date.fromisoformat(str(raw.get("checked", "")))
    except ValueError:
        problems.append(f"{where}: checked must be an ISO date (YYYY-MM-DD)")
    if raw.get("status") != "verified":
        # Nothing reads ``status`` at answer time, so an unconfirmed number would be shown as if it
        # were confirmed. Such numbers stay out of the file instead.
        problems.append(f"{where}: only verified numbers are shipped")
    return problems


def _check_line(where: str, raw: dict[str, Any]) -> list[str]:
    problems = _check_source(where, raw)
    if not raw.get("name"):
        problems.append(f"{where}: needs a name")
    if not (raw.get("call") or raw.get("text") or raw.get("url")):
        problems.append(f"{where}: needs a number to call or text, or a URL")
    for number in _numbers(raw["call"]) if raw.get("call") else []:
        if not _PHONE.match(number):
            problems.append(f"{where}: {number!r} doesn't look like a phone number")
    text = raw.get("text")
    if text and not (_PHONE.match(text) or re.search(r"\d{3}", text)):
        problems.append(f"{where}: text {text!r} names no number to text")
    return problems


def check_hotlines(raw: dict[str, Any]) -> list[str]:
    """Every problem in a parsed hotline file, as sentences; an empty list means the file is complete.

    Each region needs a name, a crisis line and an emergency number, every number must look like one,
    and every entry needs a source URL, a checked date and ``verified`` status. Locale suggestions may
    only name shipped regions.
    """
    problems = _check_line("directory", raw.get("directory", {}))
    regions = raw.get("regions", {})
    if "other" not in regions:
        problems.append("regions: the worldwide fallback 'other' is missing")
    for code, entry in regions.items():
        if not entry.get("name"):
            problems.append(f"{code}: needs a name")
        if "crisis" not in entry:
            problems.append(f"{code}: needs a crisis line")
        for key in _LINE_KEYS:
            if key in entry:
                problems.extend(_check_line(f"{code}.{key}", entry[key]))
        emergency = entry.get("emergency")
        if not emergency or not emergency.get("number"):
            problems.append(f"{code}: needs an emergency number")
            continue
        problems.extend(_check_source(f"{code}.emergency", emergency))
        if code != "other":
            for number in _numbers(emergency["number"]):
                if not _PHONE.match(number):
                    problems.append(f"{code}.emergency: {number!r} doesn't look like a phone number")
    for locale, codes in raw.get("locale_regions", {}).items():
        for code in codes:
            if code not in regions or code == "other":
                problems.append(f"locale_regions.{locale}: {code!r} is not a shipped country")
    return problems


@functools.cache
def _raw(path: Path = HOTLINES_PATH) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    problems = check_hotlines(raw)
    if problems:
        raise HotlineDataError(f"{path.name} is incomplete: " + "; ".join(problems))
    return raw


@functools.cache
def load_hotlines(path: Path = HOTLINES_PATH) -> dict[str, Contacts]:
    """Parse the hotline file once; raises :class:`HotlineDataError` if anything in it is incomplete."""
    raw = _raw(path)
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


def load_locale_regions(path: Path = HOTLINES_PATH) -> dict[str, tuple[str, ...]]:
    """Discord locale -> the countries its language suggests, most likely first."""
    return {locale: tuple(codes) for locale, codes in _raw(path).get("locale_regions", {}).items()}


def region_aliases(path: Path = HOTLINES_PATH) -> dict[str, tuple[str, ...]]:
    """Region code -> other names people type for it ("Deutschland", "GB"), for search."""
    return {code: tuple(entry.get("aliases", ())) for code, entry in _raw(path)["regions"].items()}


REGION_NAMES: dict[str, str] = {code: c.region_name for code, c in load_hotlines().items()}


def contacts_for(region: str | None) -> Contacts:
    """Contacts for a shipped region code (see ``REGION_NAMES``); anything else gets the worldwide directory."""
    hotlines = load_hotlines()
    return hotlines.get(region or "other") or hotlines["other"]


LOCAL_EMERGENCY = N_("your local emergency number")


def emergency_number(contacts: Contacts) -> str:
    """The region's emergency number, or "your local emergency number" in the current locale."""
    if contacts.emergency == LOCAL_EMERGENCY:
        return _(LOCAL_EMERGENCY)
    return contacts.emergency


def render_contacts(contacts: Contacts, *, substance: bool = False) -> str:
    """A short block of contacts for a message: the crisis line, emergency, and the directory.

    ``substance=True`` adds the region's substance-use line, for overdose or acute substance crises.
    """
    # Line names and numbers are never translated: they are what a member says or dials.
    lines = [f"• **{contacts.crisis.name}**: {contacts.crisis.how()}"]
    if contacts.text_line is not None:
        lines.append(f"• **{contacts.text_line.name}**: {contacts.text_line.how()}")
    if substance and contacts.substance is not None:
        lines.append(f"• **{contacts.substance.name}**: {contacts.substance.how()}")
    lines.append("• " + _("**In immediate danger:** call {number}").format(number=emergency_number(contacts)))
    if contacts.region != "other":
        lines.append("• " + _("**Anywhere else:** {url}").format(url=contacts.directory.url))
    return "\n".join(lines)

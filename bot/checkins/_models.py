"""Plain values for check-ins: moods, triggers, sharing modes and input validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bot.i18n import _
from bot.problems import KindredError, within
from bot.text import checked_text, echo

MAX_NOTE = 1000

# Shown as the /checkin mood choices and in summaries; 1 is the hardest day.
MOOD_LABELS: dict[int, str] = {
    1: "really struggling",
    2: "having a hard time",
    3: "getting by",
    4: "doing okay",
    5: "doing well",
}

TRIGGERS: tuple[str, ...] = (
    "stress",
    "people",
    "places",
    "boredom",
    "loneliness",
    "tiredness",
    "conflict",
    "celebration",
    "other",
)

ShareMode = Literal["no", "anonymously", "with my name"]
SHARE_MODES: tuple[ShareMode, ...] = ("no", "anonymously", "with my name")


def mood_label(mood: int) -> str:
    """``"3 · getting by"``: the label members chose from."""
    return f"{mood} · {MOOD_LABELS.get(mood, '?')}"


@dataclass(frozen=True, slots=True)
class CheckinDraft:
    """A check-in as entered, already validated."""

    mood: int
    craving: int
    note: str | None = None
    triggers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckinEntry:
    """A stored check-in as history and streaks see it."""

    id: int
    user_id: int
    guild_id: int | None
    created_at: datetime
    local_date: date
    mood: int
    craving: int
    note: str | None = None
    triggers: tuple[str, ...] = field(default_factory=tuple)


def parse_triggers(text: str | None) -> tuple[str, ...]:
    """Turn ``"stress, loneliness"`` into known trigger names (order kept, duplicates dropped).

    Raises :class:`KindredError` naming what wasn't recognised and listing the choices.
    """
    if text is None or not text.strip():
        return ()
    found: list[str] = []
    unknown: list[str] = []
    for raw in text.replace(";", ",").split(","):
        word = raw.strip().casefold()
        if not word:
            continue
        match = next((t for t in TRIGGERS if t == word or t.startswith(word)), None) if len(word) >= 3 else None
        if match is None:
            unknown.append(raw.strip())
        elif match not in found:
            found.append(match)
    if unknown:
        # The trigger names are what members type, so they stay as they are in every language.
        raise KindredError(
            _("I don't know the trigger {unknown}. Choose from: {triggers} (separate several with commas).").format(
                unknown=", ".join(echo(u) for u in unknown[:3]), triggers=", ".join(TRIGGERS)
            )
        )
    return tuple(found)


def parse_share(text: str | None) -> tuple[ShareMode, bool]:
    """Read the modal's free-text share field: ``"anonymously with note"`` → ("anonymously", True)."""
    words = (text or "").strip().casefold()
    if not words or words in {"no", "n", "none", "private", "don't", "dont"}:
        return "no", False
    include_note = "note" in words
    if "anon" in words:
        return "anonymously", include_note
    if "name" in words or words in {"yes", "y"}:
        return "with my name", include_note
    raise KindredError(
        _(
            "I couldn't read {text} as a sharing choice. Write `no`, `anonymously` or `with my name` "
            "(add `with note` to include your note)."
        ).format(text=echo(text or ""))
    )


def validate_checkin(mood: int, craving: int, note: str | None, triggers: tuple[str, ...] = ()) -> CheckinDraft:
    """Check ranges and the note length; return a clean draft or raise a specific :class:`KindredError`."""
    within(mood, 1, 5, _("Mood runs from 1 (really struggling) to 5 (doing well). Please pick a number in that range."))
    within(craving, 0, 10, _("Craving runs from 0 (none) to 10 (overwhelming). Please pick a number in that range."))
    cleaned = checked_text(
        note, what=_("Your note"), limit=MAX_NOTE, hint=_("Nothing was saved yet. Please shorten it and try again.")
    )
    return CheckinDraft(mood, craving, cleaned or None, triggers)


def parse_int_field(text: str, name: str, low: int, high: int) -> int:
    """Read a number typed into a modal field, with a specific message when it isn't one.

    ``name`` is the field's name in the current locale.
    """
    try:
        value = int(text.strip())
    except ValueError:
        raise KindredError(
            _("{name} should be a whole number from {low} to {high}; I got {text}.").format(
                name=name, low=low, high=high, text=echo(text)
            )
        ) from None
    return within(
        value,
        low,
        high,
        _("{name} runs from {low} to {high}; {value} is outside that.").format(
            name=name, low=low, high=high, value=value
        ),
    )

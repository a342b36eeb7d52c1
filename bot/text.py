"""Small text helpers shared by features' renderers (pure functions, no Discord)."""

from __future__ import annotations

from bot.i18n import _, catalogue_for, current_locale
from bot.problems import KindredError

__all__ = ["ECHO_LIMIT", "checked_text", "clamp", "echo", "fit_lines", "format_number", "is_row_id"]

# Enough to recognise what was typed; short enough that an error message can never outgrow Discord's limits.
ECHO_LIMIT = 60


def clamp(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with an ellipsis when something was cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """What a member typed, quoted for an error message: one line, at most about ``limit`` characters.

    Messages that repeat input must stay readable and within Discord's 2,000 characters whatever was
    typed, so the input is flattened to one line and clamped before it is quoted.
    """
    return repr(clamp(" ".join(text.split()), limit))


def checked_text(
    text: str | None, *, what: str, limit: int, empty: str | None = None, hint: str = "", one_line: bool = False
) -> str:
    """``text`` trimmed (``one_line`` also folds its whitespace), or a kind :class:`KindredError` naming the problem.

    ``empty`` is what to say when nothing is left after trimming; without it an empty value is fine and ``""``
    comes back. A value over ``limit`` is refused with its length, the limit, and ``hint`` on what to do.
    """
    cleaned = " ".join((text or "").split()) if one_line else (text or "").strip()
    if not cleaned and empty is not None:
        raise KindredError(empty)
    if len(cleaned) > limit:
        too_long = _("{what} is {length} characters; the limit is {limit}.").format(
            what=what, length=format_number(len(cleaned)), limit=format_number(limit)
        )
        raise KindredError(f"{too_long} {hint}".rstrip())
    return cleaned


def format_number(number: int) -> str:
    """A whole number as the current locale writes it ("1,000", "1.000", "1 000")."""
    from babel.numbers import format_decimal

    catalogue = catalogue_for(current_locale())
    return f"{number:,}" if catalogue is None else str(format_decimal(number, locale=catalogue))


def is_row_id(text: str) -> bool:
    """Whether ``text`` is a positive database id: ASCII digits only, within SQLite's integer range.

    ``str.isdigit`` is not enough: it accepts superscripts and other digits that ``int()`` refuses.
    """
    return text.isascii() and text.isdigit() and 0 < int(text) < 2**63


def _more(count: int) -> str:
    return _("…and {count} more.").format(count=count)


def fit_lines(lines: list[str], limit: int = 1024) -> str:
    """Join whole lines up to ``limit`` characters, saying how many didn't fit.

    Discord caps an embed field at 1,024 characters and a message at 2,000. Cutting the joined text
    would split a line, often inside a ``<t:…>`` timestamp or a mention.
    """
    shown: list[str] = []
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        more = "\n" + _more(rest) if rest else ""
        if len("\n".join([*shown, line])) + len(more) <= limit:
            shown.append(line)
            continue
        tail = _more(len(lines) - index)
        while shown and len("\n".join([*shown, tail])) > limit:
            shown.pop()
            tail = _more(len(lines) - len(shown))
        return "\n".join([*shown, tail])
    return "\n".join(shown)

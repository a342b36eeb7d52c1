"""Small text helpers shared by features' renderers (pure functions, no Discord)."""

from __future__ import annotations

__all__ = ["ECHO_LIMIT", "clamp", "echo", "fit_lines", "is_row_id"]

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


def is_row_id(text: str) -> bool:
    """Whether ``text`` is a positive database id: ASCII digits only, within SQLite's integer range.

    ``str.isdigit`` is not enough: it accepts superscripts and other digits that ``int()`` refuses.
    """
    return text.isascii() and text.isdigit() and 0 < int(text) < 2**63


def fit_lines(lines: list[str], limit: int = 1024) -> str:
    """Join whole lines up to ``limit`` characters, saying how many didn't fit.

    Discord caps an embed field at 1,024 characters and a message at 2,000. Cutting the joined text
    would split a line, often inside a ``<t:…>`` timestamp or a mention.
    """
    shown: list[str] = []
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        more = f"\n…and {rest} more." if rest else ""
        if len("\n".join([*shown, line])) + len(more) <= limit:
            shown.append(line)
            continue
        tail = f"…and {len(lines) - index} more."
        while shown and len("\n".join([*shown, tail])) > limit:
            shown.pop()
            tail = f"…and {len(lines) - len(shown)} more."
        return "\n".join([*shown, tail])
    return "\n".join(shown)

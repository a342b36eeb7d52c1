"""Small text helpers shared by features' renderers (pure functions, no Discord)."""

from __future__ import annotations

__all__ = ["fit_lines"]


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

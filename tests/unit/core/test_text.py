"""fit_lines: long lists end with '…and N more' instead of breaking Discord's limits or a line."""

from __future__ import annotations

from bot.text import fit_lines


def test_a_long_mention_list_fits_a_message_and_counts_the_rest() -> None:
    lines = [f"• <@{100000000000000000 + i}>" for i in range(150)]
    text = fit_lines(lines, 1900)
    assert len(text) <= 1900
    shown = [line for line in text.splitlines() if line.startswith("• ")]
    assert shown == lines[: len(shown)]  # whole lines, in order
    assert text.endswith(f"…and {150 - len(shown)} more.")


def test_short_lists_are_unchanged() -> None:
    assert fit_lines(["a", "b"], 100) == "a\nb"
    assert fit_lines([], 100) == ""

"""Which language a private crisis answer is written in."""

from __future__ import annotations

import pytest

from bot.crisis_care.text import answer_locale


@pytest.mark.parametrize(
    ("written_in", "last_used", "answer_in"),
    [
        ("en", None, None),  # English, for someone Kindred never saw
        ("en", "de", "de"),  # an English message from a member who uses German: their language
        ("es", None, "es-ES"),  # the language they wrote in, for someone Kindred never saw
        ("es", "en-US", "es-ES"),  # the language they wrote in wins over their Discord language
        ("es", "es-419", "es-419"),  # and keeps their own variant when it agrees
        ("pt", "pt-BR", "pt-BR"),
        ("pt", None, "pt-BR"),
        ("fr", "de", "fr"),
        ("de", None, "de"),
    ],
)
def test_the_answer_follows_the_message_then_the_member(
    written_in: str, last_used: str | None, answer_in: str | None
) -> None:
    assert answer_locale(written_in, last_used) == answer_in

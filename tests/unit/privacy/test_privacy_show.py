"""/privacy show's embed: every kind of data listed whole, within Discord's embed limits."""

from __future__ import annotations

import bot.store  # noqa: F401  # registers every feature's tables
from bot.privacy import registered_tables
from bot.privacy_ops import MemberSummary
from cogs.privacy._cog import render_summary


def _summaries(count: int) -> list[MemberSummary]:
    return [MemberSummary(e.table, e.what, e.who_sees, count) for e in registered_tables()]


def _within_limits(embed: object) -> str:
    fields = embed.fields  # type: ignore[attr-defined]
    assert len(fields) <= 25
    assert all(len(f.value) <= 1024 and len(f.name) <= 256 for f in fields)
    assert len(embed) <= 6000  # type: ignore[arg-type]
    return "\n".join(f.value for f in fields)


def test_a_member_with_data_everywhere_sees_every_kind_whole() -> None:
    text = _within_limits(render_summary(_summaries(3)))
    for entry in registered_tables():
        assert f"• {entry.what} (3 stored). Seen by: {entry.who_sees}." in text


def test_a_new_member_sees_nothing_stored_and_every_kind_that_could_be() -> None:
    embed = render_summary(_summaries(0))
    text = _within_limits(embed)
    assert embed.fields[0].value == "Nothing at the moment."
    for entry in registered_tables():
        assert f"• {entry.what}. Seen by: {entry.who_sees}." in text


def test_an_overlong_registry_says_more_exist_instead_of_cutting_a_sentence() -> None:
    many = [MemberSummary(f"t{i}", "x" * 300, "only you", 0) for i in range(40)]
    embed = render_summary([MemberSummary("held", "your check-ins", "only you", 2), *many])
    _within_limits(embed)
    assert embed.fields[-2].name == "More"
    assert embed.fields[-1].name == "Crisis detection"

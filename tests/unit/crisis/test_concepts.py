"""The concept layer (``bot/data/crisis/concepts.toml``): compositional hits, everyday chat, context rules."""

from __future__ import annotations

import pytest

from bot.crisis import Category, Level, load_default_detector
from bot.crisis.concepts import _alternatives, _keys, _strip_lookarounds


@pytest.mark.parametrize(
    "text",
    [
        "I'm done with this week",
        "gone for the weekend",
        "I'm so tired of work",
        "last day at my job",
        "goodbye 2025",
        "i'm so tired i could sleep forever lol",
        "giving away my old textbooks if anyone wants them",
        "took my 800mg ibuprofen for my back, hope it kicks in soon",
        "got a flat tire, missed my meeting, spilled coffee. send help lol",
        "my brain is fried, i can't do this anymore tonight, going to bed",
    ],
)
def test_everyday_chat_stays_none(text: str) -> None:
    assert load_default_detector().detect(text).level is Level.NONE


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i'm out. for good this time", Category.SUICIDAL_IDEATION),
        ("everyone would have an easier time without me around dragging them down", Category.SUICIDAL_IDEATION),
        ("i burned my arm with the lighter again tonight", Category.SELF_HARM),
        ("i'm nodding out and i'm alone, if i don't answer someone call", Category.OVERDOSE),
        ("i know which bridge. i've been there twice this week", Category.IMMEDIATE_DANGER),
    ],
)
def test_concepts_combine(text: str, category: Category) -> None:
    det = load_default_detector().detect(text)
    assert det.detected, det
    assert category in det.categories
    assert any("concepts" in e for e in det.evidence)


def test_recovery_retrospective_lowers_concept_hit() -> None:
    text = "i used to think everyone would be a relief without me around. 4 years sober today and grateful"
    assert load_default_detector().detect(text).level is Level.NONE


def test_third_person_is_lowered_not_hidden() -> None:
    det = load_default_detector().detect("my sister says she's a burden to everyone and wants to disappear forever")
    assert det.level <= Level.CONCERN


def test_prefilter_keys_ignore_lookarounds_and_need_a_rare_word() -> None:
    assert _strip_lookarounds(r"im out(?= \.| for good)|ghost") == "im out|ghost"
    assert _alternatives(r"a (?:b|c)|d") == ["a (?:b|c)", "d"]
    with pytest.raises(ValueError, match="only common words"):
        _keys(["for the"])

"""Posts that mention suicide: whether a bare topic word is about the writer, and what the pipeline does."""

from __future__ import annotations

import pytest

from bot.crisis import Level, load_default_detector
from bot.crisis.mentions import about_writer, laughs
from bot.crisis.second_opinion import default_second_opinion, plain_words


@pytest.mark.parametrize(
    "text",
    [
        "im suicidal",
        "I'm so suicidal and nobody gets it",
        "feeling suicidal again",
        "suicidal thoughts all day today",
        "thinking about sewer slide",  # read as the plain word first
        "s.u.i.c.i.d.a.l",  # cannot be read: never taken for news
        "the news is awful. i've been suicidal since sunday",
    ],
)
def test_sentences_about_the_writer(text: str) -> None:
    assert about_writer(plain_words(text))


@pytest.mark.parametrize(
    "text",
    [
        "to anyone with suicidal thoughts this year, thank you for sticking around",
        "no one should ever be driven to the point of suicide",
        "new study on suicidal teens and social media",
        "if you are suicidal please call 988",
    ],
)
def test_sentences_about_someone_else_or_no_one(text: str) -> None:
    assert not about_writer(plain_words(text))


def test_the_detector_marks_verdicts_that_rest_on_a_topic_word_alone() -> None:
    detect = load_default_detector().detect
    assert detect("im suicidal these days").topic_only
    assert not detect("im suicidal and i want to kill myself").topic_only, "a first-person wish is more"
    assert not detect("i overdosed last night and my chest hurts").topic_only, "overdose is never a bare topic"
    assert not detect("had a good day today").topic_only


@pytest.mark.parametrize(
    "text",
    [
        "to anyone with suicidal thoughts this year, thank you for sticking around",
        "no one should ever be driven to the point of suicide like that poor kid",
    ],
)
def test_the_shipped_pipeline_clears_a_topic_word_about_no_one(text: str) -> None:
    opinion = default_second_opinion()
    if opinion is None or opinion.blend is None:
        pytest.skip("the shipped models are not installed")
    detection = load_default_detector().detect(text)
    assert detection.detected and detection.topic_only
    reviewed = opinion.review(text, detection)
    assert reviewed.level is Level.NONE
    assert reviewed.evidence[0] == detection.evidence[0], "the match stays visible to moderators"
    assert "about someone else" in reviewed.evidence[-1]


@pytest.mark.parametrize(
    "text",
    ["i'm so suicidal and nobody even notices", "feeling suicidal again and i can't do this anymore"],
)
def test_the_shipped_pipeline_keeps_a_topic_word_about_the_writer(text: str) -> None:
    opinion = default_second_opinion()
    if opinion is None:
        pytest.skip("the shipped models are not installed")
    assert opinion.review(text, load_default_detector().detect(text)).detected


def test_laughter_beside_a_bare_topic_word_asks_the_models_to_read_a_crisis_on_their_own() -> None:
    opinion = default_second_opinion()
    if opinion is None or opinion.blend is None or opinion.blend.mention_clear is None:
        pytest.skip("the shipped models are not installed")
    detect = load_default_detector().detect
    text = "this exam makes me suicidal lmao"
    assert laughs(text) and not laughs("i'm suicidal")
    assert opinion.clear_bar(detect(text), text) == opinion.threshold
    assert (
        opinion.clear_bar(detect("i'm suicidal these days"), "i'm suicidal these days") == opinion.blend.mention_clear
    )
    assert opinion.clear_bar(detect("im so tired"), "im so tired") == opinion.clear_threshold

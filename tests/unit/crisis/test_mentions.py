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
        "does anyone else feel suicidal after a relapse",  # "anyone else" includes the writer
        "you know i've been suicidal for weeks",
        "i read that if you call the cops on yourself for being suicidal they take you in. i dont know what to do",
        "everyone says reach out if you're suicidal but i have no one to reach out to",  # quoted advice
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
        "if you are feeling suicidal please reach out, i am here",  # the writer offers help
        "to anyone feeling suicidal: i love you, stay",
        "you are not alone if you feel suicidal, i have been there too",
        "when ur suicidal, call someone. i did and it helped",
        "honest question for anyone who's been admitted for suicidal thoughts: what helped you?",
    ],
)
def test_sentences_about_someone_else_or_no_one(text: str) -> None:
    assert not about_writer(plain_words(text))


def test_the_detector_marks_verdicts_that_rest_on_a_topic_word_alone() -> None:
    detect = load_default_detector().detect
    assert detect("im suicidal these days").topic_only
    offer = detect("if you're feeling suicidal, my dms are open")
    assert offer.level is Level.NONE and offer.topic_only, "said to the reader: still a topic word"
    story = detect("my uncle was suicidal in 2015")
    assert story.level is Level.NONE and story.evidence and not story.topic_only, "the models read it as before"
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
    assert detection.topic_only
    reviewed = opinion.review(text, detection)
    assert reviewed.level is Level.NONE
    assert reviewed.evidence[0] == detection.evidence[0], "the match stays visible to moderators"
    assert "about someone else" in reviewed.evidence[-1], "the models did not get to raise it"


@pytest.mark.parametrize(
    "text",
    [
        "i'm so suicidal and nobody even notices",
        "feeling suicidal again and i can't do this anymore",
        "everyone says reach out if you're suicidal but i have no one to reach out to",
    ],
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


@pytest.mark.parametrize(
    "text",
    [
        "anyone feeling suicidal tonight, my dms are open",
        "if ur suicidal rn pls dm me, im always around",
        "if you're feeling suicidal, please reach out. i'm here",
    ],
)
def test_a_support_offer_is_not_a_crisis_and_never_pages_the_team(text: str) -> None:
    detection = load_default_detector().detect(text)
    assert detection.level is Level.NONE, "the reader's word with a time is not the writer's plan"
    assert any("addressed" in line for line in detection.evidence), "the match stays visible to moderators"
    assert detection.topic_only
    opinion = default_second_opinion()
    if opinion is None or opinion.blend is None:
        pytest.skip("the shipped models are not installed")
    assert opinion.review(text, detection).level is Level.NONE


@pytest.mark.parametrize(
    "text",
    [
        "i feel suicidal tonight",
        "does anyone else feel suicidal tonight",
        "you make me want to die",
        "if you're feeling suicidal, dm me. i'm suicidal too tonight",  # the writer's own, after the offer
    ],
)
def test_the_writer_speaking_to_the_reader_is_still_read(text: str) -> None:
    detection = load_default_detector().detect(text)
    assert detection.level >= Level.HIGH
    assert not any("addressed" in line for line in detection.evidence)

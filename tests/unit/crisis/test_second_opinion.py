"""The sentence model's second opinion: the numpy encoder, the gate, windows, and how verdicts change.

The review logic is tested with heads that give a fixed probability (so the assertions do not depend on the
trained weights); the shipped model is tested on the issue's own examples.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from bot.crisis import Category, Detection, Level, Term, load_default_detector
from bot.crisis.encoder import MAX_TOKENS, SentenceEncoder, default_encoder
from bot.crisis.second_opinion import (
    MAX_WINDOWS,
    WINDOW_TOKENS,
    SecondOpinion,
    default_second_opinion,
    plain_words,
)
from tests.paths import CRISIS_SETS


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    enc = default_encoder()
    assert enc is not None, "bot/data/crisis/minilm is missing"
    return enc


def fixed(encoder: SentenceEncoder, p: float, clear: float | None = 0.1) -> SecondOpinion:
    """A second opinion whose crisis probability is ``p`` for every text; categories: self-harm."""
    cats = tuple(Category)
    cat_b = np.array([5.0 if c is Category.SELF_HARM else -5.0 for c in cats], dtype=np.float32)
    return SecondOpinion(
        encoder,
        crisis_w=np.zeros(encoder.dim, dtype=np.float32),
        crisis_b=math.log(p / (1 - p)),
        cat_w=np.zeros((len(cats), encoder.dim), dtype=np.float32),
        cat_b=cat_b,
        categories=cats,
        threshold=0.5,
        high_threshold=0.9,
        clear_threshold=clear,
    )


TEXT = "some words about my week"


def test_tokenizer_matches_the_reference_bert_tokenizer(encoder: SentenceEncoder) -> None:
    # Expected ids from the Hugging Face tokenizer of all-MiniLM-L6-v2 (without [CLS]/[SEP]).
    assert (
        encoder.tokenizer.ids("I can't do this anymore...") == [1045, 2064, 1005, 1056, 2079, 2023, 4902] + [1012] * 3
    )
    assert encoder.tokenizer.ids("Café naïve 😭 unalive kms") == [7668, 15743, 100, 14477, 3669, 3726, 2463, 2015]
    assert encoder.tokenizer.ids("ｆｕｌｌ width 東京 x") == [100, 9381, 1879, 1755, 1060]


def test_encoding_is_unit_length_deterministic_and_truncated(encoder: SentenceEncoder) -> None:
    a = encoder.encode("i feel so alone tonight")
    assert a.shape == (encoder.dim,)
    assert np.isclose(np.linalg.norm(a), 1.0, atol=1e-4)
    assert np.array_equal(a, encoder.encode("i feel so alone tonight"))
    long = "word " * (MAX_TOKENS * 3)
    assert encoder.token_count(long) > MAX_TOKENS
    assert np.isclose(np.linalg.norm(encoder.encode(long)), 1.0, atol=1e-4)
    # The model is uncased, as all-MiniLM-L6-v2 is.
    assert np.allclose(a, encoder.encode("I Feel So ALONE tonight"), atol=1e-6)


def test_long_posts_are_read_in_windows_of_whole_sentences(encoder: SentenceEncoder) -> None:
    opinion = fixed(encoder, 0.5)
    assert opinion.windows("short message") == ["short message"]
    sentence = "Today was a long day at work and I am tired of the commute."
    windows = opinion.windows(" ".join([sentence] * 40))
    assert 1 < len(windows) <= MAX_WINDOWS
    assert all(encoder.token_count(w) <= WINDOW_TOKENS for w in windows)
    assert all(w.endswith(".") for w in windows)


def test_the_gate_skips_what_the_model_cannot_change(encoder: SentenceEncoder) -> None:
    opinion = fixed(encoder, 0.5)
    assert opinion.wanted(TEXT, Detection(Level.NONE))
    assert opinion.wanted(TEXT, Detection(Level.HIGH))
    assert not opinion.wanted("kms lol", Detection(Level.HIGH)), "too few words: the lexicon's call"
    assert not opinion.wanted(TEXT, Detection(Level.IMMINENT)), "imminent is answered at once"
    assert not opinion.wanted(TEXT, Detection(Level.CONCERN, server_term=True)), "a server's own term is final"
    assert not fixed(encoder, 0.5, clear=None).wanted(TEXT, Detection(Level.HIGH)), "nothing to raise, no clearing"


def test_review_raises_what_the_lexicon_missed(encoder: SentenceEncoder) -> None:
    raised = fixed(encoder, 0.95).review(TEXT, Detection(Level.NONE))
    assert raised.level is Level.HIGH
    assert raised.categories == (Category.SELF_HARM,)
    assert raised.evidence[-1].startswith("sentence model: 0.95")
    assert fixed(encoder, 0.6).review(TEXT, Detection(Level.NONE)).level is Level.CONCERN
    assert fixed(encoder, 0.3).review(TEXT, Detection(Level.NONE)).level is Level.NONE


def test_review_keeps_a_lexicon_verdict_the_model_agrees_with_or_is_unsure_about(encoder: SentenceEncoder) -> None:
    high = Detection(Level.HIGH, (Category.SUICIDAL_IDEATION,), ("lexicon",))
    agreed = fixed(encoder, 0.6).review(TEXT, high)
    assert (agreed.level, agreed.categories) == (Level.HIGH, (Category.SUICIDAL_IDEATION,))
    assert agreed.evidence[0] == "lexicon" and agreed.evidence[-1].startswith("sentence model:")
    assert fixed(encoder, 0.3).review(TEXT, high) == high


def test_review_clears_what_the_model_reads_as_everyday_talk(encoder: SentenceEncoder) -> None:
    high = Detection(Level.HIGH, (Category.SUICIDAL_IDEATION,), ("lexicon",))
    cleared = fixed(encoder, 0.01).review(TEXT, high)
    assert cleared.level is Level.NONE and cleared.categories == ()
    assert cleared.evidence[0] == "lexicon", "the lexicon's match stays visible to moderators"
    assert "everyday talk" in cleared.evidence[-1]
    assert fixed(encoder, 0.01, clear=None).review(TEXT, Detection(Level.CONCERN)).level is Level.CONCERN
    assert fixed(encoder, 0.01).review(TEXT, Detection(Level.IMMINENT)).level is Level.IMMINENT
    assert fixed(encoder, 0.01).review("kms lol", high) == high


def test_the_sentence_model_alone_never_clears_overdose_or_self_harm(encoder: SentenceEncoder) -> None:
    opinion = fixed(encoder, 0.01)
    for cat in (Category.OVERDOSE, Category.SELF_HARM):
        high = Detection(Level.HIGH, (Category.SUICIDAL_IDEATION, cat), ("lexicon",))
        assert not opinion.wanted(TEXT, high), "nothing the model could do to it"
        assert opinion.review(TEXT, high) == high
        concern = Detection(Level.CONCERN, (cat,), ("lexicon",))
        assert opinion.review(TEXT, concern).level is Level.CONCERN
    # The model may still raise them.
    assert fixed(encoder, 0.95).review(TEXT, Detection(Level.CONCERN, (Category.OVERDOSE,))).level is Level.HIGH
    # A method the models rarely saw is held the same way.
    method = Detection(Level.HIGH, (Category.SUICIDAL_IDEATION,), ("lexicon",), method=True)
    assert not opinion.wanted(TEXT, method)
    assert opinion.review(TEXT, method) == method


def test_the_model_reads_evasive_spellings_as_the_plain_word(encoder: SentenceEncoder) -> None:
    assert plain_words("Sewer slide is looking good") == "suicide is looking good"
    assert plain_words("thinking about sewer-slide, feeling sucidal, selfharming again") == (
        "thinking about suicide, feeling suicidal, self harming again"
    )
    assert plain_words("a sewer is not a slide; sudoku tonight") == "a sewer is not a slide; sudoku tonight"
    opinion = default_second_opinion()
    assert opinion is not None
    assert opinion.probabilities("sewerslide sounds good rn") == opinion.probabilities("suicide sounds good rn")


def test_a_server_term_is_never_cleared(encoder: SentenceEncoder) -> None:
    detector = load_default_detector().with_extra_terms([Term("big zorp", Category.SUICIDAL_IDEATION, Level.HIGH)])
    detection = detector.detect("time for the big zorp tonight")
    assert detection.server_term and detection.detected
    assert fixed(encoder, 0.01).review("time for the big zorp tonight", detection) == detection
    assert not load_default_detector().detect("i want to die").server_term


# The shipped model and lexicon together, on the issue's own examples and everyday lines full of crisis words.
MUST_DETECT = [
    "everyone would be better off without me",
    "I can't do this anymore",
    "there's no reason to keep going",
    "just wanted to say goodbye to all of you",
    "i wrote a letter to my family tonight",
    "i've been giving my stuff away to friends",
    "i took all my pills",
    "i have the pills ready",
    "i have a rope in my closet",
    "i have a gun and i keep looking at it",
    "i don't want to wake up tomorrow",
    "not suicidal but I don't want to be here",
    "i'm not going to do anything but i really don't want to be alive",
]

# Casual tone must not hide a reported act or an evasive word (the model alone would clear these).
MUST_DETECT += [
    "ibuprofen 800mg 💊💊💊 x20 goodnight",
    "haha i've been cutting again, anyway how was everyone's day",
    "sewer slide is looking real good rn",
    "im so used to feeling suicidal every day",
]

# Methods the models rarely saw in training: a swallowed poison is an overdose, cleared only if both agree.
MUST_DETECT += [
    "i've made up my mind, i'm going to drink the bleach. take care of yourselves",
    "i drank some bleach like 10 min ago, throat is burning",
    "thinking about drinking bleach again tonight",
    "i put a hose from the exhaust into the car",
    "lit charcoal in my room and taped the door",
    "i stood on the chair with the cord around my neck for an hour",
    "i called the crisis line but nobody answered",
    "im going to set myself on fire",
    "im going to jump out the window",
    "im not safe tonight",
    "i survived my attempt last week and i wish i hadnt",
    "i attempted last month and the thoughts are back",
]

MUST_NOT_DETECT = [
    "anyone going to the 7pm meeting tonight? i can give someone a ride",
    "this homework is killing me",
    "who wants to die in ranked with me",
    "6 hrs on a build and a creeper blew it up. killing myself (in minecraft)",
    "I used to want to die. 2 years sober now and grateful every day",
    "this song makes me want to drink bleach lol",
    "put my head in the oven to check the roast lol",
    "my headphone cord got wrapped around my neck while i slept",
    "this song makes me want to jump out the window lol",
    "id rather set myself on fire than sit through another budget meeting",
    "im gonna drink myself to death on coffee during finals lol",
    "im not safe alone in this part of town after dark",
    "i called the crisis line for my friend last night",
    "i cant take any more of this heat, summer please end",
    "i attempted the recipe again last week and it flopped",
    "my attempt last week at baking bread was a disaster lol",
    "i keep beating myself up about the money i spent using",
]


@pytest.mark.parametrize("text", MUST_DETECT)
def test_the_shipped_pipeline_detects_the_issues_examples(text: str) -> None:
    opinion = default_second_opinion()
    assert opinion is not None
    detection = opinion.review(text, load_default_detector().detect(text))
    assert detection.detected, detection


@pytest.mark.parametrize("text", MUST_NOT_DETECT)
def test_the_shipped_pipeline_lets_everyday_talk_be(text: str) -> None:
    opinion = default_second_opinion()
    assert opinion is not None
    detection = opinion.review(text, load_default_detector().detect(text))
    assert not detection.detected, detection


def test_a_batch_gets_the_verdicts_each_message_gets_alone() -> None:
    opinion = default_second_opinion()
    assert opinion is not None
    detector = load_default_detector()
    path = CRISIS_SETS / "labelled.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:96]
    items = [(t, detector.detect(t)) for t in texts]
    alone = [opinion.review(t, d) for t, d in items]
    batched = opinion.review_many(items)
    assert [(d.level, d.categories) for d in batched] == [(d.level, d.categories) for d in alone]
    assert sum(d.detected for d in alone) > 10  # the sample has crisis messages in it
    assert opinion.review_many([]) == []

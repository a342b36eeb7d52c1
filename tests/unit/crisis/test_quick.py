"""The quick read (a linear model over hashed n-grams) and how the pipeline uses it: gate and blend."""

from __future__ import annotations

import json
import math
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.crisis import Category, Detection, Level, load_default_detector
from bot.crisis.blend import Blend, Weights
from bot.crisis.encoder import default_encoder
from bot.crisis.quick import BUCKETS, QuickRead, default_quick_read, feature_groups, feature_vector, load_quick_read
from bot.crisis.second_opinion import DEFAULT_HEADS, SecondOpinion, load_second_opinion


def test_features_are_stable_across_processes_and_read_the_normalised_text() -> None:
    words, letters = feature_groups("I want to DIE")
    # CRC-32, not Python's per-process salted hash: the shipped weights must mean the same thing every run.
    assert zlib.crc32(b"w die") & (BUCKETS - 1) in words
    assert zlib.crc32(b"b want to") & (BUCKETS - 1) in words
    assert zlib.crc32(b"<di") & (BUCKETS - 1) in letters
    # The detector's normalisation comes first: slang and leetspeak read as the plain words.
    assert feature_groups("kms") == feature_groups("kill myself")
    assert feature_groups("su1c1de") == feature_groups("suicide")


def test_each_feature_group_has_unit_length() -> None:
    indices, values = feature_vector("some words about my week, and more words")
    words, letters = feature_groups("some words about my week, and more words")
    assert len(indices) == len(words) + len(letters)
    assert math.isclose(sum(v * v for v in values[: len(words)]), 1.0)
    assert math.isclose(sum(v * v for v in values[len(words) :]), 1.0)
    assert feature_vector("") == ([], [])


def test_a_long_post_costs_a_bounded_number_of_features() -> None:
    words, _letters = feature_groups("word " * 5000 + " ".join(f"w{i}" for i in range(5000)))
    assert len(words) <= 2 * 400


def test_the_shipped_quick_read_separates_the_obvious_cases() -> None:
    quick = default_quick_read()
    assert quick is not None, "bot/data/crisis/quick_model.npz is missing"
    assert quick.weights.shape == (BUCKETS,)
    assert quick.probability("i want to kill myself tonight, i can't do this anymore") > 0.9
    assert quick.probability("anyone going to the 7pm meeting? i can give someone a ride") < 0.05
    assert 0.0 <= quick.probability("") <= 1.0


def _constant_quick(p: float) -> QuickRead:
    return QuickRead(np.zeros(BUCKETS, dtype=np.float32), math.log(p / (1 - p)))


def _opinion(quick_p: float, model_p: float, gate: float = 0.1, quick_weight: float = 1.0) -> SecondOpinion:
    encoder = default_encoder()
    assert encoder is not None
    cats = tuple(Category)
    return SecondOpinion(
        encoder,
        crisis_w=np.zeros(encoder.dim, dtype=np.float32),
        crisis_b=math.log(model_p / (1 - model_p)),
        cat_w=np.zeros((len(cats), encoder.dim), dtype=np.float32),
        cat_b=np.zeros(len(cats), dtype=np.float32),
        categories=cats,
        threshold=0.5,
        high_threshold=0.9,
        clear_threshold=0.2,
        quick=_constant_quick(quick_p),
        blend=Blend(
            gate=gate,
            long_words=60,
            short=Weights(quick_weight, 1.0, 0.0),
            long=Weights(quick_weight, 1.0, -2.0),
            model_alone=0.95,
            agreed_clear=0.05,
        ),
    )


TEXT = "some words about my week"


def test_the_gate_keeps_sure_everyday_talk_away_from_the_sentence_model() -> None:
    assert not _opinion(0.01, 0.99).wanted(TEXT, Detection(Level.NONE)), "quick read is sure: no model"
    assert _opinion(0.5, 0.99).wanted(TEXT, Detection(Level.NONE))
    # A lexicon match is always reviewed, whatever the quick read says: it may be raised or cleared.
    assert _opinion(0.01, 0.99).wanted(TEXT, Detection(Level.CONCERN))


def test_long_posts_have_their_own_weights() -> None:
    blend = Blend(gate=0.1, long_words=5, short=Weights(1.0, 1.0, 0.0), long=Weights(1.0, 1.0, -2.0))
    assert math.isclose(blend.combine(0.5, 0.5, 4), 0.5)
    assert blend.combine(0.5, 0.5, 5) < 0.2, "a post of long_words words or more gets the long weights"
    short = _opinion(0.8, 0.8).opinion(TEXT)
    long = _opinion(0.8, 0.8).opinion(" ".join(["word"] * 80))
    assert long.probability < short.probability


def test_the_blend_weighs_both_models() -> None:
    # logit(0.8) + logit(0.8) -> 0.94: both fairly sure makes the blend surer.
    raised = _opinion(0.8, 0.8).review(TEXT, Detection(Level.NONE))
    assert raised.level is Level.HIGH
    assert raised.evidence[-1].startswith("models: 0.94 (sentence model 0.80")
    # They disagree: the surer one wins (logit 0.9 + logit 0.2 -> 0.69, over the 0.5 threshold here).
    assert _opinion(0.9, 0.2).review(TEXT, Detection(Level.NONE)).level is Level.CONCERN
    assert _opinion(0.2, 0.9).review(TEXT, Detection(Level.NONE)).level is Level.CONCERN
    # A sure sentence model raises a short message the quick read doubts; a long post needs the blend.
    assert _opinion(0.1, 0.97).review(TEXT, Detection(Level.NONE)).level is Level.CONCERN
    post = " ".join(["word"] * 80)
    assert _opinion(0.1, 0.97).review(post, Detection(Level.NONE)).level is Level.NONE
    # Both say everyday talk: a lexicon verdict is cleared...
    assert _opinion(0.3, 0.1).review(TEXT, Detection(Level.HIGH, (Category.SUICIDAL_IDEATION,))).level is Level.NONE
    # ...but one naming overdose or self-harm only when both models agree far below the usual bar.
    for cat in (Category.OVERDOSE, Category.SELF_HARM):
        kept = _opinion(0.5, 0.1).review(TEXT, Detection(Level.CONCERN, (cat,)))
        assert kept.level is Level.CONCERN
        assert _opinion(0.01, 0.01).review(TEXT, Detection(Level.HIGH, (cat,))).level is Level.NONE


def test_without_the_quick_reads_file_the_sentence_model_reads_everything(tmp_path: Path) -> None:
    encoder = default_encoder()
    assert encoder is not None
    alone = load_second_opinion(encoder, quick=None)
    assert alone.quick is None and alone.blend is None
    assert alone.wanted(TEXT, Detection(Level.NONE))
    blend = tmp_path / "blend.json"
    blend.write_text(
        json.dumps(
            {
                "gate": 0.5,
                "long_words": 60,
                "short": {"quick": 1, "model": 1, "bias": 0},
                "long": {"quick": 1, "model": 1, "bias": -1},
                "threshold": 0.6,
                "high_threshold": 0.95,
                "clear_threshold": 0.2,
            }
        )
    )
    quick = _constant_quick(0.01)
    blended = load_second_opinion(encoder, DEFAULT_HEADS, quick=quick, blend_path=blend)
    assert blended.threshold == 0.6 and blended.clear_threshold == 0.2
    assert not blended.wanted(TEXT, Detection(Level.NONE))
    missing = load_second_opinion(encoder, DEFAULT_HEADS, quick=quick, blend_path=tmp_path / "none.json")
    assert missing.quick is None, "a quick read without its blend is not used"


def test_load_quick_read_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "quick.npz"
    weights = np.zeros(BUCKETS, dtype=np.float16)
    weights[zlib.crc32(b"w zorp") & (BUCKETS - 1)] = 3.0
    np.savez_compressed(path, weights=weights, bias=np.float32(-2.0))
    quick = load_quick_read(path)
    assert quick.probability("zorp") > quick.probability("blorp")


@pytest.mark.parametrize(
    "text",
    ["i took all my pills", "haha i've been cutting again, anyway how was everyone's day"],
)
def test_reported_acts_are_never_cleared_by_the_shipped_pipeline(text: str) -> None:
    from bot.crisis.second_opinion import default_second_opinion

    opinion = default_second_opinion()
    assert opinion is not None
    assert opinion.review(text, load_default_detector().detect(text)).detected


def test_a_sure_quick_read_clears_a_lexicon_match_without_the_sentence_model(monkeypatch: pytest.MonkeyPatch) -> None:
    # The quick read weighs three times the sentence model here, so a sure quick read can settle alone.
    opinion = _opinion(0.001, 0.99, quick_weight=3.0)
    calls: list[object] = []
    real = opinion.opinion
    encode_many = opinion.encoder.encode_many

    def counting(texts: Any) -> Any:
        calls.append(texts)
        return encode_many(texts)

    monkeypatch.setattr(opinion.encoder, "encode_many", counting)
    high = Detection(Level.HIGH, (Category.SUICIDAL_IDEATION,), ("lexicon",))
    cleared = opinion.review(TEXT, high)
    assert cleared.level is Level.NONE and calls == []
    assert cleared.evidence[0] == "lexicon" and "quick read" in cleared.evidence[-1]
    # Same verdict as the full read would give.
    assert opinion.decide(high, real(TEXT)).level is Level.NONE
    # An unsure quick read leaves the decision to both models.
    assert opinion.settled_by_quick_read(TEXT, Detection(Level.NONE)) is None
    assert _opinion(0.3, 0.99, quick_weight=3.0).settled_by_quick_read(TEXT, high) is None
    # With equal weights a certain sentence model could outvote it, so the quick read never settles alone.
    assert _opinion(0.001, 0.99).settled_by_quick_read(TEXT, high) is None


def test_a_verdict_both_extremes_agree_on_is_kept_without_the_sentence_model() -> None:
    # A lexicon match the quick read is sure about: whatever the sentence model says, high stays high.
    opinion = _opinion(0.999, 0.5, quick_weight=3.0)
    high = Detection(Level.HIGH, (Category.SUICIDAL_IDEATION,), ("lexicon",))
    assert opinion.settled_by_quick_read(TEXT, high) == high
    # Nothing from the lexicon: the sentence model could raise it, so it must read.
    assert opinion.settled_by_quick_read(TEXT, Detection(Level.NONE)) is None

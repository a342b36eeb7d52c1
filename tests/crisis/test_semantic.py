"""Unit tests of the semantic layer: tokenizer, loading, "only raises", and the context rules on it."""

from __future__ import annotations

import numpy as np
import pytest

from bot.crisis import Category, Detector, Level
from bot.crisis.semantic import (
    DEFAULT_HEADS,
    DEFAULT_VECTORS,
    DEFAULT_VOCAB,
    SemanticModel,
    WordPiece,
    default_semantic,
)

from .evaluate import HERE, load

TOY_VOCAB = ["i", "feel", "empty", "friend", "my", "she", "her", "un", "##break", "##able", "##s", "x"]


def toy_model(bias: float = 5.0) -> SemanticModel:
    """A model whose crisis head fires on any known word (to test the gate and the context rules)."""
    vectors = np.ones((len(TOY_VOCAB), 2), dtype=np.float16)
    vectors[TOY_VOCAB.index("empty")] = 2.0  # the word the evidence points at
    cats = tuple(Category)
    cat_w = np.zeros((len(cats), 2))
    cat_w[0] = 1.0  # suicidal_ideation
    cat_b = np.full(len(cats), -1.0)
    return SemanticModel(TOY_VOCAB, vectors, np.ones(2), bias, cat_w, cat_b, cats, 0.9, 0.999999)


def test_wordpiece_greedy_longest_match() -> None:
    wp = WordPiece(TOY_VOCAB)
    idx = wp.index
    assert wp.word("unbreakable") == (idx["un"], idx["##break"], idx["##able"])
    assert wp.word("feels") == (idx["feel"], idx["##s"])
    assert wp.word("qqq") == ()  # unknown piece: the whole word is [UNK] and skipped
    assert wp.ids(["i", ".", "feel", ",", "qqq"]) == [idx["i"], idx["feel"]]
    assert wp.word("unbreakable") is wp.word("unbreakable")  # cached


def test_shipped_data_loads_and_is_small() -> None:
    model = default_semantic()
    assert model is not None
    vocab = DEFAULT_VOCAB.read_text(encoding="utf-8").split("\n")[:-1]
    assert model.vectors.shape[0] == len(vocab)
    assert model.cat_w.shape == (len(Category), model.vectors.shape[1])
    assert 0.5 < model.threshold <= model.high_threshold < 1.0
    size = sum(p.stat().st_size for p in (DEFAULT_VECTORS, DEFAULT_VOCAB, DEFAULT_HEADS))
    assert size < 4.5e6


def test_probability_matches_full_embedding() -> None:
    model = default_semantic()
    assert model is not None
    tokens = Detector(semantic=False).normalize("i dont see a future where im in it").split()
    fast = model.probability(tokens)
    assert fast == pytest.approx(model.score(tokens).probability, abs=1e-4)


def test_layer_only_raises_and_keeps_lexicon_evidence() -> None:
    on, off = Detector(semantic=True), Detector()
    for name in ("labelled.jsonl", "blind6.jsonl", "blind7.jsonl", "blind8.jsonl"):
        for example in load(HERE / name):
            a, b = off.detect(example.text), on.detect(example.text)
            assert b.level >= a.level, example.text
            assert b.evidence[: len(a.evidence)] == a.evidence
            assert set(a.categories) <= set(b.categories)
            if b.level > a.level:
                assert a.level <= Level.CONCERN and b.level <= Level.HIGH
                assert b.evidence[-1].startswith("semantic: close to crisis posts (p=")


def test_gate_needs_first_person_and_three_words() -> None:
    det = Detector(semantic=toy_model())
    assert det.detect("i feel empty").level is Level.CONCERN
    assert "semantic" in det.detect("i feel empty").evidence[-1]
    assert det.detect("i feel empty").categories == (Category.SUICIDAL_IDEATION,)
    assert det.detect("feel empty").level is Level.NONE  # two words
    assert det.detect("she feel empty").level is Level.NONE  # no first-person word


def test_context_rules_lower_the_semantic_signal() -> None:
    det = Detector(semantic=toy_model())
    for text in (
        "my friend said she feels empty",  # someone else
        "i feel empty jk",  # joke
        "i used to feel empty all the time, 2 years sober now",  # recovery retrospective
        "i read an article about people who feel empty",  # news / media
    ):
        result = det.detect(text)
        assert result.level is Level.NONE, (text, result)
        assert "lowered to none" in result.evidence[-1]
    # Negation does not cancel it.
    assert det.detect("im not suicidal i just feel empty").level >= Level.CONCERN


def test_no_semantic_model_is_lexicon_only() -> None:
    assert Detector()._semantic is None  # opt-in for now, see README round 5
    det = Detector(semantic=None)
    assert det.detect("i feel empty inside today").level is Level.NONE
    assert det.detect("i want to die").level is Level.HIGH
    assert Detector(semantic=toy_model()).with_extra_terms([]).detect("i feel empty").level is Level.CONCERN

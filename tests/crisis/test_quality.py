"""Quality floor of the crisis detector on the hand-labelled sets ("detected" = level above none).

Thresholds sit at or just below the figures measured when they were set, so a lexicon change that loses
recall or adds false alarms fails here. Figures and the history of each set are in ``README.md`` beside
this file: ``labelled.jsonl`` is the development set; ``holdout.jsonl``, ``blind.jsonl`` and
``blind2.jsonl`` and ``blind3.jsonl`` were written before the patterns they test, and each was used for one
round of fixes after its first measurement, so their current figures are optimistic. ``blind4.jsonl`` has not
been tuned on; ``blind5.jsonl`` was used to build the concept layer (``data/crisis/concepts.toml``) after its
first measurement; ``blind6.jsonl`` was written after that and used for a second round; ``blind7.jsonl`` was written after
that and has not been tuned on; ``blind8.jsonl`` was written before the semantic layer's heads were trained and
is, with ``blind6`` and ``blind7``, kept out of their training (``scripts/train_crisis_heads.py``). The low floors of ``blind4`` and ``blind7`` are the honest estimate on unseen phrasing, and should rise only with new general
patterns, never with patterns copied from their misses.
"""

from __future__ import annotations

import pytest

from bot.crisis import Category, Detector

from .evaluate import HERE, load, score

# name: (min recall, max false-alarm rate, min precision)
OVERALL = {
    "labelled.jsonl": (0.98, 0.03, 0.95),
    "holdout.jsonl": (0.95, 0.03, 0.95),
    "blind.jsonl": (0.92, 0.06, 0.93),
    "blind2.jsonl": (0.85, 0.03, 0.95),
    # Tuned once after its first measurement (recall 0.690, false alarms 0.089): optimistic.
    "blind3.jsonl": (0.97, 0.02, 0.97),
    # Written after the blind3 round and never tuned on: these are first-measurement figures.
    # Raised after the concept layer (round 4): measured 0.750 / 0.100 / 0.882. Never tuned on its misses.
    "blind4.jsonl": (0.73, 0.11, 0.85),
    # Written before the concept layer; first measurement 0.390 / 0.059 / 0.889, then the concept layer was
    # developed while reading its misses: optimistic.
    "blind5.jsonl": (0.80, 0.05, 0.95),
    # Written after the first concept round; first measurement 0.400 / 0.125 / 0.762. A second concept round
    # was written after reading its misses, so the current figure (0.800 / 0.100 / 0.889) is optimistic.
    "blind6.jsonl": (0.78, 0.11, 0.87),
    # Written after the second concept round and never tuned on: first-measurement figures (0.200 / 0.033 /
    # 0.857). This is the honest estimate for fresh indirect phrasing.
    "blind7.jsonl": (0.18, 0.05, 0.80),
    # Written before the semantic layer was trained, never trained or tuned on. First measurement, lexicon
    # only (the default detector): 0.550 / 0.125 / 0.815.
    "blind8.jsonl": (0.53, 0.13, 0.80),
}

# The detector with the opt-in semantic layer (round 5) on the sets kept out of its training, measured
# 0.800 / 0.125 / 0.865 (blind6), 0.333 / 0.100 / 0.769 (blind7), 0.625 / 0.150 / 0.806 (blind8).
SEMANTIC = {
    "blind6.jsonl": (0.78, 0.13, 0.85),
    "blind7.jsonl": (0.31, 0.11, 0.75),
    "blind8.jsonl": (0.60, 0.16, 0.78),
}

# Development set, per category: (min recall, min precision). Immediate danger has low precision by
# design: the detector adds it whenever ideation comes with a time ("tonight"), which the labels do not.
PER_CATEGORY = {
    Category.SUICIDAL_IDEATION: (0.97, 0.90),
    Category.SELF_HARM: (0.95, 0.95),
    Category.OVERDOSE: (0.95, 0.85),
    Category.IMMEDIATE_DANGER: (0.95, 0.60),
    Category.SUBSTANCE_CRISIS: (0.95, 0.90),
}


@pytest.mark.parametrize("name", sorted(OVERALL))
def test_overall_quality(name: str) -> None:
    min_recall, max_false_alarms, min_precision = OVERALL[name]
    overall, _ = score(load(HERE / name))
    assert overall.recall >= min_recall, f"recall {overall.recall:.3f}; missed: {overall.misses}"
    assert overall.false_alarm_rate <= max_false_alarms, (
        f"false alarms {overall.false_alarm_rate:.3f}: {overall.false_alarms}"
    )
    assert overall.precision >= min_precision


@pytest.mark.parametrize("name", sorted(SEMANTIC))
def test_semantic_layer_quality(name: str) -> None:
    min_recall, max_false_alarms, min_precision = SEMANTIC[name]
    overall, _ = score(load(HERE / name), Detector(semantic=True))
    assert overall.recall >= min_recall, f"recall {overall.recall:.3f}; missed: {overall.misses}"
    assert overall.false_alarm_rate <= max_false_alarms, f"false alarms {overall.false_alarm_rate:.3f}"
    assert overall.precision >= min_precision


@pytest.mark.parametrize("category", list(PER_CATEGORY))
def test_per_category_quality(category: Category) -> None:
    min_recall, min_precision = PER_CATEGORY[category]
    _, per_cat = score(load(HERE / "labelled.jsonl"))
    scores = per_cat[category]
    assert scores.recall >= min_recall, f"{category} recall {scores.recall:.3f}: {scores.misses}"
    assert scores.precision >= min_precision, f"{category} precision {scores.precision:.3f}"


def test_sets_are_balanced_and_large_enough() -> None:
    dev = load(HERE / "labelled.jsonl")
    assert len(dev) >= 400
    assert 0.4 <= sum(e.crisis for e in dev) / len(dev) <= 0.6
    for name in OVERALL:
        for example in load(HERE / name):
            assert example.crisis == bool(example.categories), example.text

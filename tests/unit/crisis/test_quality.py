"""Quality floors of the crisis detector on the hand-labelled sets ("detected" = level above none).

Thresholds sit at or just below the figures measured when they were set, so a lexicon or model change that
loses recall or adds false alarms fails here. Figures and the history of each set are in ``README.md``
beside this file.

Two pipelines are held to floors:

- :data:`LEXICON`: the lexicon alone (``python -m bot.crisis --fast``; what the bot does when the sentence
  model is off or its backlog is full). ``labelled.jsonl`` is the development set; ``holdout``, ``blind``,
  ``blind2``, ``blind3``, ``blind5`` and ``blind6`` were each used for a round of fixes after their first
  measurement, so their figures are optimistic; ``blind4``, ``blind7``, ``blind8`` and every ``indep_*`` set
  were never tuned on, so theirs are the honest estimate for fresh phrasing, and should rise only with new
  general patterns, never with patterns copied from their misses.
- :data:`PIPELINE`: what the bot does (the lexicon, then the quick read and the sentence model, blended).
  The models trained on every set except ``indep_mixed`` and ``indep_social``, so only those two are held
  out. On the others the floors guard against a broken export, encoder or blend (models that no longer
  reproduce their training fit). The detector's quality on real posts is measured by
  ``scripts/evaluate_crisis_real.py``, outside CI, because the posts are not in the repository.
"""

from __future__ import annotations

from functools import cache

import pytest

from bot.crisis import Category
from tests.paths import CRISIS_SETS

from .evaluate import Example, Scores, check_floors, full_pipeline, load, score

# name: (min recall, max false-alarm rate, min precision)
LEXICON = {
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
    # Round 6: written by independent writers who never saw the repo; first measurements, never tuned on.
    "indep_reddit.jsonl": (0.67, 0.22, 0.75),  # 0.693 / 0.200 / 0.776
    "indep_chat.jsonl": (0.53, 0.22, 0.70),  # 0.550 / 0.200 / 0.733
    "indep_indirect.jsonl": (0.41, 0.23, 0.64),  # 0.427 / 0.213 / 0.667
    "indep_substance.jsonl": (0.50, 0.10, 0.84),  # 0.520 / 0.080 / 0.867
    "indep_selfharm.jsonl": (0.30, 0.23, 0.57),  # 0.320 / 0.213 / 0.600
    "indep_edge.jsonl": (0.42, 0.19, 0.69),  # 0.440 / 0.173 / 0.717
    "indep_discord.jsonl": (0.59, 0.11, 0.84),  # 0.613 / 0.093 / 0.868
    "indep_posts.jsonl": (0.57, 0.30, 0.65),  # 0.587 / 0.280 / 0.677
    # Round 7: four training sets with targeted briefs and two fresh held-out sets, same writers' rules.
    "train_hardneg.jsonl": (0.62, 0.16, 0.59),  # 0.650 / 0.145 / 0.619
    "train_masked.jsonl": (0.57, 0.20, 0.84),  # 0.590 / 0.180 / 0.868
    "train_long.jsonl": (0.68, 0.39, 0.63),  # 0.700 / 0.367 / 0.656
    "train_chat.jsonl": (0.66, 0.03, 0.95),  # 0.680 / 0.013 / 0.981
    "indep_mixed.jsonl": (0.62, 0.25, 0.71),  # 0.640 / 0.227 / 0.738
    "indep_social.jsonl": (0.66, 0.18, 0.78),  # 0.680 / 0.160 / 0.810
}

# What the bot does: the lexicon, then the quick read and the sentence model, blended (the blend and the
# sentence model's crisis head fitted on real public posts; see the README). Held out, never trained or
# tuned on: indep_mixed 0.947 / 0.133 / 0.877 and indep_social 0.933 / 0.160 / 0.854 (the sentence model alone:
# 0.973 / 0.133 / 0.880 and 0.920 / 0.147 / 0.863). The quick read and the sentence model trained on every
# other set, so those floors are training fits, kept to catch a broken export, encoder or blend.
PIPELINE = {
    "indep_mixed.jsonl": (0.94, 0.14, 0.87),
    "indep_social.jsonl": (0.93, 0.17, 0.85),
    "labelled.jsonl": (0.98, 0.03, 0.97),
    "holdout.jsonl": (0.98, 0.02, 0.98),
    "blind.jsonl": (0.98, 0.06, 0.95),
    "blind2.jsonl": (0.97, 0.02, 0.97),
    "blind3.jsonl": (0.98, 0.02, 0.98),
    "blind4.jsonl": (0.97, 0.06, 0.94),
    "blind5.jsonl": (0.88, 0.02, 0.97),
    "blind6.jsonl": (0.97, 0.06, 0.94),
    "blind7.jsonl": (0.76, 0.04, 0.95),
    "blind8.jsonl": (0.89, 0.04, 0.96),
    "indep_reddit.jsonl": (0.95, 0.11, 0.90),
    "indep_chat.jsonl": (0.89, 0.06, 0.94),
    "indep_indirect.jsonl": (0.87, 0.11, 0.89),
    "indep_substance.jsonl": (0.94, 0.05, 0.95),
    "indep_selfharm.jsonl": (0.80, 0.10, 0.89),
    "indep_edge.jsonl": (0.89, 0.11, 0.89),
    "indep_discord.jsonl": (0.93, 0.05, 0.95),
    "indep_posts.jsonl": (0.95, 0.18, 0.84),
    "train_hardneg.jsonl": (0.92, 0.13, 0.72),
    "train_masked.jsonl": (0.93, 0.08, 0.95),
    "train_long.jsonl": (0.85, 0.11, 0.89),
    "train_chat.jsonl": (0.95, 0.03, 0.96),
}

# The pipeline per category on the two held-out sets together: (min recall, min precision). Measured:
# suicidal_ideation 0.897 / 0.765, self_harm 0.821 / 0.657, overdose 0.815 / 0.759, immediate_danger
# 0.672 / 0.609, substance_crisis 0.697 / 0.676. Categories come from the lexicon when it matched and from
# the sentence model's category heads when the models raised the verdict.
HELD_OUT = ("indep_mixed.jsonl", "indep_social.jsonl")
PIPELINE_PER_CATEGORY = {
    Category.SUICIDAL_IDEATION: (0.89, 0.76),
    Category.SELF_HARM: (0.80, 0.65),
    Category.OVERDOSE: (0.80, 0.75),
    Category.IMMEDIATE_DANGER: (0.66, 0.60),
    Category.SUBSTANCE_CRISIS: (0.69, 0.67),
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


@cache
def _pipeline_scores(names: tuple[str, ...]) -> tuple[Scores, dict[Category, Scores]]:
    """The bot's pipeline on ``names`` together, computed once per test session (the model takes seconds)."""
    examples: list[Example] = [e for name in names for e in load(CRISIS_SETS / name)]
    return score(examples, full_pipeline())


@pytest.mark.parametrize("name", sorted(LEXICON))
def test_lexicon_quality(name: str) -> None:
    overall, _ = score(load(CRISIS_SETS / name))
    check_floors(overall, LEXICON[name])


@pytest.mark.parametrize("name", sorted(PIPELINE))
def test_pipeline_quality(name: str) -> None:
    overall, _ = _pipeline_scores((name,))
    check_floors(overall, PIPELINE[name])


@pytest.mark.parametrize("category", list(PIPELINE_PER_CATEGORY))
def test_pipeline_per_category_quality_on_held_out_sets(category: Category) -> None:
    min_recall, min_precision = PIPELINE_PER_CATEGORY[category]
    scores = _pipeline_scores(HELD_OUT)[1][category]
    assert scores.recall >= min_recall, f"{category} recall {scores.recall:.3f}: {scores.misses}"
    assert scores.precision >= min_precision, f"{category} precision {scores.precision:.3f}"


def test_every_set_has_floors() -> None:
    names = {p.name for p in CRISIS_SETS.glob("*.jsonl")}
    assert names == set(LEXICON) == set(PIPELINE)


@pytest.mark.parametrize("category", list(PER_CATEGORY))
def test_per_category_quality(category: Category) -> None:
    min_recall, min_precision = PER_CATEGORY[category]
    _, per_cat = score(load(CRISIS_SETS / "labelled.jsonl"))
    scores = per_cat[category]
    assert scores.recall >= min_recall, f"{category} recall {scores.recall:.3f}: {scores.misses}"
    assert scores.precision >= min_precision, f"{category} precision {scores.precision:.3f}"


def test_sets_are_balanced_and_large_enough() -> None:
    dev = load(CRISIS_SETS / "labelled.jsonl")
    assert len(dev) >= 400
    assert 0.4 <= sum(e.crisis for e in dev) / len(dev) <= 0.6
    for name in LEXICON:
        for example in load(CRISIS_SETS / name):
            assert example.crisis == bool(example.categories), example.text

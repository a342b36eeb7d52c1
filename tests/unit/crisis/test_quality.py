"""Quality floors of the crisis detector on the hand-labelled sets ("detected" = level above none).

Thresholds sit at or just below the figures measured when they were set, so a lexicon or model change that
loses recall or adds false alarms fails here. The floors, with the measured figures, are in
``tests/data/crisis/floors.toml``; the history of each set is in ``README.md`` beside it.

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

from .evaluate import Example, Scores, check_category_floors, check_floors, full_pipeline, load, score
from .floors import category_floors, set_floors

LEXICON = set_floors("lexicon")
PIPELINE = set_floors("pipeline")
PIPELINE_PER_CATEGORY = category_floors("pipeline_per_category")
PER_CATEGORY = category_floors("per_category")
# The sets no model trained on; the pipeline's per-category floors hold on them together.
HELD_OUT = ("indep_mixed.jsonl", "indep_social.jsonl")


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
    check_category_floors(category, _pipeline_scores(HELD_OUT)[1][category], PIPELINE_PER_CATEGORY[category])


def test_every_set_has_floors() -> None:
    names = {p.name for p in CRISIS_SETS.glob("*.jsonl")}
    assert names == set(LEXICON) == set(PIPELINE)


@pytest.mark.parametrize("category", list(PER_CATEGORY))
def test_per_category_quality(category: Category) -> None:
    _, per_cat = score(load(CRISIS_SETS / "labelled.jsonl"))
    check_category_floors(category, per_cat[category], PER_CATEGORY[category])


def test_sets_are_balanced_and_large_enough() -> None:
    dev = load(CRISIS_SETS / "labelled.jsonl")
    assert len(dev) >= 400
    assert 0.4 <= sum(e.crisis for e in dev) / len(dev) <= 0.6
    for name in LEXICON:
        for example in load(CRISIS_SETS / name):
            assert example.crisis == bool(example.categories), example.text

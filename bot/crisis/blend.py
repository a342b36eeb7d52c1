"""How the quick read's and the sentence model's probabilities become one (``bot/data/crisis/blend.json``).

Fitted on real posts neither model trained on, by ``scripts/fit_blend.py``; :mod:`bot.crisis.second_opinion`
reads the blended probability.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from bot.package_data import data_path

DATA = data_path("crisis")
DEFAULT_BLEND = DATA / "blend.json"

__all__ = ["DEFAULT_BLEND", "Blend", "Weights", "load_blend"]

SURE = 1 - 1e-6  # the surest the sentence model's probability counts for in the blend (see _logit)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@dataclass(frozen=True, slots=True)
class Weights:
    """One regime of the blend: ``sigmoid(quick * logit(quick p) + model * logit(model p) + bias)``."""

    quick: float
    model: float
    bias: float


@dataclass(frozen=True, slots=True)
class Blend:
    """How the quick read's and the sentence model's probabilities become one, and the gate before the model.

    Short messages and long posts get their own weights (:attr:`long_words` words or more is a post): on
    real forum posts the two models are surer than on chat, and emotional everyday posts (a divorce, a
    hard week at work) need a higher bar than a tweet. The weights were fitted on real posts neither model
    trained on (``scripts/fit_blend.py``). ``gate``: a message the lexicon found nothing in and the quick read
    gives less than this never reaches the sentence model.
    """

    gate: float
    long_words: int
    short: Weights
    long: Weights
    # The sentence model alone raises a short message to concern at this probability: it reads plans and
    # means told in plain words ("in the pharmacy parking lot, already bought them") that word n-grams miss.
    model_alone: float | None = None
    # A verdict naming overdose or self-harm is cleared only below this blended probability: both models
    # must agree that it is everyday talk ("overdosed on pizza again", "5 years free from self harm").
    agreed_clear: float | None = None
    # A verdict resting on a bare topic word ("suicidal") about the writer is cleared below this blended
    # probability, higher than the usual bar: the word is as common in jokes and news as in a cry for help,
    # so it proves less than a first-person crisis phrase (:mod:`bot.crisis.mentions`).
    mention_clear: float | None = None

    def combine(self, quick: float, model: float, words: int) -> float:
        """The blended crisis probability of a message of ``words`` words."""
        w = self.long if words >= self.long_words else self.short
        z = w.quick * _logit(quick) + w.model * _logit(model) + w.bias
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load_blend(path: Path = DEFAULT_BLEND) -> tuple[Blend, dict[str, float]]:
    """The blend and the thresholds that go with it (``threshold``, ``high_threshold``, ``clear_threshold``)."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def weights(part: dict[str, float]) -> Weights:
        return Weights(float(part["quick"]), float(part["model"]), float(part["bias"]))

    optional = {k: float(data[k]) for k in ("model_alone", "agreed_clear", "mention_clear") if data.get(k) is not None}
    blend = Blend(
        float(data["gate"]), int(data["long_words"]), weights(data["short"]), weights(data["long"]), **optional
    )
    thresholds = {k: float(data[k]) for k in ("threshold", "high_threshold", "clear_threshold")}
    return blend, thresholds

"""The quick read: a linear model over hashed word and letter n-grams, trained on real labelled posts.

It reads a message in tens of microseconds, so it can look at every message a busy bot sees. It does two
jobs in the pipeline (:mod:`bot.crisis.second_opinion`):

- it is the **gate** in front of the sentence model: ordinary chat it is sure about, with no lexicon match,
  never reaches the slower model, which is what lets the whole pipeline keep up with busy servers;
- its probability is **blended** with the sentence model's, because the two err differently: this model
  learned how real people on public forums and social media write, the sentence model learned meaning
  from the written sets.

The features are those of the detector's normalised text (:func:`bot.crisis.normalize.normalize`, so
"k1ll mys3lf" and "kms" read as "kill myself"): words, word pairs, and letter runs of 3 to 5 inside each word
(robust to typos), each hashed into :data:`BUCKETS` slots with CRC-32 (stable across processes, unlike
``hash``). Words and letter runs are two groups, each scaled to unit length, so a long post does not score
higher just for being long. ``scripts/train_quick_crisis.py`` fits the weights with the same function.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from bot.package_data import data_path

from .normalize import normalize

DATA = data_path("crisis")
DEFAULT_MODEL = DATA / "quick_model.npz"

BUCKETS = 1 << 20
_MAX_TOKENS = 400  # a long post's first 400 tokens carry its signal; past that the cost is not worth it
_SEPARATORS = frozenset({".", ","})


def feature_groups(text: str) -> tuple[list[int], list[int]]:
    """The hashed word features (words and pairs) and letter features (3- to 5-letter runs) of ``text``."""
    tokens = normalize(text).split()[:_MAX_TOKENS]
    crc = zlib.crc32
    words: set[int] = set()
    letters: set[int] = set()
    previous = "^"
    for token in tokens:
        if token in _SEPARATORS:
            previous = "^"
            continue
        words.add(crc(f"w {token}".encode()) & (BUCKETS - 1))
        words.add(crc(f"b {previous} {token}".encode()) & (BUCKETS - 1))
        previous = token
        padded = f"<{token}>"
        n = len(padded)
        for size in (3, 4, 5):
            for start in range(n - size + 1):
                letters.add(crc(padded[start : start + size].encode()) & (BUCKETS - 1))
    return sorted(words), sorted(letters)


def feature_vector(text: str) -> tuple[list[int], list[float]]:
    """``text`` as sparse (indices, values): each group's features share a unit of length."""
    words, letters = feature_groups(text)
    indices: list[int] = []
    values: list[float] = []
    for group in (words, letters):
        if group:
            indices.extend(group)
            values.extend([1.0 / math.sqrt(len(group))] * len(group))
    return indices, values


@dataclass(frozen=True, slots=True)
class QuickRead:
    """The fitted linear model and the thresholds the pipeline uses it with."""

    weights: np.ndarray  # float32, BUCKETS
    bias: float

    def logit(self, text: str) -> float:
        """The model's log-odds that ``text`` is a crisis message."""
        total = self.bias
        w = self.weights
        for group in feature_groups(text):
            if group:
                total += float(w[group].sum()) / math.sqrt(len(group))
        return total

    def probability(self, text: str) -> float:
        """The model's probability that ``text`` is a crisis message."""
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.logit(text)))))


def load_quick_read(path: Path = DEFAULT_MODEL) -> QuickRead:
    """Read a model written by ``scripts/train_quick_crisis.py``."""
    with np.load(path) as data:
        return QuickRead(data["weights"].astype(np.float32), float(data["bias"]))


@cache
def default_quick_read() -> QuickRead | None:
    """The shipped model, loaded once; None when its file is missing."""
    return load_quick_read() if DEFAULT_MODEL.exists() else None

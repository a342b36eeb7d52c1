"""Semantic layer: static wordpiece embeddings plus small logistic-regression heads (numpy only).

The lexicon catches explicit crisis language; this layer scores how close a message is, as a whole, to the
labelled crisis posts, so unseen phrasing ("I don't see a future where I'm in it") can still raise a concern.

- Vectors: ``data/crisis/semantic_vectors.npy`` (float16, one row per wordpiece of
  ``semantic_vocab.txt``), distilled from all-MiniLM-L6-v2 by ``scripts/distill_crisis_embeddings.py``
  (model2vec-style: each token embedded alone, PCA, SIF down-weighting of frequent tokens).
- Heads: ``data/crisis/semantic_heads.npz``, trained by ``scripts/train_crisis_heads.py``: one "crisis vs
  not" head and one per category, each ``sigmoid(w . mean(token vectors) + b)``, plus the thresholds.
- Tokenizer: greedy longest-match wordpiece over the detector's normalised tokens, cached per word.

Because the crisis head is linear in the *mean* of the token vectors, its logit is the mean of per-token
scores ``w . v``: they are computed once at load, so scoring a message is a few dict lookups and a sum, in
pure Python. The category heads need the full mean vector and run only when the crisis head fires.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .models import Category

DATA = Path(__file__).resolve().parents[2] / "data" / "crisis"
DEFAULT_VECTORS = DATA / "semantic_vectors.npy"
DEFAULT_VOCAB = DATA / "semantic_vocab.txt"
DEFAULT_HEADS = DATA / "semantic_heads.npz"

_MAX_PIECE = 24  # longest wordpiece worth trying; longer words are split
_WORD_CACHE_LIMIT = 50_000
_SKIP = frozenset({".", ",", "~"})


class WordPiece:
    """Greedy longest-match wordpiece tokenizer (BERT-style, uncased), with a per-word cache."""

    def __init__(self, vocab: list[str]) -> None:
        self.index = {tok: i for i, tok in enumerate(vocab)}
        self._cache: dict[str, tuple[int, ...]] = {}

    def word(self, word: str) -> tuple[int, ...]:
        """Token ids of one word; an empty tuple when some part of it is not in the vocabulary ([UNK])."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        index = self.index
        ids: list[int] = []
        start, n = 0, len(word)
        while start < n:
            end = min(n, start + _MAX_PIECE)
            found = -1
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = index.get(piece, -1)
                if found >= 0:
                    break
                end -= 1
            if found < 0:
                ids = []
                break
            ids.append(found)
            start = end
        result = tuple(ids)
        if len(self._cache) >= _WORD_CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = result
        return result

    def ids(self, tokens: list[str]) -> list[int]:
        """Token ids of normalised tokens (separators skipped)."""
        out: list[int] = []
        for tok in tokens:
            if tok not in _SKIP:
                out.extend(self.word(tok))
        return out


@dataclass(frozen=True, slots=True)
class SemanticScore:
    """The semantic verdict on one message: crisis probability and the probable categories."""

    probability: float
    categories: tuple[Category, ...]


class SemanticModel:
    """Embeds a message as the mean of its wordpiece vectors and applies the trained heads."""

    def __init__(
        self,
        vocab: list[str],
        vectors: np.ndarray,
        crisis_w: np.ndarray,
        crisis_b: float,
        cat_w: np.ndarray,
        cat_b: np.ndarray,
        categories: tuple[Category, ...],
        threshold: float,
        high_threshold: float,
    ) -> None:
        if vectors.shape[0] != len(vocab):
            raise ValueError(f"{vectors.shape[0]} vectors for {len(vocab)} wordpieces")
        self.tokenizer = WordPiece(vocab)
        self.vectors = vectors.astype(np.float32)
        self.crisis_w = crisis_w.astype(np.float32)
        self.crisis_b = float(crisis_b)
        self.cat_w = cat_w.astype(np.float32)
        self.cat_b = cat_b.astype(np.float32)
        self.categories = categories
        self.threshold = threshold
        self.high_threshold = high_threshold
        # Per-token crisis scores, so the crisis logit is a mean of floats (see the module docstring).
        self._token_score: list[float] = (self.vectors @ self.crisis_w).tolist()
        self._word_score: dict[str, tuple[float, int]] = {}
        self._logit_threshold = _logit(threshold)

    def embed(self, tokens: list[str]) -> np.ndarray | None:
        """Mean wordpiece vector of normalised tokens, or None when no token is known."""
        ids = self.tokenizer.ids(tokens)
        if not ids:
            return None
        return np.asarray(self.vectors[ids].mean(axis=0))

    def crisis_logit(self, tokens: list[str]) -> float | None:
        """The crisis head's logit for normalised tokens (pure Python; None when no token is known)."""
        total = 0.0
        count = 0
        word_score = self._word_score
        for tok in tokens:
            cached = word_score.get(tok)
            if cached is None:
                if tok in _SKIP:
                    continue
                ids = self.tokenizer.word(tok)
                cached = (sum(self._token_score[i] for i in ids), len(ids))
                if len(word_score) >= _WORD_CACHE_LIMIT:
                    word_score.clear()
                word_score[tok] = cached
            total += cached[0]
            count += cached[1]
        if not count:
            return None
        return total / count + self.crisis_b

    def worth_scoring(self, tokens: list[str]) -> bool:
        """Cheap test before anything else: could the crisis head pass the threshold at all?"""
        logit = self.crisis_logit(tokens)
        return logit is not None and logit >= self._logit_threshold

    def probability(self, tokens: list[str]) -> float:
        """Crisis probability of normalised tokens (0.0 when no token is known)."""
        logit = self.crisis_logit(tokens)
        return 0.0 if logit is None else _sigmoid(logit)

    def score(self, tokens: list[str]) -> SemanticScore:
        """Crisis probability and the categories whose heads say at least 0.5 (the likeliest one if none)."""
        vec = self.embed(tokens)
        if vec is None:
            return SemanticScore(0.0, ())
        p = _sigmoid(float(vec @ self.crisis_w) + self.crisis_b)
        cat_p = 1.0 / (1.0 + np.exp(-(self.cat_w @ vec + self.cat_b)))
        cats = tuple(c for c, q in zip(self.categories, cat_p, strict=True) if q >= 0.5)
        if not cats:
            cats = (self.categories[int(np.argmax(cat_p))],)
        return SemanticScore(p, cats)

    def token_scores(self, tokens: list[str]) -> list[float]:
        """Per normalised token, its mean crisis score (used to place the evidence for the context rules)."""
        out = []
        for tok in tokens:
            ids = () if tok in _SKIP else self.tokenizer.word(tok)
            out.append(sum(self._token_score[i] for i in ids) / len(ids) if ids else float("-inf"))
        return out


def _sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def load_semantic(
    vectors_path: Path = DEFAULT_VECTORS, vocab_path: Path = DEFAULT_VOCAB, heads_path: Path = DEFAULT_HEADS
) -> SemanticModel:
    """Load the shipped vectors, vocabulary and heads."""
    vocab = vocab_path.read_text(encoding="utf-8").split("\n")
    if vocab and vocab[-1] == "":
        vocab.pop()
    vectors = np.load(vectors_path)
    with np.load(heads_path) as heads:
        return SemanticModel(
            vocab,
            vectors,
            heads["crisis_w"],
            float(heads["crisis_b"]),
            heads["cat_w"],
            heads["cat_b"],
            tuple(Category(str(c)) for c in heads["categories"]),
            float(heads["threshold"]),
            float(heads["high_threshold"]),
        )


@cache
def default_semantic() -> SemanticModel | None:
    """The shipped model, loaded once; None when its data files are missing (the lexicon still works)."""
    if not (DEFAULT_VECTORS.exists() and DEFAULT_VOCAB.exists() and DEFAULT_HEADS.exists()):
        return None
    return load_semantic()

"""The second opinion: two learned models read the message after the lexicon.

The lexicon is fast and explainable but only knows the phrasings it was written for: on fresh phrasing it
misses many crisis posts, and it cannot tell "kms i forgot my lunch" or "who wants to die in ranked" from a
cry for help. Two models read what the lexicon leaves unsure (``tests/data/crisis/README.md`` has the measurements):

- the **quick read** (:mod:`bot.crisis.quick`), a linear model over word and letter n-grams trained on real
  public posts and the written sets: microseconds a message, it knows how real people write;
- the **sentence model**, all-MiniLM-L6-v2 fine-tuned on the written sets (:mod:`bot.crisis.encoder`), whose
  crisis head was refitted on real posts and the written sets (``scripts/fit_crisis_head.py``): a few
  milliseconds a message, it reads meaning.

Their probabilities are blended (:class:`Blend`, fitted on real posts neither model trained on), with their
own weights for short messages and for long posts. Then:

- the quick read is the **gate**: a message the lexicon found nothing in and the quick read is sure is
  everyday talk never reaches the sentence model (most chat), so the pipeline keeps up with busy servers;
- the blend **raises** a verdict the lexicon left at none or concern when it passes its threshold (concern;
  high above the high threshold), adding the sentence model's categories; a sure sentence model alone also
  raises a short message to concern (:attr:`Blend.model_alone`);
- the blend **clears** a lexicon verdict below imminent when it is far below the threshold
  (``clear_threshold``): the message reads as everyday talk ("gonna unalive this whole pizza"). The
  lexicon's matches stay in the evidence, so ``/crisis test`` shows what was found and why it was let be;
- it clears a verdict naming overdose, self-harm or a method the models rarely saw (:func:`agreed_only`)
  only when both models agree it is everyday talk (:attr:`Blend.agreed_clear`, far below the usual bar),
  and never touches an imminent verdict (a plan, means or goodbye with ideation), a term the server's
  moderators added, or a message of fewer than three words ("kms" alone stays the lexicon's call).

The lexicon's context rules still only lower, never hide; clearing is the models' separate judgement of
the whole message, measured on held-out sets before it was turned on.

Cost: the sentence model takes a few milliseconds for a chat message, tens for a long post, so it never
runs on the event loop: :meth:`SecondOpinion.wanted` is the cheap gate (lexicon rules and the quick read)
and the bot runs the rest in a worker thread (``cogs/crisis``). If the models fail or are switched off, the
lexicon's verdict stands; without the quick read's files, the sentence model reads every message the
lexicon leaves it, alone.

Long posts are read in windows of a few sentences (at most :data:`WINDOW_TOKENS` wordpieces each) and the
most worrying window counts, because a risk buried in the middle of a long vent is what readers miss too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from bot.package_data import data_path

from .blend import DEFAULT_BLEND, SURE, Blend, load_blend
from .encoder import SentenceEncoder, default_encoder
from .evasions import plain_words
from .mentions import about_writer, laughs
from .models import Category, Detection, Level
from .quick import QuickRead, default_quick_read

DATA = data_path("crisis")
DEFAULT_HEADS = DATA / "encoder_heads.npz"

WINDOW_TOKENS = 96
ENGLISH = "en"  # the only language the models were trained on
# Verdicts at or above this level are never reviewed: a plan, means or goodbye with ideation is answered at
# once, whatever the model thinks.
KEPT = Level.IMMINENT
# Verdicts naming these are never cleared: they usually report an act or the means ("took 20", "cutting
# again"), and the model misreads them when the tone is casual ("haha i've been cutting again, anyway...").
NEVER_CLEARED = frozenset({Category.OVERDOSE, Category.SELF_HARM})
MAX_WINDOWS = 8  # a 700-word post; past that, the first windows are read (and the lexicon reads it all)
_MIN_WORDS = 3
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def agreed_only(detection: Detection) -> bool:
    """True when ``detection`` may be cleared only if both models agree it is everyday talk: it names overdose
    or self-harm (:data:`NEVER_CLEARED`), or a method the models rarely saw (:attr:`Detection.method`)."""
    return detection.method or not NEVER_CLEARED.isdisjoint(detection.categories)


@dataclass(frozen=True, slots=True)
class Opinion:
    """What the models thought: the blended crisis probability, its parts, and categories."""

    probability: float
    level: Level
    categories: tuple[Category, ...]
    windows: int
    model: float | None = None  # the sentence model's own probability, when blended with the quick read
    quick: float | None = None

    def evidence(self) -> str:
        """One line for the detection's evidence."""
        windows = f"{self.windows} window{'s' if self.windows != 1 else ''}"
        if self.quick is None or self.model is None:
            return f"sentence model: {self.probability:.2f} ({windows})"
        return (
            f"models: {self.probability:.2f} (sentence model {self.model:.2f}, {windows}; quick read {self.quick:.2f})"
        )


class SecondOpinion:
    """The sentence encoder plus the trained heads and their thresholds."""

    def __init__(
        self,
        encoder: SentenceEncoder,
        crisis_w: np.ndarray,
        crisis_b: float,
        cat_w: np.ndarray,
        cat_b: np.ndarray,
        categories: tuple[Category, ...],
        threshold: float,
        high_threshold: float,
        clear_threshold: float | None = None,
        cat_threshold: float = 0.5,
        quick: QuickRead | None = None,
        blend: Blend | None = None,
    ) -> None:
        self.encoder = encoder
        self._crisis_w = crisis_w.astype(np.float32)
        self._crisis_b = crisis_b
        self._cat_w = cat_w.astype(np.float32)
        self._cat_b = cat_b.astype(np.float32)
        self._categories = categories
        self.threshold = threshold
        self.high_threshold = high_threshold
        self.clear_threshold = clear_threshold
        self.cat_threshold = cat_threshold
        # The quick read works only with a blend that says how to weigh it.
        self.quick = quick if blend is not None else None
        self.blend = blend if quick is not None else None

    def wanted(self, text: str, detection: Detection) -> bool:
        """Cheap gate: is a second opinion worth the model's milliseconds for this verdict?

        Never for imminent verdicts, a server's own terms (nothing the model says changes them) or another
        language's word-list verdict (:mod:`bot.crisis.languages`: the models read English only), never for
        fewer than :data:`_MIN_WORDS` words ("kms" alone stays the lexicon's call); never for a message the
        lexicon found nothing in and the quick read is sure is everyday talk (most chat: microseconds, so
        the model's worker keeps up with busy servers); otherwise yes while the model could still raise the
        verdict (none or concern) or clear it (high, if :meth:`clearable`).
        """
        if detection.level >= KEPT or detection.server_term:
            return False
        if detection.language != ENGLISH:
            return False  # another language's word list: the models read English only, and would clear it
        if detection.level >= Level.HIGH and not self.clearable(detection):
            return False
        if len(_WORD.findall(text)) < _MIN_WORDS:
            return False
        if detection.level == Level.NONE and self.quick is not None and self.blend is not None:
            return self.quick.probability(text) >= self.blend.gate
        return True

    def clearable(self, detection: Detection) -> bool:
        """True when the models may clear ``detection``: clearing is on, it is below imminent and not a server's
        term, and it names no overdose, self-harm or rarely seen method (:attr:`Detection.method`) unless both
        models may agree to clear those (:attr:`Blend.agreed_clear`)."""
        return self.clear_bar(detection) is not None

    def clear_bar(self, detection: Detection, text: str = "") -> float | None:
        """The probability below which ``detection`` (of ``text``) is cleared, or None when it is never cleared.

        A verdict resting on a bare topic word has a higher bar (:attr:`Blend.mention_clear`); beside
        laughter, the models must read a crisis on their own (the raise threshold).
        """
        if self.clear_threshold is None or detection.level >= KEPT or detection.server_term:
            return None
        if detection.language != ENGLISH:
            return None
        if agreed_only(detection):
            return self.blend.agreed_clear if self.blend is not None else None
        if not detection.topic_only or self.blend is None or self.blend.mention_clear is None:
            return self.clear_threshold
        bar = max(self.blend.mention_clear, self.clear_threshold)
        return max(bar, self.threshold) if laughs(text) else bar

    def windows(self, text: str) -> list[str]:
        """The text, or for a long post, runs of whole sentences of at most :data:`WINDOW_TOKENS` wordpieces."""
        count = self.encoder.token_count
        if count(text) <= WINDOW_TOKENS:
            return [text]
        windows: list[str] = []
        current: list[str] = []
        size = 0
        for sentence in (s.strip() for s in _SENTENCE.split(text)):
            if not sentence:
                continue
            n = count(sentence)
            if current and size + n > WINDOW_TOKENS:
                windows.append(" ".join(current))
                current, size = [], 0
            current.append(sentence)
            size += n
        if current:
            windows.append(" ".join(current))
        return windows[:MAX_WINDOWS]

    def probabilities(self, text: str) -> list[float]:
        """The crisis probability of each window of ``text``."""
        return [self.crisis_probability(self.encoder.encode(w)) for w in self.windows(plain_words(text))]

    def crisis_probability(self, vector: np.ndarray) -> float:
        """The crisis head on one embedding."""
        return float(1.0 / (1.0 + np.exp(-(float(vector @ self._crisis_w) + self._crisis_b))))

    def opinion(self, text: str) -> Opinion:
        """Read ``text``: the blended probability (the sentence model's most worrying window with the quick
        read of the whole text), the level it means, and the categories of that window."""
        windows = self.windows(plain_words(text))
        return self._opinion_of(text, self.encoder.encode_many(windows))

    def _opinion_of(self, text: str, vectors: np.ndarray) -> Opinion:
        """:meth:`opinion` from the embeddings of ``text``'s windows."""
        scores = [self.crisis_probability(v) for v in vectors]
        best = int(np.argmax(scores))
        model = scores[best]
        quick = None
        p = model
        words = len(_WORD.findall(text))
        if self.quick is not None and self.blend is not None:
            quick = self.quick.probability(text)
            p = self.blend.combine(quick, model, words)
        level = self._level(p, model, words)
        categories: tuple[Category, ...] = ()
        if level > Level.NONE:
            cat_p = 1.0 / (1.0 + np.exp(-(self._cat_w @ vectors[best] + self._cat_b)))
            chosen = [c for c, q in zip(self._categories, cat_p, strict=True) if q >= self.cat_threshold]
            categories = tuple(chosen) or (self._categories[int(np.argmax(cat_p))],)
        if quick is None:
            return Opinion(p, level, categories, len(vectors))
        return Opinion(p, level, categories, len(vectors), model=model, quick=quick)

    def review(self, text: str, detection: Detection) -> Detection:
        """``detection`` after the models' read of ``text``: raised, cleared, or left as it was."""
        return self.review_many([(text, detection)])[0]

    def review_many(self, items: Sequence[tuple[str, Detection]]) -> list[Detection]:
        """:meth:`review` of several messages, in order; the sentence model reads all their windows in one
        batch (a busy server's backlog costs less a message). Each verdict is the one :meth:`review` gives
        that message alone: batching changes the embeddings by float rounding only."""
        results = [detection for _, detection in items]
        reads: list[tuple[int, list[str]]] = []
        for i, (text, detection) in enumerate(items):
            if not self.wanted(text, detection):
                continue
            settled = self.not_about_writer(text, detection) or self.settled_by_quick_read(text, detection)
            if settled is not None:
                results[i] = settled
            else:
                reads.append((i, self.windows(plain_words(text))))
        if not reads:
            return results
        vectors = self.encoder.encode_many([w for _, windows in reads for w in windows])
        start = 0
        for i, windows in reads:
            text, detection = items[i]
            results[i] = self.decide(detection, self._opinion_of(text, vectors[start : start + len(windows)]), text)
            start += len(windows)
        return results

    def not_about_writer(self, text: str, detection: Detection) -> Detection | None:
        """None, or ``detection`` cleared when it rests on a bare topic word ("suicidal", "suicide") and no
        sentence that says it is about the writer (:mod:`bot.crisis.mentions`): news, talk about others,
        advice to everyone. Only with a blend (the shipped pipeline), and for the verdicts it may clear."""
        if not detection.topic_only or self.blend is None or self.blend.mention_clear is None:
            return None
        if self.clear_bar(detection) is None or about_writer(plain_words(text)):
            return None
        note = "a topic word in sentences about someone else or no one in particular -> none"
        return Detection(Level.NONE, (), (*detection.evidence, note))

    def settled_by_quick_read(self, text: str, detection: Detection) -> Detection | None:
        """The verdict when the quick read alone decides it, else None (the sentence model must read).

        The blend moves one way with the sentence model's probability, and every rule after it moves with
        the blend, so the model's two extremes bound what it could do. When both give the same outcome
        (clear the lexicon's match, or keep its verdict as it is), the model cannot change the verdict and
        its milliseconds are saved: chat full of crisis words the quick read is sure about ("this exam is
        killing me"), and crisis posts the lexicon and the quick read already agree on.
        """
        if self.quick is None or self.blend is None:
            return None
        quick = self.quick.probability(text)
        words = len(_WORD.findall(text))
        outcomes = {self._outcome(text, detection, quick, model, words) for model in (1 - SURE, SURE)}
        if len(outcomes) != 1:
            return None
        outcome = outcomes.pop()
        if outcome == "clear":
            note = f"quick read: {quick:.2f}, everyday talk whatever the sentence model reads -> none"
            return Detection(Level.NONE, (), (*detection.evidence, note))
        if outcome == "keep":
            return detection
        return None

    def _outcome(self, text: str, detection: Detection, quick: float, model: float, words: int) -> str:
        """What :meth:`decide` would do with these probabilities: "clear", "keep" or "raise"."""
        assert self.blend is not None
        p = self.blend.combine(quick, model, words)
        bar = self.clear_bar(detection, text)
        if detection.detected and bar is not None and p < bar:
            return "clear"
        return "keep" if self._level(p, model, words) <= detection.level else "raise"

    def _level(self, p: float, model: float, words: int) -> Level:
        """The level the (blended) probability ``p`` means; with a blend, a sure sentence model alone raises a
        short message to concern (:attr:`Blend.model_alone`)."""
        level = Level.HIGH if p >= self.high_threshold else Level.CONCERN if p >= self.threshold else Level.NONE
        blend = self.blend
        if level == Level.NONE and blend is not None and blend.model_alone is not None:
            short = words < blend.long_words
            return Level.CONCERN if short and model >= blend.model_alone else level
        return level

    def decide(self, detection: Detection, opinion: Opinion, text: str = "") -> Detection:
        """``detection`` raised, cleared or kept by ``opinion`` (for a message ``text`` :meth:`wanted` let
        through)."""
        clear = self.clear_bar(detection, text)
        if detection.detected and clear is not None and opinion.probability < clear:
            note = f"{opinion.evidence()} < {clear:.2f}: reads as everyday talk -> none"
            return Detection(Level.NONE, (), (*detection.evidence, note))
        if opinion.level <= detection.level:
            if opinion.level > Level.NONE:  # agreed: say so, it helps moderators trust the verdict
                return Detection(detection.level, detection.categories, (*detection.evidence, opinion.evidence()))
            return detection
        categories = tuple(dict.fromkeys((*detection.categories, *opinion.categories)))
        return Detection(opinion.level, categories, (*detection.evidence, opinion.evidence()))


def load_second_opinion(
    encoder: SentenceEncoder,
    heads_path: Path = DEFAULT_HEADS,
    quick: QuickRead | None = None,
    blend_path: Path = DEFAULT_BLEND,
) -> SecondOpinion:
    """The shipped heads on ``encoder``; with ``quick``, blended as ``blend_path`` says (its thresholds then
    replace the heads' own, which are the sentence model's alone)."""
    blend: Blend | None = None
    thresholds: dict[str, float] = {}
    if quick is not None and blend_path.exists():
        blend, thresholds = load_blend(blend_path)
    with np.load(heads_path) as heads:
        stored = {k: float(heads[k]) for k in ("threshold", "high_threshold", "clear_threshold") if k in heads}
        stored.update(thresholds)
        return SecondOpinion(
            encoder,
            heads["crisis_w"],
            float(heads["crisis_b"]),
            heads["cat_w"],
            heads["cat_b"],
            tuple(Category(str(c)) for c in heads["categories"]),
            stored["threshold"],
            stored["high_threshold"],
            stored.get("clear_threshold"),
            float(heads["cat_threshold"]) if "cat_threshold" in heads else 0.5,
            quick=quick,
            blend=blend,
        )


@cache
def default_second_opinion() -> SecondOpinion | None:
    """The shipped second opinion, loaded once; None when its files are missing (the lexicon still works).

    Without the quick read's file the sentence model reads every message the lexicon leaves it, unblended.
    """
    encoder = default_encoder()
    if encoder is None or not DEFAULT_HEADS.exists():
        return None
    return load_second_opinion(encoder, quick=default_quick_read())

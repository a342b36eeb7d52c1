"""The second opinion: a fine-tuned sentence model reads the message after the lexicon.

The lexicon is fast and explainable but only knows the phrasings it was written for: on fresh phrasing it
misses many crisis posts, and it cannot tell "kms i forgot my lunch" or "who wants to die in ranked" from a
cry for help (``tests/crisis/README.md``, round 6). This layer embeds the message with all-MiniLM-L6-v2,
fine-tuned on the labelled sets (:mod:`bot.crisis.encoder`, ``scripts/finetune_crisis_model.py``), and reads
a crisis head and one head per category off the embedding. Then:

- it **raises** a verdict the lexicon left at none or concern when the crisis head passes its threshold
  (concern; high above the high threshold), adding its categories;
- it **clears** a lexicon verdict below imminent when the crisis head is far below it
  (``clear_threshold``): the message reads as everyday talk ("gonna unalive this whole pizza"). The
  lexicon's matches stay in the evidence, so ``/crisis test`` shows what was found and why it was let be;
- it never clears a verdict naming overdose or self-harm (:data:`NEVER_CLEARED`), and never touches an
  imminent verdict (a plan, means or goodbye with ideation), a term the server's moderators added, or a
  message of fewer than three words ("kms" alone stays the lexicon's call).

The lexicon's context rules still only lower, never hide; clearing is the model's separate judgement of the
whole message, measured on held-out sets before it was turned on (README, round 6).

Cost: a few milliseconds for a chat message, tens for a long post, so it never runs on the event loop:
:meth:`SecondOpinion.wanted` is a cheap gate and the bot runs the model itself in a worker thread
(``cogs/crisis``). If the model fails or is switched off, the lexicon's verdict stands.

Long posts are read in windows of a few sentences (at most :data:`WINDOW_TOKENS` wordpieces each) and the
most worrying window counts, because a risk buried in the middle of a long vent is what readers miss too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .encoder import SentenceEncoder, default_encoder
from .models import Category, Detection, Level

DATA = Path(__file__).resolve().parents[2] / "data" / "crisis"
DEFAULT_HEADS = DATA / "encoder_heads.npz"

WINDOW_TOKENS = 96
# Verdicts at or above this level are never reviewed: a plan, means or goodbye with ideation is answered at
# once, whatever the model thinks.
KEPT = Level.IMMINENT
# Verdicts naming these are never cleared: they usually report an act or the means ("took 20", "cutting
# again"), and the model misreads them when the tone is casual ("haha i've been cutting again, anyway...").
NEVER_CLEARED = frozenset({Category.OVERDOSE, Category.SELF_HARM})
MAX_WINDOWS = 8  # a 700-word post; past that, the first windows are read (and the lexicon reads it all)
_MIN_WORDS = 3
# Evasive spellings of crisis words the model cannot know: they split into meaningless wordpieces, and it
# read "sewer slide is looking real good rn" as everyday talk. The model reads the plain word instead. Only
# spellings with no everyday sense: "kms", "unalive" and "sudoku" stay, as the model learned them in context.
_EVASIONS = {
    "sewerslide": "suicide",
    "suwuicide": "suicide",
    "suicde": "suicide",
    "sucide": "suicide",
    "suiside": "suicide",
    "sucidal": "suicidal",
    "suicidel": "suicidal",
    "suisidal": "suicidal",
    "suicidial": "suicidal",
    "selfharm": "self harm",
    "selfharming": "self harming",
}
_EVASION = re.compile(r"\b(?:sewer[\s-]+slide|" + "|".join(_EVASIONS) + r")\b", re.IGNORECASE)


def plain_words(text: str) -> str:
    """``text`` with evasive spellings of crisis words replaced by the words themselves, for the model."""
    return _EVASION.sub(lambda m: _EVASIONS.get(re.sub(r"[\s-]+", "", m.group(0).lower()), "suicide"), text)


_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


@dataclass(frozen=True, slots=True)
class Opinion:
    """What the sentence model thought: the crisis probability of the most worrying window, and categories."""

    probability: float
    level: Level
    categories: tuple[Category, ...]
    windows: int

    def evidence(self) -> str:
        """One line for the detection's evidence."""
        return f"sentence model: {self.probability:.2f} ({self.windows} window{'s' if self.windows != 1 else ''})"


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

    def wanted(self, text: str, detection: Detection) -> bool:
        """Cheap gate: is a second opinion worth the model's milliseconds for this verdict?

        Never for imminent verdicts or a server's own terms (nothing the model says changes them), never for
        fewer than :data:`_MIN_WORDS` words ("kms" alone stays the lexicon's call); otherwise yes while the
        model could still raise the verdict (none or concern) or clear it (high, if :meth:`clearable`).
        """
        if detection.level >= KEPT or detection.server_term:
            return False
        if detection.level >= Level.HIGH and not self.clearable(detection):
            return False
        return len(_WORD.findall(text)) >= _MIN_WORDS

    def clearable(self, detection: Detection) -> bool:
        """True when the model may clear ``detection``: clearing is on, and it names no overdose or self-harm."""
        return (
            self.clear_threshold is not None
            and detection.level < KEPT
            and not detection.server_term
            and NEVER_CLEARED.isdisjoint(detection.categories)
        )

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
        """Read ``text``: the most worrying window's probability, the level it means, and its categories."""
        windows = self.windows(plain_words(text))
        vectors = [self.encoder.encode(w) for w in windows]
        scores = [self.crisis_probability(v) for v in vectors]
        best = int(np.argmax(scores))
        p = scores[best]
        level = Level.HIGH if p >= self.high_threshold else Level.CONCERN if p >= self.threshold else Level.NONE
        categories: tuple[Category, ...] = ()
        if level > Level.NONE:
            cat_p = 1.0 / (1.0 + np.exp(-(self._cat_w @ vectors[best] + self._cat_b)))
            chosen = [c for c, q in zip(self._categories, cat_p, strict=True) if q >= self.cat_threshold]
            categories = tuple(chosen) or (self._categories[int(np.argmax(cat_p))],)
        return Opinion(p, level, categories, len(windows))

    def review(self, text: str, detection: Detection) -> Detection:
        """``detection`` after the sentence model's read of ``text``: raised, cleared, or left as it was."""
        if not self.wanted(text, detection):
            return detection
        opinion = self.opinion(text)
        clear = self.clear_threshold
        if detection.detected and clear is not None and self.clearable(detection) and opinion.probability < clear:
            note = f"{opinion.evidence()} < {clear:.2f}: reads as everyday talk -> none"
            return Detection(Level.NONE, (), (*detection.evidence, note))
        if opinion.level <= detection.level:
            if opinion.level > Level.NONE:  # agreed: say so, it helps moderators trust the verdict
                return Detection(detection.level, detection.categories, (*detection.evidence, opinion.evidence()))
            return detection
        categories = tuple(dict.fromkeys((*detection.categories, *opinion.categories)))
        return Detection(opinion.level, categories, (*detection.evidence, opinion.evidence()))


def load_second_opinion(encoder: SentenceEncoder, heads_path: Path = DEFAULT_HEADS) -> SecondOpinion:
    """The shipped heads on ``encoder``."""
    with np.load(heads_path) as heads:
        return SecondOpinion(
            encoder,
            heads["crisis_w"],
            float(heads["crisis_b"]),
            heads["cat_w"],
            heads["cat_b"],
            tuple(Category(str(c)) for c in heads["categories"]),
            float(heads["threshold"]),
            float(heads["high_threshold"]),
            float(heads["clear_threshold"]) if "clear_threshold" in heads else None,
            float(heads["cat_threshold"]) if "cat_threshold" in heads else 0.5,
        )


@cache
def default_second_opinion() -> SecondOpinion | None:
    """The shipped second opinion, loaded once; None when its files are missing (the lexicon still works)."""
    encoder = default_encoder()
    if encoder is None or not DEFAULT_HEADS.exists():
        return None
    return load_second_opinion(encoder)

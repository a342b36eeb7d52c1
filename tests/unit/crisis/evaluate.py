"""Precision/recall of the crisis detector on the hand-labelled sets.

Run ``python -m tests.unit.crisis.evaluate [--errors] [--fast] [FILE ...]`` from the repo root to print the figures
(and misses). "detected" means level above none. By default each message gets what the bot does: the lexicon,
then the sentence model's second opinion; ``--fast`` measures the lexicon alone.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.crisis import Category, Detection, Detector, load_default_detector
from bot.crisis.second_opinion import SecondOpinion, default_second_opinion
from tests.paths import CRISIS_SETS

DEV_SET = CRISIS_SETS / "labelled.jsonl"
ALL_SETS = sorted(CRISIS_SETS.glob("*.jsonl"))


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message."""

    text: str
    crisis: bool
    categories: frozenset[Category]


@dataclass(slots=True)
class Scores:
    """Counts for a binary decision, with the derived rates."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of alerts that were right (1.0 when there were none)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of crisis messages that were caught (1.0 when there were none)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def false_alarm_rate(self) -> float:
        """Share of non-crisis messages that raised an alert."""
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0


def load(path: Path) -> list[Example]:
    """Read a JSONL labelled set."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Example(row["text"], bool(row["crisis"]), frozenset(map(Category, row["categories"]))))
    return out


Classify = Callable[[str], Detection]


def pipeline(detector: Detector | None = None, opinion: SecondOpinion | None = None) -> Classify:
    """What the bot does with a message: the lexicon, then (if given) the second opinion."""
    det = detector or load_default_detector()
    if opinion is None:
        return det.detect
    return lambda text: opinion.review(text, det.detect(text))


def full_pipeline() -> Classify:
    """The shipped lexicon plus the shipped second opinion (the lexicon alone if the model is missing)."""
    return pipeline(None, default_second_opinion())


def score(examples: list[Example], classify: Classify | None = None) -> tuple[Scores, dict[Category, Scores]]:
    """Overall scores (detected = level above none) and per-category scores.

    Per category, a message counts as predicted when the detection lists that category.
    """
    classify = classify or load_default_detector().detect
    overall = Scores()
    per_cat = {c: Scores() for c in Category}
    for ex in examples:
        det = classify(ex.text)
        hit = det.detected
        if ex.crisis and hit:
            overall.tp += 1
        elif ex.crisis:
            overall.fn += 1
            overall.misses.append(ex.text)
        elif hit:
            overall.fp += 1
            overall.false_alarms.append(f"{ex.text}  =>  {det.level.name} {list(det.evidence)}")
        else:
            overall.tn += 1
        for cat, s in per_cat.items():
            truth, pred = cat in ex.categories, cat in det.categories
            if truth and pred:
                s.tp += 1
            elif truth:
                s.fn += 1
                s.misses.append(f"{ex.text}  =>  {[str(c) for c in det.categories]}")
            elif pred:
                s.fp += 1
                s.false_alarms.append(ex.text)
            else:
                s.tn += 1
    return overall, per_cat


def check_floors(overall: Scores, floors: tuple[float, float, float]) -> None:
    """Assert ``overall`` meets ``floors``: (least recall, most false alarms, least precision), naming the misses."""
    min_recall, max_false_alarms, min_precision = floors
    assert overall.recall >= min_recall, f"recall {overall.recall:.3f}; missed: {overall.misses}"
    assert overall.false_alarm_rate <= max_false_alarms, (
        f"false alarms {overall.false_alarm_rate:.3f}: {overall.false_alarms}"
    )
    assert overall.precision >= min_precision, f"precision {overall.precision:.3f}"


def check_category_floors(category: Category, scores: Scores, floors: tuple[float, float]) -> None:
    """Assert one category's ``scores`` meet ``floors``: (least recall, least precision), naming the misses."""
    min_recall, min_precision = floors
    assert scores.recall >= min_recall, f"{category} recall {scores.recall:.3f}: {scores.misses}"
    assert scores.precision >= min_precision, f"{category} precision {scores.precision:.3f}"


def _report(name: str, examples: list[Example], errors: bool, classify: Classify) -> None:
    overall, per_cat = score(examples, classify)
    n_crisis = sum(e.crisis for e in examples)
    print(f"== {name}: {len(examples)} messages, {n_crisis} crisis")
    print(
        f"overall  precision {overall.precision:.3f}  recall {overall.recall:.3f}  "
        f"false alarms {overall.false_alarm_rate:.3f}  (tp {overall.tp} fp {overall.fp} fn {overall.fn})"
    )
    for cat, s in per_cat.items():
        print(f"  {cat:<18} precision {s.precision:.3f}  recall {s.recall:.3f}  (tp {s.tp} fp {s.fp} fn {s.fn})")
    if errors:
        for text in overall.misses:
            print("  MISS ", text)
        for text in overall.false_alarms:
            print("  FALSE", text)
        for cat, s in per_cat.items():
            for text in s.misses:
                print(f"  CAT-MISS {cat}: {text}")


def main() -> None:
    """Print figures for the given sets, or for every set in this folder."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, help="JSONL sets (default: every set here)")
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    parser.add_argument("--fast", action="store_true", help="the lexicon alone, without the second opinion")
    args = parser.parse_args()
    classify = load_default_detector().detect if args.fast else full_pipeline()
    files = args.files or [DEV_SET, *(p for p in ALL_SETS if p != DEV_SET)]
    for path in files:
        _report(path.name, load(path), args.errors, classify)


if __name__ == "__main__":
    main()

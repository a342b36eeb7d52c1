"""Precision/recall of the other languages' word lists on their hand-written sets.

Run ``python -m tests.unit.crisis.evaluate_languages [--errors] [LANG ...]`` from the repo root. Each language
has ``tests/data/crisis/<lang>/dev.jsonl`` (the word list was tuned on it) and ``blind.jsonl`` (written before
its first measurement, never tuned on); both are in the English sets' format. The detector is the bot's
first stage with every shipped language (the English models never review another language's verdict, so for
these messages this is what the bot does, except that the English models may still raise a message no list
matched; ``--pipeline`` measures that too). "language right" counts the detected crisis messages whose
verdict names the set's language, the language the answer would be given in.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.crisis import load_default_detector
from bot.crisis.languages import DETECTION_LANGUAGES
from tests.paths import CRISIS_SETS

from .evaluate import Classify, full_pipeline, load, score

LANGUAGES = tuple(lang.code for lang in DETECTION_LANGUAGES if lang.code != "en")
SET_NAMES = ("dev.jsonl", "blind.jsonl", "blind2.jsonl")


def language_sets(code: str) -> list[Path]:
    """The written sets of one language, development set first."""
    return [CRISIS_SETS / code / name for name in SET_NAMES if (CRISIS_SETS / code / name).exists()]


def language_right(code: str, path: Path, classify: Classify) -> tuple[int, int]:
    """(detected crisis messages whose verdict names ``code``, detected crisis messages)."""
    right = total = 0
    for ex in load(path):
        if ex.crisis:
            det = classify(ex.text)
            if det.detected:
                total += 1
                right += det.language == code
    return right, total


def main() -> None:
    """Print figures per language and set, overall and per category."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("languages", nargs="*", default=list(LANGUAGES), help="language codes (default: all)")
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    parser.add_argument("--pipeline", action="store_true", help="the word lists, then the English models")
    args = parser.parse_args()
    classify = full_pipeline() if args.pipeline else load_default_detector().detect
    for code in args.languages:
        for path in language_sets(code):
            examples = load(path)
            overall, per_cat = score(examples, classify)
            right, total = language_right(code, path, classify)
            print(f"== {code}/{path.name}: {len(examples)} messages, {sum(e.crisis for e in examples)} crisis")
            print(
                f"overall  precision {overall.precision:.3f}  recall {overall.recall:.3f}  false alarms "
                f"{overall.false_alarm_rate:.3f}  (tp {overall.tp} fp {overall.fp} fn {overall.fn})  "
                f"language right {right}/{total}"
            )
            for cat, s in per_cat.items():
                print(
                    f"  {cat:<18} precision {s.precision:.3f}  recall {s.recall:.3f}  (tp {s.tp} fp {s.fp} fn {s.fn})"
                )
            if args.errors:
                for text in overall.misses:
                    print("  MISS ", text)
                for text in overall.false_alarms:
                    print("  FALSE", text)


if __name__ == "__main__":
    main()

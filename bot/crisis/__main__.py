"""``python -m bot.crisis``: classify one message per line of stdin, print one JSON object per line.

Moderators can try a word list before adding it with ``/crisis terms add``::

    python -m bot.crisis --extra-terms terms.json < messages.txt

where ``terms.json`` is a JSON list of ``{"term": ..., "category": ..., "level": ...}``.

Each line gets what the bot does: the lexicon, then the sentence model's second opinion, which may raise or
clear a verdict below imminent (a few milliseconds a line). ``--fast`` skips the second opinion.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from .detector import Detector, load_default_detector
from .models import Term
from .second_opinion import default_second_opinion


def load_terms(path: Path) -> list[Term]:
    """Read a JSON list of extra terms; raises ``ValueError`` with a readable message if malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read extra terms from {path}: {exc}") from exc
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of {{term, category, level}} objects")
    try:
        return [Term.from_dict(item) for item in data]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: bad extra term: {exc}") from exc


def main(argv: list[str] | None = None) -> int:
    """Run the command line tool; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m bot.crisis", description=__doc__.splitlines()[0])
    parser.add_argument("--extra-terms", type=Path, metavar="FILE", help="JSON list of {term, category, level}")
    parser.add_argument(
        "--fast", action="store_true", help="the lexicon only, without the sentence model's second opinion"
    )
    args = parser.parse_args(argv)

    detector: Detector = load_default_detector()
    opinion = None if args.fast else default_second_opinion()
    if args.extra_terms is not None:
        try:
            detector = detector.with_extra_terms(load_terms(args.extra_terms))
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    # Read bytes and decode leniently: one bad byte in a pasted log must not stop the run.
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline=None)
    out = sys.stdout
    for line in stdin:
        text = line.rstrip("\n")
        detection = detector.detect(text)
        if opinion is not None:
            detection = opinion.review(text, detection)
        out.write(json.dumps(detection.to_dict(), ensure_ascii=False) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Measure the crisis detector on the real-post corpus, per source, against the naive keyword baseline.

The posts are not in git (``scripts/build_crisis_corpus.py`` rebuilds them), so this runs from here, not in
CI. It prints, for the chosen split, precision, recall and false alarms of:

- a naive keyword regex (the obvious phrases: the baseline the issue compares against);
- the lexicon alone (``python -m bot.crisis --fast``);
- the whole pipeline the bot runs (lexicon, quick read, sentence model: ``python -m bot.crisis``);

per source and group, for the posts that mention suicide, and at each level (``--min-level high`` counts only
high and above). ``rmhd_venting`` (mental-health support forums, unlabelled per post) is reported as an
alarm rate only. ``--scores FILE`` saves each text's raw scores for threshold work (dev split only: the test
split must never be tuned on).

    python scripts/evaluate_crisis_real.py --split test
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from crisis_training_data import FRESH, real_rows, written_rows  # type: ignore[import-not-found]  # noqa: E402

from bot.crisis import Detection, Level, load_default_detector  # noqa: E402
from bot.crisis.encoder import default_encoder  # noqa: E402
from bot.crisis.mentions import about_writer, laughs  # noqa: E402
from bot.crisis.quick import default_quick_read  # noqa: E402
from bot.crisis.second_opinion import (  # noqa: E402
    _MIN_WORDS,
    _WORD,
    SecondOpinion,
    agreed_only,
    default_second_opinion,
    load_second_opinion,
    plain_words,
)

# The obvious phrases a first attempt would list (shared/guide/crisis-safety.md).
NAIVE = re.compile(
    r"\b(?:suicid\w*|kill(?:ing)? myself|want(?:ing)? to die|wanna die|kms|unalive|self[- ]?harm\w*|overdos\w*|"
    r"end(?:ing)? (?:my|it) (?:life|all))\b",
    re.IGNORECASE,
)
MENTIONS_SUICIDE = re.compile(r"suicid", re.IGNORECASE)


def rates(pred: np.ndarray, truth: np.ndarray) -> str:
    """Precision, recall and false-alarm rate as one line (n/a where undefined)."""
    tp = int((pred & truth).sum())
    fp = int((pred & ~truth).sum())
    fn = int((~pred & truth).sum())
    tn = int((~pred & ~truth).sum())
    p = f"{tp / (tp + fp):.3f}" if tp + fp else "n/a"
    r = f"{tp / (tp + fn):.3f}" if tp + fn else "n/a"
    fa = f"{fp / (fp + tn):.3f}" if fp + tn else "n/a"
    return f"P {p}  R {r}  FA {fa}  (tp {tp} fp {fp} fn {fn} tn {tn})"


def reads(opinion: SecondOpinion, text: str, detection: Detection) -> bool:
    """Whether the models read ``text``: what the bot reads, plus (for raw scores) what the quick read's gate
    let pass, so the gate itself can be tuned."""
    if opinion.wanted(text, detection):
        return True
    gate_only = opinion.quick is None or detection.level != Level.NONE
    return not gate_only and len(_WORD.findall(text)) >= _MIN_WORDS


def select_rows(split: str, *, written: bool = False, sample: int = 3000) -> list[dict[str, object]]:
    """The rows measured, in a fixed order: a split of the real corpus (at most ``sample`` texts of each
    everyday source, a fixed random sample), or with ``written`` every written set (each set a source)."""
    if written:
        rows = [
            {**r, "source": r["set"], "group": "fresh" if r["set"] in FRESH else "training"}
            for fresh in (False, True)
            for r in written_rows(fresh=fresh)
        ]
    else:
        rows = real_rows(split)
    rng = random.Random(0)
    by_source: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in rows:
        by_source[str(r["source"])].append(r)
    chosen: list[dict[str, object]] = []
    for source, group in sorted(by_source.items()):
        if source in ("goemotions", "tweeteval") and len(group) > sample:
            group = rng.sample(group, sample)
        chosen.extend(group)
    return chosen


def main() -> None:
    """Classify the split with each pipeline and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument(
        "--written", action="store_true", help="measure the written sets instead (each set is one source)"
    )
    parser.add_argument("--min-level", default="concern", help="lowest level that counts as detected")
    parser.add_argument("--sample", type=int, default=3000, help="at most this many texts per everyday source")
    parser.add_argument("--scores", type=Path, help="save raw scores (.npz) for threshold work (dev only)")
    parser.add_argument("--only", help="measure this source alone")
    parser.add_argument(
        "--lexicon-only", action="store_true", help="skip the models (fast; enough for fit_blend.py's --scores)"
    )
    parser.add_argument(
        "--heads", type=Path, help="measure with these sentence-model heads alone, without the quick read"
    )
    args = parser.parse_args()
    if args.scores and args.split != "dev" and not args.written:
        raise SystemExit("--scores is for the dev split only: never tune on test")

    chosen = select_rows(args.split, written=args.written, sample=args.sample)
    if args.only:
        chosen = [r for r in chosen if r["source"] == args.only]
    texts = [str(r["text"]) for r in chosen]
    truth = np.array([bool(r["crisis"]) for r in chosen])
    source = np.array([str(r["source"]) for r in chosen])
    group_names = np.array([f"{r['source']}/{r['group']}" for r in chosen])

    detector = load_default_detector()
    opinion = None if args.lexicon_only else default_second_opinion()
    if args.heads is not None:  # e.g. an earlier encoder_heads.npz, to compare with what shipped before
        encoder = default_encoder()
        opinion = load_second_opinion(encoder, args.heads) if encoder is not None else None
    floor = Level.parse(args.min_level)
    start = time.perf_counter()
    lexicon = [detector.detect(t) for t in texts]
    # Each text is read by the models once; the verdict and the raw scores both come from that read.
    opinions = [
        opinion.opinion(t) if opinion is not None and reads(opinion, t, d) else None
        for t, d in zip(texts, lexicon, strict=True)
    ]
    full = [
        opinion.not_about_writer(t, d) or opinion.decide(d, o, t)
        if opinion is not None and o is not None and opinion.wanted(t, d)
        else d
        for t, d, o in zip(texts, lexicon, opinions, strict=True)
    ]
    took = time.perf_counter() - start
    preds = {
        "naive keywords": np.array([bool(NAIVE.search(t)) for t in texts]),
        "lexicon alone": np.array([d.level >= floor for d in lexicon]),
        "pipeline": np.array([d.level >= floor for d in full]),
    }
    print(f"{args.split}: {len(texts)} texts, {int(truth.sum())} crisis; pipeline {took:.0f} s")
    masks = {"all": np.ones(len(texts), bool)}
    for name in sorted(set(source)):
        masks[name] = source == name
    masks["tweets mentioning suicide"] = np.isin(source, ["twitter_intent", "twitter_ideation"]) & np.array(
        [bool(MENTIONS_SUICIDE.search(t)) for t in texts]
    )
    for name in sorted(set(group_names)):
        if name.startswith(("rmhd", "tweeteval")):
            masks[name] = group_names == name
    for label, mask in masks.items():
        if not mask.any():
            continue
        print(f"== {label}: {int(mask.sum())} texts, {int(truth[mask].sum())} crisis")
        for pname, pred in preds.items():
            print(f"  {pname:<16} {rates(pred[mask], truth[mask])}")
    print("== levels of the pipeline's verdicts")
    for level in Level:
        got = np.array([d.level == level for d in full])
        print(f"  {level.name:<9} crisis {int((got & truth).sum()):>5}  not {int((got & ~truth).sum()):>5}")
    if args.scores:
        quick = default_quick_read()
        np.savez(
            args.scores,
            truth=truth,
            source=source,
            group=group_names,
            lexicon=np.array([int(d.level) for d in lexicon]),
            full=np.array([int(d.level) for d in full]),
            quick=np.array([quick.probability(t) if quick else np.nan for t in texts]),
            model=np.array([o.model if o and o.model is not None else o.probability if o else 0.0 for o in opinions]),
            short=np.array([len(_WORD.findall(t)) < _MIN_WORDS for t in texts]),
            never_cleared=np.array([agreed_only(d) for d in lexicon]),
            topic_only=np.array([d.topic_only for d in lexicon]),
            about_writer=np.array([about_writer(plain_words(t)) for t in texts]),
            laughs=np.array([laughs(t) for t in texts]),
        )


if __name__ == "__main__":
    main()

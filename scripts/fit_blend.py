"""Fit how the quick read and the sentence model are blended, and the pipeline's thresholds; write blend.json.

Inputs, all for the real corpus's ``dev`` split (neither model trained on it; ``test`` is never read here):

- ``--scores``: the lexicon's verdicts (``scripts/evaluate_crisis_real.py --split dev --scores FILE``);
- ``--emb``: the sentence model's window embeddings (``scripts/embed_crisis_windows.py --rows dev``), read
  with the shipped crisis head as the bot reads them (the most worrying window);
- the quick read's probabilities, computed here from the texts with the shipped ``quick_model.npz``.

``--written-scores`` and ``--written-emb`` (the same for ``--rows written``) add the written sets: the training
ones constrain the choice (recall at least ``--min-written-recall``, so the pipeline keeps knowing the
community's own phrasing), the fresh ones (``indep_mixed``, ``indep_social``) are only reported.

1. The blend: for short messages and for long posts (``--long-words``) separately, logistic regression of the
   label on (logit quick, logit model), classes weighted equally.
2. The thresholds stay at concern 0.7, high 0.95, clear 0.3, the gate at 0.05, the sentence model alone
   raising a short message at 0.93, both models clearing overdose or self-harm below 0.05, and a bare
   topic word about the writer cleared below 0.45 (one not about the writer always is; each
   measured on dev and the written training sets, never on the fresh ones); the two regimes' biases
   are shifted over a grid, simulating what the bot does (:meth:`bot.crisis.second_opinion.SecondOpinion.review`).
   The chosen point has the lowest mean false-alarm rate over the everyday sources among those with recall
   at least ``--min-recall`` on both the forum crisis posts (:data:`CRISIS_PARTS`) and the intent tweets,
   and that keep every written training set's CI floor (``tests/data/crisis/floors.toml``).

    /tmp/distill/bin/python scripts/fit_blend.py --scores /tmp/dev.npz --emb /tmp/emb_dev.npz \\
        --written-scores /tmp/written.npz --written-emb /tmp/emb_written.npz
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from crisis_training_data import FORUM_SOURCES, FRESH  # type: ignore[import-not-found]  # noqa: E402
from evaluate_crisis_real import select_rows  # type: ignore[import-not-found]  # noqa: E402
from fit_crisis_head import most_worrying  # type: ignore[import-not-found]  # noqa: E402

from bot.crisis.blend import DEFAULT_BLEND  # noqa: E402
from bot.crisis.quick import default_quick_read  # noqa: E402
from bot.crisis.second_opinion import _WORD, DEFAULT_HEADS  # noqa: E402
from tests.unit.crisis.floors import SetFloors, set_floors  # noqa: E402

GATE = 0.05
THRESHOLD = 0.7
HIGH = 0.95
CLEAR = 0.3
MODEL_ALONE = 0.93
AGREED_CLEAR = 0.05
# A verdict resting on a bare topic word about the writer ("i'm suicidal") is cleared below this (chosen on
# dev: the highest bar on a 0.05 grid that clears no dev crisis post the about-the-writer rule keeps).
MENTION_CLEAR = 0.45
# The tweets that all say "suicidal" count among them: their everyday mentions are the false alarms hardest to
# avoid.
EVERYDAY_SOURCES = ("goemotions", "tweeteval", "rmhd", "twitter_intent", "twitter_ideation", "suicidal_mentions")
# Recall is held on each part: the forum posts of both forum sources together, and the intent tweets.
CRISIS_PARTS = {"forum": FORUM_SOURCES, "intent tweets": ("twitter_intent",)}


def written_floor_misses(
    written: dict[str, np.ndarray], final: np.ndarray, floors: dict[str, SetFloors], slack: int = 0
) -> list[str]:
    """The written training sets whose pipeline floor (recall, false alarms, precision) ``final`` misses by
    more than ``slack`` texts (the floors sit within a text of what the shipped models measured, so a
    refitted model can cross one by a single text either way). A point must keep them all, so that no tuning on
    real posts makes the written sets worse; the fresh sets' floors are only reported."""
    misses = []
    for name, (min_recall, max_fa, min_precision) in floors.items():
        stem = name.removesuffix(".jsonl")
        mask = written["source"] == stem
        if stem in FRESH or not mask.any():
            continue
        truth = written["truth"].astype(bool)[mask]
        pred = final[mask] > 0
        tp, fp = int((pred & truth).sum()), int((pred & ~truth).sum())
        if (
            tp + slack < min_recall * truth.sum()
            or fp - slack > max_fa * (~truth).sum()
            or tp + slack < min_precision * (tp + fp)
        ):
            misses.append(stem)
    return misses


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def scores_for(scores_path: Path, emb_path: Path, *, written: bool) -> dict[str, np.ndarray]:
    """Lexicon verdicts, quick read, sentence model and word counts for each selected text, in one order."""
    with np.load(scores_path) as data:
        scores = {k: data[k] for k in data.files}
    rows = select_rows("dev", written=written)
    assert len(rows) == len(scores["truth"]), "the scores file is for another selection"
    quick = default_quick_read()
    assert quick is not None
    with np.load(DEFAULT_HEADS) as heads:
        w, b = heads["crisis_w"], float(heads["crisis_b"])
    scores["quick"] = np.array([quick.probability(str(r["text"])) for r in rows])
    scores["model"] = most_worrying(dict(np.load(emb_path)), w, b)
    scores["words"] = np.array([len(_WORD.findall(str(r["text"]))) for r in rows])
    return scores


def blended(scores: dict[str, np.ndarray], params: dict[str, object]) -> np.ndarray:
    """The blend's probability for every text."""
    long = scores["words"] >= int(params["long_words"])  # type: ignore[call-overload]
    z = np.zeros(len(long))
    for regime, mask in (("short", ~long), ("long", long)):
        w = params[regime]
        assert isinstance(w, dict)
        z[mask] = w["quick"] * logit(scores["quick"][mask]) + w["model"] * logit(scores["model"][mask]) + w["bias"]
    return 1 / (1 + np.exp(-z))


def simulate(scores: dict[str, np.ndarray], params: dict[str, object]) -> np.ndarray:
    """The pipeline's final level for each text (``SecondOpinion.review``, vectorised)."""
    level = scores["lexicon"].astype(int)
    never = scores["never_cleared"].astype(bool)
    s = blended(scores, params)
    final = level.copy()
    reviewable = (level < 3) & ~scores["short"].astype(bool)
    ran = reviewable & ~((level == 0) & (scores["quick"] < float(params["gate"])))  # type: ignore[arg-type]
    clear = float(params["clear_threshold"])  # type: ignore[arg-type]
    mention = params.get("mention_clear")
    topic = scores["topic_only"].astype(bool) if mention is not None else np.zeros(len(level), bool)
    if mention is not None:
        bar_topic = np.where(
            scores["laughs"].astype(bool),
            max(float(mention), clear, float(params["threshold"])),
            max(float(mention), clear),
        )  # type: ignore[arg-type]
        clear = np.where(topic, bar_topic, clear)  # type: ignore[assignment]
    bar = np.where(never, float(params["agreed_clear"]), clear)  # type: ignore[arg-type]
    cleared = ran & (level > 0) & ((s < bar) | (topic & ~never & ~scores["about_writer"].astype(bool)))
    final[cleared] = 0
    alone = ran & ~cleared & (scores["words"] < int(params["long_words"]))  # type: ignore[call-overload]
    alone &= scores["model"] >= float(params["model_alone"])  # type: ignore[arg-type]
    final[alone] = np.maximum(final[alone], 1)
    concern = ran & ~cleared & (s >= float(params["threshold"]))  # type: ignore[arg-type]
    high = ran & ~cleared & (s >= float(params["high_threshold"]))  # type: ignore[arg-type]
    final[concern] = np.maximum(final[concern], 1)
    final[high] = np.maximum(final[high], 2)
    return final


def rates(scores: dict[str, np.ndarray], final: np.ndarray, mask: np.ndarray) -> tuple[float, float]:
    """Recall on crisis texts and false-alarm rate on the rest, within ``mask``."""
    truth = scores["truth"].astype(bool)
    pred = final > 0
    pos, neg = truth & mask, ~truth & mask
    recall = float((pred & pos).sum() / pos.sum()) if pos.any() else float("nan")
    fa = float((pred & neg).sum() / neg.sum()) if neg.any() else float("nan")
    return recall, fa


def main() -> None:
    """Fit, search, print and write."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scores", type=Path, required=True)
    parser.add_argument("--emb", type=Path, required=True)
    parser.add_argument("--written-scores", type=Path)
    parser.add_argument("--written-emb", type=Path)
    parser.add_argument("--long-words", type=int, default=60)
    parser.add_argument("--min-recall", type=float, default=0.9)
    parser.add_argument("--min-written-recall", type=float, default=0.93)
    parser.add_argument(
        "--floor-slack", type=int, default=1, help="texts a written training set may fall short of its CI floor"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_BLEND)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()

    floors = set_floors("pipeline")
    dev = scores_for(args.scores, args.emb, written=False)
    keep = dev["source"] != "rmhd_venting"  # no per-post label: reported, never fitted on
    dev = {k: v[keep] for k, v in dev.items()}
    written = None
    if args.written_scores and args.written_emb:
        written = scores_for(args.written_scores, args.written_emb, written=True)
    truth = dev["truth"].astype(bool)
    long = dev["words"] >= args.long_words
    fitted: dict[str, dict[str, float]] = {}
    for regime, mask in (("short", ~long), ("long", long)):
        x = np.column_stack([logit(dev["quick"][mask]), logit(dev["model"][mask])])
        lr = LogisticRegression(class_weight="balanced", C=10.0).fit(x, truth[mask])
        fitted[regime] = {
            "quick": float(lr.coef_[0][0]),
            "model": float(lr.coef_[0][1]),
            "bias": float(lr.intercept_[0]),
        }
        print(f"{regime}: {fitted[regime]}")

    best: tuple[float, dict[str, object]] | None = None
    for short_shift in (0.0, -0.5, -1.0, -1.5, -2.0, -2.5):
        for long_shift in (-0.5, 0.0, 0.5, 1.0):
            params: dict[str, object] = {
                "gate": GATE,
                "long_words": args.long_words,
                "short": {**fitted["short"], "bias": fitted["short"]["bias"] + short_shift},
                "long": {**fitted["long"], "bias": fitted["long"]["bias"] + long_shift},
                "threshold": THRESHOLD,
                "high_threshold": HIGH,
                "clear_threshold": CLEAR,
                "model_alone": MODEL_ALONE,
                "agreed_clear": AGREED_CLEAR,
                "mention_clear": MENTION_CLEAR,
            }
            final = simulate(dev, params)
            per = {name: rates(dev, final, dev["source"] == name) for name in EVERYDAY_SOURCES}
            line = "  ".join(f"{n} {r:.3f}/{f:.3f}" for n, (r, f) in per.items())
            recall = {n: rates(dev, final, np.isin(dev["source"], srcs))[0] for n, srcs in CRISIS_PARTS.items()}
            line += "  | recall " + "  ".join(f"{n} {r:.3f}" for n, r in recall.items())
            ok = all(r >= args.min_recall for r in recall.values())
            if written is not None:
                wfinal = simulate(written, params)
                fresh = np.isin(written["source"], list(FRESH))
                w_train = rates(written, wfinal, ~fresh)
                w_fresh = rates(written, wfinal, fresh)
                line += (
                    f"  | written training {w_train[0]:.3f}/{w_train[1]:.3f}  fresh {w_fresh[0]:.3f}/{w_fresh[1]:.3f}"
                )
                misses = written_floor_misses(written, wfinal, floors, args.floor_slack)
                if misses:
                    line += f"  below floor: {' '.join(misses)}"
                ok = ok and w_train[0] >= args.min_written_recall and not misses
            everyday_fa = float(np.mean([per[name][1] for name in EVERYDAY_SOURCES]))
            print(f"shift short {short_shift:+.1f} long {long_shift:+.1f}: {line}  (R/FA){' ok' if ok else ''}")
            if ok and (best is None or everyday_fa < best[0]):
                best = (everyday_fa, params)
    if best is None:
        raise SystemExit("no point meets the recall constraints")
    result = best[1]
    for regime in ("short", "long"):
        part = result[regime]
        assert isinstance(part, dict)
        result[regime] = {k: round(float(v), 4) for k, v in part.items()}
    print("chosen:", json.dumps(result))
    if not args.dry_run:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

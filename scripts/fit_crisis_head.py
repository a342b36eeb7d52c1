"""Refit the sentence model's crisis head on real posts and the written sets; write it into encoder_heads.npz.

The encoder was fine-tuned on the written sets only, and its crisis head with it: on real posts it alarmed on
a fifth of everyday Reddit comments (``tests/data/crisis/README.md``). Fine-tuning the whole encoder on
tens of thousands of real posts takes hours on two CPU cores, so the encoder is kept and only the linear
head on its embedding is refitted, on window embeddings cached by ``scripts/embed_crisis_windows.py``:

- a crisis post contributes its first window (a title and opening, where real posts state the problem);
  an everyday post contributes every window (none of them is a crisis);
- tweets and comments, forum posts, tweets that mention suicide and the written sets each weigh in
  proportion to their number of windows, classes balanced within each (so the forum's posts weigh little;
  ``scripts/tune_top_layers.py`` weighs the parts the same);
- the regularisation C is chosen on the real ``dev`` split (average precision of the most worrying window).

The category heads and thresholds in the file are kept as they are.

    /tmp/distill/bin/python scripts/fit_crisis_head.py --train /tmp/emb_train.npz --dev /tmp/emb_dev.npz
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from crisis_training_data import FORUM_SOURCES, MENTION_SOURCES  # type: ignore[import-not-found]  # noqa: E402

from bot.crisis.second_opinion import DEFAULT_HEADS  # noqa: E402


def most_worrying(emb: dict[str, np.ndarray], w: np.ndarray, b: float) -> np.ndarray:
    """Each text's highest window probability under the head (w, b), as the bot reads it."""
    p = 1.0 / (1.0 + np.exp(-(emb["emb"].astype(np.float32) @ w + b)))
    out = np.zeros(len(emb["truth"]))
    np.maximum.at(out, emb["owner"], p)
    return out


# The training parts, each class-balanced within itself (:func:`parts` names each row's).
PARTS = ("short", "forum", "mentions", "written")


def parts(source: np.ndarray) -> np.ndarray:
    """Which part each source name belongs to: "written" (the written sets), "forum" (:data:`FORUM_SOURCES`),
    "mentions" (:data:`MENTION_SOURCES`) or "short"."""
    forum = np.isin(source, FORUM_SOURCES)
    mentions = np.isin(source, MENTION_SOURCES)
    part = np.where(forum, "forum", np.where(mentions, "mentions", "short"))
    return np.where(np.char.startswith(source, "written"), "written", part)


def training_windows(emb: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Window embeddings, labels and sample weights for the head."""
    owner = emb["owner"]
    first = np.r_[True, owner[1:] != owner[:-1]]
    truth = emb["truth"][owner]
    source = emb["source"][owner].astype(str)
    use = ~truth | first
    y = truth[use]
    part = parts(source[use])
    weights = np.zeros(len(y))
    for name in PARTS:
        mask = part == name
        for label in (True, False):
            cell = mask & (y == label)
            if cell.any():
                weights[cell] = mask.sum() / (2 * cell.sum())
    return emb["emb"][use].astype(np.float32), y, weights / weights.mean()


def main() -> None:
    """Fit, choose C on dev, write the head."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.metrics import average_precision_score, roc_auc_score  # type: ignore[import-untyped]

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, required=True, help="embed_crisis_windows.py --rows train output")
    parser.add_argument("--dev", type=Path, required=True, help="embed_crisis_windows.py --rows dev output")
    parser.add_argument("--c", type=float, nargs="*", default=[0.3, 1.0, 3.0, 10.0])
    parser.add_argument("--heads", type=Path, default=DEFAULT_HEADS)
    args = parser.parse_args()
    train = dict(np.load(args.train))
    dev = dict(np.load(args.dev))
    keep = dev["source"] != "rmhd_venting"
    x, y, w = training_windows(train)
    print(f"{len(y)} training windows ({int(y.sum())} crisis)", flush=True)
    best: tuple[float, float, np.ndarray, float] | None = None
    for c in args.c:
        model = LogisticRegression(C=c, max_iter=3000).fit(x, y, sample_weight=w)
        p = most_worrying(dev, model.coef_[0], float(model.intercept_[0]))[keep]
        ap = average_precision_score(dev["truth"][keep], p)
        print(f"C={c}: dev AUC {roc_auc_score(dev['truth'][keep], p):.4f} AP {ap:.4f}", flush=True)
        if best is None or ap > best[1]:
            best = (c, ap, model.coef_[0].astype(np.float32), float(model.intercept_[0]))
    assert best is not None
    c, _, coef, intercept = best
    with np.load(args.heads) as heads:
        stored = {k: heads[k] for k in heads.files}
    stored["crisis_w"] = coef
    stored["crisis_b"] = np.float32(intercept)
    np.savez(args.heads, **stored)
    print(f"chose C={c}; wrote the crisis head into {args.heads}")


if __name__ == "__main__":
    main()

"""Fit the quick read (``bot/crisis/quick.py``) on real posts and the written sets; write its weights.

Training data (``scripts/crisis_training_data.py``): the real corpus's ``train`` split, every written set but
the fresh ones, and the benchmark's everyday lines. Real posts are the bulk; the written sets are weighted
up (``--written-weight``) so the model still knows recovery-server phrasing, and each class is balanced so
the rare crisis posts count as much as the many everyday ones. The regularisation strength is chosen on the
real ``dev`` split (average precision); the ``test`` split is never read here.

Needs scikit-learn and scipy (not runtime dependencies)::

    python3 -m venv /tmp/distill && /tmp/distill/bin/pip install scikit-learn scipy numpy
    /tmp/distill/bin/python scripts/train_quick_crisis.py

Writes ``bot/data/crisis/quick_model.npz`` (float16 weights, about 2 MB compressed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from crisis_training_data import (  # type: ignore[import-not-found]  # noqa: E402
    FORUM_SOURCES,
    MENTION_SOURCES,
    everyday_lines,
    real_rows,
    written_rows,
)

from bot.crisis.quick import BUCKETS, DEFAULT_MODEL, feature_vector  # noqa: E402


def matrix(texts: list[str]):  # type: ignore[no-untyped-def]
    """The sparse feature matrix the bot's :func:`feature_vector` gives, row by row."""
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

    indptr = [0]
    indices: list[int] = []
    values: list[float] = []
    for text in texts:
        i, v = feature_vector(text)
        indices.extend(i)
        values.extend(v)
        indptr.append(len(indices))
    return csr_matrix((np.array(values, np.float32), np.array(indices), np.array(indptr)), shape=(len(texts), BUCKETS))


def training_set(
    written_weight: float, forum_weight: float, mention_weight: float
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, labels and sample weights (class-balanced within each part: tweets and comments, forum posts,
    tweets that mention suicide, written sets)."""
    real = real_rows("train")
    forum = [r for r in real if r["source"] in FORUM_SOURCES]
    mentions = [r for r in real if r["source"] in MENTION_SOURCES]
    short = [r for r in real if r["source"] not in FORUM_SOURCES + MENTION_SOURCES]
    written = written_rows() + [{"text": t, "crisis": False} for t in everyday_lines()]
    texts: list[str] = []
    labels: list[int] = []
    weights: list[float] = []
    parts = ((short, 1.0), (forum, forum_weight), (mentions, mention_weight), (written, written_weight))
    for rows, scale in parts:
        if not rows:
            continue
        y = np.array([bool(r["crisis"]) for r in rows])
        pos, neg = y.sum(), (~y).sum()
        for row, label in zip(rows, y, strict=True):
            texts.append(str(row["text"]))
            labels.append(int(label))
            # Each class carries half of this part's weight.
            weights.append(scale * len(rows) / (2 * (pos if label else neg)))
    w = np.array(weights)
    return texts, np.array(labels), w / w.mean()


def main() -> None:
    """Fit on train, choose C on dev, write the model."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.metrics import average_precision_score, roc_auc_score  # type: ignore[import-untyped]

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--written-weight", type=float, default=1.0, help="weight of the written sets vs real posts")
    parser.add_argument(
        "--forum-weight", type=float, default=0.3, help="weight of the forum posts vs tweets and comments"
    )
    parser.add_argument(
        "--mention-weight", type=float, default=1.0, help="weight of the tweets that mention suicide vs the others"
    )
    parser.add_argument("--c", type=float, nargs="*", default=[0.5, 1.0, 2.0, 4.0], help="C values to try")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    args = parser.parse_args()

    texts, y, w = training_set(args.written_weight, args.forum_weight, args.mention_weight)
    print(f"{len(texts)} training texts ({int(y.sum())} crisis)", flush=True)
    x = matrix(texts)
    dev = real_rows("dev")
    x_dev = matrix([str(r["text"]) for r in dev])
    y_dev = np.array([bool(r["crisis"]) for r in dev])
    best: tuple[float, float, LogisticRegression] | None = None
    for c in args.c:
        model = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
        model.fit(x, y, sample_weight=w)
        p = model.predict_proba(x_dev)[:, 1]
        ap = average_precision_score(y_dev, p)
        print(f"C={c}: dev AUC {roc_auc_score(y_dev, p):.4f} AP {ap:.4f}", flush=True)
        forum = np.array([r["source"] in FORUM_SOURCES for r in dev])
        fp = np.sort(p[forum & ~y_dev])[::-1]
        for fa in (0.05, 0.1):
            cut = fp[int(fa * len(fp))]
            print(f"  forum posts: recall {np.mean(p[forum & y_dev] > cut):.3f} at false alarms {fa}", flush=True)
        if best is None or ap > best[1]:
            best = (c, ap, model)
    assert best is not None
    c, _, model = best
    print(f"chose C={c}")
    np.savez_compressed(
        args.out, weights=model.coef_[0].astype(np.float16), bias=np.float32(model.intercept_[0]), c=np.float32(c)
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

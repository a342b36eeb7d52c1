"""Train the logistic-regression heads of the crisis detector's semantic layer (numpy only).

Purpose: fit ``data/crisis/semantic_heads.npz`` (one "crisis vs not" head, one head per category, and the
two probability thresholds) on the mean wordpiece vectors of the labelled training sets, and report 5-fold
cross-validation. Run from the repo root, in the project venv, after ``distill_crisis_embeddings.py``::

    .venv/bin/python scripts/train_crisis_heads.py [--report-only]

Training sets: ``labelled``, ``holdout``, ``blind`` .. ``blind5`` in ``tests/crisis`` plus the everyday chat
lines of ``benchmarks/bench_crisis.py`` (as non-crisis). ``blind6``, ``blind7`` and ``blind8`` are never read
here: they are the honest held-out estimate (``python -m tests.crisis.evaluate``).

Threshold: the lowest probability at which, in cross-validation, the layer adds false alarms (non-crisis
messages the lexicon left alone but the layer would raise) on at most ``--max-added-fa`` of the non-crisis
training messages. The high threshold is the one with no added false alarm at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_crisis import EVERYDAY  # noqa: E402
from bot.crisis import Category, Detector  # noqa: E402
from bot.crisis.semantic import DEFAULT_HEADS, DEFAULT_VECTORS, DEFAULT_VOCAB, SemanticModel  # noqa: E402

TRAIN_SETS = ("labelled", "holdout", "blind", "blind2", "blind3", "blind4", "blind5")
HELD_OUT = ("blind6", "blind7", "blind8")
CATEGORIES = tuple(Category)


def load_rows() -> list[dict[str, object]]:
    """Training messages: the labelled sets (never the held-out ones) and the benchmark's everyday chat."""
    rows: list[dict[str, object]] = []
    for name in TRAIN_SETS:
        assert name not in HELD_OUT
        for line in (ROOT / "tests" / "crisis" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    rows.extend({"text": t, "crisis": False, "categories": []} for t in EVERYDAY)
    return rows


def fit_logreg(x: np.ndarray, y: np.ndarray, l2: float, weight: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (bias not penalised)."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    sw = np.ones(n) if weight is None else weight
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (sw * (p - y)) + reg * w
        hess = (xb * (sw * p * (1 - p))[:, None]).T @ xb + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def balanced(y: np.ndarray) -> np.ndarray:
    """Sample weights giving both classes equal total weight."""
    pos = y.sum()
    neg = len(y) - pos
    return np.where(y == 1, len(y) / (2 * max(pos, 1)), len(y) / (2 * max(neg, 1)))


def main() -> None:
    """Fit, cross-validate, choose thresholds, write the heads."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=0.0, help="L2 strength (0: choose by CV)")
    parser.add_argument("--max-added-fa", type=float, default=0.02)
    parser.add_argument("--report-only", action="store_true", help="do not write the heads")
    args = parser.parse_args()

    vocab = DEFAULT_VOCAB.read_text(encoding="utf-8").split("\n")[:-1]
    vectors = np.load(DEFAULT_VECTORS).astype(np.float32)
    dims = vectors.shape[1]
    probe = SemanticModel(
        vocab, vectors, np.zeros(dims), 0.0, np.zeros((len(CATEGORIES), dims)), np.zeros(len(CATEGORIES)),
        CATEGORIES, 0.5, 0.9,
    )  # fmt: skip
    lexicon_only = Detector(semantic=False)
    rows = load_rows()
    feats, keep = [], []
    for i, row in enumerate(rows):
        vec = probe.embed(lexicon_only._normalizer.tokens(str(row["text"])))
        if vec is not None:
            feats.append(vec)
            keep.append(i)
    rows = [rows[i] for i in keep]
    x = np.array(feats, dtype=np.float64)
    scale = float(x.std())
    x /= scale  # shipped weights are divided by this scale again, so the runtime works on raw means
    y = np.array([1.0 if r["crisis"] else 0.0 for r in rows])
    ycat = np.array([[1.0 if str(c) in r["categories"] else 0.0 for c in CATEGORIES] for r in rows])  # type: ignore[operator]
    lex_hit = np.array([lexicon_only.detect(str(r["text"])).detected for r in rows])
    print(f"{len(rows)} training messages ({int(y.sum())} crisis), {dims} dims")

    rng = np.random.default_rng(0)
    folds = np.empty(len(y), dtype=int)
    for cls in (0, 1):
        idx = rng.permutation(np.flatnonzero(y == cls))
        folds[idx] = np.arange(len(idx)) % 5

    def oof(l2: float) -> tuple[np.ndarray, np.ndarray]:
        p = np.zeros(len(y))
        pc = np.zeros(ycat.shape)
        for k in range(5):
            tr, te = folds != k, folds == k
            w, b = fit_logreg(x[tr], y[tr], l2, balanced(y[tr]))
            p[te] = 1 / (1 + np.exp(-(x[te] @ w + b)))
            for j in range(len(CATEGORIES)):
                w, b = fit_logreg(x[tr], ycat[tr, j], l2, balanced(ycat[tr, j]))
                pc[te, j] = 1 / (1 + np.exp(-(x[te] @ w + b)))
        return p, pc

    candidates = [args.l2] if args.l2 else [0.1, 0.3, 1.0, 3.0, 10.0, 30.0]
    best = None
    for l2 in candidates:
        p, pc = oof(l2)
        loss = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        order = np.argsort(-p)
        ranks = np.empty(len(p))
        ranks[order] = np.arange(len(p))
        auc = float(np.mean(ranks[y == 0][None, :] > ranks[y == 1][:, None]))
        print(f"l2 {l2:>5}: CV log-loss {loss:.3f}, AUC {auc:.3f}")
        if best is None or loss < best[0]:
            best = (loss, l2, p, pc)
    assert best is not None
    _, l2, p, pc = best

    neg = y == 0
    n_neg = int(neg.sum())

    def added_fa(t: float) -> float:
        return float(((p >= t) & neg & ~lex_hit).sum() / n_neg)

    grid = np.round(np.arange(0.50, 0.996, 0.005), 3)
    threshold = next(float(t) for t in grid if added_fa(t) <= args.max_added_fa)
    high = next((float(t) for t in grid if added_fa(t) == 0.0), 0.99)
    high = max(high, threshold)

    def report(name: str, pred: np.ndarray) -> None:
        tp = int((pred & (y == 1)).sum())
        fp = int((pred & neg).sum())
        fn = int((~pred & (y == 1)).sum())
        prec = tp / (tp + fp) if tp + fp else 1.0
        print(f"  {name:<22} P {prec:.3f}  R {tp / (tp + fn):.3f}  FA {fp / n_neg:.3f}  (tp {tp} fp {fp} fn {fn})")

    print(f"chosen l2 {l2}; threshold {threshold} (CV added FA {added_fa(threshold):.3f}), high {high}")
    print("5-fold CV on the training sets:")
    report("semantic head alone", p >= threshold)
    report("lexicon alone", lex_hit)
    report("lexicon or semantic", lex_hit | (p >= threshold))
    sem = p >= threshold
    for j, cat in enumerate(CATEGORIES):
        truth = ycat[:, j] == 1
        pred = sem & (pc[:, j] >= 0.5)
        tp, fp, fn = int((truth & pred).sum()), int((~truth & pred).sum()), int((truth & ~pred).sum())
        prec = tp / (tp + fp) if tp + fp else 1.0
        print(f"  head {cat:<18} P {prec:.3f}  R {tp / (tp + fn):.3f}  (tp {tp} fp {fp} fn {fn}; among fired)")

    if args.report_only:
        return
    w, b = fit_logreg(x, y, l2, balanced(y))
    cat_w, cat_b = [], []
    for j in range(len(CATEGORIES)):
        wj, bj = fit_logreg(x, ycat[:, j], l2, balanced(ycat[:, j]))
        cat_w.append(wj / scale)
        cat_b.append(bj)
    np.savez(
        DEFAULT_HEADS,
        crisis_w=(w / scale).astype(np.float32),
        crisis_b=np.float32(b),
        cat_w=np.array(cat_w, dtype=np.float32),
        cat_b=np.array(cat_b, dtype=np.float32),
        categories=np.array([str(c) for c in CATEGORIES]),
        threshold=np.float32(threshold),
        high_threshold=np.float32(high),
    )
    print(f"wrote {DEFAULT_HEADS.relative_to(ROOT)} ({DEFAULT_HEADS.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

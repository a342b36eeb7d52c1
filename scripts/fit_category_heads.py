"""Fit the sentence model's category heads on the shipped encoder; run after ``finetune_crisis_model.py``.

Purpose: the category heads the fine-tune trains jointly with the crisis head learn little (out of fold, best
F1 0.28 for self-harm, 0.51 overdose, 0.50 immediate danger, 0.44 substance crisis): few examples, and a loss
dominated by the crisis head. These heads are fitted instead on the crisis messages only, since they are only
read once a message is judged a crisis: one L2 logistic regression per category (C=100, sklearn) on the
embedding the bot itself computes (the numpy int8 encoder, the most worrying window, evasive spellings made
plain). 5-fold cross-validated F1 on the training sets: suicidal_ideation 0.95, self_harm 0.83, overdose 0.78,
immediate_danger 0.78, substance_crisis 0.76 (optimistic: the encoder was fine-tuned on these texts).

It rewrites ``cat_w``, ``cat_b`` and ``cat_threshold`` in ``bot/data/crisis/encoder_heads.npz`` and keeps the
rest. Training data: the same sets as the final fine-tune (``TRAIN_SETS`` and ``HELD_OUT`` of that script),
never the fresh sets.

Rerun (scikit-learn is a development tool only, in the same throwaway venv)::

    /tmp/distill/bin/pip install scikit-learn
    /tmp/distill/bin/python scripts/fit_category_heads.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from finetune_crisis_model import FRESH, HELD_OUT, TRAIN_SETS  # type: ignore[import-not-found]  # noqa: E402

from bot.crisis import Category  # noqa: E402
from bot.crisis.second_opinion import DEFAULT_HEADS, default_second_opinion, plain_words  # noqa: E402

C = 100.0
THRESHOLD = 0.4  # the cross-validated best F1 sat at 0.35-0.5 for every category


def main() -> None:
    """Embed the crisis messages, fit one head per category, cross-validate, write the heads file."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-not-found]
    from sklearn.model_selection import StratifiedKFold, cross_val_predict  # type: ignore[import-not-found]

    opinion = default_second_opinion()
    assert opinion is not None, "bot/data/crisis is missing the model"
    categories = tuple(Category)
    texts: list[str] = []
    labels: list[list[bool]] = []
    for name in (*TRAIN_SETS, *HELD_OUT):
        assert name not in FRESH
        for line in (ROOT / "tests" / "data" / "crisis" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and row["crisis"]:
                texts.append(row["text"])
                labels.append([str(c) in row["categories"] for c in categories])
    x = np.array([worst_window_vector(opinion, t) for t in texts])
    y = np.array(labels)
    print(f"{len(texts)} crisis messages")
    weights, biases = [], []
    for j, cat in enumerate(categories):
        clf = LogisticRegression(C=C, max_iter=5000)
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        q = cross_val_predict(clf, x, y[:, j], cv=folds, method="predict_proba")[:, 1]
        pred, truth = q >= THRESHOLD, y[:, j]
        tp = int((pred & truth).sum())
        print(f"  {cat:<18} cv precision {tp / max(pred.sum(), 1):.3f} recall {tp / truth.sum():.3f}")
        clf.fit(x, y[:, j])
        weights.append(clf.coef_[0].astype(np.float32))
        biases.append(np.float32(clf.intercept_[0]))
    with np.load(DEFAULT_HEADS) as stored:
        heads = {k: stored[k] for k in stored.files}
    heads.update(
        cat_w=np.array(weights),
        cat_b=np.array(biases),
        categories=np.array([str(c) for c in categories]),
        cat_threshold=np.float32(THRESHOLD),
    )
    np.savez(DEFAULT_HEADS, **heads)
    print(f"wrote {DEFAULT_HEADS.relative_to(ROOT)}")


def worst_window_vector(opinion, text: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The embedding of the window the bot would read categories from (its most worrying one)."""
    vectors = [opinion.encoder.encode(w) for w in opinion.windows(plain_words(text))]
    scores = [opinion.crisis_probability(v) for v in vectors]
    return vectors[int(np.argmax(scores))]


if __name__ == "__main__":
    main()

"""What the crisis models are trained and tuned on: the real-post corpus and the written sets.

Shared by ``scripts/train_quick_crisis.py``, ``scripts/finetune_crisis_model.py`` and
``scripts/evaluate_crisis_real.py`` so they agree on what is training, what is tuning and what is never
touched, and so ``bot/data/crisis/training_hashes.txt`` lists exactly what they read.

- Real posts: ``bot/data/crisis/corpus/{train,dev,test}.jsonl`` from ``scripts/build_crisis_corpus.py``. The
  models train on ``train``; thresholds are tuned on ``dev``; ``test`` is only ever measured.
- Written sets (``tests/data/crisis/*.jsonl``): every set except :data:`FRESH` is training data; the fresh sets
  are never read for training or tuning.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "bot" / "data" / "crisis" / "corpus"
WRITTEN = ROOT / "tests" / "data" / "crisis"
HASHES = ROOT / "bot" / "data" / "crisis" / "training_hashes.txt"

# Forum posts (long, titled Reddit posts), trained as their own part beside tweets and comments: the Reddit
# Mental Health Dataset, and the r/SuicideWatch posts of SDCNL (crisis only).
FORUM_SOURCES = ("rmhd", "sdcnl")
# Tweets that all mention suicide, most of them not the writer's crisis (news, jokes, talk about others):
# trained as their own part, so the few thousand hard negatives are not lost among the everyday tweets.
MENTION_SOURCES = ("suicidal_mentions",)

# Written sets never trained or tuned on: the honest measurement on written phrasing.
FRESH = frozenset({"indep_mixed", "indep_social"})


def read_jsonl(path: Path) -> list[dict[str, object]]:
    """The objects of a JSONL file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def real_rows(split: str) -> list[dict[str, object]]:
    """One split of the real-post corpus; raises with a pointer to the build script when it is missing."""
    path = CORPUS / f"{split}.jsonl"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run scripts/build_crisis_corpus.py --sources DIR first")
    return read_jsonl(path)


def sampled_real_training(negatives_per_source: int, seed: int = 0) -> list[dict[str, object]]:
    """The real train split with every crisis post and at most ``negatives_per_source`` others a source.

    The everyday sources are tens of thousands of short comments and tweets; a sample of each teaches a
    model what ordinary talk looks like without drowning the crisis posts, and keeps slow models' training
    affordable.
    """
    import random

    rng = random.Random(seed)
    rows = real_rows("train")
    out = [r for r in rows if r["crisis"]]
    by_source: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        if not r["crisis"]:
            by_source.setdefault(str(r["source"]), []).append(r)
    for group in by_source.values():
        out.extend(rng.sample(group, min(len(group), negatives_per_source)))
    return out


def written_rows(*, fresh: bool = False) -> list[dict[str, object]]:
    """The written sets, each row tagged with its set name: the training ones, or only the fresh ones."""
    rows: list[dict[str, object]] = []
    for path in sorted(WRITTEN.glob("*.jsonl")):
        if (path.stem in FRESH) == fresh:
            rows.extend({**row, "set": path.stem} for row in read_jsonl(path))
    return rows


def everyday_lines() -> list[str]:
    """The benchmark's ordinary recovery-server chat lines (non-crisis)."""
    import sys

    sys.path.insert(0, str(ROOT))
    from benchmarks.bench_crisis import EVERYDAY

    return list(EVERYDAY)


def text_hash(text: str) -> str:
    """First 16 hex digits of sha256 of the text lower-cased, with whitespace runs collapsed and stripped."""
    import hashlib

    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()[:16]


def write_hashes(path: Path = HASHES) -> int:
    """Write one hash per text any crisis model trained or was tuned on (sorted, unique); returns the count."""
    texts = [str(r["text"]) for split in ("train", "dev") for r in real_rows(split)]
    texts += [str(r["text"]) for r in written_rows()]
    texts += everyday_lines()
    hashes = sorted({text_hash(t) for t in texts})
    path.write_text("".join(f"{h}\n" for h in hashes), encoding="ascii")
    return len(hashes)


if __name__ == "__main__":
    print(f"{write_hashes()} hashes written to {HASHES}")

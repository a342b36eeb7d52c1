"""The sentence model's shipped weights (``bot/data/crisis/minilm/weights.npz``), read for either encoder.

Every 2-D matrix is stored as int8 with one float32 scale per output row (``name.q`` and ``name.scale``,
``scripts/export_minilm.py``); vectors and the small embedding tables are float32.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.package_data import data_path

DATA = data_path("crisis", "minilm")
DEFAULT_WEIGHTS = DATA / "weights.npz"
DEFAULT_VOCAB = DATA / "vocab.txt"

# The word embeddings (30,522 rows) can stay int8 and be scaled per looked-up row: 35 MB less memory.
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


def dequantize(stored: dict[str, np.ndarray], *, keep_words_int8: bool = True) -> dict[str, np.ndarray]:
    """float32 weights from the shipped file: ``name`` (float) or ``name.q`` (int8) with ``name.scale``.

    With ``keep_words_int8`` the word embeddings are passed through as stored (``.q`` and ``.scale``)."""
    out: dict[str, np.ndarray] = {}
    for key, value in stored.items():
        if keep_words_int8 and key.startswith(WORD_EMBEDDINGS):
            out[key] = value
        elif key.endswith(".scale"):
            continue
        elif key.endswith(".q"):
            name = key[:-2]
            out[name] = value.astype(np.float32) * stored[name + ".scale"][:, None]
        else:
            out[key] = value.astype(np.float32)
    return out


def read_weights(path: Path = DEFAULT_WEIGHTS, *, keep_words_int8: bool = True) -> dict[str, np.ndarray]:
    """The shipped weights, dequantised (see :func:`dequantize`)."""
    with np.load(path) as stored:
        return dequantize({k: stored[k] for k in stored.files}, keep_words_int8=keep_words_int8)

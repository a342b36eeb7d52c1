"""The sentence model as an ONNX graph in onnxruntime: what the bot runs to read a message.

The graph (``bot/data/crisis/minilm/graph.onnx``, written by ``scripts/export_crisis_onnx.py``) is the same
float32 network as the numpy encoder (:mod:`bot.crisis.encoder`), with the same embeddings, run as one
optimised graph: about twice as fast on one core (``benchmarks/bench_crisis.py`` measures both in the same
run). It carries no weights: its large tensors are external initializers named after their arrays in
``weights.npz`` (``T:`` in front for a transposed one), listed in ``graph_weights.json``, and handed to
onnxruntime at load from the shipped weights (:mod:`bot.crisis.weights`). onnxruntime copies them into the
session, so only its copy stays in memory.

onnxruntime runs on one thread here: the bot calls it from one worker thread, and a second busy thread would
take the event loop's core.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .tokenizer import BertTokenizer, load_vocab
from .weights import DATA, DEFAULT_VOCAB, DEFAULT_WEIGHTS, read_weights

log = logging.getLogger(__name__)

DEFAULT_GRAPH = DATA / "graph.onnx"
DEFAULT_NAMES = DATA / "graph_weights.json"
_TRANSPOSED = "T:"
# Texts a run in encode_many: measured best at 4 to 8 on one core; past 16, padding and attention cost more
# than the fewer calls save.
BATCH = 8


def shipped_weights(path: Path = DEFAULT_WEIGHTS) -> dict[str, np.ndarray]:
    """Every shipped array as float32, the word embeddings included (the graph's own layout)."""
    return read_weights(path, keep_words_int8=False)


class OnnxEncoder:
    """all-MiniLM-L6-v2 in onnxruntime: text -> a unit-length 384-dimensional vector."""

    def __init__(self, graph: Path, names: list[str], weights: dict[str, np.ndarray], tokenizer: BertTokenizer) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        values = []
        for name in names:
            array = weights[name.removeprefix(_TRANSPOSED)]
            array = array.T if name.startswith(_TRANSPOSED) else array
            values.append(ort.OrtValue.ortvalue_from_numpy(np.ascontiguousarray(array, dtype=np.float32)))
        options.add_external_initializers(names, values)
        self._session: Any = ort.InferenceSession(graph.read_bytes(), options, providers=["CPUExecutionProvider"])
        self.tokenizer = tokenizer
        self.dim = int(weights["embeddings.LayerNorm.weight"].shape[0])

    def encode(self, text: str) -> np.ndarray:
        """The sentence embedding of ``text`` (truncated to the model's 256 wordpieces), unit length."""
        ids = np.array([self.tokenizer.sequence(text)], dtype=np.int64)
        out: np.ndarray = self._session.run(None, {"ids": ids, "mask": np.ones_like(ids)})[0][0]
        return out

    def encode_many(self, texts: Sequence[str]) -> np.ndarray:
        """The embeddings of several texts, one row each, in order.

        Read in runs of up to :data:`BATCH` texts of similar length, padded and masked: about 1.5 times
        less work a text than one at a time, and the same embeddings up to float rounding (measured
        differences under 1e-7)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        sequences = [self.tokenizer.sequence(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(sequences[i]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            width = max(len(sequences[i]) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                ids[row, : len(sequences[i])] = sequences[i]
                mask[row, : len(sequences[i])] = 1
            out[chunk] = self._session.run(None, {"ids": ids, "mask": mask})[0]
        return out

    def token_count(self, text: str) -> int:
        """How many wordpieces ``text`` has (without [CLS]/[SEP])."""
        return len(self.tokenizer.ids(text))


def load_onnx_encoder(
    graph: Path = DEFAULT_GRAPH,
    names: Path = DEFAULT_NAMES,
    weights: Path = DEFAULT_WEIGHTS,
    vocab: Path = DEFAULT_VOCAB,
) -> OnnxEncoder:
    """Load the graph with the shipped weights (about a second; about 90 MB of memory once loaded)."""
    listed = json.loads(names.read_text(encoding="utf-8"))
    return OnnxEncoder(graph, listed, shipped_weights(weights), BertTokenizer(load_vocab(vocab)))


@cache
def default_onnx_encoder() -> OnnxEncoder | None:
    """The shipped graph, loaded once; None (logged) when onnxruntime or one of its files is missing."""
    missing = [p for p in (DEFAULT_GRAPH, DEFAULT_NAMES, DEFAULT_WEIGHTS, DEFAULT_VOCAB) if not p.exists()]
    if missing:
        log.warning("crisis: %s is missing", missing[0])
        return None
    try:
        return load_onnx_encoder()
    except ImportError:
        log.warning("crisis: onnxruntime is not installed")
        return None

"""The crisis detector's sentence encoder (all-MiniLM-L6-v2, fine-tuned): text -> a unit 384-dimensional vector.

Two implementations of one float32 network, behind :class:`SentenceEncoder`, with the same embeddings:

- :class:`~bot.crisis.onnx_encoder.OnnxEncoder`, what the bot runs: the network as an ONNX graph
  (``bot/data/crisis/minilm/graph.onnx``, ``scripts/export_crisis_onnx.py``) in onnxruntime, about twice as fast
  on one core;
- :class:`NumpyEncoder`, the fallback when onnxruntime or the graph is missing, and the baseline the benchmark
  measures against: a forward pass in plain numpy.

Both read the weights from ``bot/data/crisis/minilm/weights.npz`` (:mod:`bot.crisis.weights`): the model fine-tuned
on the labelled crisis sets by ``scripts/finetune_crisis_model.py``, every matrix int8 with one float32 scale
per output row (``scripts/export_minilm.py``). Why no torch: the bot must not need gigabytes to read a
message. MiniLM-L6 is small (6 layers, 384 wide), so a forward pass is a few dozen matrix products. It runs on
messages whose lexicon verdict is below imminent and the quick read leaves unsure
(:mod:`bot.crisis.second_opinion`), in a worker thread.

The model is Apache-2.0 licensed (see ``bot/data/crisis/minilm/NOTICE``). The tokenizer is
:mod:`bot.crisis.tokenizer`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from .onnx_encoder import default_onnx_encoder
from .tokenizer import MAX_TOKENS, BertTokenizer, load_vocab
from .weights import DEFAULT_VOCAB, DEFAULT_WEIGHTS, WORD_EMBEDDINGS, read_weights

__all__ = [
    "MAX_TOKENS",
    "NumpyEncoder",
    "SentenceEncoder",
    "default_encoder",
    "default_numpy_encoder",
    "load_numpy_encoder",
]

log = logging.getLogger(__name__)

_LAYERS = 6
_HEADS = 12
_EPS = 1e-12
_SQRT_HALF = 0.7071067811865476


class SentenceEncoder(Protocol):
    """What the second opinion needs of an encoder."""

    tokenizer: BertTokenizer
    dim: int

    def encode(self, text: str) -> np.ndarray:
        """The unit-length sentence embedding of ``text`` (truncated to :data:`MAX_TOKENS` wordpieces)."""
        ...

    def encode_many(self, texts: Sequence[str]) -> np.ndarray:
        """The embeddings of several texts, one row each, in order."""
        ...

    def token_count(self, text: str) -> int:
        """How many wordpieces ``text`` has (without [CLS]/[SEP])."""
        ...


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (max error 1.5e-7): numpy has no erf, and BERT's GELU is the exact one.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * _SQRT_HALF))


class NumpyEncoder:
    """all-MiniLM-L6-v2 in numpy: text -> a unit-length 384-dimensional vector (mean pooling)."""

    def __init__(self, weights: dict[str, np.ndarray], vocab: list[str]) -> None:
        self.tokenizer = BertTokenizer(vocab)
        # Only the small embedding tables are kept as given: the layers are kept transposed below, and
        # holding both copies would double the model's memory.
        self._w = {
            k: v for k, v in weights.items() if k.startswith("embeddings.") and not k.startswith(WORD_EMBEDDINGS)
        }
        # The word embeddings (30,522 rows) stay int8 and are scaled per looked-up row: 35 MB less memory.
        self._words = weights["embeddings.word_embeddings.weight.q"]
        self._word_scale = weights["embeddings.word_embeddings.weight.scale"].astype(np.float32)
        self.dim = int(weights["embeddings.LayerNorm.weight"].shape[0])
        # Per-layer matrices, transposed once so the forward pass is x @ W.
        self._layers = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            qkv = np.concatenate(
                [weights[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")], axis=0
            ).T.copy()
            qkv_b = np.concatenate([weights[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self._layers.append(
                (
                    qkv,
                    qkv_b,
                    weights[p + "attention.output.dense.weight"].T.copy(),
                    weights[p + "attention.output.dense.bias"],
                    weights[p + "attention.output.LayerNorm.weight"],
                    weights[p + "attention.output.LayerNorm.bias"],
                    weights[p + "intermediate.dense.weight"].T.copy(),
                    weights[p + "intermediate.dense.bias"],
                    weights[p + "output.dense.weight"].T.copy(),
                    weights[p + "output.dense.bias"],
                    weights[p + "output.LayerNorm.weight"],
                    weights[p + "output.LayerNorm.bias"],
                )
            )

    def _forward(self, ids: list[int]) -> np.ndarray:
        """Mean-pooled last hidden state of one sequence of ids (with [CLS]/[SEP]); not normalised."""
        w = self._w
        n = len(ids)
        x = (
            self._words[ids].astype(np.float32) * self._word_scale[ids, None]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        d = self.dim
        hd = d // _HEADS
        scale = float(1.0 / np.sqrt(hd))
        for qkv, qkv_b, o, o_b, ln1_w, ln1_b, up, up_b, down, down_b, ln2_w, ln2_b in self._layers:
            h = x @ qkv + qkv_b
            q = h[:, :d].reshape(n, _HEADS, hd).transpose(1, 0, 2)
            k = h[:, d : 2 * d].reshape(n, _HEADS, hd).transpose(1, 2, 0)
            v = h[:, 2 * d :].reshape(n, _HEADS, hd).transpose(1, 0, 2)
            scores = (q @ k) * scale
            scores -= scores.max(axis=-1, keepdims=True)
            attn = np.exp(scores)
            attn /= attn.sum(axis=-1, keepdims=True)
            ctx = (attn @ v).transpose(1, 0, 2).reshape(n, d)
            x = _layer_norm(ctx @ o + o_b + x, ln1_w, ln1_b)
            x = _layer_norm(_gelu(x @ up + up_b) @ down + down_b + x, ln2_w, ln2_b)
        pooled: np.ndarray = x.mean(axis=0)
        return pooled

    def encode(self, text: str) -> np.ndarray:
        """The model's sentence embedding of ``text`` (truncated to :data:`MAX_TOKENS` wordpieces), unit length."""
        return _unit(self._forward(self.tokenizer.sequence(text)))

    def encode_many(self, texts: Sequence[str]) -> np.ndarray:
        """The embeddings of several texts, one row each, in order."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.encode(t) for t in texts])

    def token_count(self, text: str) -> int:
        """How many wordpieces ``text`` has (without [CLS]/[SEP])."""
        return len(self.tokenizer.ids(text))


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def load_numpy_encoder(weights_path: Path = DEFAULT_WEIGHTS, vocab_path: Path = DEFAULT_VOCAB) -> NumpyEncoder:
    """Load the numpy encoder (about 55 MB of arrays, about 100 MB of process memory: the word embeddings stay int8)."""
    return NumpyEncoder(read_weights(weights_path), load_vocab(vocab_path))


@cache
def default_numpy_encoder() -> NumpyEncoder | None:
    """The shipped numpy encoder, loaded once; None when its files are missing."""
    if not (DEFAULT_WEIGHTS.exists() and DEFAULT_VOCAB.exists()):
        return None
    return load_numpy_encoder()


@cache
def default_encoder() -> SentenceEncoder | None:
    """The encoder the bot runs, loaded once: the ONNX graph when onnxruntime and the graph are there, else
    the numpy encoder (logged: it is slower), else None (logged by the caller: the lexicon still works)."""
    onnx = default_onnx_encoder()
    if onnx is not None:
        return onnx
    numpy_encoder = default_numpy_encoder()
    if numpy_encoder is not None:
        log.warning("crisis: the sentence model's ONNX graph can't run here; using the slower numpy encoder")
    return numpy_encoder

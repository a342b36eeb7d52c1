"""A sentence encoder (all-MiniLM-L6-v2) in plain numpy, for the crisis detector's second opinion.

Why numpy: the bot must not need torch (gigabytes) to read a message. MiniLM-L6 is small (6 layers, 384
wide), so a forward pass is a few dozen matrix products: a few milliseconds for a chat message on one core.
It runs on messages of a few words whose lexicon verdict is below imminent (:mod:`bot.crisis.second_opinion`),
in a worker thread.

Weights: ``data/crisis/minilm/weights.npz``, the model fine-tuned on the labelled crisis sets by
``scripts/finetune_crisis_model.py``, with every matrix stored as int8 with one float32 scale per output row
(``scripts/export_minilm.py``; about 4x smaller than float32, and on the original model the sentence
embeddings stayed within cosine 0.999 of torch's). The vocabulary is the model's own ``vocab.txt``. The model
is Apache-2.0 licensed (see ``data/crisis/minilm/NOTICE``).

The tokenizer is BERT's uncased one: lower-case, strip accents, split on whitespace and punctuation (each
CJK character alone), then greedy longest-match wordpieces (``[UNK]`` for a word with no split), capped at
:data:`MAX_TOKENS` wordpieces including ``[CLS]`` and ``[SEP]``.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "data" / "crisis" / "minilm"
DEFAULT_WEIGHTS = DATA / "weights.npz"
DEFAULT_VOCAB = DATA / "vocab.txt"

# sentence-transformers truncates this model at 256 wordpieces; a chat message is far shorter, and a long
# post is read in shorter windows of whole sentences (bot.crisis.second_opinion.WINDOW_TOKENS).
MAX_TOKENS = 256
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12
_MAX_WORD = 100  # BERT gives a longer "word" one [UNK] without trying
_CACHE_LIMIT = 100_000
_SQRT_HALF = 0.7071067811865476


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    # ASCII symbols count as punctuation for BERT even where Unicode says otherwise ("$", "^", "`").
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B81F
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


class BertTokenizer:
    """BERT's uncased basic tokenizer plus wordpieces, with a per-word cache."""

    def __init__(self, vocab: list[str]) -> None:
        self.index = {tok: i for i, tok in enumerate(vocab)}
        self.cls, self.sep, self.unk = self.index["[CLS]"], self.index["[SEP]"], self.index["[UNK]"]
        self._cache: dict[str, tuple[int, ...]] = {}

    def basic(self, text: str) -> list[str]:
        """Lower-cased, accent-free words and punctuation marks, as BERT splits them."""
        out: list[str] = []
        word: list[str] = []
        text = unicodedata.normalize("NFD", text.lower())
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
                continue  # BERT drops control and format characters
            if unicodedata.category(ch) == "Mn":
                continue  # accents (after NFD)
            if ch.isspace():
                if word:
                    out.append("".join(word))
                    word = []
            elif _is_punctuation(ch) or _is_cjk(cp):
                if word:
                    out.append("".join(word))
                    word = []
                out.append(ch)
            else:
                word.append(ch)
        if word:
            out.append("".join(word))
        return out

    def word_ids(self, word: str) -> tuple[int, ...]:
        """Wordpiece ids of one basic token (greedy longest match; one [UNK] if it can't be split)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        index = self.index
        ids: list[int] = []
        if len(word) > _MAX_WORD:
            ids = [self.unk]
        else:
            start, n = 0, len(word)
            while start < n:
                end, found = n, -1
                while end > start:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    found = index.get(piece, -1)
                    if found >= 0:
                        break
                    end -= 1
                if found < 0:
                    ids = [self.unk]
                    break
                ids.append(found)
                start = end
        result = tuple(ids)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = result
        return result

    def ids(self, text: str) -> list[int]:
        """All wordpiece ids of ``text``, without [CLS]/[SEP] and without truncation."""
        out: list[int] = []
        for word in self.basic(text):
            out.extend(self.word_ids(word))
        return out


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


class SentenceEncoder:
    """all-MiniLM-L6-v2: text -> a unit-length 384-dimensional vector (mean pooling), numpy only."""

    def __init__(self, weights: dict[str, np.ndarray], vocab: list[str]) -> None:
        self.tokenizer = BertTokenizer(vocab)
        # Only the small embedding tables are kept as given: the layers are kept transposed below, and
        # holding both copies would double the model's memory.
        self._w = {
            k: v for k, v in weights.items() if k.startswith("embeddings.") and not k.startswith(_KEEP_QUANTIZED)
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
        ids = self.tokenizer.ids(text)[: MAX_TOKENS - 2]
        return _unit(self._forward([self.tokenizer.cls, *ids, self.tokenizer.sep]))

    def token_count(self, text: str) -> int:
        """How many wordpieces ``text`` has (without [CLS]/[SEP])."""
        return len(self.tokenizer.ids(text))


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


_KEEP_QUANTIZED = "embeddings.word_embeddings.weight"


def dequantize(stored: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """float32 weights from the shipped file: ``name`` (float) or ``name.q`` (int8) with ``name.scale``.

    The word embeddings are passed through as stored (``.q`` and ``.scale``)."""
    out: dict[str, np.ndarray] = {}
    for key, value in stored.items():
        if key.startswith(_KEEP_QUANTIZED):
            out[key] = value
        elif key.endswith(".scale"):
            continue
        elif key.endswith(".q"):
            name = key[:-2]
            out[name] = value.astype(np.float32) * stored[name + ".scale"][:, None]
        else:
            out[key] = value.astype(np.float32)
    return out


def load_encoder(weights_path: Path = DEFAULT_WEIGHTS, vocab_path: Path = DEFAULT_VOCAB) -> SentenceEncoder:
    """Load the shipped encoder (about 55 MB of arrays, about 100 MB of process memory: the word embeddings stay int8)."""
    vocab = vocab_path.read_text(encoding="utf-8").split("\n")
    if vocab and vocab[-1] == "":
        vocab.pop()
    with np.load(weights_path) as stored:
        weights = dequantize({k: stored[k] for k in stored.files})
    return SentenceEncoder(weights, vocab)


@cache
def default_encoder() -> SentenceEncoder | None:
    """The shipped encoder, loaded once; None when its files are missing (the lexicon still works)."""
    if not (DEFAULT_WEIGHTS.exists() and DEFAULT_VOCAB.exists()):
        return None
    return load_encoder()

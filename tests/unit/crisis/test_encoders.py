"""The two sentence encoders: the ONNX graph the bot runs, and the numpy fallback.

They are the same float32 network with the same weights, so they must read every text alike: the heads were
fitted on the numpy encoder's embeddings.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.crisis import encoder as encoder_module
from bot.crisis import onnx_encoder
from bot.crisis.encoder import NumpyEncoder, default_encoder, default_numpy_encoder
from bot.crisis.onnx_encoder import OnnxEncoder, default_onnx_encoder

TEXTS = [
    "good morning everyone!",
    "i don't think i can keep going anymore, everyone would be better off without me",
    "this exam is killing me lol",
    "Day 12 today. Cravings were rough but I called my sponsor and went to a meeting.",
    "i took all of them an hour ago and i feel weird",
    "Café naïve 😭 ｆｕｌｌ width 東京",
]


@pytest.fixture(scope="module")
def pair() -> tuple[OnnxEncoder, NumpyEncoder]:
    onnx, numpy_encoder = default_onnx_encoder(), default_numpy_encoder()
    assert onnx is not None, "bot/data/crisis/minilm/graph.onnx or onnxruntime is missing"
    assert numpy_encoder is not None, "bot/data/crisis/minilm/weights.npz is missing"
    return onnx, numpy_encoder


def test_the_bot_runs_the_onnx_graph() -> None:
    assert isinstance(default_encoder(), OnnxEncoder)


def test_the_graph_and_numpy_read_text_alike(pair: tuple[OnnxEncoder, NumpyEncoder]) -> None:
    onnx, numpy_encoder = pair
    got, want = onnx.encode_many(TEXTS), numpy_encoder.encode_many(TEXTS)
    assert got.shape == want.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    assert float((got * want).sum(axis=1).min()) > 0.99999
    assert np.abs(got - want).max() < 1e-4
    # Same tokenizer, same vocabulary.
    assert onnx.tokenizer.ids(TEXTS[1]) == numpy_encoder.tokenizer.ids(TEXTS[1])


def test_reading_is_deterministic_and_truncated(pair: tuple[OnnxEncoder, NumpyEncoder]) -> None:
    onnx, numpy_encoder = pair
    alone = onnx.encode(TEXTS[1])
    assert np.array_equal(alone, onnx.encode(TEXTS[1]))
    # Read in a padded batch, a text's embedding is the same up to float rounding.
    assert np.abs(alone - onnx.encode_many(TEXTS)[1]).max() < 1e-5
    assert np.abs(alone - onnx.encode_many([TEXTS[1], "word " * 300])[0]).max() < 1e-5
    assert np.abs(onnx.encode_many(TEXTS * 3) - np.stack([onnx.encode(t) for t in TEXTS * 3])).max() < 1e-5
    assert onnx.encode_many([]).shape == (0, 384)
    long = "i can't sleep and everything hurts. " * 80  # far past the model's 256 wordpieces
    assert float(onnx.encode(long) @ numpy_encoder.encode(long)) > 0.99999


def test_without_onnxruntime_the_numpy_encoder_is_used_and_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails, as on a platform without wheels
    default_onnx_encoder.cache_clear()
    default_encoder.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            chosen = default_encoder()
        assert isinstance(chosen, NumpyEncoder)
        assert "onnxruntime is not installed" in caplog.text
        assert "slower numpy encoder" in caplog.text
    finally:
        default_onnx_encoder.cache_clear()
        default_encoder.cache_clear()


def test_without_any_model_file_there_is_no_encoder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(onnx_encoder, "DEFAULT_GRAPH", tmp_path / "missing.onnx")
    monkeypatch.setattr(encoder_module, "DEFAULT_WEIGHTS", tmp_path / "missing.npz")
    for cached in (default_onnx_encoder, default_numpy_encoder, default_encoder):
        cached.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            assert default_encoder() is None
        assert "missing.onnx is missing" in caplog.text
    finally:
        for cached in (default_onnx_encoder, default_numpy_encoder, default_encoder):
            cached.cache_clear()

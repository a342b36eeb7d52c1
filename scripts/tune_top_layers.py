"""Fine-tune the sentence model's top layers on real posts, reading each post window by window as the bot does.

Fine-tuning the whole encoder on the real train split takes hours on two CPU cores. The lower layers are
kept frozen instead: every window's hidden states below the top ``--layers`` layers are computed once and
cached, and only the top layers and the crisis head are trained on them, which takes minutes.

The loss reads a post the way ``SecondOpinion`` does: the post's probability is its most worrying window's
(the maximum over its windows' logits), so a forum post whose crisis sits in its fourth window teaches the
model to find it there, and an everyday post teaches that none of its windows is a crisis. Tweets and
comments, forum posts, tweets that mention suicide and the written sets each weigh the same in all, classes
balanced in each (the forum's few hundred posts would otherwise count for little). The dev split is read
after each epoch (average precision of the most worrying window, the mean of the forum's and the tweets'),
and the epoch with the best dev figure is kept.

It starts from the shipped weights and crisis head and writes the new top layers into
``bot/data/crisis/minilm/weights.npz`` (int8, as ``scripts/export_minilm.py`` quantises; the frozen layers'
arrays are copied unchanged). Refit the heads and the blend afterwards on the bot's own embeddings::

    /tmp/distill/bin/python scripts/tune_top_layers.py
    # then scripts/embed_crisis_windows.py, fit_crisis_head.py, fit_category_heads.py, fit_blend.py
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from crisis_training_data import FORUM_SOURCES  # type: ignore[import-not-found]  # noqa: E402
from embed_crisis_windows import torch_model, training_rows  # type: ignore[import-not-found]  # noqa: E402
from evaluate_crisis_real import select_rows  # type: ignore[import-not-found]  # noqa: E402
from export_minilm import quantize  # type: ignore[import-not-found]  # noqa: E402
from fit_crisis_head import PARTS, parts  # type: ignore[import-not-found]  # noqa: E402

from bot.crisis.encoder import DEFAULT_VOCAB  # noqa: E402
from bot.crisis.second_opinion import DEFAULT_HEADS, default_second_opinion, plain_words  # noqa: E402
from bot.crisis.tokenizer import BertTokenizer, load_vocab  # noqa: E402
from bot.crisis.weights import DEFAULT_WEIGHTS  # noqa: E402


class Windows:
    """Every window of a list of posts: token ids, the post each belongs to, and the cached lower states."""

    def __init__(self, rows: list[dict[str, object]]) -> None:
        opinion = default_second_opinion()
        assert opinion is not None, "bot/data/crisis is missing the model"
        tokenizer = BertTokenizer(load_vocab(DEFAULT_VOCAB))
        self.ids: list[list[int]] = []
        owner: list[int] = []
        for i, row in enumerate(rows):
            for window in opinion.windows(plain_words(str(row["text"]))):
                self.ids.append(tokenizer.sequence(window))
                owner.append(i)
        self.owner = np.array(owner)
        self.truth = np.array([bool(r["crisis"]) for r in rows])
        self.source = np.array([str(r["source"]) for r in rows])
        self.states: list[np.ndarray] = []

    def cache(self, model, frozen: int) -> None:  # type: ignore[no-untyped-def]
        """Run the embeddings and the lowest ``frozen`` layers once; keep each window's states (float16)."""
        import torch

        self.states = [np.empty(0)] * len(self.ids)
        order = sorted(range(len(self.ids)), key=lambda i: len(self.ids[i]))
        with torch.no_grad():
            for start in range(0, len(order), 64):
                idx = order[start : start + 64]
                ids, mask = _pad([self.ids[i] for i in idx])
                hidden = model.embeddings(input_ids=ids)
                for layer in model.encoder.layer[:frozen]:
                    hidden = _run(layer, hidden, mask)
                for j, i in enumerate(idx):
                    self.states[i] = hidden[j, : len(self.ids[i])].numpy().astype(np.float16)

    def post_weights(self) -> np.ndarray:
        """Each post's loss weight: tweets/comments, forum posts, tweets that mention suicide and written sets
        weigh the same in all (the forum's few hundred posts would otherwise count for little beside thousands
        of tweets), classes balanced within each."""
        part = parts(self.source)
        weights = np.zeros(len(self.truth))
        for name in PARTS:
            mask = part == name
            for label in (True, False):
                cell = mask & (self.truth == label)
                if cell.any():
                    weights[cell] = 1.0 / (2 * cell.sum())
        return weights / weights.mean()


def _pad(seqs: list[list[int]]):  # type: ignore[no-untyped-def]
    import torch

    width = max(len(s) for s in seqs)
    ids = torch.zeros((len(seqs), width), dtype=torch.long)
    mask = torch.zeros((len(seqs), width))
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1.0
    return ids, mask


def _run(layer, hidden, mask):  # type: ignore[no-untyped-def]
    """One BERT layer with padding masked out (the additive mask every transformers version accepts)."""
    extended = (1.0 - mask)[:, None, None, :] * -1e4
    out = layer(hidden, attention_mask=extended)
    return out[0] if isinstance(out, tuple) else out


def window_logits(windows: Windows, idx: list[int], top, head):  # type: ignore[no-untyped-def]
    """The crisis logit of each window in ``idx``, from its cached states through the trainable layers."""
    import torch

    width = max(len(windows.ids[i]) for i in idx)
    hidden = torch.zeros((len(idx), width, windows.states[idx[0]].shape[1]))
    mask = torch.zeros((len(idx), width))
    for j, i in enumerate(idx):
        n = len(windows.ids[i])
        hidden[j, :n] = torch.from_numpy(windows.states[i].astype(np.float32))
        mask[j, :n] = 1.0
    for layer in top:
        hidden = _run(layer, hidden, mask)
    mean = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
    return head(torch.nn.functional.normalize(mean, dim=-1)).squeeze(-1)


def post_probabilities(windows: Windows, top, head) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Each post's most worrying window's probability."""
    import torch

    out = np.zeros(len(windows.truth))
    order = sorted(range(len(windows.ids)), key=lambda i: len(windows.ids[i]))
    with torch.no_grad():
        for start in range(0, len(order), 128):
            idx = order[start : start + 128]
            p = torch.sigmoid(window_logits(windows, idx, top, head)).numpy()
            np.maximum.at(out, windows.owner[idx], p)
    return out


def dev_report(dev: Windows, top, head) -> float:  # type: ignore[no-untyped-def]
    """Print dev AUC / AP per source family; return the mean of the forum's and the tweets' AP (the forum's
    few dozen posts would count for little in the AP over every post)."""
    from sklearn.metrics import average_precision_score, roc_auc_score  # type: ignore[import-untyped]

    p = post_probabilities(dev, top, head)
    keep = dev.source != "rmhd_venting"
    parts = {
        "all": keep,
        "forum": np.isin(dev.source, FORUM_SOURCES),
        "tweets": np.char.startswith(dev.source, "twitter"),
    }
    line = []
    ap = {}
    for name, mask in parts.items():
        y = dev.truth[mask]
        ap[name] = float(average_precision_score(y, p[mask]))
        line.append(f"{name} AUC {roc_auc_score(y, p[mask]):.4f} AP {ap[name]:.4f}")
    print("  dev: " + "; ".join(line), flush=True)
    return (ap["forum"] + ap["tweets"]) / 2


def main() -> None:
    """Cache the lower layers, train the top ones, keep the best dev epoch, write the weights."""
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=2, help="top layers to train")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--posts", type=int, default=32, help="posts a batch")
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--negatives", type=int, default=4000, help="non-crisis train posts a source")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--report-only", action="store_true", help="do not write the weights")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rng = random.Random(0)

    model = torch_model()
    frozen = model.config.num_hidden_layers - args.layers
    train = Windows(training_rows(args.negatives))
    dev = Windows(select_rows("dev", written=False))
    start = time.perf_counter()
    print(f"{len(train.truth)} train posts, {len(train.ids)} windows; {len(dev.truth)} dev posts", flush=True)
    train.cache(model, frozen)
    dev.cache(model, frozen)
    print(f"cached the lowest {frozen} layers in {time.perf_counter() - start:.0f} s", flush=True)

    top = torch.nn.ModuleList(model.encoder.layer[frozen:])
    head = torch.nn.Linear(model.config.hidden_size, 1)
    with np.load(DEFAULT_HEADS) as heads:
        head.weight.data[0] = torch.from_numpy(heads["crisis_w"].astype(np.float32))
        head.bias.data[0] = float(heads["crisis_b"])
    top.eval()
    best_ap = dev_report(dev, top, head)
    best_state = {k: v.clone() for k, v in top.state_dict().items()}
    print(f"  shipped: dev AP {best_ap:.4f}", flush=True)

    opt = torch.optim.AdamW(
        [{"params": top.parameters(), "lr": args.lr}, {"params": head.parameters(), "lr": args.head_lr}],
        weight_decay=0.01,
    )
    weights = torch.from_numpy(train.post_weights()).float()
    truth = torch.from_numpy(train.truth.astype(np.float32))
    by_post: list[list[int]] = [[] for _ in train.truth]
    for w, post in enumerate(train.owner):
        by_post[post].append(w)
    # Batches of posts of similar length (shuffled within and between), so little of each batch is padding.
    longest = [max(len(train.ids[w]) for w in windows) for windows in by_post]
    for epoch in range(args.epochs):
        top.train()
        posts = list(range(len(train.truth)))
        rng.shuffle(posts)
        posts.sort(key=lambda p: longest[p] // 8)
        batches = [posts[b : b + args.posts] for b in range(0, len(posts), args.posts)]
        rng.shuffle(batches)
        for n, batch in enumerate(batches):
            if n % 100 == 0:
                print(f"  batch {n}/{len(batches)} ({time.perf_counter() - start:.0f} s)", flush=True)
            idx = [w for p in batch for w in by_post[p]]
            local = torch.tensor([j for j, p in enumerate(batch) for _ in by_post[p]])
            logits = window_logits(train, idx, top, head)
            worst = torch.full((len(batch),), -1e4).scatter_reduce(0, local, logits, reduce="amax")
            loss = torch.nn.functional.binary_cross_entropy_with_logits(worst, truth[batch], weight=weights[batch])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(top.parameters(), 1.0)
            opt.step()
        top.eval()
        ap = dev_report(dev, top, head)
        print(f"epoch {epoch + 1}: dev AP {ap:.4f} ({time.perf_counter() - start:.0f} s)", flush=True)
        if ap > best_ap:
            best_ap, best_state = ap, {k: v.clone() for k, v in top.state_dict().items()}

    if args.report_only:
        return
    top.load_state_dict(best_state)
    tuned: dict[str, np.ndarray] = {}
    for name, value in top.state_dict().items():
        index, rest = name.split(".", 1)
        tuned[f"encoder.layer.{int(index) + frozen}.{rest}"] = value.detach().numpy()
    with np.load(DEFAULT_WEIGHTS) as stored:
        arrays = {k: stored[k] for k in stored.files}
    arrays.update(quantize(tuned))
    np.savez_compressed(DEFAULT_WEIGHTS, **arrays)
    print(f"kept dev AP {best_ap:.4f}; wrote the top {args.layers} layers into {DEFAULT_WEIGHTS}")


if __name__ == "__main__":
    main()

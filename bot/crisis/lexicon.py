"""Loading and compiling the crisis lexicon (``bot/data/crisis/lexicon.toml``).

The lexicon is data so that it can be reviewed and extended by people who are not programmers; this module
turns it into compiled patterns plus a token index used as the detector's prefilter.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bot.package_data import data_path

from .models import Category, Kind, Level, Term
from .normalize import Normalizer

DATA_DIR = data_path("crisis")
DEFAULT_LEXICON = DATA_DIR / "lexicon.toml"
# Entry ids of terms a server's moderators added (``/crisis terms add``) start with this.
EXTRA_PREFIX = "extra:"

_MACRO = re.compile(r"<([A-Z][A-Z0-9_]*)>")
_WORD = re.compile(r"[a-z]+")
_ESCAPE = re.compile(r"\\[a-zA-Z]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One compiled lexicon pattern."""

    id: str
    categories: tuple[Category, ...]
    level: Level
    kind: Kind
    regex: re.Pattern[str]
    triggers: frozenset[str]
    examples: tuple[str, ...] = ()
    # About someone else on purpose (an overdose the member is witnessing): exempt from the third-person rule.
    bystander: bool = False
    # A method the models rarely saw in training (a hose from the exhaust): clearing it needs both to agree.
    agreed: bool = False


@dataclass(frozen=True, slots=True)
class Idiom:
    """A figure of speech that is masked out before matching ("rather die than", "dying to see")."""

    id: str
    regex: re.Pattern[str]
    triggers: frozenset[str]


@dataclass(frozen=True, slots=True)
class ContextRules:
    """Word lists and patterns the context rules use (see ``context.py``)."""

    third_person: frozenset[str]
    first_person: frozenset[str]
    news: frozenset[str]
    joke: frozenset[str]
    negation: frozenset[str]
    negation_bridge: frozenset[str]
    retrospective: re.Pattern[str]
    retrospective_after: re.Pattern[str]
    present: re.Pattern[str]
    recovery: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Compiled entries and idioms, with token -> index maps for the prefilter."""

    entries: tuple[Entry, ...]
    idioms: tuple[Idiom, ...]
    context: ContextRules
    entry_index: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    idiom_index: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    vocab: frozenset[str] = frozenset()

    @classmethod
    def build(cls, entries: Iterable[Entry], idioms: Iterable[Idiom], context: ContextRules) -> Lexicon:
        """Build a lexicon and its trigger indexes."""
        entries = tuple(entries)
        idioms = tuple(idioms)
        vocab: set[str] = set()
        for entry in entries:
            # Drop escapes first, or the b of \b would glue onto the next word.
            vocab.update(_WORD.findall(_ESCAPE.sub(" ", entry.regex.pattern)))
        return cls(
            entries=entries,
            idioms=idioms,
            context=context,
            entry_index=_index(entries),
            idiom_index=_index(idioms),
            vocab=frozenset(w for w in vocab if len(w) > 1 or w in {"i", "a"}),
        )

    def with_terms(self, terms: Iterable[Term], normalizer: Normalizer) -> Lexicon:
        """Return a new lexicon with moderator ``terms`` appended as literal first-person phrases."""
        extra = [e for e in (term_entry(term, normalizer) for term in terms) if e is not None]
        if not extra:
            return self
        return Lexicon.build((*self.entries, *extra), self.idioms, self.context)


def _index(items: Iterable[Entry | Idiom]) -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        for token in item.triggers:
            index.setdefault(token, []).append(i)
    return {token: tuple(ids) for token, ids in index.items()}


def term_entry(term: Term, normalizer: Normalizer) -> Entry | None:
    """Compile a moderator term: normalised like messages, matched as a whole-word phrase."""
    words = normalizer.normalize(term.term).split()
    words = [w for w in words if w not in {".", ","}]
    if not words:
        return None
    pattern = r"\b" + " ".join(re.escape(w) for w in words) + r"\b"
    return Entry(
        id=f"{EXTRA_PREFIX}{' '.join(words)}",
        categories=(term.category,),
        level=term.level,
        kind=Kind.SELF,
        regex=re.compile(pattern),
        # Any word of a phrase is present whenever the phrase is, so each is a valid trigger.
        triggers=frozenset(words),
    )


def _expand(text: str, macros: Mapping[str, str]) -> str:
    # Macros may use other macros; a few passes settle it and a cycle fails loudly below.
    for _ in range(5):
        new = _MACRO.sub(lambda m: macros[m.group(1)], text)
        if new == text:
            return new
        text = new
    raise ValueError(f"macro expansion did not settle: {text[:80]!r}")


def _categories(value: Any) -> tuple[Category, ...]:
    values = [value] if isinstance(value, str) else list(value)
    return tuple(Category(v) for v in values)


def parse_lexicon(data: Mapping[str, Any]) -> Lexicon:
    """Compile a lexicon from its parsed TOML mapping; raises ``ValueError`` on a bad entry."""
    macros: dict[str, str] = dict(data.get("macros", {}))
    entries: list[Entry] = []
    seen: set[str] = set()
    for raw in data.get("entry", []):
        entry_id = raw["id"]
        if entry_id in seen:
            raise ValueError(f"duplicate lexicon id {entry_id!r}")
        seen.add(entry_id)
        try:
            regex = re.compile(_expand(raw["re"], macros))
        except re.error as exc:
            raise ValueError(f"lexicon entry {entry_id!r}: {exc}") from exc
        triggers = frozenset(_expand(raw["t"], macros).split())
        if not triggers:
            raise ValueError(f"lexicon entry {entry_id!r} has no triggers")
        entries.append(
            Entry(
                id=entry_id,
                categories=_categories(raw["cat"]),
                level=Level.parse(raw["lvl"]),
                kind=Kind(raw["kind"]),
                regex=regex,
                triggers=triggers,
                examples=tuple(raw.get("ex", ())),
                bystander=bool(raw.get("bystander", False)),
                agreed=bool(raw.get("agreed", False)),
            )
        )
    idioms = [
        Idiom(
            id=raw["id"],
            regex=re.compile(_expand(raw["re"], macros)),
            triggers=frozenset(_expand(raw["t"], macros).split()),
        )
        for raw in data.get("idiom", [])
    ]
    ctx = data["context"]
    context = ContextRules(
        third_person=frozenset(ctx["third_person"].split()),
        first_person=frozenset(ctx["first_person"].split()),
        news=frozenset(ctx["news"].split()),
        joke=frozenset(ctx["joke"].split()),
        negation=frozenset(ctx["negation"].split()),
        negation_bridge=frozenset(ctx["negation_bridge"].split()),
        retrospective=re.compile(ctx["retrospective"]),
        retrospective_after=re.compile(ctx["retrospective_after"]),
        present=re.compile(ctx["present"]),
        recovery=re.compile(ctx["recovery"]),
    )
    return Lexicon.build(entries, idioms, context)


def load_lexicon(path: Path = DEFAULT_LEXICON) -> Lexicon:
    """Read and compile a lexicon file."""
    with path.open("rb") as fh:
        return parse_lexicon(tomllib.load(fh))


@cache
def default_lexicon() -> Lexicon:
    """The shipped lexicon, compiled once per process."""
    return load_lexicon()

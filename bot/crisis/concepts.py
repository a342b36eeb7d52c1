"""Compositional concept scoring: crisis meaning from concepts that meet, not from whole phrases.

``bot/data/crisis/concepts.toml`` holds small concept lexicons (ending, burden, hopelessness, exhaustion, finality,
means, time, self-harm, substance state). Each fragment is worth 1 (weak) or 2 (strong) points. For every
window (a sentence plus the next one) the best fragment of each concept counts once; the speaker must be the
anchor (a first-person word in the window, or a short message with no other subject). Then:

=====================================================  ========================
window                                                  verdict
=====================================================  ========================
2 points (time words never count alone)                 concern
3 points or more, with an ideation concept               high
ideation + finality or means, 3 points or more           imminent
=====================================================  ========================

The verdict becomes an ordinary lexicon hit (kind ``self``), so the context rules (someone else, news, jokes,
recovery retrospective, negation) lower it exactly as they lower a phrase match: never below concern, except
a story told from recovery.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .lexicon import DATA_DIR, DEFAULT_LEXICON, Entry
from .mentions import FIRST_PERSON
from .models import Category, Kind, Level

DEFAULT_CONCEPTS = DATA_DIR / "concepts.toml"

_MACRO = re.compile(r"<([A-Z][A-Z0-9_]*)>")
_WORD = re.compile(r"[a-z]+")
_ESCAPE = re.compile(r"\\[a-zA-Z]")
# Words too common to be worth a prefilter key; fragments always hold a rarer word as well.
_STOP_WORDS = (
    "a an the i im me my to of it is are be been being and or for in on at with this that so just not no "
    "dont wont cant will would should could do did was were have has had am its all any off as if s w d "
    "st nd rd th like feel feeling go going get got want one day days every back really people see keep "
    "some by when after them they her him you how can still long next up made thing things morning night "
    "try trying much many everyone everything down only fine care bad since well away left open line "
    "hand week two three four five six seven full whole usual normal once each top room eyes never"
)
_STOP = frozenset(_STOP_WORDS.split())
_SHORT = 14  # a message of at most this many words with no other subject is the speaker talking about self
_GROUPS = ("ideation", "farewell", "harm", "substance", "plan", "use", "time")
# Core groups can make a detection; support groups (plan, use, time) only add to a core concept.
_CORE = frozenset({"ideation", "farewell", "harm", "substance"})


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept: a pattern per weight and the words that can start a match (prefilter)."""

    name: str
    group: str
    strong: re.Pattern[str] | None
    weak: re.Pattern[str] | None
    strong_keys: frozenset[str]
    weak_keys: frozenset[str]


@dataclass(frozen=True, slots=True)
class ConceptHit:
    """A window's verdict: level, categories, and where in the normalised text it lies."""

    level: Level
    categories: tuple[Category, ...]
    start: int
    end: int
    concepts: tuple[str, ...]


def _strip_lookarounds(fragment: str) -> str:
    # Words inside (?=...), (?!...), (?<=...), (?<!...) are not what a match is made of: drop them, so the
    # prefilter keys are only words a match itself contains.
    out: list[str] = []
    i = 0
    while i < len(fragment):
        if fragment.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            depth = 0
            while i < len(fragment):
                if fragment[i] == "\\":
                    i += 2
                    continue
                if fragment[i] == "(":
                    depth += 1
                elif fragment[i] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            i += 1
            continue
        out.append(fragment[i])
        i += 1
    return "".join(out)


def _alternatives(fragment: str) -> list[str]:
    """Split a fragment on its top-level ``|``."""
    parts: list[str] = []
    depth = start = i = 0
    while i < len(fragment):
        ch = fragment[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(fragment[start:i])
            start = i + 1
        i += 1
    parts.append(fragment[start:])
    return parts


def _keys(fragments: list[str]) -> frozenset[str]:
    """Prefilter keys: the uncommon words of each alternative (every alternative must have one)."""
    words: set[str] = set()
    for frag in fragments:
        for alt in _alternatives(_strip_lookarounds(frag)):
            found = {w for w in _WORD.findall(_ESCAPE.sub(" ", alt)) if w not in _STOP and len(w) > 1}
            if not found:
                raise ValueError(f"concept fragment {alt!r} has only common words; it could never be tried")
            words |= found
    return frozenset(words)


def _compile(fragments: list[str]) -> re.Pattern[str] | None:
    if not fragments:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{f})" for f in fragments) + r")(?!\w)")


class ConceptScorer:
    """Scores concept co-occurrence in a normalised message (see the module docstring)."""

    def __init__(self, concepts: list[Concept], third_person: frozenset[str]) -> None:
        self.concepts = tuple(concepts)
        self._third_person = third_person - FIRST_PERSON
        keys: set[str] = set()
        for c in concepts:
            if c.group in _CORE:
                keys |= c.strong_keys | c.weak_keys
            elif c.name == "means":
                keys |= c.strong_keys
        self.keys = frozenset(keys)
        # word -> (concept index, weight it can give): one dict walk instead of a set operation per concept.
        key_map: dict[str, dict[int, int]] = {}
        for ci, c in enumerate(concepts):
            for weight, ckeys in ((1, c.weak_keys), (2, c.strong_keys)):
                if (c.strong if weight == 2 else c.weak) is None:
                    continue
                for k in ckeys:
                    slot = key_map.setdefault(k, {})
                    slot[ci] = max(slot.get(ci, 0), weight)
        self._key_map = key_map
        self._all_keys = frozenset(key_map)
        self._entries: dict[tuple[Level, tuple[Category, ...]], Entry] = {}

    def entry(self, hit: ConceptHit) -> Entry:
        """A lexicon entry standing for a concept verdict, so context rules and combining treat it as a match."""
        key = (hit.level, hit.categories)
        cached = self._entries.get(key)
        if cached is None:
            cached = Entry(
                id="concepts",
                categories=hit.categories,
                level=hit.level,
                kind=Kind.SELF,
                regex=re.compile(r"(?!)"),
                triggers=frozenset(),
            )
            self._entries[key] = cached
        return cached

    def score(self, norm: str, tokens: frozenset[str]) -> ConceptHit | None:
        """The strongest window verdict in ``norm``, or None."""
        if not tokens & self.keys:
            return None
        possible: dict[int, int] = {}
        for k in tokens & self._all_keys:
            for ci, weight in self._key_map[k].items():
                if possible.get(ci, 0) < weight:
                    possible[ci] = weight
        core = support = 0
        active: list[Concept] = []
        for ci, weight in possible.items():
            c = self.concepts[ci]
            active.append(c)
            if c.group in _CORE:
                core += weight
            elif c.group != "time":
                support += weight
        if not (core >= 2 or (core >= 1 and core + support >= 3) or support >= 3):
            return None
        # Sentence starts, to place each match in a sentence.
        starts = [0]
        pos = norm.find(" . ")
        while pos >= 0:
            starts.append(pos + 3)
            pos = norm.find(" . ", pos + 3)
        n_sent = len(starts)
        # per sentence: concept name -> (weight, start, end)
        found: list[dict[str, tuple[int, int, int]]] = [{} for _ in range(n_sent)]
        for c in active:
            for weight, pattern in ((2, c.strong), (1, c.weak)):
                if pattern is None:
                    continue
                for m in pattern.finditer(norm):
                    s = bisect_right(starts, m.start()) - 1
                    prev = found[s].get(c.name)
                    if prev is None or prev[0] < weight:
                        found[s][c.name] = (weight, m.start(), m.end())
                    elif weight == 1 and prev[0] == 1 and norm[prev[1] : prev[2]] != m.group(0):
                        # Two different weak signs of one concept ("im out" ... "for good") add up.
                        found[s][c.name] = (2, prev[1], m.end())
        if not any(found):
            return None
        n_words = sum(1 for t in norm.split() if t not in {".", ","})
        short_self = n_words <= _SHORT and not tokens & self._third_person
        groups = {c.name: c.group for c in self.concepts}
        best: ConceptHit | None = None
        for i in range(n_sent):
            window: dict[str, tuple[int, int, int]] = dict(found[i])
            if i + 1 < n_sent:
                for name, val in found[i + 1].items():
                    prev = window.get(name)
                    if prev is None or prev[0] < val[0]:
                        window[name] = val
                    elif prev[0] == val[0] == 1 and norm[prev[1] : prev[2]] != norm[val[1] : val[2]]:
                        window[name] = (2, prev[1], val[2])
            if not window:
                continue
            end = starts[i + 2] if i + 2 < n_sent else len(norm)
            text = set(norm[starts[i] : end].split())
            if not (short_self or text & FIRST_PERSON):
                continue
            hit = _verdict(window, groups)
            if hit is not None and (best is None or hit.level > best.level):
                best = hit
        return best


def _verdict(window: Mapping[str, tuple[int, int, int]], groups: Mapping[str, str]) -> ConceptHit | None:
    by_group: dict[str, int] = {}
    for name, (weight, _, _) in window.items():
        g = groups[name]
        by_group[g] = by_group.get(g, 0) + weight
    core = sum(v for g, v in by_group.items() if g in _CORE)
    support = by_group.get("plan", 0) + by_group.get("use", 0)
    # A method named outright ("which bridge", "the car in the garage") with a plan word or a time.
    means_plan = window.get("means", (0, 0, 0))[0] >= 2 and ("preparation" in window or "time" in by_group)
    if not (core >= 2 or (core >= 1 and core + support >= 3) or means_plan):
        return None
    total = core + support + (1 if "time" in by_group else 0)
    ideation = by_group.get("ideation", 0)
    plan = by_group.get("plan", 0) + by_group.get("farewell", 0)
    if ideation and plan and total >= 3:
        level = Level.IMMINENT
    elif (ideation or plan) and total >= 3:
        level = Level.HIGH
    else:
        level = Level.CONCERN
    cats: list[Category] = []
    if ideation or plan:
        cats.append(Category.SUICIDAL_IDEATION)
    if "farewell" in by_group or (plan and (ideation or "time" in by_group)):
        cats.append(Category.IMMEDIATE_DANGER)
    if "harm" in by_group:
        cats.append(Category.SELF_HARM)
    if "substance" in window and (window["substance"][0] >= 2 or "withdrawal" not in window):
        cats.append(Category.OVERDOSE)
    if "withdrawal" in window:
        cats.append(Category.SUBSTANCE_CRISIS)
    if level is Level.IMMINENT and Category.IMMEDIATE_DANGER not in cats:
        cats.append(Category.IMMEDIATE_DANGER)
    spans = list(window.values())
    start = min(s for _, s, _ in spans)
    end = max(e for _, _, e in spans)
    return ConceptHit(level, tuple(cats), start, end, tuple(sorted(window)))


def parse_concepts(data: Mapping[str, Any], macros: Mapping[str, str], third_person: frozenset[str]) -> ConceptScorer:
    """Compile concepts from their parsed TOML; ``macros`` are the lexicon's (``<PILLS>``)."""

    def expand(text: str) -> str:
        return _MACRO.sub(lambda m: macros[m.group(1)], text)

    concepts = []
    for name, raw in data.get("concept", {}).items():
        group = raw["group"]
        if group not in _GROUPS:
            raise ValueError(f"concept {name!r}: unknown group {group!r}")
        strong = [expand(f) for f in raw.get("strong", [])]
        weak = [expand(f) for f in raw.get("weak", [])]
        if group == "time":
            # Time words only ever raise a window that has other concepts: any of their words will do.
            keys = frozenset(_WORD.findall(_ESCAPE.sub(" ", " ".join(strong + weak))))
            concepts.append(Concept(name, group, _compile(strong), _compile(weak), keys, keys))
            continue
        concepts.append(Concept(name, group, _compile(strong), _compile(weak), _keys(strong), _keys(weak)))
    return ConceptScorer(concepts, third_person)


def load_concepts(path: Path = DEFAULT_CONCEPTS, lexicon_path: Path = DEFAULT_LEXICON) -> ConceptScorer:
    """Read and compile the concept file, with the lexicon's macros and third-person words."""
    with lexicon_path.open("rb") as fh:
        lex = tomllib.load(fh)
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    third = frozenset(lex["context"]["third_person"].split())
    return parse_concepts(data, dict(lex.get("macros", {})), third)


@cache
def default_concepts() -> ConceptScorer:
    """The shipped concepts, compiled once per process."""
    return load_concepts()

"""The crisis detector: normalise, prefilter on trigger tokens, match the lexicon, apply context, combine."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from .concepts import ConceptScorer, default_concepts
from .context import ADDRESSED, PAST, Assessment, assess
from .languages import ENGLISH_MARKERS, LanguageStage, other_language_stages
from .lexicon import EXTRA_PREFIX, Entry, Lexicon, default_lexicon
from .models import NO_DETECTION, Category, Detection, Kind, Level, Term
from .normalize import Normalizer

_MASK = " ~ "  # not a word character, so masked idioms also break pattern gaps
_DERIVED_CACHE_SIZE = 256
_MARKER = Assessment(Level.NONE, ())


@dataclass(frozen=True, slots=True)
class _Hit:
    entry: Entry
    phrase: str
    assessment: Assessment

    @property
    def level(self) -> Level:
        return self.assessment.level

    def evidence(self) -> str:
        cats = "+".join(str(c) for c in self.entry.categories) or "marker"
        text = f'{cats}/{self.entry.id}: "{self.phrase}"'
        if self.assessment.notes:
            text += f" (lowered to {self.level.name.lower()}: {', '.join(self.assessment.notes)})"
        return text


class Detector:
    """Classifies chat messages into crisis levels using the shipped lexicon plus optional extra terms.

    A detector is immutable after construction and safe to share between tasks. Per-server terms are
    layered on with :meth:`with_extra_terms`, which caches the derived detectors.
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        extra_terms: Iterable[Term] = (),
        languages: tuple[LanguageStage, ...] | None = None,
    ) -> None:
        """The shipped lexicon (or ``lexicon``) plus ``extra_terms``, and the other languages' word lists
        (``languages``; ``None``: the shipped ones, :func:`bot.crisis.languages.other_language_stages`).

        This is the fast first stage (microseconds a message). The sentence model that reviews its verdicts
        is :mod:`bot.crisis.second_opinion`, which callers run separately and off the event loop.
        """
        self._languages = other_language_stages() if languages is None else languages
        # Most English chat has none of these: one set operation and the other languages are done.
        self._any_marker = frozenset().union(*(stage.markers for stage in self._languages))
        base = lexicon if lexicon is not None else default_lexicon()
        self._normalizer = Normalizer(base.vocab)
        self._lexicon = base.with_terms(extra_terms, self._normalizer)
        if self._lexicon is not base:
            # Moderator words join the vocabulary so "s p a c e d" versions of them are repaired too.
            self._normalizer = Normalizer(self._lexicon.vocab)
        self._base = base
        self._concepts: ConceptScorer = default_concepts()
        self._derived: OrderedDict[frozenset[Term], Detector] = OrderedDict()

    @property
    def lexicon(self) -> Lexicon:
        """The compiled lexicon in use (shipped entries plus any extra terms)."""
        return self._lexicon

    def with_extra_terms(self, terms: Iterable[Term]) -> Detector:
        """A detector with the shipped lexicon plus ``terms``; cached per distinct set of terms."""
        key = frozenset(terms)
        if not key:
            return self
        cached = self._derived.get(key)
        if cached is not None:
            self._derived.move_to_end(key)
            return cached
        derived = Detector(self._base, sorted(key, key=lambda t: (t.term, t.category, t.level)), self._languages)
        self._derived[key] = derived
        if len(self._derived) > _DERIVED_CACHE_SIZE:
            self._derived.popitem(last=False)
        return derived

    def normalize(self, text: str) -> str:
        """The normalised form of ``text`` that patterns are matched against (useful for debugging)."""
        return self._normalizer.normalize(text)

    def detect(self, text: str) -> Detection:
        """Classify one message with the lexicon and its concept layer."""
        token_list = self._normalizer.tokens(text)
        if not token_list:
            return NO_DETECTION
        tokens = frozenset(token_list)
        detection = self._detect_lexicon(token_list, tokens)
        if detection.level < Level.IMMINENT and not self._any_marker.isdisjoint(tokens):
            return self._other_languages(text, tokens, detection)
        return detection

    def _other_languages(self, text: str, tokens: frozenset[str], english: Detection) -> Detection:
        """``english``, or another language's verdict when it is higher (see :mod:`bot.crisis.languages`).

        A language's list runs only when its marker words are among the English stage's tokens (accents
        folded the same way) at least as often as English function words and as any other language's, so
        English chat pays one set intersection a language.
        """
        n_english = len(ENGLISH_MARKERS & tokens)
        counts = [len(stage.markers & tokens) for stage in self._languages]
        # The message's language is the one with the most marker words; close languages (Spanish and
        # Portuguese share "que", "para", "todo") run together only when they tie.
        top = max(counts)
        if not top or top < n_english:
            return english
        best = english
        for stage, n_markers in zip(self._languages, counts, strict=True):
            if n_markers < top:
                continue
            stage_tokens = stage.normalizer.tokens(text)
            found = _detect_words(stage.lexicon, stage_tokens, frozenset(stage_tokens))
            # Only a higher verdict replaces the one held: a tie keeps English, then the earlier language.
            higher = found.level > best.level
            if higher or (best is english and _reads_better(found, english, n_markers, n_english)):
                best = replace(found, language=stage.code)
        return best

    def _detect_lexicon(self, token_list: list[str], tokens: frozenset[str]) -> Detection:
        """The lexicon and concept verdict on normalised tokens."""
        return _detect_words(self._lexicon, token_list, tokens, self._concepts)


def _reads_better(found: Detection, english: Detection, n_markers: int, n_english: int) -> bool:
    """True when another language's list, which matched and lowered its match to none, should overrule an
    English concern on a message that is mostly in that language.

    English words borrowed into the other languages ("overdose", "suicide") match the English list, whose
    context rules cannot read "las estadísticas de overdose" or "mon frère a fait une overdose" as news or
    another person; the other language's list found the same word and could.
    """
    return (
        found.level == Level.NONE and bool(found.evidence) and english.level == Level.CONCERN and n_markers > n_english
    )


def _detect_words(
    lex: Lexicon, token_list: list[str], tokens: frozenset[str], concepts: ConceptScorer | None = None
) -> Detection:
    """The verdict of one word list (and, for English, its concept layer) on normalised tokens."""
    # Prefilter: a set intersection in C. Most chat shares no token with any trigger and stops here.
    keys = lex.entry_index.keys() & tokens
    concept_keys = tokens & concepts.keys if concepts is not None else frozenset()
    if not keys and not concept_keys:
        return NO_DETECTION
    candidates: set[int] = set()
    for key in keys:
        candidates.update(lex.entry_index[key])
    if not concept_keys and all(lex.entries[i].kind is Kind.TIME and not lex.entries[i].categories for i in candidates):
        # Only plain time words ("tonight"): nothing to raise. Farewell markers go on, since several
        # of them together are a goodbye.
        return NO_DETECTION
    norm = " ".join(token_list)
    for key in lex.idiom_index.keys() & tokens:
        for i in lex.idiom_index[key]:
            norm = lex.idioms[i].regex.sub(_MASK, norm)
    hits: list[_Hit] = []
    weak: list[_Hit] = []
    markers: list[Entry] = []
    for i in sorted(candidates):
        entry = lex.entries[i]
        if entry.kind is Kind.TIME:
            markers.append(entry)
            continue
        found = _first_match(entry, norm, lex, tokens)
        if found is None:
            continue
        match, assessment = found
        if entry.kind is Kind.WEAK:
            weak.append(_Hit(entry, match.group(0), assessment))
            continue
        hits.append(_Hit(entry, match.group(0), assessment))
    if concept_keys and concepts is not None:
        concept = concepts.score(norm, tokens)
        if concept is not None:
            entry = concepts.entry(concept)
            assessment = assess(entry, norm, concept.start, concept.end, lex.context, tokens)
            phrase = f"{'+'.join(concept.concepts)}: {norm[concept.start : concept.end]}"
            hits.append(_Hit(entry, phrase, assessment))
    # Markers only raise other matches, except farewells, which count on their own when several agree;
    # skipping them otherwise saves most of the regex time on crisis-word-heavy chat.
    for entry in markers:
        if hits or weak or entry.categories:
            # Counted, not just found: three farewell phrases say more than one.
            hits.extend(_Hit(entry, m.group(0), _MARKER) for m in entry.regex.finditer(norm))
    return _combine(hits, weak)


# Framings a later match of the same phrase can leave behind: said to the reader, or told from the past
# ("i used to be suicidal. i am suicidal again").
_READ_PAST = PAST | {ADDRESSED}


def _first_match(
    entry: Entry, norm: str, lex: Lexicon, tokens: frozenset[str]
) -> tuple[re.Match[str], Assessment] | None:
    """The first match of ``entry`` and its assessment; past a match said to the reader or told from the
    past, the next one.

    An offer of help can come with the writer's own words ("if you're feeling suicidal, dm me. i'm suicidal
    too tonight"), and a past with the present ("i used to be suicidal. i am suicidal again"). Other framings
    keep their first match, as measured: reading on past a word about someone else found the writer in "why
    do people say 'committed' suicide? i've read that 'died by suicide'...".
    """
    first: tuple[re.Match[str], Assessment] | None = None
    for match in entry.regex.finditer(norm):
        assessment = assess(entry, norm, match.start(), match.end(), lex.context, tokens)
        first = first or (match, assessment)
        if not assessment.notes or not set(assessment.notes) <= _READ_PAST:
            return match, assessment
    return first


def _combine(hits: list[_Hit], weak: list[_Hit] | None = None) -> Detection:
    """Turn matches into one verdict. Several kinds of evidence together raise the level.

    ``weak`` holds weak signs (kind ``weak``): never a detection alone, but two different ones, or one with a
    farewell marker, are concern ("I feel so trapped" + "nothing ever changes"), and they add their
    categories to a detection made on other grounds.
    """
    weak = weak or []
    if not hits and not weak:
        return NO_DETECTION
    evidence = [h.evidence() for h in hits] + [h.evidence() for h in weak]
    active = [h for h in hits if h.entry.kind is not Kind.TIME and h.level > Level.NONE]
    markers = [h for h in hits if h.entry.kind is Kind.TIME]
    farewells = [h for h in markers if Category.IMMEDIATE_DANGER in h.entry.categories]
    # Only weak signs no context rule lowered count ("my friend feels trapped" is not the speaker's).
    clean_weak = [h for h in weak if not h.assessment.lowered]
    weak_ids = {h.entry.id for h in clean_weak}
    if not active:
        # Two separate farewell signals ("made up my mind", "thank you for everything"), or weak signs of
        # two different kinds, with nothing else still read as a crisis.
        n_farewell = len({h.phrase for h in farewells})
        if n_farewell + len(weak_ids) >= 2:
            categories: list[Category] = []
            if n_farewell:
                categories.extend((Category.SUICIDAL_IDEATION, Category.IMMEDIATE_DANGER))
            for h in clean_weak:
                categories.extend(c for c in h.entry.categories if c not in categories)
            what = "several farewell markers" if not weak_ids else "several weak signs"
            evidence.append(f"combined: {what} -> concern")
            return Detection(Level.CONCERN, tuple(categories), tuple(evidence))
        lowered = any(h.assessment.lowered for h in hits) or any(h.assessment.lowered for h in weak)
        if not (lowered or weak):
            return NO_DETECTION
        # Topic words said to the reader in an offer of help ("anyone feeling suicidal tonight, my dms are
        # open"): the models may still read a crisis, but only if a sentence that says the word is about the
        # writer (:mod:`bot.crisis.mentions`). Other lowered topic words are the models' call as before: they
        # read long posts better than the context rules ("is it too much for a teen with suicidal tendencies").
        topics = [h for h in hits if h.entry.kind is not Kind.TIME]
        addressed = all(ADDRESSED in h.assessment.notes for h in topics)
        topic_only = bool(topics) and not weak and addressed and _topics(topics)
        return Detection(Level.NONE, (), tuple(evidence), topic_only=topic_only)

    level = max(h.level for h in active)
    categories = []
    for h in active:
        categories.extend(c for c in h.entry.categories if c not in categories)
    # Only matches no context rule lowered may escalate: a story about a friend plus "tonight" is not a plan.
    clean = [h for h in active if not h.assessment.lowered]
    danger = [h for h in clean if Category.IMMEDIATE_DANGER in h.entry.categories and h.entry.kind is Kind.SELF]
    means = [h for h in clean if h.entry.kind is Kind.MEANS]
    ideation = [
        h for h in clean if Category.IMMEDIATE_DANGER not in h.entry.categories and h.entry.kind is not Kind.MEANS
    ]
    strong = [h for h in ideation if h.level >= Level.HIGH]
    urgent = bool(markers)

    if clean:
        for h in clean_weak:
            categories.extend(c for c in h.entry.categories if c not in categories)
    new = level
    reason = ""
    if danger and (ideation or urgent or means or len(danger) >= 2):
        new, reason = Level.IMMINENT, "plan, goodbye or means with ideation or a time"
    elif means and ideation:
        new, reason = Level.IMMINENT, "means with ideation"
    elif strong and urgent:
        new, reason = Level.IMMINENT, "ideation with a time or urgent sign"
    elif means and urgent:
        new, reason = max(level, Level.HIGH), "means with a time or farewell"
    elif (len(clean) >= 2 and len({c for h in clean for c in h.entry.categories}) >= 2) or len(clean) >= 3:
        new, reason = max(level, Level.HIGH), "several crisis signs"
    elif clean and len(weak_ids) >= 2:
        new, reason = max(level, Level.HIGH), "a crisis sign with several weak signs"
    if new > level:
        level = new
        evidence.append(f"combined: {reason} -> {level.name.lower()}")
        if level is Level.IMMINENT and Category.IMMEDIATE_DANGER not in categories:
            categories.append(Category.IMMEDIATE_DANGER)
    server_term = any(h.entry.id.startswith(EXTRA_PREFIX) for h in active)
    # Nothing but a topic word about suicide, and nothing combined with it: news, jokes and talk about others
    # say "suicidal" too, so the second opinion asks who it is about.
    topic_only = not reason and not clean_weak and _topics(active)
    method = any(h.entry.agreed for h in clean)
    return Detection(level, tuple(categories), tuple(evidence), server_term, topic_only=topic_only, method=method)


def _topics(hits: list[_Hit]) -> bool:
    """True when every hit is a bare topic word about suicide ("suicidal", "suicide")."""
    return all(h.entry.kind is Kind.MENTION and h.entry.categories == (Category.SUICIDAL_IDEATION,) for h in hits)


@cache
def load_default_detector() -> Detector:
    """The detector built from the shipped lexicon, created once per process (no database needed)."""
    return Detector()

"""The languages crisis detection reads, in one place, and the word-list stage of each non-English one.

:data:`DETECTION_LANGUAGES` is the list the rest of the bot reads (``/config show``, the setup checklist):
English (``bot/data/crisis/lexicon.toml`` with its concept layer and sentence model) and one word list each
for Spanish, Portuguese (Brazil and Portugal), French and German (``bot/data/crisis/lexicon.<code>.toml``).

How a message's language is chosen: by the words in it. Every message goes through the English stage exactly
as before, and through each other language's word list whose *marker words* (common function words of that
language that English does not use: "que", "estou", "je", "ich", and its commonest crisis verbs) appear in
it at least as often as English function words (:data:`ENGLISH_MARKERS`). Why not the member's or the
server's language:

- a message carries no locale (Discord gives ``interaction.locale`` to commands, not to messages), and the
  server's language says little about what one member writes in a multilingual server;
- people in crisis switch language mid-message ("ya no puedo más, i'm done");
- the marker check is a set intersection on tokens the English stage already made, so English chat costs
  nothing more, and a word list only runs where its language is present.

Only the language with the most marker words runs (close languages, such as Spanish and Portuguese, run
together when they tie). The verdict with the highest level wins; a tie keeps English. On a message mostly
in another language, that language's list also overrules an English concern on a borrowed word it lowered
to none ("meu irmão teve uma overdose"). The verdict's ``language`` says which list spoke, so the answer can
be given in it. The English models (quick read and sentence model) never review another language's
verdict: they cannot read it, and would clear it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from .lexicon import DATA_DIR, Lexicon, default_lexicon, parse_lexicon
from .normalize import Normalizer

__all__ = [
    "DETECTION_LANGUAGES",
    "ENGLISH_MARKERS",
    "DetectionLanguage",
    "LanguageStage",
    "detection_language_for_locale",
    "load_stage",
    "other_language_stages",
]


@dataclass(frozen=True, slots=True)
class DetectionLanguage:
    """A language crisis detection reads: its code, its English name, and the Discord locales that are it."""

    code: str
    name: str
    locales: tuple[str, ...]
    lexicon_file: str


DETECTION_LANGUAGES: tuple[DetectionLanguage, ...] = (
    DetectionLanguage("en", "English", ("en-US", "en-GB"), "lexicon.toml"),
    DetectionLanguage("es", "Spanish", ("es-ES", "es-419"), "lexicon.es.toml"),
    DetectionLanguage("pt", "Portuguese", ("pt-BR",), "lexicon.pt.toml"),
    DetectionLanguage("fr", "French", ("fr",), "lexicon.fr.toml"),
    DetectionLanguage("de", "German", ("de",), "lexicon.de.toml"),
)


def detection_language_for_locale(locale: object) -> str | None:
    """The detection language code for a Discord locale ("pt-BR" -> "pt"), or None when none reads it."""
    value = str(getattr(locale, "value", locale) or "")
    return next((lang.code for lang in DETECTION_LANGUAGES if value in lang.locales), None)


# Common English words no other shipped language uses ("in", "will", "me", "a", "so" are left out: German,
# Spanish, French or Portuguese use them too): another language's list runs only when the message has at
# least as many of its own marker words as of these, so an English post that happens to contain one of
# them ("de", "la", "no", a name) stays with the English stage alone.
ENGLISH_MARKERS = frozenset(
    """
    i ive id ill my myself you your the and is it its of that this for with were been have has had just not
    dont cant wont are but what when how if at they she we them him about all out up get got like want know
    think feel really would could should did does
    """.split()  # noqa: SIM905 - a word list reads better as prose
)


_MIN_OWN_MARKER = 4  # shorter trigger words ("um", "la", "mal", "fin") are too often English or names


@dataclass(frozen=True, slots=True)
class LanguageStage:
    """One non-English word list: its lexicon, a normaliser with its own chat slang, and its marker words
    (the ``markers`` of its file, plus its slang and its trigger words of four letters or more that the
    English lexicon does not use)."""

    code: str
    lexicon: Lexicon
    normalizer: Normalizer
    markers: frozenset[str]


def parse_stage(code: str, data: Mapping[str, Any]) -> LanguageStage:
    """Compile a language's word list from its parsed TOML (a lexicon plus a ``[language]`` table)."""
    meta = data["language"]
    if meta["code"] != code:
        raise ValueError(f"lexicon for {code!r} says it is {meta['code']!r}")
    # Entry ids carry the language, so the evidence a moderator reads says which list matched.
    entries = [{**raw, "id": f"{code}:{raw['id']}"} for raw in data.get("entry", [])]
    lexicon = parse_lexicon({**data, "entry": entries})
    slang = {str(k): str(v) for k, v in meta.get("slang", {}).items()}
    declared = frozenset(meta["markers"].split())
    if not declared:
        raise ValueError(f"lexicon for {code!r} has no marker words")
    # A one-line crisis message may have no function word ("kiero morir", "engoli a cartela inteira"), so
    # the list's own slang and trigger words count too, except short ones and words English shares.
    english = default_lexicon().vocab | ENGLISH_MARKERS
    own = {t for entry in lexicon.entries for t in entry.triggers} | set(slang)
    markers = declared | {w for w in own if len(w) >= _MIN_OWN_MARKER and w not in english}
    return LanguageStage(code, lexicon, Normalizer(lexicon.vocab, slang=slang), markers)


def load_stage(code: str) -> LanguageStage:
    """Read and compile the shipped word list of ``code``."""
    lang = next(lang for lang in DETECTION_LANGUAGES if lang.code == code)
    with (DATA_DIR / lang.lexicon_file).open("rb") as fh:
        return parse_stage(code, tomllib.load(fh))


@cache
def other_language_stages() -> tuple[LanguageStage, ...]:
    """Every shipped non-English word list, compiled once per process."""
    return tuple(load_stage(lang.code) for lang in DETECTION_LANGUAGES if lang.code != "en")

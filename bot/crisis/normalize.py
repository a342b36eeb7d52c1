"""Text normalisation that undoes the usual ways crisis words get disguised.

The output is a lower-case string of space-separated tokens. Sentence ends become a lone ``.`` token and
clause breaks a lone ``,`` token, so lexicon patterns can allow a few words of slack (``(?:\\w+ ){0,3}``)
without reaching across a sentence. Apostrophes are dropped ("can't" -> "cant") so patterns need one spelling.

Order matters and is chosen so each step sees what it needs:
1. NFKC + a translation table (only for non-ASCII text, the rare case): full-width and styled letters,
   Cyrillic/Greek look-alikes, zero-width characters, curly quotes, and a few emoji that mean a method
   (pill, knife, rope, gun) or a laugh.
2. Leetspeak inside words ("su1c1de", "k1ll", "d!e") while leaving numbers with units ("800mg", "4am").
3. Letters spaced out ("k i l l m y s e l f", "s.u.i.c.i.d.e"), rejoined only when the result splits into
   known words, so ordinary text ("a b c") is left alone.
4. Runs of three or more of one letter ("diiiie", "killlll"), shortened to a known word where possible.
5. Punctuation to separator tokens, then a per-token slang table ("kms" -> "kill myself").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

# Look-alike letters that NFKC leaves alone (they are distinct letters, not compatibility forms).
_HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "ӏ": "l",
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c", "Т": "t",
    "У": "y", "Х": "x", "І": "i", "Ј": "j", "Ѕ": "s",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "Α": "a", "Β": "b", "Ε": "e", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m",
    "Ν": "n", "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x", "Ζ": "z",
    # Letters NFKC and accent stripping leave alone: German and French ligatures.
    "ß": "ss", "œ": "oe", "Œ": "oe", "æ": "ae",
    # Spanish opening marks and guillemets: separators, like their closing counterparts.
    "¡": " ", "¿": " ", "«": '"', "»": '"', "„": '"', "‹": '"', "›": '"',
    # Quotes and dashes that survive NFKC
    "‘": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "–": "-", "—": ",", "…": ".",
}  # fmt: skip

# Emoji that carry meaning for crisis detection. Crisis Text Line found the pill emoji a strong signal.
# Laughing emoji become a marker token the joke rule sees ("💀" in chat means "I'm dying laughing").
_EMOJI = {
    "💊": " pills ", "🔪": " knife ", "🗡": " knife ", "🪢": " rope ", "🔫": " gun ", "⚰": " coffin ",
    "🩸": " blood ", "🌉": " bridge ", "💉": " needle ", "🍾": " bottle ", "🥃": " drink ", "🍺": " drink ",
    "😂": " xlaugh ", "🤣": " xlaugh ", "💀": " xlaugh ", "☠": " xlaugh ", "😆": " xlaugh ",
}  # fmt: skip

_ZERO_WIDTH = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)

_UNICODE_TABLE: dict[int, str | None] = {ord(k): v for k, v in {**_HOMOGLYPHS, **_EMOJI}.items()}
_UNICODE_TABLE.update({ord(c): None for c in _ZERO_WIDTH})
_UNICODE_TABLE[0xFE0F] = None  # emoji variation selector

# Punctuation becomes separator tokens; every other symbol becomes a space.
_SENTENCE = ".!?;\n\r"
_CLAUSE = ',:()[]{}"<>'
_PUNCT_TABLE: dict[int, str] = {ord(c): " . " for c in _SENTENCE}
_PUNCT_TABLE.update({ord(c): " , " for c in _CLAUSE})
_PUNCT_TABLE.update({ord(c): " " for c in "#%&*+-/=@\\^_|~$'\t"})

# The same for pure-ASCII text as a 256-byte table (much faster than str.translate with a dict): sentence
# ends become \x01 and clause breaks \x02, expanded to " . " and " , " afterwards.
_ASCII_TABLE = bytearray(range(256))
for _c in _SENTENCE:
    _ASCII_TABLE[ord(_c)] = 1
for _c in _CLAUSE:
    _ASCII_TABLE[ord(_c)] = 2
for _c in "#%&*+-/=@\\^_|~$'\t":
    _ASCII_TABLE[ord(_c)] = 32
_ASCII_PUNCT = bytes(_ASCII_TABLE)

_LEET_MAP = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
                           "!": "i", "|": "l", "+": "t"})  # fmt: skip
# A word with a leet character touching a letter. Searching for the touch keeps plain words out of the
# (slow) Python callback.
_LEET_GUARD = re.compile(r"[a-z][0-9@$!|+]|[0-9@$|+][a-z]")
_LEET_WORD = re.compile(r"[a-z0-9@$!|+]*(?:[a-z][0-9@$!|+]|[0-9@$|+][a-z])[a-z0-9@$!|+]*")
# Numbers with units, ordinals, times and counts are real numbers, not leetspeak: 800mg, 2nd, 4am, x30, 3x.
_NUMERIC = re.compile(r"\d+(?:[a-z]{1,5})?|x\d+|\d+x|\d+(?:st|nd|rd|th)")
# Three or more single letters separated by a space, dot, dash, underscore or star.
_SPACED = re.compile(r"(?<![\w'])(?:[a-z][ .\-_*]{1,3}){2,}[a-z](?![\w'])")
_SPACED_SEP = re.compile(r"[ .\-_*]+")
_REPEAT_WORD = re.compile(r"[a-z]*([a-z])\1\1[a-z]*")
_RUN3 = re.compile(r"([a-z])\1{2,}")
_RUN3_GUARD = re.compile(r"([a-z])\1\1")
# "OD'd", "o.d.", "od-ing" would otherwise become "odd" or split apart when apostrophes and dots go.
_OD = re.compile(r"\bo\.?d(?:'|\.|-)?(d|ed|ing)?\b")
_TONE_TAG = re.compile(r"(?<!\w)/(?:j|s|hj|jk|lh)\b")

# Per-token slang and spelling variants. Multi-word evasions ("sewer slide", "catch the bus") are
# patterns in the lexicon instead, where they can require context.
SLANG: dict[str, str] = {
    "kms": "kill myself", "kmss": "kill myself", "kmsl": "kill myself", "kys": "kill yourself",
    "sewerslide": "suicide", "suicde": "suicide", "sucide": "suicide", "suiside": "suicide",
    "suicid": "suicide", "suwuicide": "suicide", "suic": "suicide", "sudoku": "suicide",
    "sucidal": "suicidal", "suicidel": "suicidal", "suisidal": "suicidal", "suicidial": "suicidal",
    "selfharm": "self harm", "selfharming": "self harming", "unalive": "unalive", "unaliving": "unalive",
    "wanna": "want to", "wana": "want to", "gonna": "going to", "gotta": "got to", "tryna": "trying to",
    "u": "you", "ur": "your", "rn": "right now", "tn": "tonight", "tonite": "tonight", "2nite": "tonight",
    "2night": "tonight", "tmrw": "tomorrow", "tmr": "tomorrow", "2morrow": "tomorrow", "idk": "i dont know",
    "idc": "i dont care", "idw": "i dont want", "cuz": "because", "bc": "because", "coz": "because",
    "ppl": "people", "pls": "please", "plz": "please", "im": "im", "ima": "im going to", "imma": "im going to",
    "dieing": "dying", "ded": "dead", "od": "overdose", "ods": "overdoses", "oded": "overdosed",
    "odd": "odd", "oding": "overdosing", "odding": "overdosing", "ctb": "ctb", "anymore": "anymore",
    "any1": "anyone", "every1": "everyone", "no1": "noone", "noone": "noone", "nobody": "noone",
    "cant": "cant", "dont": "dont", "wont": "wont", "didnt": "didnt", "isnt": "isnt", "wasnt": "wasnt",
    "jkjk": "jk", "lmao": "lol", "lmfao": "lol", "lolol": "lol", "rofl": "lol", "haha": "lol",
    "hahaha": "lol", "hehe": "lol", "xd": "lol", "bf": "boyfriend", "gf": "girlfriend",
    "abt": "about", "thx": "thanks", "ty": "thanks", "meds": "meds", "b4": "before",
    # Slips of the keys in the words that carry the most weight.
    "suicidle": "suicidal", "sucidle": "suicidal", "suicidale": "suicidal", "suicdie": "suicide",
    "myslef": "myself", "mysefl": "myself", "myslf": "myself", "dissapear": "disappear",
    "disapear": "disappear", "dissappear": "disappear", "anymroe": "anymore", "anymor": "anymore",
    "anymre": "anymore", "wnat": "want", "lfie": "life",
}  # fmt: skip

# Words the repeated-letter and spaced-letter repairs may produce. The lexicon adds its own words.
_BASE_VOCAB = frozenset(
    """
    a i im me my myself you your want to die dying dead death kill killing end ending it all life live
    living alive suicide suicidal self harm cut cutting hurt pills pill overdose goodbye bye sorry help
    please no not dont cant wont never anymore so too tired done over gone sleep wake up forever sad
    hate ok okay good feel feeling need needs now right tonight today hope wish gun rope knife bridge
    """.split()  # noqa: SIM905 - a word list reads better as prose than as 78 quoted strings
)


_CRISIS_SLANG = frozenset({"kms", "kmss", "kys", "ctb", "sewerslide", "unalive", "selfharm", "od"})


def _deleet(match: re.Match[str]) -> str:
    word = match.group(0)
    core = word.rstrip("!")  # "die!" is an exclamation, not "diei"
    if _NUMERIC.fullmatch(core):
        return word
    return core.translate(_LEET_MAP) + word[len(core) :]


class Normalizer:
    """Normalises message text for lexicon matching; ``vocab`` guides the letter-repair steps.

    ``slang`` replaces the English per-token table for another language's word list (its chat
    abbreviations, ``bot/data/crisis/lexicon.<lang>.toml``); ``None`` keeps :data:`SLANG`.
    """

    def __init__(self, vocab: Iterable[str] = (), slang: Mapping[str, str] | None = None) -> None:
        # Only crisis slang joins the vocabulary: chat abbreviations ("bc", "u") would let "a b c" split.
        self.vocab = frozenset(_BASE_VOCAB | set(vocab) | _CRISIS_SLANG)
        self._max_word = max(len(w) for w in self.vocab)
        self._slang: Mapping[str, str] = SLANG if slang is None else slang
        self._slang_keys = frozenset(self._slang)

    def normalize(self, text: str) -> str:
        """Return the normalised token string for ``text`` (empty string for empty input)."""
        return " ".join(self.tokens(text))

    def tokens(self, text: str) -> list[str]:
        """Return the normalised tokens of ``text``; sentence and clause breaks are "." and "," tokens."""
        if not text:
            return []
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text).translate(_UNICODE_TABLE)
            if not text.isascii():
                # Zalgo text and stray accents: drop combining marks ("k̷i̷l̷l̷" -> "kill").
                text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
        text = text.lower()
        # Each repair runs only when a cheap check says it could apply: most messages need none of them.
        if "/" in text:
            text = _TONE_TAG.sub(" jk ", text)
        if "od" in text or "o.d" in text:
            text = _OD.sub(self._od, text)
        if "'" in text:
            text = text.replace("'", "")
        if _LEET_GUARD.search(text):
            text = _LEET_WORD.sub(_deleet, text)
        text = _SPACED.sub(self._join_spaced, text)
        if _RUN3_GUARD.search(text):
            text = _REPEAT_WORD.sub(self._unrepeat, text)
        if text.isascii():
            text = text.encode().translate(_ASCII_PUNCT).decode()
            tokens = text.replace("\x01", " . ").replace("\x02", " , ").split()
        else:
            tokens = text.translate(_PUNCT_TABLE).split()
        slang = self._slang
        if not self._slang_keys.isdisjoint(tokens):
            return " ".join([slang.get(t, t) for t in tokens]).split()
        return tokens

    @staticmethod
    def _od(match: re.Match[str]) -> str:
        suffix = match.group(1)
        if suffix is None:
            # A bare "od" with a trailing dot is ambiguous with the abbreviation; keep the word.
            return " overdose "
        return " overdosing " if suffix == "ing" else " overdosed "

    def _join_spaced(self, match: re.Match[str]) -> str:
        joined = _SPACED_SEP.sub("", match.group(0))
        words = self._segment(joined)
        return f" {' '.join(words)} " if words else match.group(0)

    @lru_cache(maxsize=4096)  # noqa: B019 - one Normalizer per detector, lives as long as the process
    def _segment(self, joined: str) -> tuple[str, ...] | None:
        """Split ``joined`` into vocabulary words (fewest words wins), or None if it cannot be split."""
        n = len(joined)
        best: list[tuple[str, ...] | None] = [None] * (n + 1)
        best[0] = ()
        for end in range(1, n + 1):
            for start in range(max(0, end - self._max_word), end):
                prev = best[start]
                word = joined[start:end]
                if prev is not None and word in self.vocab:
                    cand = (*prev, word)
                    cur = best[end]
                    if cur is None or len(cand) < len(cur):
                        best[end] = cand
        return best[n]

    def _unrepeat(self, match: re.Match[str]) -> str:
        word = match.group(0)
        single = _RUN3.sub(r"\1", word)
        if single in self.vocab:
            return single
        double = _RUN3.sub(r"\1\1", word)
        if double in self.vocab:
            return double
        # Unknown word: emphasis in chat is usually on vowels of short words, so one letter is the best guess.
        return single


_DEFAULT = Normalizer()


def normalize(text: str) -> str:
    """Normalise ``text`` with the built-in vocabulary (the detector uses one extended by its lexicon)."""
    return _DEFAULT.normalize(text)

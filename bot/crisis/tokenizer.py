"""BERT's uncased wordpiece tokenizer, as all-MiniLM-L6-v2 was trained with, for both sentence encoders.

Lower-case, strip accents, split on whitespace and punctuation (each CJK character alone), then greedy
longest-match wordpieces (``[UNK]`` for a word with no split). Checked against the reference tokenizer's ids in
``tests/unit/crisis/test_second_opinion.py``.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

# sentence-transformers truncates this model at 256 wordpieces; a chat message is far shorter, and a long
# post is read in shorter windows of whole sentences (bot.crisis.second_opinion.WINDOW_TOKENS).
MAX_TOKENS = 256
_MAX_WORD = 100  # BERT gives a longer "word" one [UNK] without trying
_CACHE_LIMIT = 100_000


def load_vocab(path: Path) -> list[str]:
    """The model's vocabulary, one wordpiece a line, in id order."""
    vocab = path.read_text(encoding="utf-8").split("\n")
    if vocab and vocab[-1] == "":
        vocab.pop()
    return vocab


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    # ASCII symbols count as punctuation for BERT even where Unicode says otherwise ("$", "^", "`").
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B81F
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


class BertTokenizer:
    """BERT's uncased basic tokenizer plus wordpieces, with a per-word cache."""

    def __init__(self, vocab: list[str]) -> None:
        self.index = {tok: i for i, tok in enumerate(vocab)}
        self.cls, self.sep, self.unk = self.index["[CLS]"], self.index["[SEP]"], self.index["[UNK]"]
        self._cache: dict[str, tuple[int, ...]] = {}

    def basic(self, text: str) -> list[str]:
        """Lower-cased, accent-free words and punctuation marks, as BERT splits them."""
        out: list[str] = []
        word: list[str] = []
        text = unicodedata.normalize("NFD", text.lower())
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
                continue  # BERT drops control and format characters
            if unicodedata.category(ch) == "Mn":
                continue  # accents (after NFD)
            if ch.isspace():
                if word:
                    out.append("".join(word))
                    word = []
            elif _is_punctuation(ch) or _is_cjk(cp):
                if word:
                    out.append("".join(word))
                    word = []
                out.append(ch)
            else:
                word.append(ch)
        if word:
            out.append("".join(word))
        return out

    def word_ids(self, word: str) -> tuple[int, ...]:
        """Wordpiece ids of one basic token (greedy longest match; one [UNK] if it can't be split)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        index = self.index
        ids: list[int] = []
        if len(word) > _MAX_WORD:
            ids = [self.unk]
        else:
            start, n = 0, len(word)
            while start < n:
                end, found = n, -1
                while end > start:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    found = index.get(piece, -1)
                    if found >= 0:
                        break
                    end -= 1
                if found < 0:
                    ids = [self.unk]
                    break
                ids.append(found)
                start = end
        result = tuple(ids)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = result
        return result

    def ids(self, text: str) -> list[int]:
        """All wordpiece ids of ``text``, without [CLS]/[SEP] and without truncation."""
        out: list[int] = []
        for word in self.basic(text):
            out.extend(self.word_ids(word))
        return out

    def sequence(self, text: str) -> list[int]:
        """The model's input for ``text``: [CLS], its wordpieces (truncated to :data:`MAX_TOKENS` in all), [SEP]."""
        return [self.cls, *self.ids(text)[: MAX_TOKENS - 2], self.sep]

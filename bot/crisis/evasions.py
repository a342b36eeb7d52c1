"""Evasive spellings of crisis words, made plain for the sentence model.

The model cannot know spellings that split into meaningless wordpieces: it read "sewer slide is looking real
good rn" as everyday talk. It reads the plain word instead. Only spellings with no everyday sense are
listed: "kms", "unalive" and "sudoku" stay, as the model learned them in context.
"""

from __future__ import annotations

import re

__all__ = ["plain_words"]

_EVASIONS = {
    "sewerslide": "suicide",
    "suwuicide": "suicide",
    "suicde": "suicide",
    "sucide": "suicide",
    "suiside": "suicide",
    "sucidal": "suicidal",
    "suicidel": "suicidal",
    "suisidal": "suicidal",
    "suicidial": "suicidal",
    "selfharm": "self harm",
    "selfharming": "self harming",
}
_EVASION = re.compile(r"\b(?:sewer[\s-]+slide|" + "|".join(_EVASIONS) + r")\b", re.IGNORECASE)


def plain_words(text: str) -> str:
    """``text`` with evasive spellings of crisis words replaced by the words themselves, for the model."""
    return _EVASION.sub(lambda m: _EVASIONS.get(re.sub(r"[\s-]+", "", m.group(0).lower()), "suicide"), text)

"""Posts that mention suicide: does the sentence that says it speak about the writer?

"Suicidal" and "suicide" are in news, awareness posts, jokes, talk about others and questions to everyone
("if you're feeling suicidal, call..."), as well as in cries for help. When a verdict rests on nothing but
such a topic word (:attr:`bot.crisis.models.Detection.topic_only`), the second opinion first asks whether a
sentence that says it is about the writer: it names the writer ("I", "me", "my"...), or it has no subject
at all and opens with the word or with how the writer feels ("feeling suicidal again", "suicidal thoughts
all day"), as people write about themselves in chat. A sentence with someone else or no one in particular
as its subject ("no one should be driven to suicide", "to anyone with suicidal thoughts") is not.

This is deliberately crude and only ever applies to bare topic words: any other sign of risk (a wish to die,
a plan, means, self-harm, an overdose) makes the verdict more than a topic word, and it is never asked.
"""

from __future__ import annotations

import re

__all__ = ["about_writer", "laughs"]

_SENTENCE = re.compile(r"[.!?;\n…]+")
_WORD = re.compile(r"[^\W_]+")
# Laughter beside a bare topic word ("suicidal lmao", "suicide season 💀") is the commonest hyperbole.
_LAUGHTER = re.compile(r"\b(?:lo+l+|lmf?ao+|rofl|ha(?:ha)+h?|he(?:he)+|jk|xd)\b|😂|🤣|💀|😭", re.IGNORECASE)
_TOPIC = re.compile(r"suicid\w*|sewerslide|unaliv\w*|ctb")
# The writer, as chat spells it once apostrophes are gone ("i'm" -> "im", "i'll" -> "ill").
FIRST_PERSON = frozenset({"i", "im", "ive", "id", "ill", "me", "my", "myself", "mine", "imma", "ima", "mines"})
# Words that may open a subjectless sentence about how the writer feels ("feeling so suicidal again").
_FEELING = frozenset(
    {
        "feel", "feeling", "feelin", "felt", "been", "being", "getting", "gettin", "got", "get", "so", "very",
        "really", "rly", "literally", "kinda", "lowkey", "highkey", "always", "still", "too", "again", "just",
        "all", "sort", "of", "a", "bit", "little", "extremely", "super", "bare", "hella", "mad", "fully",
        "actually", "honestly", "ngl", "tbh", "and", "but", "also", "currently", "rn", "today", "tonight",
        "thinking", "think", "thought", "thoughts", "about", "considering", "contemplating", "want", "wanna",
        "need", "planning", "ready", "for", "the", "more", "then",
    }
)  # fmt: skip


def about_writer(text: str) -> bool:
    """True when a sentence of ``text`` that mentions suicide speaks about the writer (see the module).

    Also True when no sentence spells the word plainly ("s.u.i.c.i.d.a.l", "u n a l i v e"): who hides the
    word is rarely writing the news, and this check must never clear what it cannot read.
    """
    found = False
    for sentence in _SENTENCE.split(text.lower().replace("’", "'").replace("'", "")):
        words = _WORD.findall(sentence)
        first = next((i for i, w in enumerate(words) if _TOPIC.fullmatch(w)), None)
        if first is None:
            continue
        found = True
        if FIRST_PERSON.intersection(words) or all(w in _FEELING for w in words[:first]):
            return True
    return not found


def laughs(text: str) -> bool:
    """True when ``text`` laughs ("lol", "lmao", "haha", 😂, 💀...): beside a bare topic word, often a joke."""
    return _LAUGHTER.search(text) is not None

"""Posts that mention suicide: does the sentence that says it speak about the writer?

"Suicidal" and "suicide" are in news, awareness posts, jokes, talk about others and questions to everyone
("if you're feeling suicidal, call..."), as well as in cries for help. When a verdict rests on nothing but
such a topic word (:attr:`bot.crisis.models.Detection.topic_only`), the second opinion first asks whether a
sentence that says it is about the writer: it names the writer ("I", "me", "my"...), or it has no subject
at all and opens with the word or with how the writer feels ("feeling suicidal again", "suicidal thoughts
all day"), as people write about themselves in chat. A sentence with someone else or no one in particular
as its subject ("no one should be driven to suicide") is not, and neither is one whose nearest subject
before the word is the reader in a short message that offers help ("if you're feeling suicidal, I'm here",
"to anyone with suicidal thoughts: stay, you matter"): on a peer-support server that is a member reaching
out. Without the offer, or in a long post, a "you" may be the writer's own story ("they say if you call the
cops on yourself for being suicidal... i dont know what to do"), so the sentence counts as any other; so
does one where the writer speaks of themselves beyond the offer ("everyone says reach out if you're
suicidal but i have no one"). "Anyone else" includes the writer ("does anyone else feel suicidal after a
relapse").

This is deliberately crude and only ever applies to bare topic words: any other sign of risk (a wish to die,
a plan, means, self-harm, an overdose) makes the verdict more than a topic word, and it is never asked.
"""

from __future__ import annotations

import re

__all__ = ["about_writer", "laughs", "nearest_person", "offers_help"]

_SENTENCE = re.compile(r"[.!?;\n…]+")
_CLAUSE = re.compile(r"[,:()–—]|\s-\s")
_WORD = re.compile(r"[^\W_]+")
# Laughter beside a bare topic word ("suicidal lmao", "suicide season 💀") is the commonest hyperbole.
_LAUGHTER = re.compile(r"\b(?:lo+l+|lmf?ao+|rofl|ha(?:ha)+h?|he(?:he)+|jk|xd)\b|😂|🤣|💀|😭", re.IGNORECASE)
_TOPIC = re.compile(r"suicid\w*|sewerslide|unaliv\w*|ctb")
# The writer, as chat spells it once apostrophes are gone ("i'm" -> "im", "i'll" -> "ill").
FIRST_PERSON = frozenset({"i", "im", "ive", "id", "ill", "me", "my", "myself", "mine", "imma", "ima", "mines"})
# The reader, as chat spells it ("ur" is "you're" or "your").
READER = frozenset(
    {"you", "u", "ya", "youre", "ur", "your", "yall", "anyone", "anybody", "everyone", "everybody", "whoever"}
)
# What a member offering help writes beside the reader's "suicidal" ("my dms are open", "you're not alone").
_OFFER = re.compile(
    r"\b(?:reach out|(?:dm|pm|message|text) me|(?:my )?dms (?:are )?open|talk to (?:me|someone|somebody)|"
    r"call (?:me|someone|somebody|988|a hotline|a helpline|a crisis line|a friend)|"
    r"(?:i ?a?m|we ?a?re) (?:always )?(?:here|around)|here for (?:you|u)|here if (?:you|u)|"
    r"(?:youre |you are )?not alone|you matter|(?:i )?love (?:you|u|yall)|stay safe|please stay|hang in there|"
    r"it gets better|thank (?:you|u) for|proud of (?:you|u)|sending (?:love|hugs)|i ?(?:ve|have)? been there|"
    r"(?:i ?a?m )?(?:so )?glad (?:you|u)|(?:i )?(?:care about|believe in) (?:you|u))\b"
)
_OFFER_WORDS = 60  # a post this long is someone's own story, whatever "you" it says
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
    lowered = text.lower().replace("’", "'").replace("'", "")
    offer = offers_help(lowered)
    for sentence in _SENTENCE.split(lowered):
        clauses = [_WORD.findall(c) for c in _CLAUSE.split(sentence)]
        at = next(((c, i) for c, words in enumerate(clauses) for i, w in enumerate(words) if _TOPIC.fullmatch(w)), None)
        if at is None:
            continue
        found = True
        nearest = nearest_person(clauses[at[0]][: at[1]])
        if nearest == "writer":
            return True
        if nearest == "reader" and offer:
            if FIRST_PERSON.intersection(_WORD.findall(_OFFER.sub(" ", sentence))):
                return True  # beyond the offer, the writer speaks of themselves ("...but i have no one")
            continue
        words = [w for c in clauses for w in c]
        opening = [w for c in clauses[: at[0]] for w in c] + clauses[at[0]][: at[1]]
        if FIRST_PERSON.intersection(words) or all(w in _FEELING for w in opening):
            return True
    return not found


def offers_help(text: str) -> bool:
    """True when ``text`` (lower case, apostrophes dropped) is a short message that offers help ("my dms are
    open", "you're not alone", "call 988"): the reader named in it is someone the writer reaches out to."""
    return _OFFER.search(text) is not None and len(_WORD.findall(text)) < _OFFER_WORDS


def nearest_person(
    before: list[str], *, writer: frozenset[str] = FIRST_PERSON, others: frozenset[str] = frozenset()
) -> str | None:
    """Who is named nearest the end of ``before`` (a clause's words up to a topic word): "writer", "other"
    (a word in ``others``), "reader" or None. "Anyone else" includes the writer ("does anyone else feel
    suicidal...")."""
    for i in range(len(before) - 1, -1, -1):
        if before[i] in writer:
            return "writer"
        if before[i] in others:
            return "other"
        if before[i] in READER:
            return "writer" if before[i + 1 : i + 2] == ["else"] else "reader"
    return None


def laughs(text: str) -> bool:
    """True when ``text`` laughs ("lol", "lmao", "haha", 😂, 💀...): beside a bare topic word, often a joke."""
    return _LAUGHTER.search(text) is not None

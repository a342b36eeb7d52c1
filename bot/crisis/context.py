"""Context rules: they lower the level of a match, and are the only way a level goes down.

Rules, applied to each lexicon match in the sentence it was found in:

=================  =====================================================  ==========================
rule               when                                                   effect
=================  =====================================================  ==========================
joke               the message says "jk", "just kidding", "/j"            -1 level, floor concern
third person       the nearest subject before the match is someone else   -1 level, floor concern
                   ("my friend said she wants to die")
addressed          a topic word whose nearest subject is the reader, in    floor none
                   a short message that offers help ("if you're
                   feeling suicidal, my dms are open")
news / media       the sentence talks about an article, study, song,     -1 level, floor concern
                   prevention, training ...
retrospective      a past frame before the match ("used to", "back when  -1 level, floor concern
                   i was drinking", "years ago") with nothing present
                   ("now", "again") in between
retrospective +    as above, and the message speaks from recovery         -2 levels, floor none
recovery           ("2 years sober", "grateful", "dont feel that way")
negation           "not suicidal", "I'm not going to kill myself"          -1 level, floor concern
=================  =====================================================  ==========================

Why these floors:
- A first-person crisis phrase (kind ``self`` or ``means``) is never taken below concern by a guess about
  tone: jokes about killing yourself, "I'm not suicidal but ...", and worries about a friend all deserve a
  gentle, private check-in. Negation never cancels: "not suicidal but I don't want to be here" still matches
  the second phrase at full level.
- The one exception is a story told from recovery ("I used to want to die; 2 years sober now"). Shares like
  this are the daily life of a recovery server and are protective; alarming on them would teach members to
  mute the bot. The match is still reported in the evidence, with the reason it was lowered.
- A bare topic word (kind ``mention``: "suicide", "overdosed", "self harm") about someone else, the reader,
  the news or the past is not the speaker's crisis, so those rules take it to none (again kept in the
  evidence). Support offers ("anyone feeling suicidal tonight, my dms are open") are the daily life of a peer
  server; answering them with hotlines, or paging the team, teaches members to mute the bot. First-person
  phrases addressed to the reader are left alone: "you make me want to die" names the speaker.
- Hyperbole ("I'd rather die than", "dying of laughter", "this homework is killing me") is not lowered here:
  those are idioms, masked before matching (``[[idiom]]`` in the lexicon), or phrases not in the lexicon.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import ContextRules, Entry
from .mentions import nearest_person, offers_help
from .models import Kind, Level

_SENTENCE = " . "
ADDRESSED = "addressed"  # the note of a topic word said to the reader in an offer of help
PAST = frozenset({"retrospective", "retrospective+recovery"})  # the notes of a match told from the past
_WINDOW = 12  # tokens before a match that can frame it
_OTHER_REFLEXIVE = frozenset({"herself", "himself", "themselves", "themself"})


@dataclass(frozen=True, slots=True)
class Assessment:
    """A match's level after context, and the names of the rules that changed it."""

    level: Level
    notes: tuple[str, ...]

    @property
    def lowered(self) -> bool:
        """True when some context rule applied."""
        return bool(self.notes)


def assess(
    entry: Entry,
    text: str,
    start: int,
    end: int,
    rules: ContextRules,
    message_tokens: frozenset[str],
) -> Assessment:
    """Apply the context rules to the match ``text[start:end]`` of ``entry``."""
    if entry.kind is Kind.TIME:
        return Assessment(entry.level, ())
    s_start = text.rfind(_SENTENCE, 0, start)
    s_start = 0 if s_start < 0 else s_start + len(_SENTENCE)
    s_end = text.find(_SENTENCE, end)
    s_end = len(text) if s_end < 0 else s_end
    before = text[s_start:start].split()[-_WINDOW:]
    matched = text[start:end].split()
    sentence = set(text[s_start:s_end].split())

    notes: list[str] = []
    if message_tokens & rules.joke:
        notes.append("joke")
    after = text[end:s_end].split()
    if not entry.bystander and _third_person(before, matched, after[:1], rules):
        notes.append("third_person")
    elif entry.kind is Kind.MENTION and _addressed(before, rules) and offers_help(text):
        notes.append(ADDRESSED)
    # A bystander entry's own words ("narcan isn't working") describe the emergency, not a report
    # about it, so only the rest of the sentence can make it news.
    if (sentence - set(matched) if entry.bystander else sentence) & rules.news:
        notes.append("news")
    retro = _retrospective(" ".join(before), text[end:s_end], rules)
    recovery = retro and rules.recovery.search(text) is not None
    if retro:
        notes.append("retrospective+recovery" if recovery else "retrospective")
    if _negated(before, rules):
        notes.append("negated")

    level = entry.level
    if not notes:
        return Assessment(level, ())
    if entry.kind is Kind.MENTION:
        if {"third_person", ADDRESSED, "news"} & set(notes) or retro:
            return Assessment(Level.NONE, tuple(notes))
        return Assessment(max(Level.CONCERN, Level(level - 1)), tuple(notes))
    if recovery:
        return Assessment(Level(max(0, level - 2)), tuple(notes))
    drop = len(notes)
    return Assessment(min(level, max(Level.CONCERN, Level(max(0, level - drop)))), tuple(notes))


def _third_person(before: list[str], matched: list[str], next_word: list[str], rules: ContextRules) -> bool:
    # A match that names the speaker ("kill myself", "better off without me") is about the speaker even
    # when another person is the grammatical subject ("they'd be better off without me").
    if rules.first_person.intersection(matched):
        return False
    if next_word and next_word[0] in _OTHER_REFLEXIVE:  # "been cutting herself"
        return True
    for token in reversed(before[-8:]):
        if token in rules.first_person:
            return False
        if token in rules.third_person:
            return True
    return False


def _addressed(before: list[str], rules: ContextRules) -> bool:
    # The nearest subject in the clause before a topic word is the reader: "if you're feeling suicidal",
    # "to anyone with suicidal thoughts". "anyone else" asks for company ("does anyone else feel suicidal").
    clause = before[len(before) - before[::-1].index(",") :] if "," in before else before
    return nearest_person(clause[-8:], writer=rules.first_person, others=rules.third_person) == "reader"


def _negated(before: list[str], rules: ContextRules) -> bool:
    # "not going to kill myself", "never really suicidal": a negation joined to the match only by
    # bridge words. "im not ok i want to end it" is not negated: "ok" breaks the chain.
    for token in reversed(before[-5:]):
        if token in rules.negation:
            return True
        if token not in rules.negation_bridge:
            return False
    return False


def _retrospective(before: str, after: str, rules: ContextRules) -> bool:
    frames = list(rules.retrospective.finditer(before))
    if frames:
        last = frames[-1].end()
        # "I used to feel this way and now I want to die again": the present reopens it.
        return rules.present.search(before, last) is None
    return rules.retrospective_after.search(after) is not None

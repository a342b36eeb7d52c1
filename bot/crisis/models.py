"""Value types shared by the crisis detector: levels, categories, terms and detections."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any


class Level(IntEnum):
    """How urgent a message looks. Ordered, so levels can be compared and combined with ``max``."""

    NONE = 0
    CONCERN = 1
    HIGH = 2
    IMMINENT = 3

    @classmethod
    def parse(cls, value: str | int | Level) -> Level:
        """Accept a level as an enum, an int (0-3) or a case-insensitive name ("high")."""
        if isinstance(value, Level):
            return value
        if isinstance(value, int):
            return cls(value)
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown crisis level {value!r}") from None


class Category(StrEnum):
    """What kind of risk a phrase points to."""

    SUICIDAL_IDEATION = "suicidal_ideation"
    SELF_HARM = "self_harm"
    OVERDOSE = "overdose"
    IMMEDIATE_DANGER = "immediate_danger"
    SUBSTANCE_CRISIS = "substance_crisis"


class Kind(StrEnum):
    """How a lexicon entry takes part in scoring.

    - ``self``: a first-person crisis phrase ("I want to die"). Context can lower it, never below concern.
    - ``mention``: a topic word ("suicide", "overdosed") that is a crisis only when it is about the speaker
      now; news, other people and the past can lower it to none.
    - ``means``: access to a method ("I have the rope"); alarming with ideation, only concern alone.
    - ``time``: a time or plan marker ("tonight", "I'm ready"); never a detection by itself, it only raises
      the level of other matches.
    - ``weak``: a weak sign of risk ("I feel so trapped", "nothing ever changes", "relapsed again"). Alone it
      is nothing (everyday venting); two different weak signs, or one with a farewell marker, are concern.
    """

    SELF = "self"
    MENTION = "mention"
    MEANS = "means"
    TIME = "time"
    WEAK = "weak"


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase a moderator adds for one server (``/crisis terms add``)."""

    term: str
    category: Category
    level: Level

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Term:
        """Build a term from ``{"term": ..., "category": ..., "level": ...}`` (as in ``--extra-terms``)."""
        term = str(data["term"]).strip()
        if not term:
            raise ValueError("extra term must not be empty")
        return cls(term=term, category=Category(data["category"]), level=Level.parse(data["level"]))


@dataclass(frozen=True, slots=True)
class Detection:
    """The detector's verdict on one message.

    ``evidence`` names each lexicon entry that matched with the normalised words it matched, and any
    context rule that changed a level, so a moderator can see why the bot reacted. ``server_term`` is True
    when a term this server's moderators added matched: their word is final, so the sentence model never
    clears it (:mod:`bot.crisis.second_opinion`). ``topic_only`` is True when the verdict rests on nothing
    but a topic word about suicide ("suicidal", "suicide": kind ``mention``), which news, jokes and talk
    about others share with a cry for help; the second opinion then asks who the sentence is about
    (:mod:`bot.crisis.mentions`). It is also True of a ``none`` verdict whose only matches are such words
    said to the reader in an offer of help, so the models cannot raise it unless the writer speaks of
    themselves too. ``language`` is the code of the word list that gave the
    verdict (:mod:`bot.crisis.languages`): ``"en"`` for the English stage (and when nothing matched), or
    ``"es"``, ``"pt"``, ``"fr"``, ``"de"`` when another language's list did, so the answer can use it.
    ``method`` is True when a match no context rule lowered names a method the models rarely saw in
    training (lexicon entries marked ``agreed``): like overdose and self-harm, it is cleared only when both
    models agree that the message is everyday talk.
    """

    level: Level
    categories: tuple[Category, ...] = ()
    evidence: tuple[str, ...] = ()
    server_term: bool = False
    language: str = "en"
    topic_only: bool = False
    method: bool = False

    @property
    def detected(self) -> bool:
        """True when the message should get a response (any level above none)."""
        return self.level > Level.NONE

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: level name in lower case, category values, evidence strings, language code."""
        return {
            "level": self.level.name.lower(),
            "categories": [str(c) for c in self.categories],
            "evidence": list(self.evidence),
            "language": self.language,
        }


NO_DETECTION = Detection(Level.NONE)

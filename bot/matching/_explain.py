"""The one warm line that tells a group why they were put together.

Privacy rule: only say what *every* member of the group has in common (shared interests, a shared
pathway, how far apart their clocks are) or what they asked for together (a newer member with a
steadier one). Never mention anything only one member has, and never anything about who avoids
whom: the reason must read the same whatever the do-not-pair lists say.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Final

from ._models import Candidate, Group
from ._scoring import clock_distance_minutes, is_mentoring_pair, mentoring_asked

# How each shared pathway reads after "share". Lower-case names for the rest keep the tone plain.
_PATHWAY_PHRASE: Final = {
    "12-step": "the 12-step pathway",
    "smart": "the SMART pathway",
    "secular": "a secular pathway",
    "faith-based": "a faith-based pathway",
    "medication-assisted": "a medication-assisted pathway",
    "harm-reduction": "a harm-reduction approach",
}
# Name at most this many shared interests: a long list reads like a report, not a hello.
_MAX_INTERESTS_NAMED: Final = 2


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _hours_phrase(minutes: int) -> str:
    """``minutes`` (> 0) as spoken hours: "1 hour", "3 hours", "about 5½ hours", "half an hour"."""
    # Round to the nearest half hour: "5¾ hours" is precise but nobody talks like that.
    halves = round(minutes / 30)
    if halves == 0:
        return "less than half an hour"
    whole, half = divmod(halves, 2)
    exact = halves * 30 == minutes
    number = f"{whole}½" if half and whole else ("half an" if half else str(whole))
    unit = "hour" if (whole == 1 and not half) or (whole == 0 and half) else "hours"
    return f"{'' if exact else 'about '}{number} {unit}"


def explain(group: Group | Sequence[Candidate]) -> str:
    """One warm, plain line saying what a group of two or three members has in common."""
    members = group.members if isinstance(group, Group) else tuple(group)
    if len(members) < 2:
        raise ValueError("a group needs at least two members")
    trio = len(members) > 2
    # Verb phrases sharing the subject "you both" / "you all".
    shared_phrases: list[str] = []

    common = frozenset.intersection(*(m.interests for m in members))
    if common:
        named = sorted(common, key=str.casefold)[:_MAX_INTERESTS_NAMED]
        shared_phrases.append("like " + _join(named))

    pathways = {m.pathway for m in members}
    if len(pathways) == 1 and (pathway := next(iter(pathways))) != "any":
        shared_phrases.append("share " + _PATHWAY_PHRASE[pathway])

    offsets = [m.utc_offset_minutes for m in members]
    if all(o is not None for o in offsets):
        widest = max(
            clock_distance_minutes(a, b) for a, b in combinations(offsets, 2) if a is not None and b is not None
        )
        if widest == 0:
            shared_phrases.append("are in the same time zone")
        else:
            hours = _hours_phrase(widest)
            shared_phrases.append(f"are within {hours} of each other" if trio else f"are {hours} apart")

    mentoring = _mentoring_clause(members)

    clauses: list[str] = []
    if mentoring:
        clauses.append(mentoring)
    if shared_phrases:
        if shared_phrases[0].startswith("are "):
            # Only the time zone in common: "you're 3 hours apart" reads better than "you both are".
            subject, shared_phrases[0] = ("you're all" if trio else "you're"), shared_phrases[0][4:]
        else:
            subject = "you all" if trio else "you both"
        clauses.append(f"{subject} {_join(shared_phrases)}")
    if not clauses:
        return f"you're {'all' if trio else 'both'} open to meeting someone new this round"
    return "; ".join(clauses)


def _mentoring_clause(members: Sequence[Candidate]) -> str | None:
    """Mention experience only when a newer member is with a steadier one and someone asked for that."""
    asked = any(mentoring_asked(a.experience, a.wants, b.experience, b.wants) for a, b in combinations(members, 2))
    if not asked or not any(is_mentoring_pair(a.experience, b.experience) for a, b in combinations(members, 2)):
        return None
    guide = "a mentor" if any(m.experience == "mentor" for m in members) else "steady"
    return f"one of you is newer and one is {guide}"

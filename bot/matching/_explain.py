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

from bot.i18n import N_, _, current_locale, ngettext

from ._models import Candidate, Group
from ._scoring import clock_distance_minutes, is_mentoring_pair, mentoring_asked

# How each shared pathway reads after "share". Lower-case names for the rest keep the tone plain.
_PATHWAY_PHRASE: Final = {
    "12-step": N_("the 12-step pathway"),
    "smart": N_("the SMART pathway"),
    "secular": N_("a secular pathway"),
    "faith-based": N_("a faith-based pathway"),
    "medication-assisted": N_("a medication-assisted pathway"),
    "harm-reduction": N_("a harm-reduction approach"),
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
    """One warm, plain line saying what a group of two or three members has in common, in the current locale."""
    members = group.members if isinstance(group, Group) else tuple(group)
    if len(members) < 2:
        raise ValueError("a group needs at least two members")
    if current_locale() is not None:
        return _explain_translated(members)
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
    guide = _guide(members)
    return None if guide is None else f"one of you is newer and one is {guide}"


def _guide(members: Sequence[Candidate]) -> str | None:
    asked = any(mentoring_asked(a.experience, a.wants, b.experience, b.wants) for a, b in combinations(members, 2))
    if not asked or not any(is_mentoring_pair(a.experience, b.experience) for a, b in combinations(members, 2)):
        return None
    return "a mentor" if any(m.experience == "mentor" for m in members) else "steady"


# Other languages don't share English's one-subject verb list ("you both like X and are 3 hours apart"), so
# there each thing in common is its own whole clause, translated as a sentence, and the clauses are joined by
# semicolons. The same privacy rule holds: only what every member shares.


def _explain_translated(members: Sequence[Candidate]) -> str:
    trio = len(members) > 2
    clauses: list[str] = []
    guide = _guide(members)
    if guide == "a mentor":
        clauses.append(_("one of you is newer and one is a mentor"))
    elif guide is not None:
        clauses.append(_("one of you is newer and one is steady"))
    common = frozenset.intersection(*(m.interests for m in members))
    if common:
        named = _join_translated(sorted(common, key=str.casefold)[:_MAX_INTERESTS_NAMED])
        clauses.append(
            (_("you all like {interests}") if trio else _("you both like {interests}")).format(interests=named)
        )
    pathways = {m.pathway for m in members}
    if len(pathways) == 1 and (pathway := next(iter(pathways))) != "any":
        phrase = _(_PATHWAY_PHRASE[pathway])
        clauses.append((_("you all share {pathway}") if trio else _("you both share {pathway}")).format(pathway=phrase))
    offsets = [m.utc_offset_minutes for m in members]
    if all(o is not None for o in offsets):
        widest = max(
            clock_distance_minutes(a, b) for a, b in combinations(offsets, 2) if a is not None and b is not None
        )
        if widest == 0:
            clauses.append(_("you're all in the same time zone") if trio else _("you're in the same time zone"))
        else:
            hours = _hours_translated(widest)
            clauses.append(
                (_("you're all within {hours} of each other") if trio else _("you're {hours} apart")).format(
                    hours=hours
                )
            )
    if not clauses:
        return (
            _("you're all open to meeting someone new this round")
            if trio
            else _("you're both open to meeting someone new this round")
        )
    return "; ".join(clauses)


def _join_translated(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def _hours_translated(minutes: int) -> str:
    """:func:`_hours_phrase` in the current locale."""
    halves = round(minutes / 30)
    if halves == 0:
        return _("less than half an hour")
    whole, half = divmod(halves, 2)
    if not whole:
        spoken = _("half an hour")
    else:
        number = f"{whole}½" if half else str(whole)
        spoken = ngettext("{number} hour", "{number} hours", 2 if half else whole).format(number=number)
    return spoken if halves * 30 == minutes else _("about {hours}").format(hours=spoken)

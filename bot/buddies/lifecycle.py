"""Round bookkeeping rules: quiet rounds, the kind auto-pause, and how many rounds since someone's last buddy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

__all__ = ["CONNECT_ANSWERS", "QUIET_ROUNDS_BEFORE_PAUSE", "QuietOutcome", "rounds_since_paired", "settle_quiet_rounds"]

# Slack's Donut pauses after three ignored intros; so do we, and we say so kindly.
QUIET_ROUNDS_BEFORE_PAUSE: Final = 3
CONNECT_ANSWERS: Final[tuple[str, ...]] = ("yes", "not_yet", "no")


@dataclass(frozen=True, slots=True)
class QuietOutcome:
    """New quiet-round counts for last round's members, and who should now be paused."""

    counts: dict[int, int] = field(default_factory=dict)
    to_pause: frozenset[int] = frozenset()


def settle_quiet_rounds(
    answers: Mapping[int, str | None],
    current: Mapping[int, int],
    *,
    limit: int = QUIET_ROUNDS_BEFORE_PAUSE,
) -> QuietOutcome:
    """Close a round: any answer to "Did you connect?" (even "not this time") resets the count.

    ``answers`` holds only members whose pairing ran its course: someone whose buddy ended the
    pairing, or who ended it themself, was not ignoring anything and is left out by the caller.
    A member reaching ``limit`` quiet rounds is paused and their count starts again from zero.
    """
    counts: dict[int, int] = {}
    pause: set[int] = set()
    for user_id, answer in answers.items():
        if answer is not None:
            counts[user_id] = 0
            continue
        quiet = current.get(user_id, 0) + 1
        if quiet >= limit:
            pause.add(user_id)
            quiet = 0
        counts[user_id] = quiet
    return QuietOutcome(counts, frozenset(pause))


def rounds_since_paired(round_ids_newest_first: Sequence[int], memberships: Mapping[int, set[int]]) -> dict[int, int]:
    """For each member, how many rounds ago they last had a buddy (0 = in the latest round).

    ``memberships`` maps round id to the user ids grouped in it. Members never grouped in the given
    rounds are absent, which the matcher reads as "not paired for a long while".
    """
    seen: dict[int, int] = {}
    for age, round_id in enumerate(round_ids_newest_first):
        for user_id in memberships.get(round_id, set()):
            seen.setdefault(user_id, age)
    return seen

"""What buddy rounds report back: a dry run's plan, a round's report, and a pairing that just ended."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.buddies.lifecycle import QuietOutcome
from bot.matching import MatchResult

__all__ = ["EndedPairing", "Plan", "RoundReport"]


@dataclass(frozen=True, slots=True)
class Plan:
    """What a round would do: the matcher's result and how many sat out (no names, no reasons)."""

    result: MatchResult
    eligible: int
    sitting_out: int
    quiet: QuietOutcome
    seed: int


@dataclass(frozen=True, slots=True)
class EndedPairing:
    """A member who just stepped away from their group, and who is left in it."""

    guild_id: int
    user_id: int
    thread_id: int | None
    remaining: tuple[int, ...]


@dataclass(slots=True)
class RoundReport:
    """What a round that ran did, for /buddy pair-now and the logs."""

    round_id: int
    groups: int
    unmatched: tuple[int, ...]
    by_dm: int = 0
    paused: tuple[int, ...] = field(default_factory=tuple)

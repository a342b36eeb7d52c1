"""A member's pairing profile, who may be paired in a round, and turning profiles into matcher input."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final, cast
from zoneinfo import ZoneInfo

from bot.matching import Candidate, Experience, Pathway, Wants
from bot.timezones import utc_offset_minutes

__all__ = [
    "EXPERIENCE_LABELS",
    "PATHWAY_LABELS",
    "WANTS_LABELS",
    "BuddyProfile",
    "Eligibility",
    "build_candidates",
    "eligibility",
    "parse_interest_list",
]

# Choice value -> what the member sees. Values are the matcher's own spellings.
PATHWAY_LABELS: Final[dict[str, str]] = {
    "any": "Any pathway",
    "12-step": "12-step",
    "smart": "SMART",
    "secular": "Secular",
    "faith-based": "Faith-based",
    "medication-assisted": "Medication-assisted",
    "harm-reduction": "Harm reduction",
}
EXPERIENCE_LABELS: Final[dict[str, str]] = {
    "new": "New (under 90 days)",
    "steady": "Steady",
    "mentor": "Mentor",
}
WANTS_LABELS: Final[dict[str, str]] = {
    "peer": "A peer",
    "mentor": "A mentor",
    "either": "Either",
}


@dataclass(frozen=True, slots=True)
class BuddyProfile:
    """One opted-in member as stored (interests and time zone joined in from the shared tables)."""

    guild_id: int
    user_id: int
    status: str  # active | left
    pathway: str
    experience: str
    wants: str
    notify_hard_moments: bool
    paused_until: datetime | None
    auto_paused: bool
    ignored_rounds: int
    priority: bool
    skip_round_at: datetime | None
    last_paired_at: datetime | None
    interests: frozenset[str] = frozenset()
    timezone: str | None = None
    reachable: bool = True  # no DM failure on record (the same rule as PrefsRepo.is_reachable)

    def paused_at(self, when: datetime) -> bool:
        """Whether the member is sitting rounds out at ``when``."""
        return self.auto_paused or (self.paused_until is not None and self.paused_until > when)


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Why a member is or isn't in a round. Only the member themself is ever told their reason."""

    ok: bool
    reason: str = ""  # left | paused | skipping | unreachable | gone


def eligibility(profile: BuddyProfile, *, round_at: datetime, in_server: bool = True) -> Eligibility:
    """Hard rule: paused, skipping, unreachable or departed members are never paired."""
    if profile.status != "active":
        return Eligibility(False, "left")
    if not in_server:
        return Eligibility(False, "gone")
    if profile.paused_at(round_at):
        return Eligibility(False, "paused")
    if profile.skip_round_at is not None and profile.skip_round_at >= round_at:
        return Eligibility(False, "skipping")
    if not profile.reachable:
        return Eligibility(False, "unreachable")
    return Eligibility(True)


def _offset(timezone: str | None, at: datetime) -> int | None:
    if not timezone:
        return None
    try:
        return utc_offset_minutes(ZoneInfo(timezone), at)
    except (ValueError, KeyError, OSError):
        return None


def build_candidates(
    profiles: Iterable[BuddyProfile], *, round_at: datetime, rounds_since: Mapping[int, int] | None = None
) -> list[Candidate]:
    """Matcher input for the eligible profiles. Offsets are resolved at the round's instant (DST-aware).

    ``rounds_since`` maps user id to rounds since their last pairing; absent means never paired.
    A stored value the matcher doesn't know (from an older version) falls back to its default
    rather than failing the whole round.
    """
    rounds_since = rounds_since or {}
    out: list[Candidate] = []
    for p in profiles:
        out.append(
            Candidate(
                user_id=p.user_id,
                interests=frozenset(p.interests),
                utc_offset_minutes=_offset(p.timezone, round_at),
                pathway=cast(Pathway, _known(p.pathway, PATHWAY_LABELS, "any")),
                experience=cast(Experience, _known(p.experience, EXPERIENCE_LABELS, "steady")),
                wants=cast(Wants, _known(p.wants, WANTS_LABELS, "either")),
                rounds_since_paired=rounds_since.get(p.user_id),
                priority=p.priority,
            )
        )
    return out


def _known(value: str, labels: Mapping[str, str], default: str) -> str:
    return value if value in labels else default


def parse_interest_list(text: str, catalogue: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split "meditation, music" into catalogue names (case-insensitive) and the unknown leftovers."""
    by_key = {name.casefold(): name for name in catalogue}
    known: list[str] = []
    unknown: list[str] = []
    for raw in text.replace(";", ",").split(","):
        item = raw.strip()
        if not item:
            continue
        name = by_key.get(item.casefold())
        if name is None:
            unknown.append(item)
        elif name not in known:
            known.append(name)
    return known, unknown

"""Choosing a first-30-days buddy: the matcher's hard rules hold, then the best match, then the least loaded."""

from __future__ import annotations

from bot.matching import Candidate
from bot.newcomers.pairing import pick_mentor

NEW = Candidate(user_id=1, interests=frozenset({"music", "meditation"}), utc_offset_minutes=60, experience="new")


def mentor(user_id: int, *interests: str, offset: int = 60) -> Candidate:
    return Candidate(user_id=user_id, interests=frozenset(interests), utc_offset_minutes=offset, experience="steady")


def test_the_best_match_by_interests_and_time_zone() -> None:
    mentors = [mentor(2, "music", offset=-480), mentor(3, "music", "meditation"), mentor(4)]
    assert pick_mentor(NEW, mentors, forbidden=set(), load={}, cap=2) == 3


def test_forbidden_and_full_mentors_are_never_chosen() -> None:
    mentors = [mentor(3, "music", "meditation"), mentor(4, "music")]
    assert pick_mentor(NEW, mentors, forbidden={3}, load={}, cap=2) == 4
    assert pick_mentor(NEW, mentors, forbidden=set(), load={3: 2}, cap=2) == 4
    assert pick_mentor(NEW, mentors, forbidden={3}, load={4: 1}, cap=1) is None


def test_equal_matches_go_to_the_least_loaded_then_the_lowest_id() -> None:
    mentors = [mentor(5, "music"), mentor(4, "music")]
    assert pick_mentor(NEW, mentors, forbidden=set(), load={4: 1}, cap=3) == 5
    assert pick_mentor(NEW, mentors, forbidden=set(), load={}, cap=3) == 4


def test_a_member_is_never_their_own_buddy() -> None:
    assert pick_mentor(NEW, [mentor(1, "music")], forbidden=set(), load={}, cap=2) is None

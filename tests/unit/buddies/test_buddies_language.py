"""The match reason and buddy words in other languages: whole clauses, the same privacy rule, English untouched."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.buddies.text import SKIP_LABEL, end_partner_dm, hard_moment_dm
from bot.i18n import SHIPPED_LOCALES, _, using_locale
from bot.matching import Candidate, explain


def pair(**common: object) -> list[Candidate]:
    return [Candidate(user_id=1, **common), Candidate(user_id=2, **common)]  # type: ignore[arg-type]


def test_english_reads_exactly_as_before() -> None:
    both = pair(interests=frozenset({"music", "yoga"}), utc_offset_minutes=0, pathway="smart")
    assert explain(both) == "you both like music and yoga, share the SMART pathway and are in the same time zone"


def test_other_languages_give_each_thing_in_common_its_own_clause() -> None:
    apart = [
        Candidate(user_id=1, interests=frozenset({"music"}), utc_offset_minutes=0),
        Candidate(user_id=2, interests=frozenset({"music"}), utc_offset_minutes=200),
    ]
    with using_locale("fr"):
        assert explain(apart) == "vous aimez tous les deux music; vous avez environ 3½ heures d'écart"
    with using_locale("de"):
        assert explain(pair(pathway="secular")) == "ihr beide teilt einen säkularen Weg"
    with using_locale("pt-BR"):
        trio = [*pair(), Candidate(user_id=3)]
        assert explain(trio) == "todos vocês estão abertos a conhecer alguém novo nesta rodada"


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_names_and_timestamps_are_kept_and_the_skip_label_fits(locale: str) -> None:
    with using_locale(locale):
        assert "Ana_92" in hard_moment_dm("Ana_92")
        assert "<t:0:F>" in end_partner_dm(datetime.fromtimestamp(0, tz=UTC))
        assert len(_(SKIP_LABEL)) <= 80 and _(SKIP_LABEL) != SKIP_LABEL

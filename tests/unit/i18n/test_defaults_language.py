"""Wording that used to stay English: the built-in limits, the buddy-notice refusals, the confirm buttons' defaults,
the general moderator refusals, the crisis Talk button's default label and what each kind of stored data is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.confirm import ConfirmView
from bot.i18n import _, using_locale
from bot.privacy import registered_tables
from bot.rate_limits import Action, Verdict, limit_lines, refusal
from cogs.crisis._views import TalkButton

RETRY = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_the_limits_read_the_same_in_english() -> None:
    assert limit_lines() == [
        '• "Talk to someone here" pings to the crisis team: 3 per 6 hours per member, 10 per hour per server',
        "• Hard-moment notices to a buddy: 3 per day per member, 30 per hour per server",
        "• Rooms scheduled (`/room schedule`): 5 per day per member, 20 per day per server (moderators exempt)",
        "• Service posts (`/service post`): 10 per day per member, 30 per day per server (moderators exempt)",
    ]


def test_the_limits_in_german_and_spanish() -> None:
    with using_locale("de"):
        lines = limit_lines()
    assert lines[0] == (
        "• „Mit jemandem hier reden“-Meldungen an das Krisenteam: 3 pro 6 Stunden pro Mitglied, 10 pro Stunde pro Server"
    )
    assert lines[2].endswith("(Moderation ausgenommen)")
    with using_locale("es-419"):
        lines = limit_lines()
    assert lines[1] == "• Avisos de un momento difícil a un compañero: 3 al día por miembro, 30 por hora por servidor"


def test_a_buddy_notice_refusal_in_french() -> None:
    with using_locale("fr"):
        mine = refusal(Action.BUDDY_NOTICE, Verdict(False, "member", RETRY))
        server = refusal(Action.BUDDY_NOTICE, Verdict(False, "server"))
    assert mine.startswith("Tu as déjà prévenu ton binôme plusieurs fois aujourd'hui")
    assert f"tu pourras redemander <t:{int(RETRY.timestamp())}:R>." in mine
    assert "`/ressources voir`" in mine
    assert "tu pourras réessayer plus tard." in server


async def test_default_buttons_are_labelled_in_the_language_they_are_built_in() -> None:
    async def nothing(_interaction: object) -> None:
        return None

    with using_locale("pt-BR"):
        view = ConfirmView(1, "Apagar", nothing)
        talk = TalkButton(42)
    assert view.keep.label == "Deixar como está"
    assert view._kept_text == "Certo, nada mudou."
    assert talk.item.label == "Falar com alguém daqui"
    assert TalkButton(42).item.label == "Talk to someone here"
    assert ConfirmView(1, "Erase", nothing).keep.label == "Keep things as they are"


@pytest.mark.parametrize("locale", ["es-ES", "pt-BR", "fr", "de"])
def test_every_kind_of_stored_data_is_described_in_each_language(locale: str) -> None:
    with using_locale(locale):
        untranslated = [words for t in registered_tables() for words in (t.what, t.who_sees) if _(words) == words]
    assert not untranslated

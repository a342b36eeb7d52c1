"""Crisis care's pure rules and wording, and its store, without Discord."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.crisis import Category, Detection, Level, Term
from bot.crisis_care import (
    MemberState,
    Why,
    alert_text,
    alert_wanted,
    answer_text,
    decide_answer,
    dry_run_report,
)
from bot.crisis_care.text import team_locale
from bot.i18n import using_locale
from bot.privacy import registered_tables
from bot.resources import contacts_for
from bot.store import Store
from bot.store.crisis import NewAlert
from tests.harness import START

H = timedelta(hours=1)


# -- answer policy ---------------------------------------------------------------------------------
def test_first_detection_is_answered_and_nothing_is_not() -> None:
    assert decide_answer(MemberState(), Level.CONCERN, START).answer
    assert decide_answer(MemberState(), Level.NONE, START).why is Why.NOTHING


def test_cooldown_holds_for_six_hours_except_a_rise_to_imminent() -> None:
    state = MemberState(last_answer_at=START, last_answer_level=Level.HIGH)
    assert decide_answer(state, Level.HIGH, START + 5 * H).why is Why.COOLDOWN
    assert decide_answer(state, Level.CONCERN, START + 5 * H).why is Why.COOLDOWN
    assert decide_answer(state, Level.IMMINENT, START + 5 * H).why is Why.ESCALATION
    assert decide_answer(state, Level.HIGH, START + 6 * H).answer
    already = MemberState(last_answer_at=START, last_answer_level=Level.IMMINENT)
    assert decide_answer(already, Level.IMMINENT, START + H).why is Why.COOLDOWN


def test_im_ok_quiets_everything_but_imminent_for_a_day() -> None:
    state = MemberState(acknowledged_at=START)
    assert decide_answer(state, Level.HIGH, START + 23 * H).why is Why.ACKNOWLEDGED
    assert decide_answer(state, Level.IMMINENT, START + H).answer
    assert decide_answer(state, Level.HIGH, START + 24 * H).answer


def test_mute_wins_even_over_imminent() -> None:
    assert decide_answer(MemberState(muted=True), Level.IMMINENT, START).why is Why.MUTED


@pytest.mark.parametrize(
    ("policy", "concern", "high", "imminent"),
    [
        ("off", False, False, False),
        ("imminent", False, False, True),
        ("all", True, True, True),
        ("typo", False, False, True),
    ],
)
def test_alert_policy(policy: str, concern: bool, high: bool, imminent: bool) -> None:
    assert [alert_wanted(policy, lv) for lv in (Level.CONCERN, Level.HIGH, Level.IMMINENT)] == [concern, high, imminent]
    assert not alert_wanted(policy, Level.NONE)


# -- wording ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("level", [Level.CONCERN, Level.HIGH, Level.IMMINENT])
@pytest.mark.parametrize("region", ["US", "CA", "UK", "IE", "AU", "NZ", "other"])
def test_every_answer_is_warm_brief_and_has_a_way_to_reach_a_person_now(level: Level, region: str) -> None:
    contacts = contacts_for(region)
    text = answer_text(level, (Category.OVERDOSE,), contacts, talk_offered=True)
    assert "You matter" in text and "Help is available right now" in text and "can get better" in text
    assert contacts.emergency in text and contacts.crisis.name in text
    if contacts.substance is not None:
        assert contacts.substance.name in text
    assert "findahelpline.com" in text
    assert len(text) < 2000
    for word in ("committed", "clean", "dirty", "addict"):
        assert word not in text.lower()


def test_substance_line_only_for_overdose_or_substance_crisis() -> None:
    us = contacts_for("US")
    assert "SAMHSA" not in answer_text(Level.HIGH, (Category.SUICIDAL_IDEATION,), us, talk_offered=False)
    assert "SAMHSA" in answer_text(Level.HIGH, (Category.SUBSTANCE_CRISIS,), us, talk_offered=False)


def test_alert_text_has_level_categories_member_and_where_only() -> None:
    text = alert_text(
        role_id=5,
        subject_user_id=7,
        level=Level.IMMINENT,
        categories=(Category.SELF_HARM, Category.IMMEDIATE_DANGER),
        where="a message in <#9>: https://discord.com/channels/1/9/10",
        created_at=START,
    )
    assert text.startswith("<@&5> ") and "imminent risk" in text and "self-harm" in text and "<@7>" in text
    assert "https://discord.com/channels/1/9/10" in text


def test_dry_run_report_for_nothing_and_for_an_alert() -> None:
    nothing = dry_run_report(
        Detection(Level.NONE), policy="all", alert_wanted=False, alert_channel_id=None, contacts=contacts_for("US")
    )
    assert "Nothing" in nothing
    hit = Detection(Level.HIGH, (Category.OVERDOSE,), ('overdose/x: "took too much"',))
    report = dry_run_report(hit, policy="all", alert_wanted=True, alert_channel_id=3, contacts=contacts_for("US"))
    assert "<#3>" in report and "substance-use line" in report and "took too much" in report


# -- store -----------------------------------------------------------------------------------------
async def test_member_state_round_trips(store: Store, clock: FakeClock) -> None:
    repo = store.crisis
    assert await repo.member_state(1) == MemberState()
    await repo.record_answer(1, Level.HIGH, now=clock.now())
    await repo.acknowledge(1, now=clock.now() + H)
    assert await repo.set_muted(1, True, now=clock.now())
    assert not await repo.set_muted(1, True, now=clock.now())
    state = await repo.member_state(1)
    assert state == MemberState(True, clock.now(), Level.HIGH, clock.now() + H)


async def test_claim_is_first_click_wins_and_audited(store: Store, clock: FakeClock) -> None:
    repo = store.crisis
    new = NewAlert(10, 1, Level.IMMINENT, (Category.OVERDOSE,), "detection", alert_channel_id=20)
    alert_id = await repo.create_alert(new, now=clock.now())
    await repo.add_alert_message(alert_id, 100, repost=False, now=clock.now())
    await repo.add_alert_message(alert_id, 101, repost=True, now=clock.now())
    first = await repo.claim(alert_id, 2, now=clock.now())
    second = await repo.claim(alert_id, 3, now=clock.now())
    assert first.claimed and not second.claimed
    assert second.alert is not None and second.alert.claimed_by_user_id == 2
    assert second.alert.alert_message_ids == (100, 101) and second.alert.reposts == 1
    assert second.alert.categories == (Category.OVERDOSE,)
    assert [e.action for e in await repo.audit(10)] == ["alert", "repost", "claim"]


async def test_terms_are_per_server_and_case_insensitive(store: Store, clock: FakeClock) -> None:
    repo = store.crisis
    assert await repo.add_term(1, Term("Sewer Hop", Category.SUICIDAL_IDEATION, Level.HIGH), user_id=5, now=clock.now())
    assert not await repo.add_term(1, Term("sewer hop", Category.SELF_HARM, Level.CONCERN), user_id=5, now=clock.now())
    [stored] = await repo.terms(1)
    assert stored.term.category is Category.SELF_HARM and stored.added_by_user_id == 5
    assert await repo.terms(2) == []
    assert await repo.remove_term(1, "SEWER HOP", user_id=5, now=clock.now())
    assert not await repo.remove_term(1, "sewer hop", user_id=5, now=clock.now())


async def test_forgetting_a_helper_keeps_the_members_alert_and_the_servers_term(store: Store, clock: FakeClock) -> None:
    repo = store.crisis
    alert_id = await repo.create_alert(NewAlert(10, 1, Level.HIGH, (), "detection", 20), now=clock.now())
    await repo.claim(alert_id, 2, now=clock.now())
    await repo.add_term(10, Term("sewer hop", Category.SELF_HARM, Level.HIGH), user_id=2, now=clock.now())
    await repo.forget_helper(2, None)
    alert = await repo.alert(alert_id)
    assert alert is not None and alert.claimed_by_user_id is None
    [term] = await repo.terms(10)
    assert term.added_by_user_id is None
    # The audit of the claim and of the term change stays, without the helper's id.
    audit = await repo.audit(10)
    assert {entry.action for entry in audit} >= {"claim", "term-add"}
    assert all(entry.actor_user_id is None for entry in audit)


def test_crisis_tables_are_in_the_privacy_registry() -> None:
    tables = {t.table: t for t in registered_tables()}
    assert tables["crisis_alerts"].user_columns == ("subject_user_id", "claimed_by_user_id")
    assert {"crisis_member_state", "crisis_audit", "crisis_terms"} <= set(tables)


def test_team_alerts_use_the_servers_language_when_kindred_ships_it_else_english() -> None:
    class Server:
        def __init__(self, locale: str) -> None:
            self.preferred_locale = locale

    assert team_locale(Server("de")) == "de" and team_locale(Server("es-419")) == "es-419"
    assert team_locale(Server("it")) is None and team_locale(Server("en-US")) is None and team_locale(None) is None
    with using_locale(team_locale(Server("fr"))):
        text = alert_text(
            role_id=None,
            subject_user_id=7,
            level=Level.HIGH,
            categories=(Category.OVERDOSE,),
            where="x",
            created_at=START,
            repost=2,
        )
    assert text.startswith("**Toujours pas prise en charge** (rappel 2 sur 3, publiée pour la première fois <t:")
    assert "**Alerte de crise** : élevé" in text and "**Signes :** surdose ou intoxication" in text

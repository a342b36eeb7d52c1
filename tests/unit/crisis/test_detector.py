"""Focused tests of the crisis detector: normalisation, phrases, context rules, extra terms and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.crisis import Category, Detection, Detector, Level, Term, load_default_detector, normalize
from bot.crisis.lexicon import default_lexicon
from tests.paths import REPO_ROOT

ROOT = REPO_ROOT
SI = Category.SUICIDAL_IDEATION
DANGER = Category.IMMEDIATE_DANGER


@pytest.fixture(scope="module")
def detector() -> Detector:
    return load_default_detector()


# ------------------------------------------------------------------ normalisation
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("I WANT TO DIE", "i want to die"),
        ("ＫＩＬＬ ｍｙｓｅｌｆ", "kill myself"),  # full-width (NFKC)
        ("i want to kіll myself", "i want to kill myself"),  # Cyrillic і
        ("ѕuicidе", "suicide"),  # Cyrillic ѕ and е
        ("κill myself", "kill myself"),  # Greek kappa
        ("sui\u200bci\u200ddal", "suicidal"),  # zero-width space and joiner
        ("su1c1dal", "suicidal"),
        ("k1ll myself", "kill myself"),
        ("i wanna d!e", "i want to die"),
        ("$elf h4rm", "self harm"),
        ("k i l l  m y s e l f", "kill myself"),
        ("s.u.i.c.i.d.a.l", "suicidal"),
        ("i want to d i e", "i want to die"),
        ("diiiiie", "die"),
        ("killlll myself", "kill myself"),
        ("kms", "kill myself"),
        ("sewerslide", "suicide"),
        ("i feel suicidle and want to kill myslef", "i feel suicidal and want to kill myself"),  # slips of the keys
        ("i can't", "i cant"),
        ("i can’t", "i cant"),
        ("i od'd", "i overdosed"),
        ("💊💊 x40", "pills pills x40"),
        ("took 800mg at 4am", "took 800mg at 4am"),  # numbers with units are not leetspeak
        ("a b c", "a b c"),  # spaced letters that are not words stay apart
        ("done. bye", "done . bye"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_empty() -> None:
    assert normalize("") == ""


# ------------------------------------------------------------------ phrases the spec names
@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("everyone would be better off without me", SI),
        ("I can't do this anymore", SI),
        ("there's no reason to keep going", SI),
        ("just wanted to say goodbye to you all", DANGER),
        ("i wrote a letter to my family", DANGER),
        ("i've been giving my stuff away", DANGER),
        ("i took all my pills", Category.OVERDOSE),
        ("i have the pills ready", DANGER),
        ("i have the rope ready", DANGER),
        ("i bought a gun today", DANGER),
        ("i don't want to wake up", SI),
        ("i feel like such a burden", SI),
        ("there's no way out", SI),
        ("i'm so tired of living", SI),
        ("i just want it all to end", SI),
        ("ending it tonight", DANGER),
        ("took 30 of my tylenol 800mg", Category.OVERDOSE),
        ("💊💊💊 x30", Category.OVERDOSE),
        ("i overdosed", Category.OVERDOSE),
        ("i can't stop using", Category.SUBSTANCE_CRISIS),
        ("relapsed and scared I'll OD", Category.SUBSTANCE_CRISIS),
        ("drank all night and took my xanax", Category.SUBSTANCE_CRISIS),
        ("having withdrawal seizures", Category.SUBSTANCE_CRISIS),
        ("i cut myself again", Category.SELF_HARM),
        ("kms", SI),
        ("wanna unalive myself", SI),
        ("thinking about sewerslide", SI),
        ("ready to catch the bus", SI),
        ("i should just kys", SI),
        ("su1c1dal", SI),
        ("i want to d i e", SI),
        # Ways of dying and warning signs a validated clinical lexicon lists (SOURCES.md).
        ("im going to set myself on fire", SI),
        ("tonight i might just jump out the window", SI),
        ("some nights i want to pull the trigger and be done", SI),
        ("im going to drink myself to death", Category.SUBSTANCE_CRISIS),
        ("im not safe right now", DANGER),
        ("i cant keep myself safe tonight", DANGER),
        ("i survived my attempt last week and i wish i hadnt", SI),
        ("my brother killed himself and i want to follow him", SI),
        ("i called the crisis line but nobody answered", SI),
        ("the exit bag came in the mail today", DANGER),
        ("i choked myself with a belt last night", Category.SELF_HARM),
        ("im sorry for existing", SI),
        ("i cant take any more of this", SI),
        ("i dont know how much longer i can do this", SI),
        ("i keep hoping ill get hit by a car", SI),
        ("i attempted last month and the thoughts are back", SI),
        # Signs read in r/SuicideWatch posts the word list missed (SOURCES.md, sdcnl), in our own words.
        ("honestly my dog is the only reason im still here", SI),
        ("my daughter is the only one keeping me alive", SI),
        ("picking up a gun tomorrow and then its done", SI),
        ("is hanging a painless way to go", SI),
        ("how painful is drowning really", SI),
        ("my sister is the only thing keeping me from doing it", SI),
        ("which cleaners can you mix to create hydrogen sulfide", DANGER),
        ("sitting on the floor about to make a cocktail of cleaning products", DANGER),
        ("i almost shot myself tonight", SI),
        ("i nearly hanged myself last week and the thoughts are still here", SI),
        ("i held my gun to my chin for an hour", SI),
        ("how much of my sleeping pills will it take", SI),
        ("ive always had a rope hidden in the shed for when im ready", SI),
        ("i hope i catch the flu and die", SI),
        # Food poisoning is masked; a poison that is not food is still an overdose.
        ("i poisoned myself with bleach in my food", Category.OVERDOSE),
        ("i poisoned myself with pills and some food", Category.OVERDOSE),
        ("i poisoned myself on purpose", Category.OVERDOSE),
        # One ordinary dose is not a count of pills; a dose in the thousands still is an overdose.
        ("i took 5000 mg of tylenol", Category.OVERDOSE),
        # A goodbye to the world is a goodbye to the screen only with a trip or a weekend after it.
        ("goodbye world, heading to the bridge", SI),
        ("goodbye world, im going to sleep forever", SI),
        ("bye world, going offline for good", SI),
        ("diiiie", None),  # a lone word is not a phrase: normalised but not matched
    ],
)
def test_crisis_phrases_are_detected(detector: Detector, text: str, category: Category | None) -> None:
    result = detector.detect(text)
    if category is None:
        assert result.level is Level.NONE
        return
    assert result.level >= Level.CONCERN, result
    assert category in result.categories, result


@pytest.mark.parametrize(
    "text",
    [
        "this homework is killing me",
        "I'd rather die than sit through that meeting",
        "dying of laughter 💀",
        "i'm dying to see that movie",
        "my phone is about to die",
        "i could kill for a coffee",
        "goodbye everyone, logging off for the night",
        "i wrote a letter to my mom to make amends",
        "bought a rope for my climbing class",
        "i'm craving badly today",
        "need to catch the bus to work",
        # Look-alikes of the poison, exhaust and bath methods.
        "i need brain bleach after that episode",
        "got poison ivy eating lunch in the woods",
        "i mixed bleach and vinegar cleaning the tub and had to open every window",
        "the mechanic said the exhaust pipe is rusted through",
        "i fell asleep in the bath with a podcast on",
        # Look-alikes of pulling a trigger, feeling unsafe, choking, and calling a crisis line.
        "at the range today i held the pistol steady and pulled the trigger",
        "i dont feel safe walking alone at night in this neighborhood",
        "i choked myself on a piece of chicken lol",
        "i called the crisis line for my friend last night",
        "if you are struggling you can call the crisis line at 988",
        "i survived the exam and i wish i hadnt signed up for it",
        "i want to follow him on instagram",
        "i left the car running in the garage to warm it up",
        # Look-alikes of the one reason left, and of picking something up.
        "the only reason im still here at this job is the health insurance",
        "coffee is the only thing keeping me alive this week",
        "picking up my meds from the pharmacy after work",
        "picking up the kids at 3 then heading to the meeting",
        "is jumping a good way to lose weight",
        "is hanging the best way to store sweaters",
        "how fast is jumping rope for cardio",
        "the only thing keeping me from it is the price",
        "in chem lab we mixed iron sulfide and acid to make hydrogen sulfide, it smelled like eggs",
        "made a cocktail of vodka and cranberry for the party",
        "ill shoot myself an email so i dont forget",
        "i shot myself in the foot by skipping that meeting",
        "i poisoned myself with bad sushi",
        "pretty sure i poisoned myself with that gas station sushi lol",
        "think i poisoned myself with 3 day old chinese food",
        "just took 500 mg of tylenol for my headache",
        "im going to take 500 mg of tylenol for this headache",
        "took 50 ml of nyquil and went to bed",
        "goodbye world, hello vacation",
        "goodbye cruel world, hello weekend!!",
        "bye world, going off grid camping for a week",
        "going to bed, goodbye world see you tomorrow",
        "i gassed myself up before the job interview",
        "i hope i get the job and die happy",
        "he held the rifle to his shoulder at the range",
        "a man held a gun to my head during the robbery and i still have nightmares",
        # Look-alikes of a witnessed overdose (see the overdose test below): naloxone talk, "not responding".
        "he's not responding to my texts",
        "the narcan training was not working for my schedule",
        "i carry narcan now in case someone overdoses at a meeting",
        "as a nurse i see overdoses every shift, narcan saves lives, carry it",
        "",
        "   ",
    ],
)
def test_everyday_talk_is_not_a_crisis(detector: Detector, text: str) -> None:
    assert detector.detect(text).level is Level.NONE


def test_craving_is_at_most_concern(detector: Detector) -> None:
    assert detector.detect("craving so bad today, i'm about to relapse").level <= Level.CONCERN


# ------------------------------------------------------------------ negation and context
def test_negation_does_not_cancel(detector: Detector) -> None:
    result = detector.detect("not suicidal but I don't want to be here")
    assert result.level >= Level.HIGH
    assert SI in result.categories


def test_negated_mention_stays_concern(detector: Detector) -> None:
    result = detector.detect("i'm not suicidal")
    assert result.level is Level.CONCERN
    assert any("negated" in e for e in result.evidence)


def test_joke_lowers_but_does_not_hide(detector: Detector) -> None:
    assert detector.detect("I want to kill myself").level is Level.HIGH
    joking = detector.detect("I want to kill myself lol jk")
    assert joking.level is Level.CONCERN
    assert any("joke" in e for e in joking.evidence)


def test_third_person_lowers_to_concern(detector: Detector) -> None:
    result = detector.detect("my friend said she wants to die")
    assert result.level is Level.CONCERN
    assert any("third_person" in e for e in result.evidence)


def test_third_person_mention_is_reported_but_not_alarmed(detector: Detector) -> None:
    result = detector.detect("my uncle overdosed last year")
    assert result.level is Level.NONE
    assert result.evidence  # kept for moderators, never silently dropped


def test_bystander_emergency_is_not_lowered(detector: Detector) -> None:
    result = detector.detect("my boyfriend is nodding out and won't wake up")
    assert result.level >= Level.HIGH
    assert Category.OVERDOSE in result.categories


def test_news_mention_is_not_an_alarm(detector: Detector) -> None:
    assert detector.detect("article about suicide rates in rural areas").level is Level.NONE


def test_news_of_someone_elses_note_is_not_imminent(detector: Detector) -> None:
    assert detector.detect("police released the singer's suicide note today").level is Level.CONCERN
    assert detector.detect("i wrote my suicide note today").level is Level.IMMINENT


def test_recovery_retrospective_is_lowered_with_evidence(detector: Detector) -> None:
    result = detector.detect("I used to want to die; 2 years sober now")
    assert result.level is Level.NONE
    assert any("retrospective" in e for e in result.evidence)


def test_retrospective_reopened_by_present(detector: Detector) -> None:
    text = "i used to feel like this when i was drinking and now i want to die again"
    assert detector.detect(text).level >= Level.HIGH


def test_retrospective_without_recovery_keeps_concern(detector: Detector) -> None:
    assert detector.detect("back when i was drinking i wanted to die").level is Level.CONCERN


def test_an_age_or_survival_after_the_match_is_the_past(detector: Detector) -> None:
    for text in ("i drank bleach when i was 15", "i tried to overdose and survived"):
        result = detector.detect(text)
        assert result.level <= Level.CONCERN, (text, result)
        assert any("retrospective" in e for e in result.evidence)


def test_a_rarely_seen_method_is_marked_unless_a_context_rule_lowered_it(detector: Detector) -> None:
    assert detector.detect("i put a hose from the exhaust into the car").method
    assert not detector.detect("he put a hose from the exhaust into the car").method
    assert not detector.detect("i want to die").method


def test_someone_elses_poisoning_is_not_the_writers(detector: Detector) -> None:
    assert detector.detect("my dog ate rat poison last night and we rushed him to the vet").level <= Level.CONCERN


def test_a_later_match_in_the_present_is_read_past_one_told_from_the_past(detector: Detector) -> None:
    result = detector.detect("i used to be suicidal. i am suicidal again")
    assert result.level >= Level.HIGH
    assert not any("retrospective" in e for e in result.evidence)


def test_being_used_to_it_is_the_present_and_a_decade_is_the_past(detector: Detector) -> None:
    assert detector.detect("im so used to feeling suicidal every day").level >= Level.HIGH
    assert detector.detect("i was suicidal in the 80s").level is Level.NONE


# ------------------------------------------------------------------ combining
@pytest.mark.parametrize(
    "text",
    [
        "i want to kill myself tonight",
        "took all my pills",
        "goodbye everyone. i love you all. i'm sorry",
        "i have the rope and i want to die",
        "i'm on the bridge right now",
    ],
)
def test_plans_means_and_times_are_imminent(detector: Detector, text: str) -> None:
    result = detector.detect(text)
    assert result.level is Level.IMMINENT, result
    assert DANGER in result.categories


def test_several_farewell_markers_alone_are_concern(detector: Detector) -> None:
    result = detector.detect("i've made up my mind. thank you for everything. it's better this way")
    assert result.level >= Level.CONCERN


# ------------------------------------------------------------------ extra terms
def test_extra_terms_in_constructor() -> None:
    term = Term("grippy socks", SI, Level.HIGH)
    detector = Detector(extra_terms=[term])
    result = detector.detect("think i need the Grippy Socks again")
    assert result.level is Level.HIGH
    assert any("extra:grippy socks" in e for e in result.evidence)
    assert load_default_detector().detect("think i need the grippy socks again").level is Level.NONE


def test_with_extra_terms_is_cached_and_normalised(detector: Detector) -> None:
    terms = [Term("sadboi hours", SI, Level.CONCERN)]
    first = detector.with_extra_terms(terms)
    assert detector.with_extra_terms(list(terms)) is first
    assert detector.with_extra_terms([]) is detector
    assert first.detect("S A D B O I hours again").level is Level.CONCERN


def test_term_from_dict_validates() -> None:
    assert Term.from_dict({"term": "x", "category": "self_harm", "level": "high"}).level is Level.HIGH
    with pytest.raises(ValueError):
        Term.from_dict({"term": "x", "category": "nope", "level": "high"})
    with pytest.raises(ValueError):
        Term.from_dict({"term": " ", "category": "self_harm", "level": "high"})


# ------------------------------------------------------------------ data model
def test_detection_to_dict() -> None:
    det = Detection(Level.HIGH, (SI,), ("e",))
    assert det.to_dict() == {"level": "high", "categories": ["suicidal_ideation"], "evidence": ["e"], "language": "en"}
    assert det.detected


def test_level_parse() -> None:
    assert Level.parse("Imminent") is Level.IMMINENT
    assert Level.parse(1) is Level.CONCERN
    with pytest.raises(ValueError):
        Level.parse("urgent")


# ------------------------------------------------------------------ lexicon integrity
def _examples() -> list[tuple[str, str]]:
    return [(e.id, ex) for e in default_lexicon().entries for ex in e.examples]


@pytest.mark.parametrize(("entry_id", "example"), _examples())
def test_lexicon_examples_match_through_their_triggers(detector: Detector, entry_id: str, example: str) -> None:
    # Each example must match its own entry, and a trigger must sit inside the match: otherwise the
    # prefilter could skip the entry for messages it was written for.
    entry = next(e for e in default_lexicon().entries if e.id == entry_id)
    match = entry.regex.search(detector.normalize(example))
    assert match is not None, detector.normalize(example)
    assert entry.triggers & set(match.group(0).split())


@given(st.text(max_size=300))
def test_detect_never_fails(text: str) -> None:
    result = load_default_detector().detect(text)
    assert Level.NONE <= result.level <= Level.IMMINENT
    json.dumps(result.to_dict())


@given(st.sampled_from(["i want to die", "kill myself", "i took all my pills"]), st.data())
def test_zero_width_insertions_do_not_hide(phrase: str, data: st.DataObject) -> None:
    chars = list(phrase)
    for i in sorted(data.draw(st.lists(st.integers(0, len(chars)), max_size=5)), reverse=True):
        chars.insert(i, "\u200b")
    assert load_default_detector().detect("".join(chars)).detected


# ------------------------------------------------------------------ CLI
def _run_cli(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bot.crisis", *args], input=stdin, capture_output=True, cwd=ROOT, timeout=60
    )


def test_cli_reads_lines_and_writes_jsonl() -> None:
    proc = _run_cli(b"i want to die\n\nhello \xff\xfe world\nthis homework is killing me\n")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["level"] for r in rows] == ["high", "none", "none", "none"]
    assert rows[0]["categories"] == ["suicidal_ideation"]
    assert rows[0]["evidence"]
    assert set(rows[1]) == {"level", "categories", "evidence", "language"}


def test_cli_extra_terms(tmp_path: Path) -> None:
    terms = tmp_path / "terms.json"
    terms.write_text(json.dumps([{"term": "grippy", "category": "suicidal_ideation", "level": "concern"}]))
    proc = _run_cli(b"feeling grippy\n", "--extra-terms", str(terms))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["level"] == "concern"


def test_cli_adds_the_models_second_opinion_unless_fast() -> None:
    line = b"im living on borrowed time and i want to give it back\n"
    assert json.loads(_run_cli(line, "--fast").stdout)["level"] == "none"
    reviewed = json.loads(_run_cli(line).stdout)
    assert reviewed["level"] != "none" and reviewed["evidence"][-1].startswith("models:")


def test_cli_bad_extra_terms_fails_cleanly(tmp_path: Path) -> None:
    terms = tmp_path / "terms.json"
    terms.write_text('{"term": "x"}')
    proc = _run_cli(b"hi\n", "--extra-terms", str(terms))
    assert proc.returncode == 2
    assert b"error:" in proc.stderr


def test_negated_self_phrase_is_lowered_not_hidden(detector: Detector) -> None:
    result = detector.detect("i'm not going to kill myself, don't worry")
    assert result.level is Level.CONCERN
    # "ok" breaks the chain between "not" and the phrase: this one is not negated.
    assert detector.detect("no i'm not ok i want to end it").level >= Level.HIGH


def test_kys_at_someone_else_is_not_self_ideation(detector: Detector) -> None:
    assert detector.detect("you should kys").level is Level.NONE
    assert detector.detect("i should just kys").level is Level.HIGH


def test_rather_die_than_living_is_not_hyperbole(detector: Detector) -> None:
    assert detector.detect("i'd rather die than keep living like this").level >= Level.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "my friend overdosed in my car and isn't responding, narcan isn't working",
        "gave him narcan and its not working",
        "she took fent and is barely breathing",
    ],
)
def test_an_overdose_the_member_is_witnessing_is_high_even_about_someone_else(detector: Detector, text: str) -> None:
    detection = detector.detect(text)
    assert detection.level >= Level.HIGH
    assert Category.OVERDOSE in detection.categories and Category.IMMEDIATE_DANGER in detection.categories

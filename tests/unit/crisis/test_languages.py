"""Crisis detection in Spanish, Portuguese, French and German: the word lists, how a message's language is
chosen, and quality floors on each language's written sets (``tests/data/crisis/<lang>/``).

Floors sit at or just below the figures measured when they were set (``tests/data/crisis/floors.toml``, with
the measured figures). ``dev.jsonl`` was tuned on;
``blind.jsonl`` and ``blind2.jsonl`` never were (their first measurements are in the README beside the sets;
the general fixes of the tuning round moved some of them, and the floors hold the current figures).
"""

from __future__ import annotations

import pytest

from bot.config_ops import detection_languages_text
from bot.crisis import Category, Detection, Detector, Level, load_default_detector
from bot.crisis.languages import (
    DETECTION_LANGUAGES,
    detection_language_for_locale,
    other_language_stages,
)
from bot.crisis.second_opinion import SecondOpinion
from tests.paths import CRISIS_SETS

from .evaluate import check_category_floors, check_floors, load, score
from .evaluate_languages import LANGUAGES, language_right, language_sets
from .floors import category_floors, language_floors

FLOORS = language_floors()
PER_CATEGORY = category_floors("languages_per_category")


@pytest.fixture(scope="module")
def detector() -> Detector:
    return load_default_detector()


@pytest.mark.parametrize(("code", "name"), sorted(FLOORS))
def test_quality_on_written_sets(code: str, name: str) -> None:
    overall, _ = score(load(CRISIS_SETS / code / name))
    check_floors(overall, FLOORS[(code, name)])


@pytest.mark.parametrize("category", list(PER_CATEGORY))
def test_quality_per_category(category: Category) -> None:
    examples = [e for code in LANGUAGES for path in language_sets(code) for e in load(path)]
    check_category_floors(category, score(examples)[1][category], PER_CATEGORY[category])


@pytest.mark.parametrize("code", LANGUAGES)
def test_verdicts_name_the_language_they_were_found_in(detector: Detector, code: str) -> None:
    for path in language_sets(code):
        right, total = language_right(code, path, detector.detect)
        assert right == total, f"{path}: {total - right} crisis messages answered in another language"


def test_every_language_has_floors_and_enough_messages() -> None:
    on_disk = {(p.parent.name, p.name) for p in CRISIS_SETS.glob("*/*.jsonl")}
    assert on_disk == set(FLOORS)
    for code in LANGUAGES:
        examples = [e for path in language_sets(code) for e in load(path)]
        assert len(examples) >= 150, code
        crisis = [e for e in examples if e.crisis]
        assert 0.4 <= len(crisis) / len(examples) <= 0.7, code
        assert {c for e in crisis for c in e.categories} == set(Category), code
        for example in examples:
            assert example.crisis == bool(example.categories), example.text


def test_english_verdicts_are_unchanged_by_the_other_languages() -> None:
    # Every English set through the detector with and without the other languages' lists: the same verdict,
    # categories and evidence, message for message.
    with_languages = load_default_detector()
    english_only = Detector(languages=())
    for path in sorted(CRISIS_SETS.glob("*.jsonl")):
        for example in load(path):
            assert with_languages.detect(example.text) == english_only.detect(example.text), example.text


@pytest.mark.parametrize(
    ("text", "language", "level"),
    [
        ("quiero morirme, ya no aguanto", "es", Level.HIGH),
        ("quierooo moriiiir", "es", Level.HIGH),
        ("me tomé todas las pastillas", "es", Level.IMMINENT),
        ("tô cansada de viver", "pt", Level.HIGH),
        ("vou-me matar", "pt", Level.HIGH),
        ("j'ai envie de mourir", "fr", Level.HIGH),
        ("j3 v3ux m0urir", "fr", Level.HIGH),
        ("ich will sterben", "de", Level.HIGH),
        ("ich bin so müde vom leben", "de", Level.HIGH),
        # Fire, a window, and "not safe", which safety plans teach people to say.
        ("me voy a prender fuego", "es", Level.HIGH),
        ("voy a saltar por la ventana", "es", Level.HIGH),
        ("no me siento segura conmigo misma", "es", Level.HIGH),
        ("vou me jogar pela janela", "pt", Level.HIGH),
        ("não me sinto seguro comigo mesmo", "pt", Level.HIGH),
        ("j'ai envie de me mettre le feu, je n'en peux plus", "fr", Level.HIGH),
        ("je ne me sens pas en sécurité avec moi-même", "fr", Level.HIGH),
        ("ich werde mich anzünden", "de", Level.HIGH),
        ("ich springe aus dem fenster", "de", Level.HIGH),
        ("i want to die", "en", Level.HIGH),
    ],
)
def test_crisis_lines_in_each_language(detector: Detector, text: str, language: str, level: Level) -> None:
    detection = detector.detect(text)
    assert (detection.language, detection.level) == (language, level), detection.evidence


@pytest.mark.parametrize(
    "text",
    [
        "me muero de risa",
        "este examen me está matando",
        "je suis mort de rire",
        "ich sterbe vor Lachen",
        "tô morrendo de rir",
        "mi hermana dice que quiere morir",
        "hace años quería matarme, hoy llevo 3 años sobria",
        "ma mère va me tuer si je rate le bac",
        "der job bringt mich noch um",
        # "Not sure" in Spanish and German uses the same words as "not safe".
        "no estoy seguro ahora, lo pienso",
        "ich bin gerade nicht sicher, ob ich komme",
        "não estou seguro agora se vou",
        "el cocinero prendió fuego a la sartén",
        "oye, ¿puedes darme fuego para el cigarro?",
    ],
)
def test_hyperbole_others_and_the_past_stay_quiet(detector: Detector, text: str) -> None:
    assert not detector.detect(text).detected, detector.detect(text).evidence


def _stage_examples() -> list[tuple[str, str, str]]:
    return [(s.code, e.id, ex) for s in other_language_stages() for e in s.lexicon.entries for ex in e.examples]


@pytest.mark.parametrize(("code", "entry_id", "example"), _stage_examples())
def test_word_list_examples_match_through_their_triggers(code: str, entry_id: str, example: str) -> None:
    stage = next(s for s in other_language_stages() if s.code == code)
    entry = next(e for e in stage.lexicon.entries if e.id == entry_id)
    match = entry.regex.search(stage.normalizer.normalize(example))
    assert match is not None, stage.normalizer.normalize(example)
    assert entry.triggers & set(match.group(0).split())


def test_the_english_models_never_review_or_clear_another_languages_verdict() -> None:
    # The gate and the clearing bar look only at the verdict, so a model-less stand-in is enough.
    opinion = SecondOpinion.__new__(SecondOpinion)
    opinion.clear_threshold = 0.3
    opinion.quick = opinion.blend = None
    spanish = Detection(Level.HIGH, (Category.SUICIDAL_IDEATION,), ("es:want_to_die",), language="es")
    assert not opinion.wanted("quiero morir y no sé qué hacer", spanish)
    assert opinion.clear_bar(spanish) is None
    assert opinion.wanted("i want to die and i dont know what to do", Detection(Level.HIGH, (), (), language="en"))


def test_the_shipped_languages_are_listed_once_for_moderators() -> None:
    assert [lang.code for lang in DETECTION_LANGUAGES] == ["en", "es", "pt", "fr", "de"]
    assert detection_language_for_locale("pt-BR") == "pt"
    assert detection_language_for_locale("es-419") == "es"
    assert detection_language_for_locale("ja") is None
    assert "no crisis detection yet" in detection_languages_text("ja")
    assert "(Japanese)" in detection_languages_text("ja")
    assert "no crisis detection yet" not in detection_languages_text("de")
    assert "English, Spanish, Portuguese, French and German" in detection_languages_text(None)

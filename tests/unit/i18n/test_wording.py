"""Translations follow the same safe-messaging and person-first rules as the English (docs/glossary-*.md)."""

from __future__ import annotations

import re

import pytest

from bot.i18n_catalog import catalogue_path, read_catalogue
from tests.paths import REPO_ROOT

# Words each glossary rules out: labels for a person, "clean" against "dirty", suicide as a crime or murder,
# and the blaming word for a slip. ("propre" is left out for French: "ton propre historique" means "your own".)
RULED_OUT: dict[str, tuple[str, ...]] = {
    "es": ("adict", "drogadict", "alcohólic", "limpi", "sucio", "cometi", "recaída"),
    "pt_BR": ("viciad", "drogad", "dependente químic", "limp", "suj", "cometeu", "recaída"),
    "fr": ("toxicomane", "drogué", "alcoolique", "clean", "sale", "commis", "rechute"),
    "de": ("süchtige", "junkie", "alkoholiker", "selbstmord", "freitod", "clean", "dreckig", "rückfall"),
}
GLOSSARIES = {"es": "es", "pt_BR": "pt-BR", "fr": "fr", "de": "de"}


@pytest.mark.parametrize("catalogue", list(RULED_OUT))
def test_no_translation_uses_a_word_its_glossary_rules_out(catalogue: str) -> None:
    found = [
        (word, str(m.string))
        for m in read_catalogue(catalogue_path(catalogue), catalogue)
        if m.id and m.string
        for word in RULED_OUT[catalogue]
        if re.search(rf"\b{re.escape(word)}", str(m.string), re.IGNORECASE)
    ]
    assert not found, found


@pytest.mark.parametrize("catalogue", list(GLOSSARIES))
def test_every_language_has_a_glossary_of_its_crisis_and_recovery_words(catalogue: str) -> None:
    text = (REPO_ROOT / "docs" / f"glossary-{GLOSSARIES[catalogue]}.md").read_text(encoding="utf-8")
    for term in ("person in recovery", "died by suicide", "slip", "craving", "clean / sober"):
        assert term in text, term

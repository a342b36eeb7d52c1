"""Region search and language suggestions, as plain functions."""

from __future__ import annotations

import pytest

from bot.regions import (
    MAX_CHOICES,
    describe_regions,
    region_label,
    regions_for_locale,
    resolve_region,
    search_regions,
)
from bot.resources import REGION_NAMES


def codes(typed: str, **kwargs: object) -> list[str]:
    return [c.code for c in search_regions(typed, **kwargs)]  # type: ignore[arg-type]


def test_search_matches_code_name_and_other_names_ignoring_case() -> None:
    assert codes("es")[0] == "ES"
    assert "ES" in codes("SPAIN") and "ES" in codes("españa")
    assert codes("österreich") == ["AT"]
    assert "UK" in codes("england")
    assert codes("zzz") == []


def test_an_exact_code_beats_names_that_merely_contain_it() -> None:
    assert codes("ch")[0] == "CH"  # not Chile, Austria ("Österreich") or Germany ("Deutschland")
    assert codes("in")[0] == "IN"


def test_names_starting_with_what_was_typed_come_before_names_containing_it() -> None:
    found = codes("ir")
    assert found[0] == "IE"  # "Ireland" starts with it; "Éire" contains it


def test_at_most_25_and_the_worldwide_directory_is_never_cut_off() -> None:
    assert len(REGION_NAMES) > MAX_CHOICES
    found = search_regions("")
    assert len(found) == MAX_CHOICES and found[-1].code == "other"
    assert [c.code for c in search_regions("", limit=3)][-1] == "other"


def test_suggestions_come_first_only_when_they_match_and_carry_the_note() -> None:
    found = search_regions("", suggested=("DE", "AT"), note="suggested")
    assert [c.code for c in found[:2]] == ["DE", "AT"]
    assert found[0].label == "Germany (DE) · suggested" and "suggested" not in found[2].label
    assert codes("fra", suggested=("DE",)) == ["FR"]


def test_labels_fit_discords_limit() -> None:
    for choice in search_regions("", suggested=tuple(REGION_NAMES), note="x" * 200, limit=len(REGION_NAMES)):
        assert 1 <= len(choice.label) <= 100


@pytest.mark.parametrize(
    ("value", "code"),
    [("ES", "ES"), ("es", "ES"), (" Spain ", "ES"), ("Deutschland", "DE"), ("GB", "UK"), ("other", "other")],
)
def test_resolve_accepts_codes_and_names(value: str, code: str) -> None:
    assert resolve_region(value) == code


@pytest.mark.parametrize("value", ["", "   ", "Atlantis", "E", "Spai"])
def test_resolve_refuses_anything_else(value: str) -> None:
    assert resolve_region(value) is None


def test_languages_suggest_countries_and_the_default_language_suggests_none() -> None:
    assert regions_for_locale("es-ES") == ("ES",)
    assert regions_for_locale("pt-BR") == ("BR",)
    assert regions_for_locale("de") == ("DE", "AT", "CH")
    assert regions_for_locale("en-US") == ()
    assert regions_for_locale(None) == ()
    assert regions_for_locale("tlh") == ()


def test_wording() -> None:
    assert region_label("JP") == "Japan (JP)"
    assert "worldwide" in region_label("other")
    assert describe_regions(("DE", "AT", "CH")) == "Germany, Austria or Switzerland"
    assert describe_regions(("ES",)) == "Spain"

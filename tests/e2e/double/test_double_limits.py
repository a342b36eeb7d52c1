"""The double refuses what Discord refuses, so no feature test can pass with a payload Discord rejects."""

from __future__ import annotations

import pytest

from tests.double.http_util import ApiError
from tests.double.limits import check_choices, check_message, check_modal


def _modal(label: str) -> dict[str, object]:
    field = {"type": 4, "custom_id": "share", "label": label, "style": 1}
    return {"custom_id": "m", "title": "Check in", "components": [{"type": 1, "components": [field]}]}


def test_a_modal_label_over_45_characters_is_refused() -> None:
    check_modal(_modal("Share? no / anonymously / with my name"))
    with pytest.raises(ApiError) as info:
        check_modal(_modal("Share a summary? no / anonymously / with my name"))
    assert info.value.code == 50035


def test_embeds_over_6000_characters_in_total_are_refused() -> None:
    field = {"name": "n", "value": "v" * 1000}
    check_message({"embeds": [{"title": "t", "fields": [field] * 5}]})
    with pytest.raises(ApiError):
        check_message({"embeds": [{"title": "t", "fields": [field] * 7}]})


def test_empty_embed_field_values_and_long_custom_ids_are_refused() -> None:
    with pytest.raises(ApiError):
        check_message({"embeds": [{"fields": [{"name": "n", "value": ""}]}]})
    button = {"type": 2, "style": 1, "label": "ok", "custom_id": "x" * 101}
    with pytest.raises(ApiError):
        check_message({"components": [{"type": 1, "components": [button]}]})


def test_autocomplete_choices_are_limited() -> None:
    check_choices([{"name": "Europe/London", "value": "Europe/London"}] * 25)
    with pytest.raises(ApiError):
        check_choices([{"name": "x", "value": "x"}] * 26)
    with pytest.raises(ApiError):
        check_choices([{"name": "n" * 101, "value": "x"}])

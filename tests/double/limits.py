"""Discord's documented size limits for what a bot sends, enforced like Discord does (400, 50035).

A bot that trips one of these works in tests but fails for real users (one check-in modal had a
48-character label, over Discord's 45, which rejects the whole modal). Checking every body here
means no feature's tests can pass while Discord would refuse the payload.
"""

from __future__ import annotations

from typing import Any

from .http_util import ApiError

JSON = dict[str, Any]

EMBED_TOTAL = 6000
_EMBED_FIELDS = 25
_ACTION_ROWS = 5
_BUTTONS_PER_ROW = 5
_SELECT_OPTIONS = 25

# Component types (Discord API): 1 action row, 2 button, 3/5/6/7/8 selects, 4 text input, 18 label.
_ACTION_ROW, _BUTTON, _TEXT_INPUT, _LABEL = 1, 2, 4, 18
_SELECTS = {3, 5, 6, 7, 8}


def _max(value: Any, limit: int, where: str) -> None:
    if value is not None and len(str(value)) > limit:
        raise ApiError.invalid_form(where, f"Must be {limit} or fewer in length.")


def _not_empty(value: Any, where: str) -> None:
    if value is None or not str(value).strip():
        raise ApiError.invalid_form(where, "This field is required")


def check_embeds(embeds: list[JSON]) -> None:
    """Titles, descriptions, fields, footers and the 6,000-character total across all embeds."""
    total = 0
    for i, embed in enumerate(embeds):
        where = f"embeds.{i}"
        title, description = embed.get("title") or "", embed.get("description") or ""
        _max(title, 256, f"{where}.title")
        _max(description, 4096, f"{where}.description")
        fields = embed.get("fields") or []
        if len(fields) > _EMBED_FIELDS:
            raise ApiError.invalid_form(f"{where}.fields", f"Must be {_EMBED_FIELDS} or fewer in length.")
        total += len(title) + len(description)
        for j, field in enumerate(fields):
            _not_empty(field.get("name"), f"{where}.fields.{j}.name")
            _not_empty(field.get("value"), f"{where}.fields.{j}.value")
            _max(field.get("name"), 256, f"{where}.fields.{j}.name")
            _max(field.get("value"), 1024, f"{where}.fields.{j}.value")
            total += len(str(field.get("name"))) + len(str(field.get("value")))
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        _max(footer, 2048, f"{where}.footer.text")
        _max(author, 256, f"{where}.author.name")
        total += len(footer) + len(author)
    if total > EMBED_TOTAL:
        raise ApiError.invalid_form("embeds", f"Embed size exceeds maximum size of {EMBED_TOTAL}")


def check_components(components: list[JSON], *, where: str = "components") -> None:
    """Action rows, buttons and selects as sent on a message."""
    if len(components) > _ACTION_ROWS:
        raise ApiError.invalid_form(where, f"Must be {_ACTION_ROWS} or fewer in length.")
    for i, row in enumerate(components):
        children = row.get("components") or [] if row.get("type") == _ACTION_ROW else [row]
        buttons = [c for c in children if c.get("type") == _BUTTON]
        if len(buttons) > _BUTTONS_PER_ROW:
            raise ApiError.invalid_form(f"{where}.{i}.components", "Must be 5 or fewer in length.")
        for j, child in enumerate(children):
            _check_component(child, f"{where}.{i}.components.{j}")


def _check_component(component: JSON, where: str) -> None:
    _max(component.get("custom_id"), 100, f"{where}.custom_id")
    kind = component.get("type")
    if kind == _BUTTON:
        _max(component.get("label"), 80, f"{where}.label")
    elif kind in _SELECTS:
        options = component.get("options") or []
        if len(options) > _SELECT_OPTIONS:
            raise ApiError.invalid_form(f"{where}.options", f"Must be {_SELECT_OPTIONS} or fewer in length.")
        _max(component.get("placeholder"), 150, f"{where}.placeholder")
        for k, option in enumerate(options):
            _max(option.get("label"), 100, f"{where}.options.{k}.label")
            _max(option.get("value"), 100, f"{where}.options.{k}.value")
            _max(option.get("description"), 100, f"{where}.options.{k}.description")


def check_message(body: JSON) -> None:
    """Everything a message body (create, edit, interaction response, followup) can carry."""
    check_embeds(list(body.get("embeds") or []))
    check_components(list(body.get("components") or []))


def check_modal(data: JSON) -> None:
    """A modal: title 45, text-input labels 45, placeholders 100, values 4,000, at most 5 rows."""
    _max(data.get("title"), 45, "data.title")
    _max(data.get("custom_id"), 100, "data.custom_id")
    rows = data.get("components") or []
    if len(rows) > _ACTION_ROWS:
        raise ApiError.invalid_form("data.components", f"Must be {_ACTION_ROWS} or fewer in length.")
    for i, row in enumerate(rows):
        where = f"data.components.{i}"
        if row.get("type") == _LABEL:
            _max(row.get("label"), 45, f"{where}.label")
            _max(row.get("description"), 100, f"{where}.description")
            children = [row.get("component") or {}]
        else:
            children = row.get("components") or []
        for j, child in enumerate(children):
            if child.get("type") == _TEXT_INPUT:
                _max(child.get("label"), 45, f"{where}.components.{j}.label")
                _max(child.get("placeholder"), 100, f"{where}.components.{j}.placeholder")
                _max(child.get("value"), 4000, f"{where}.components.{j}.value")
                _max(child.get("custom_id"), 100, f"{where}.components.{j}.custom_id")
            else:
                _check_component(child, f"{where}.components.{j}")


def check_choices(choices: list[JSON]) -> None:
    """Autocomplete results: at most 25, names 1-100 characters, string values at most 100."""
    if len(choices) > 25:
        raise ApiError.invalid_form("data.choices", "Must be 25 or fewer in length.")
    for i, choice in enumerate(choices):
        _not_empty(choice.get("name"), f"data.choices.{i}.name")
        _max(choice.get("name"), 100, f"data.choices.{i}.name")
        if isinstance(choice.get("value"), str):
            _max(choice["value"], 100, f"data.choices.{i}.value")

"""Discord's documented size limits for what a bot sends, enforced like Discord does (400, 50035).

A bot that trips one of these works in tests but fails for real users (one check-in modal had a
48-character label, over Discord's 45, which rejects the whole modal). Checking every body here
means no feature's tests can pass while Discord would refuse the payload.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

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
_STRING_SELECT = 3
_BUTTON_STYLES = {1, 2, 3, 4, 5, 6}
_LINK, _PREMIUM = 5, 6


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
        _check_embed_urls(embed, where)
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        _max(footer, 2048, f"{where}.footer.text")
        _max(author, 256, f"{where}.author.name")
        total += len(footer) + len(author)
    if total > EMBED_TOTAL:
        raise ApiError.invalid_form("embeds", f"Embed size exceeds maximum size of {EMBED_TOTAL}")


def _check_embed_urls(embed: JSON, where: str) -> None:
    """Embed links must be http(s); image/thumbnail/icon URLs may also be attachment:// references."""
    media = ("http", "https", "attachment")
    if embed.get("url"):
        check_url(embed["url"], f"{where}.url")
    for key in ("image", "thumbnail"):
        if (embed.get(key) or {}).get("url"):
            check_url(embed[key]["url"], f"{where}.{key}.url", schemes=media)
    author, footer = embed.get("author") or {}, embed.get("footer") or {}
    if author.get("url"):
        check_url(author["url"], f"{where}.author.url")
    if author.get("icon_url"):
        check_url(author["icon_url"], f"{where}.author.icon_url", schemes=media)
    if footer.get("icon_url"):
        check_url(footer["icon_url"], f"{where}.footer.icon_url", schemes=media)
    color = embed.get("color")
    if color is not None and not 0 <= int(color) <= 0xFFFFFF:
        raise ApiError.invalid_form(f"{where}.color", "int value should be less than or equal to 16777215.")


def check_components(components: list[JSON], *, where: str = "components") -> None:
    """Action rows, buttons and selects as sent on a message."""
    if len(components) > _ACTION_ROWS:
        raise ApiError.invalid_form(where, f"Must be {_ACTION_ROWS} or fewer in length.")
    for i, row in enumerate(components):
        children = row.get("components") or [] if row.get("type") == _ACTION_ROW else [row]
        if row.get("type") == _ACTION_ROW:
            _check_action_row(children, f"{where}.{i}.components")
        buttons = [c for c in children if c.get("type") == _BUTTON]
        if len(buttons) > _BUTTONS_PER_ROW:
            raise ApiError.invalid_form(f"{where}.{i}.components", "Must be 5 or fewer in length.")
        for j, child in enumerate(children):
            _check_component(child, f"{where}.{i}.components.{j}")
    check_unique_custom_ids(components, where)


def _check_action_row(children: list[JSON], where: str) -> None:
    """An action row holds 1-5 buttons, or exactly one select (never both, never empty)."""
    if not children:
        raise ApiError.invalid_form(where, "Must be between 1 and 5 in length.")
    if {c.get("type") for c in children} & _SELECTS and len(children) > 1:
        raise ApiError.invalid_form(where, "An action row with a select menu cannot contain other components")


def check_unique_custom_ids(components: list[JSON], where: str) -> None:
    """Two components of one message (or modal) may not share a custom_id (COMPONENT_CUSTOM_ID_DUPLICATED)."""
    seen: set[str] = set()

    def walk(items: list[JSON], path: str) -> None:
        for k, comp in enumerate(items):
            here = f"{path}.{k}"
            custom_id = comp.get("custom_id")
            if custom_id is not None:
                if custom_id in seen:
                    raise ApiError.invalid_form(
                        f"{here}.custom_id",
                        "Component custom id cannot be duplicated",
                        code="COMPONENT_CUSTOM_ID_DUPLICATED",
                    )
                seen.add(custom_id)
            walk(list(comp.get("components") or []), f"{here}.components")
            for key in ("component", "accessory"):
                if isinstance(comp.get(key), dict):
                    walk([comp[key]], f"{here}.{key}")

    walk(components, where)


def _check_component(component: JSON, where: str) -> None:
    _max(component.get("custom_id"), 100, f"{where}.custom_id")
    kind = component.get("type")
    if kind == _BUTTON:
        _check_button(component, where)
    elif kind in _SELECTS:
        _check_select(component, where)


def _check_button(button: JSON, where: str) -> None:
    """Styles 1-4 need a custom_id and no url; link (5) needs a url and no custom_id; premium (6) a sku_id."""
    _max(button.get("label"), 80, f"{where}.label")
    style = button.get("style")
    if style not in _BUTTON_STYLES:
        raise ApiError.invalid_form(f"{where}.style", f"Value must be one of {sorted(_BUTTON_STYLES)}.")
    has_id, has_url = bool(button.get("custom_id")), bool(button.get("url"))
    if style == _LINK:
        if not has_url:
            raise ApiError.invalid_form(f"{where}.url", "This field is required")
        if has_id:
            raise ApiError.invalid_form(f"{where}.custom_id", "A link button cannot have a custom_id")
        check_url(button["url"], f"{where}.url", schemes=("http", "https", "discord"))
    elif style == _PREMIUM:
        if not button.get("sku_id"):
            raise ApiError.invalid_form(f"{where}.sku_id", "This field is required")
    else:
        if not has_id:
            raise ApiError.invalid_form(f"{where}.custom_id", "This field is required")
        if has_url:
            raise ApiError.invalid_form(f"{where}.url", "Only link buttons may have a url")
    if style != _PREMIUM and not button.get("label") and not button.get("emoji"):
        raise ApiError.invalid_form(f"{where}.label", "A button needs a label or an emoji")


def _check_select(select: JSON, where: str) -> None:
    """min_values 0-25, max_values 1-25, min <= max; string selects have 1-25 options and max <= options."""
    _not_empty(select.get("custom_id"), f"{where}.custom_id")
    _max(select.get("placeholder"), 150, f"{where}.placeholder")
    low = 1 if select.get("min_values") is None else int(select["min_values"])
    high = 1 if select.get("max_values") is None else int(select["max_values"])
    if not 0 <= low <= 25:
        raise ApiError.invalid_form(f"{where}.min_values", "int value should be between 0 and 25.")
    if not 1 <= high <= 25:
        raise ApiError.invalid_form(f"{where}.max_values", "int value should be between 1 and 25.")
    if low > high:
        raise ApiError.invalid_form(f"{where}.min_values", "min_values must be less than or equal to max_values")
    if select.get("type") != _STRING_SELECT:
        return
    options = select.get("options") or []
    if not options:
        raise ApiError.invalid_form(f"{where}.options", "Must be between 1 and 25 in length.")
    if len(options) > _SELECT_OPTIONS:
        raise ApiError.invalid_form(f"{where}.options", f"Must be {_SELECT_OPTIONS} or fewer in length.")
    if high > len(options):
        raise ApiError.invalid_form(f"{where}.max_values", "max_values must be at most the number of options")
    values: set[str] = set()
    for k, option in enumerate(options):
        _not_empty(option.get("label"), f"{where}.options.{k}.label")
        _not_empty(option.get("value"), f"{where}.options.{k}.value")
        _max(option.get("label"), 100, f"{where}.options.{k}.label")
        _max(option.get("value"), 100, f"{where}.options.{k}.value")
        _max(option.get("description"), 100, f"{where}.options.{k}.description")
        if option.get("value") in values:
            raise ApiError.invalid_form(f"{where}.options.{k}.value", "Select option values must be unique")
        values.add(option.get("value"))


def _check_text_input(field: JSON, where: str, *, labelled: bool) -> None:
    """Text inputs: custom_id required, style 1/2, min_length 0-4000, max_length 1-4000, value within them."""
    _not_empty(field.get("custom_id"), f"{where}.custom_id")
    _max(field.get("custom_id"), 100, f"{where}.custom_id")
    if field.get("style") not in (1, 2):
        raise ApiError.invalid_form(f"{where}.style", "Value must be one of (1, 2).")
    if not labelled:
        _not_empty(field.get("label"), f"{where}.label")
    _max(field.get("label"), 45, f"{where}.label")
    _max(field.get("placeholder"), 100, f"{where}.placeholder")
    _max(field.get("value"), 4000, f"{where}.value")
    low, high = field.get("min_length"), field.get("max_length")
    if low is not None and not 0 <= int(low) <= 4000:
        raise ApiError.invalid_form(f"{where}.min_length", "int value should be between 0 and 4000.")
    if high is not None and not 1 <= int(high) <= 4000:
        raise ApiError.invalid_form(f"{where}.max_length", "int value should be between 1 and 4000.")
    if low is not None and high is not None and int(low) > int(high):
        raise ApiError.invalid_form(f"{where}.min_length", "min_length must be less than or equal to max_length")
    value = field.get("value")
    if value and high is not None and len(str(value)) > int(high):
        raise ApiError.invalid_form(f"{where}.value", f"Must be {high} or fewer in length.")


def check_url(url: Any, where: str, *, schemes: tuple[str, ...] = ("http", "https")) -> None:
    """URL_TYPE_INVALID_URL / URL_TYPE_INVALID_SCHEME: a well-formed URL with an allowed scheme."""
    text = str(url)
    parsed = urlsplit(text)
    if parsed.scheme not in schemes:
        message = f'Scheme "{parsed.scheme}" is not supported. Scheme must be one of {schemes}.'
        raise ApiError.invalid_form(where, message, code="URL_TYPE_INVALID_SCHEME")
    if (parsed.scheme in ("http", "https") and not parsed.netloc) or " " in text or len(text) > 2048:
        raise ApiError.invalid_form(where, "Not a well formed URL.", code="URL_TYPE_INVALID_URL")


def check_allowed_mentions(body: JSON) -> None:
    """``parse`` holds only users/roles/everyone and cannot name a type that also has an explicit id list."""
    mentions = body.get("allowed_mentions")
    if mentions is None:
        return
    parse = list(mentions.get("parse") or [])
    for k, kind in enumerate(parse):
        if kind not in ("users", "roles", "everyone"):
            message = "Value must be one of ('roles', 'users', 'everyone')."
            raise ApiError.invalid_form(f"allowed_mentions.parse.{k}", message)
    for kind in ("users", "roles"):
        explicit = mentions.get(kind)
        if not explicit:
            continue
        if kind in parse:
            message = f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.'
            raise ApiError.invalid_form("allowed_mentions", message)
        if len(explicit) > 100:
            raise ApiError.invalid_form(f"allowed_mentions.{kind}", "Must be 100 or fewer in length.")


def check_message(body: JSON) -> None:
    """Everything a message body (create, edit, interaction response, followup) can carry."""
    _max(body.get("content"), 2000, "content")
    if len(body.get("embeds") or []) > 10:
        raise ApiError.invalid_form("embeds", "Must be 10 or fewer in length.")
    check_embeds(list(body.get("embeds") or []))
    check_components(list(body.get("components") or []))
    check_allowed_mentions(body)


def check_modal(data: JSON) -> None:
    """A modal: custom_id, title (1-45), 1-5 rows/labels, text inputs checked, custom_ids unique."""
    _not_empty(data.get("custom_id"), "data.custom_id")
    _not_empty(data.get("title"), "data.title")
    _max(data.get("title"), 45, "data.title")
    _max(data.get("custom_id"), 100, "data.custom_id")
    rows = data.get("components") or []
    if not 1 <= len(rows) <= _ACTION_ROWS:
        raise ApiError.invalid_form("data.components", f"Must be between 1 and {_ACTION_ROWS} in length.")
    for i, row in enumerate(rows):
        where = f"data.components.{i}"
        labelled = row.get("type") == _LABEL
        if labelled:
            _not_empty(row.get("label"), f"{where}.label")
            _max(row.get("label"), 45, f"{where}.label")
            _max(row.get("description"), 100, f"{where}.description")
            children = [row.get("component") or {}]
        else:
            children = row.get("components") or []
            if row.get("type") == _ACTION_ROW and len(children) != 1:
                raise ApiError.invalid_form(f"{where}.components", "Must be 1 or fewer in length.")
        for j, child in enumerate(children):
            if child.get("type") == _TEXT_INPUT:
                _check_text_input(child, f"{where}.components.{j}", labelled=labelled)
            else:
                _check_component(child, f"{where}.components.{j}")
    check_unique_custom_ids(rows, "data.components")


def check_choices(choices: list[JSON]) -> None:
    """Autocomplete results: at most 25, names 1-100 characters, string values at most 100."""
    if len(choices) > 25:
        raise ApiError.invalid_form("data.choices", "Must be 25 or fewer in length.")
    for i, choice in enumerate(choices):
        _not_empty(choice.get("name"), f"data.choices.{i}.name")
        _max(choice.get("name"), 100, f"data.choices.{i}.name")
        if isinstance(choice.get("value"), str):
            _max(choice["value"], 100, f"data.choices.{i}.value")

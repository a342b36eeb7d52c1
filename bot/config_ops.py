"""Rules behind ``/config``: what each setting needs, how it is validated, and how it reads.

Plain functions over discord.py value types (``Permissions``, ``ChannelType``) so the rules can be
unit-tested without a running bot. The cog only gathers the inputs and renders the results.

Replies and refusals are in the moderator's language (the current locale); a mod-log line
(:func:`change_line`) is always English, like every moderator note in the mod-log. Setting names, alert
policies, cadences and weekdays are also ``/config`` choice names, so they are translated as such
(:func:`choice_text`), with one catalogue entry for both uses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.crisis.languages import DETECTION_LANGUAGES, detection_language_for_locale
from bot.guild_config import SETTING_HELP, GuildConfig, default_config
from bot.i18n import N_, _, catalogue_for, current_locale, ngettext, pgettext, using_locale
from bot.problems import KindredError, permission_names, within
from bot.regions import region_name
from bot.resources import REGION_NAMES

__all__ = [
    "ALERT_POLICY_LABELS",
    "CADENCE_LABELS",
    "CHANNEL_KINDS",
    "LABELS",
    "OTHER_REGION",
    "REQUIRED_PERMISSIONS",
    "WEEKDAYS",
    "SettingRow",
    "change_line",
    "check_bot_permissions",
    "check_channel_type",
    "check_int_range",
    "check_interest_name",
    "check_role",
    "choice_text",
    "detection_languages_text",
    "format_value",
    "label",
    "missing_permissions",
    "settable_keys",
    "setting_rows",
]

WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

OTHER_REGION = N_("Other (worldwide directory)")
ALERT_POLICY_LABELS: dict[str, str] = {
    "off": "off (no alerts)",
    "imminent": "imminent risk only",
    "all": "all detections",
}
CADENCE_LABELS: dict[str, str] = {"weekly": "every week", "biweekly": "every two weeks"}

# Short names used in confirmations, /config show and the mod-log (and as /config reset's choices).
LABELS: dict[str, str] = {
    "region": "Region",
    "timezone": "Time zone",
    "crisis_alert_channel_id": "Crisis alert channel",
    "crisis_team_role_id": "Crisis team role",
    "alert_policy": "Alert policy",
    "checkin_share_channel_id": "Check-in share channel",
    "buddy_channel_id": "Buddy channel",
    "pairing_cadence": "Pairing cadence",
    "pairing_weekday": "Pairing day",
    "pairing_hour": "Pairing hour",
    "pairing_repeat_window": "Rounds before a repeat pair",
    "service_board_channel_id": "Service board channel",
    "service_post_role_id": "Who may post service opportunities",
    "rooms_channel_id": "Rooms announcement channel",
    "rooms_category_id": "Rooms voice category",
    "modlog_channel_id": "Mod-log channel",
    "retention_days": "Data retention after leaving",
    "welcome_dm": "Welcome DM to new members",
    "newcomer_mentor_cap": "First-30-days buddies per mentor",
}

_POST = ("view_channel", "send_messages", "embed_links")

# What the bot must be able to do in each configured channel. Attribute names of discord.Permissions.
REQUIRED_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "crisis_alert_channel_id": _POST,
    "checkin_share_channel_id": (*_POST, "attach_files"),
    "buddy_channel_id": ("view_channel", "create_private_threads", "send_messages_in_threads", "manage_threads"),
    "service_board_channel_id": (*_POST, "read_message_history"),
    "rooms_channel_id": _POST,
    "rooms_category_id": ("view_channel", "manage_channels"),
    "modlog_channel_id": _POST,
}

_TEXT = (discord.ChannelType.text, discord.ChannelType.news)
# Which channel types each channel setting accepts. Private threads need a plain text channel.
CHANNEL_KINDS: dict[str, tuple[discord.ChannelType, ...]] = {
    "crisis_alert_channel_id": _TEXT,
    "checkin_share_channel_id": _TEXT,
    "buddy_channel_id": (discord.ChannelType.text,),
    "service_board_channel_id": _TEXT,
    "rooms_channel_id": _TEXT,
    "rooms_category_id": (discord.ChannelType.category,),
    "modlog_channel_id": _TEXT,
}

# What a setting wants, in words: one phrase per set of accepted kinds (no "or" stitched together).
_WANTED_WORDS: dict[tuple[discord.ChannelType, ...], str] = {
    _TEXT: N_("a text channel or an announcement channel"),
    (discord.ChannelType.text,): N_("a text channel"),
    (discord.ChannelType.category,): N_("a category"),
}
_KIND_WORDS: dict[discord.ChannelType, str] = {
    discord.ChannelType.text: N_("a text channel"),
    discord.ChannelType.news: N_("an announcement channel"),
    discord.ChannelType.category: N_("a category"),
    discord.ChannelType.voice: N_("a voice channel"),
    discord.ChannelType.stage_voice: N_("a stage channel"),
    discord.ChannelType.forum: N_("a forum channel"),
    discord.ChannelType.media: N_("a media channel"),
}


def choice_text(english: str) -> str:
    """A ``/config`` choice name (a setting, policy, cadence, weekday, on/off) in the current locale."""
    return pgettext("choice name", english)


# Roles checked like a setting's, though they aren't one.
_OTHER_LABELS = {"interest": N_("An interest's role")}


def label(key: str) -> str:
    """A setting's short name in the current locale."""
    if key in LABELS:
        return choice_text(LABELS[key])
    return _(_OTHER_LABELS[key]) if key in _OTHER_LABELS else key


def settable_keys() -> list[str]:
    """Every per-server setting a moderator can change, in display order."""
    return [f.name for f in dataclasses.fields(GuildConfig) if f.name != "guild_id"]


def missing_permissions(have: discord.Permissions, needed: Sequence[str]) -> list[str]:
    """The permissions from ``needed`` that ``have`` lacks (administrator covers everything)."""
    if have.administrator:
        return []
    return [name for name in needed if not getattr(have, name)]


def check_channel_type(key: str, channel_type: discord.ChannelType, channel_name: str) -> None:
    """Refuse a channel of the wrong kind for ``key``, saying what kind is needed."""
    allowed = CHANNEL_KINDS[key]
    if channel_type in allowed:
        return
    got = _KIND_WORDS.get(channel_type)
    raise KindredError(
        _("**{setting}** needs to be {wanted}, but **{channel}** is {got}.").format(
            setting=label(key),
            wanted=_(_WANTED_WORDS[allowed]),
            channel=channel_name,
            got=_(got) if got is not None else _("another kind of channel"),
        )
    )


def check_bot_permissions(key: str, have: discord.Permissions, channel_name: str) -> None:
    """Refuse a channel where the bot lacks what the feature will need, naming each missing permission."""
    missing = missing_permissions(have, REQUIRED_PERMISSIONS[key])
    if missing:
        raise KindredError(
            _(
                "I can't use **{channel}** for **{setting}** yet: I'm missing **{permissions}** there. "
                "Grant those to my role in the channel settings, then run this again."
            ).format(channel=channel_name, setting=label(key), permissions=permission_names(missing))
        )


def check_role(key: str, *, is_default: bool, is_managed: bool, name: str) -> None:
    """Refuse @everyone (and integration roles nobody can be given) where a specific group is meant."""
    if is_default:
        raise KindredError(
            _("**{setting}** can't be @everyone: pick a role held by the people you mean.").format(setting=label(key))
        )
    if is_managed:
        raise KindredError(
            _("**{role}** is managed by an integration, so members can't be given it. Pick a regular role.").format(
                role=name
            )
        )


def check_int_range(key: str, value: int, low: int, high: int) -> int:
    """Refuse a number outside ``low..high`` for the setting ``key``, with both bounds named."""
    return within(
        value,
        low,
        high,
        _("**{setting}** must be between {low} and {high}; you entered {value}.").format(
            setting=label(key), low=low, high=high, value=value
        ),
    )


def check_interest_name(name: str) -> str:
    """A tidy interest name (1-50 characters, no mentions, no NUL characters)."""
    # A NUL carries nothing readable, and PostgreSQL text can't hold one: the name is stored as shown here.
    cleaned = " ".join(name.replace("\x00", "").split())
    if not cleaned:
        raise KindredError(_("The interest needs a name, for example `meditation` or `jam bands`."))
    if len(cleaned) > 50:
        raise KindredError(
            _("Interest names can be up to 50 characters; that one has {count}.").format(count=len(cleaned))
        )
    if "@" in cleaned or "<" in cleaned:
        raise KindredError(_("Interest names can't contain `@` or `<`, so they never ping anyone."))
    return cleaned


def format_value(key: str, value: Any) -> str:
    """A setting's value as a moderator would say it, in the current locale (mentions never ping)."""
    if value is None:
        return _("everyone") if key == "service_post_role_id" else _("not set")
    if key.endswith("_role_id"):
        return f"<@&{value}>"
    if key.endswith(("_channel_id", "_category_id")):
        return f"<#{value}>"
    if key == "region":
        code = str(value)
        return _(OTHER_REGION) if code == "other" else region_name(code) if code in REGION_NAMES else code
    if key == "alert_policy":
        return choice_text(ALERT_POLICY_LABELS.get(str(value), str(value)))
    if key == "pairing_cadence":
        return choice_text(CADENCE_LABELS.get(str(value), str(value)))
    if key == "pairing_weekday" and isinstance(value, int) and 0 <= value < 7:
        return choice_text(WEEKDAYS[value])
    if key == "pairing_hour" and isinstance(value, int):
        return f"{value:02d}:00"
    if key == "welcome_dm":
        return choice_text("on" if value else "off")
    if key == "retention_days" and isinstance(value, int):
        return ngettext("{n} day", "{n} days", value).format(n=value)
    if key == "newcomer_mentor_cap" and isinstance(value, int):
        return ngettext("{n} at once", "{n} at once", value).format(n=value)
    if key == "pairing_repeat_window" and isinstance(value, int):
        return ngettext("{n} round", "{n} rounds", value).format(n=value)
    return str(value)


def change_line(moderator_id: int, key: str, old: Any, new: Any) -> str:
    """The mod-log entry: who changed what from what to what (English, like every mod-log note)."""
    with using_locale(None):
        return f"<@{moderator_id}> changed **{label(key)}** from {format_value(key, old)} to {format_value(key, new)}."


@dataclass(frozen=True, slots=True)
class SettingRow:
    """One line of ``/config show``."""

    key: str
    label: str
    current: str
    default: str
    help: str
    is_default: bool


def setting_rows(config: GuildConfig) -> list[SettingRow]:
    """Every setting with its current and default value, in display order and the current locale."""
    defaults = default_config(config.guild_id)
    rows = []
    for key in settable_keys():
        current, default = getattr(config, key), getattr(defaults, key)
        rows.append(
            SettingRow(
                key=key,
                label=label(key),
                current=format_value(key, current),
                default=format_value(key, default),
                help=_(SETTING_HELP[key]) if key in SETTING_HELP else "",
                is_default=current == default,
            )
        )
    return rows


def language_name(locale: object) -> str:
    """A Discord locale's language ("it", "pt-BR") as the current locale names it ("Italian", "italiano")."""
    from babel import Locale as BabelLocale

    code = str(getattr(locale, "value", locale)).split("-")[0]
    names = BabelLocale.parse(catalogue_for(current_locale()) or "en").languages
    return str(names.get(code, code))


def detection_languages_text(server_locale: object) -> str:
    """For moderators, in the current locale: which languages crisis detection reads and, plainly first,
    when the server's language (``server_locale``) is not one of them."""
    names = [language_name(language.code) for language in DETECTION_LANGUAGES]
    text = _(
        "Crisis detection reads messages in {languages} and {last} (word lists; English also has a learned "
        "model). Messages in any other language are not checked for crisis language yet: in those, no automatic "
        "answer or alert will come, so people on your team remain the safety net."
    ).format(languages=", ".join(names[:-1]), last=names[-1])
    value = str(getattr(server_locale, "value", server_locale) or "")
    if value and detection_language_for_locale(value) is None:
        warning = _("**This server's language ({language}) has no crisis detection yet.**")
        text = warning.format(language=language_name(value)) + " " + text
    return text

"""The command translator: every command and group name, description, option and choice from the catalogues."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from discord import Locale, app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import catalogue_for, translations

if TYPE_CHECKING:
    from discord.app_commands import TranslationContextTypes

__all__ = ["COMMAND_CONTEXTS", "KindredTranslator", "command_strings"]

# The gettext context of each kind of command string: a name has Discord's naming rules, a description
# its length limit, so the translator sees which one it is writing, and one English word used as both a
# command and an option can be translated differently.
COMMAND_CONTEXTS: dict[Where, str] = {
    Where.command_name: "command name",
    Where.group_name: "command name",
    Where.command_description: "command description",
    Where.group_description: "command description",
    Where.parameter_name: "option name",
    Where.parameter_description: "option description",
    Where.choice_name: "choice name",
}


class KindredTranslator(app_commands.Translator):
    """Localises every command and group name, description, option and choice from the catalogues.

    The English strings in the cogs are the message ids, so no cog needs to use ``locale_str`` itself.
    """

    async def translate(
        self, string: app_commands.locale_str, locale: Locale, context: TranslationContextTypes
    ) -> str | None:
        """The translation, or ``None`` for a language Kindred doesn't ship (Discord then shows the English).

        A word that is the same in both languages ("pause", "crisis") is sent as it is.
        """
        catalogue = catalogue_for(locale)
        where = COMMAND_CONTEXTS.get(context.location)
        if catalogue is None or where is None:
            return None
        return str(translations(catalogue).pgettext(where, string.message))


class _Recorder(app_commands.Translator):
    """Remembers every string discord.py asks to translate, with its kind."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], None] = {}

    async def translate(
        self, string: app_commands.locale_str, locale: Locale, context: TranslationContextTypes
    ) -> str | None:
        where = COMMAND_CONTEXTS.get(context.location)
        if where is not None:
            self.seen[(where, string.message)] = None
        return None


async def command_strings(
    tree: app_commands.CommandTree[Any], commands: Iterable[Any] | None = None
) -> list[tuple[str, str]]:
    """(context, English) for every string a sync would localise, in tree order: what the catalogue must hold."""
    recorder = _Recorder()
    for command in commands if commands is not None else tree.get_commands():
        await command.get_translated_payload(tree, recorder)
    return list(recorder.seen)

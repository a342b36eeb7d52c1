"""One place that turns command failures into kind, specific messages.

Known problems become a short ephemeral explanation. Anything else is logged with its traceback
and the member gets a brief apology: never a traceback, never silence.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.db import INTERACTIVE_WRITE_WAIT, set_write_wait
from bot.db.errors import STORAGE_ERRORS
from bot.discord_limits import clamp_content, clamp_embed
from bot.i18n import N_, _, set_locale, using_locale
from bot.problems import STORAGE_BUSY, STORAGE_FULL, KindredError, permission_names, storage_problem
from bot.text import clamp, echo

if TYPE_CHECKING:
    from discord.ui import Item

__all__ = [
    "APOLOGY",
    "STORAGE_BUSY",
    "STORAGE_FULL",
    "KindModal",
    "KindView",
    "KindredError",
    "KindredRefusal",
    "describe_error",
    "permission_names",
    "reply_ephemeral",
    "run_guarded",
    "send_error",
    "storage_problem",
]

log = logging.getLogger(__name__)

APOLOGY = N_(
    "Sorry, something went wrong on our side. It's been logged, and nothing you entered was lost. "
    "Please try again in a moment."
)


class KindredRefusal(app_commands.CheckFailure, KindredError):
    """A :class:`KindredError` raised by a check, such as a cog's ``interaction_check``.

    discord.py hands only ``AppCommandError`` from a check to the tree's error handler; anything else
    would leave the member with Discord's bare "interaction failed".
    """


def describe_error(error: Exception) -> str | None:
    """The member-facing text for a known error (in the current locale), or ``None`` if it is unexpected."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        original = error.__cause__ if isinstance(error, app_commands.TransformerError) else error.original
        if isinstance(original, KindredError):
            return original.message
        if isinstance(error, app_commands.TransformerError):
            return _("I couldn't understand {value} there. Please check it and try again.").format(
                value=echo(str(error.value))
            )
        if isinstance(original, Exception):
            return describe_error(original)
        return None
    if isinstance(error, KindredError):
        return error.message
    if isinstance(error, app_commands.MissingPermissions):
        return _("This needs the **{permission}** permission, which you don't have here.").format(
            permission=permission_names(error.missing_permissions)
        )
    if isinstance(error, app_commands.BotMissingPermissions):
        return _(
            "I'm missing the **{permission}** permission here. A moderator can grant it in the server settings."
        ).format(permission=permission_names(error.missing_permissions))
    if isinstance(error, app_commands.CommandOnCooldown):
        again = int(discord.utils.utcnow().timestamp() + error.retry_after)
        return _("This one has a short pause between uses; you can use it again {when}.").format(when=f"<t:{again}:R>")
    if isinstance(error, app_commands.NoPrivateMessage):
        return _("This one only works inside a server, not in DMs.")
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or _("You can't use this command here.")
    if isinstance(error, STORAGE_ERRORS):
        return storage_problem(error)
    if isinstance(error, discord.Forbidden):
        if error.code == 50007:
            return _(
                "I couldn't send you a DM: your DMs from server members are closed. "
                "You can open them in Privacy Settings."
            )
        if error.code == 50013:
            return _("I don't have permission to do that here. A moderator can check my role's permissions.")
        return _("Discord didn't let me do that here. A moderator can check my permissions.")
    return None


async def reply_ephemeral(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
) -> None:
    """Answer privately whether or not the interaction was already answered. Nobody is pinged."""
    kwargs: dict[str, Any] = {"ephemeral": True, "allowed_mentions": discord.AllowedMentions.none()}
    # Clamped to Discord's limits: an answer that can't be sent would leave only "interaction failed".
    content = clamp_content(content)
    if embed is not None:
        kwargs["embed"] = clamp_embed(embed)
    if view is not None:
        kwargs["view"] = view
    if file is not None:
        kwargs["file"] = file
    if interaction.response.is_done():
        await interaction.followup.send(content or "", **kwargs)
    else:
        await interaction.response.send_message(content, **kwargs)


async def send_error(interaction: discord.Interaction, error: Exception, *, where: str = "command") -> None:
    """Tell the member what went wrong, in their language, logging anything unexpected with its traceback."""
    with using_locale(interaction.locale):
        await _send_error(interaction, error, where)


async def _send_error(interaction: discord.Interaction, error: Exception, where: str) -> None:
    message = describe_error(error)
    if message is None:
        log.error("unhandled error in %s %r", where, _name(interaction), exc_info=error)
        message = _(APOLOGY)
    elif message == _(STORAGE_FULL):
        # The member got a kind answer, but the operator has to act: a full disk needs them.
        log.error("%s %r could not write: the disk is full", where, _name(interaction))
    elif message == _(STORAGE_BUSY):
        log.warning("%s %r could not write: another process holds the database", where, _name(interaction))
    else:
        # Not the message itself: it may repeat what the member typed, and logs outlive /privacy delete.
        log.info("%s %r refused (%s)", where, _name(interaction), _kind(error))
    # Room for the lead-in that hands typed text back; reply_ephemeral clamps the whole answer again.
    message, file = with_typed_text(clamp(message, _MESSAGE_LIMIT - 100), typed_text(interaction))
    try:
        await reply_ephemeral(interaction, message, file=file)
    except discord.HTTPException:
        log.exception("could not deliver an error message for %r", _name(interaction))


# Free text at least this long is worth giving back after a refusal; short values are easy to retype.
_KEEP_FROM = 40
_MESSAGE_LIMIT = 2000


def typed_text(interaction: discord.Interaction) -> list[str]:
    """The longer free text a member typed into this command or modal, in order.

    After a refusal it is handed back privately, so a carefully written note or description is never
    lost to a typo in another field.
    """
    data: dict[str, Any] = dict(interaction.data or {})
    found: list[str] = []

    def walk_options(options: list[dict[str, Any]]) -> None:
        for option in options:
            if option.get("type") == discord.AppCommandOptionType.string.value and not option.get("focused"):
                found.append(str(option.get("value", "")))
            walk_options(option.get("options", []))

    def walk_components(components: list[dict[str, Any]]) -> None:
        for component in components:
            if "value" in component:
                found.append(str(component["value"]))
            walk_components(component.get("components", []))
            if "component" in component:  # label wrappers hold a single component
                walk_components([component["component"]])

    if interaction.type == discord.InteractionType.application_command:
        walk_options(data.get("options", []))
    elif interaction.type == discord.InteractionType.modal_submit:
        walk_components(data.get("components", []))
    return [text for text in found if len(text.strip()) >= _KEEP_FROM]


def with_typed_text(message: str, texts: list[str]) -> tuple[str, discord.File | None]:
    """Append what the member wrote to an error message; as a file if it won't fit in one message."""
    if not texts:
        return message, None
    lead = "\n\n" + _("So nothing is lost, here's what you wrote:")
    fence = "```"
    quoted = "".join(f"\n{fence}\n{text.replace(fence, chr(39) * 3)}\n{fence}" for text in texts)
    if len(message) + len(lead) + len(quoted) <= _MESSAGE_LIMIT:
        return message + lead + quoted, None
    body = "\n\n".join(texts).encode("utf-8")
    return message + lead + " " + _("(attached as a text file)"), discord.File(
        io.BytesIO(body), filename="what-you-wrote.txt"
    )


async def run_guarded(interaction: discord.Interaction, work: Callable[[], Awaitable[None]]) -> None:
    """Run a persistent button's work, answering any failure through :func:`send_error`.

    discord.py hands a DynamicItem's errors to a throwaway view that only logs them, so without this
    the member would see Discord's bare "interaction failed".
    """
    set_write_wait(INTERACTIVE_WRITE_WAIT)  # answer in time even if the database is locked
    set_locale(interaction.locale)  # and in the member's language
    try:
        await work()
    except Exception as exc:
        await send_error(interaction, exc, where="component")


def _kind(error: Exception) -> str:
    """The class name of the error behind a refusal (the invoke wrapper's original, when there is one)."""
    original = getattr(error, "original", None) or error.__cause__ or error
    return type(original).__name__


def _name(interaction: discord.Interaction) -> str:
    command = interaction.command
    if command is not None:
        return command.qualified_name
    data: dict[str, Any] = dict(interaction.data or {})
    return str(data.get("custom_id") or data.get("name") or "interaction")


class KindView(discord.ui.View):
    """A view whose callbacks fail kindly, through the same messages as commands, in the member's language.

    A subclass that overrides ``interaction_check`` calls ``super().interaction_check`` to keep the language.
    """

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Every click may go on; its replies are written in the member's Discord language."""
        set_locale(interaction.locale)
        return True

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: Item[discord.ui.View]) -> None:
        """Route component errors through :func:`send_error`."""
        await send_error(interaction, error, where="component")


class KindModal(discord.ui.Modal):
    """A modal whose submit errors fail kindly; its replies follow the member's language."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Every submit may go on; its replies are written in the member's Discord language."""
        set_locale(interaction.locale)
        return True

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]  # discord.py's Modal narrows BaseView.on_error the same way
        """Route modal errors through :func:`send_error`."""
        await send_error(interaction, error, where="modal")

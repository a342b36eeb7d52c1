"""The buttons and menu of first-30-days support. All are DynamicItems (the member and server live in the
``custom_id``), so an offer or a reflection sent before a restart still answers after it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.checkins import ALL_WEEKDAYS
from bot.errors import KindredError, run_guarded
from bot.i18n import N_, _
from bot.newcomers.rules import ALL_PARTS
from bot.newcomers.text import PART_HINTS, PART_LABELS, declined_text, offer_text
from cogs._buttons import PersistentButton

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.newcomers.service import FirstDays

__all__ = [
    "ACCEPT_LABEL",
    "CHANGE_LABEL",
    "CHOOSE_LABEL",
    "DECLINE_LABEL",
    "DYNAMIC_ITEMS",
    "KEEP_LABEL",
    "WELCOME_LABEL",
    "ChangeBuddyButton",
    "KeepReminderButton",
    "OfferButton",
    "PartsSelect",
    "WelcomeSupportButton",
    "change_view",
    "end_view",
    "offer_view",
    "welcome_view",
]

# Labels are English constants (tests find buttons by them), translated when a button is built.
ACCEPT_LABEL = N_("Yes, all of it")
CHOOSE_LABEL = N_("Let me choose")
DECLINE_LABEL = N_("No thanks")
KEEP_LABEL = N_("Keep a daily check-in reminder")
CHANGE_LABEL = N_("Change my buddy")
HOW_DM_LABEL = N_("A DM from a volunteer")
HOW_THREAD_LABEL = N_("A hello in my buddy thread")
GREET_LABEL = N_("I'll say hello in their buddy thread")
HOW_QUESTION = N_(
    "**How would you like the welcome?** A volunteer on the welcome rota can write to you by DM, or say hello in "
    "your buddy thread."
)
WELCOME_LABEL = N_("I'm just starting out: tell me about extra support")
_ANSWERS = {"all": (ACCEPT_LABEL, discord.ButtonStyle.primary), "choose": (CHOOSE_LABEL, discord.ButtonStyle.secondary)}
_ANSWERS["no"] = (DECLINE_LABEL, discord.ButtonStyle.secondary)
UNAVAILABLE = N_("First-30-days support is unavailable for a moment. Please try again, or use `/recovery support on`.")


def _service(interaction: discord.Interaction) -> FirstDays:
    """The first-30-days service; the kind "unavailable" refusal while it isn't loaded."""
    service = cast("KindredBot", interaction.client).features.newcomers
    if service is None:
        raise KindredError(_(UNAVAILABLE))
    return service


def _own(interaction: discord.Interaction, user_id: int) -> None:
    if interaction.user.id != user_id:
        raise KindredError(_("This belongs to someone else, so nothing has changed."))


class OfferButton(
    PersistentButton, template=r"newcomers:offer:(?P<answer>all|choose|no):(?P<user_id>\d+):(?P<guild_id>\d+)"
):
    """One answer to the offer: all of it, choose parts, or no thanks."""

    def __init__(self, answer: str, user_id: int, guild_id: int | None) -> None:
        label, style = _ANSWERS[answer]
        super().__init__(f"newcomers:offer:{answer}:{user_id}:{guild_id or 0}", _(label), style)
        self.answer, self.user_id, self.guild_id = answer, user_id, guild_id

    @classmethod
    def rebuild(cls, match: re.Match[str]) -> OfferButton:
        """The button from its custom id (server 0 = offered in a DM)."""
        return cls(str(match["answer"]), int(match["user_id"]), int(match["guild_id"]) or None)

    async def press(self, interaction: discord.Interaction) -> None:
        """Apply the answer and replace the offer with what happens now."""
        _own(interaction, self.user_id)
        service = _service(interaction)
        if self.answer == "all":
            text = await service.turn_on(self.user_id, self.guild_id)
            await interaction.response.edit_message(**await on_reply(service, self.user_id, text))
        elif self.answer == "no":
            await service.decline(self.user_id, self.guild_id)
            await interaction.response.edit_message(content=declined_text(), view=None)
        else:
            view = discord.ui.View(timeout=None)
            view.add_item(PartsSelect(self.user_id, self.guild_id))
            await interaction.response.send_message(
                _("Pick the parts you'd like (one or more). You can change this any time with `/recovery support on`."),
                view=view,
                ephemeral=True,
            )


class PartsSelect(
    discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"newcomers:parts:(?P<user_id>\d+):(?P<guild_id>\d+)"
):
    """The member picks which parts of the support they want."""

    def __init__(self, user_id: int, guild_id: int | None) -> None:
        options = [
            discord.SelectOption(label=_(PART_LABELS[name]), value=name, description=_(PART_HINTS[name]))
            for name in sorted(ALL_PARTS)
        ]
        super().__init__(
            discord.ui.Select(
                custom_id=f"newcomers:parts:{user_id}:{guild_id or 0}",
                placeholder=_("Choose the parts you'd like"),
                min_values=1,
                max_values=len(options),
                options=options,
            )
        )
        self.user_id, self.guild_id = user_id, guild_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> PartsSelect:
        """Rebuild from the custom id."""
        return cls(int(match["user_id"]), int(match["guild_id"]) or None)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Turn the support on with the chosen parts."""
        await run_guarded(interaction, lambda: self._choose(interaction))

    async def _choose(self, interaction: discord.Interaction) -> None:
        _own(interaction, self.user_id)
        parts = frozenset(self.item.values) & ALL_PARTS
        if not parts:
            raise KindredError(
                _("Pick at least one part, or choose “{no_thanks}” on the offer.").format(no_thanks=_(DECLINE_LABEL))
            )
        service = _service(interaction)
        text = await service.turn_on(self.user_id, self.guild_id, parts)
        await interaction.response.edit_message(**await on_reply(service, self.user_id, text))


class KeepReminderButton(PersistentButton, template=r"newcomers:keep:checkins:(?P<user_id>\d+)"):
    """On the day-30 reflection: keep a daily check-in reminder at the time the prompts came."""

    def __init__(self, user_id: int) -> None:
        super().__init__(f"newcomers:keep:checkins:{user_id}", _(KEEP_LABEL), discord.ButtonStyle.primary)
        self.user_id = user_id

    async def press(self, interaction: discord.Interaction) -> None:
        """Turn the member's own daily reminder on at their prompt time."""
        _own(interaction, self.user_id)
        bot = cast("KindredBot", interaction.client)
        checkins = bot.features.checkins
        record = await bot.store.newcomers.get(self.user_id)
        if checkins is None or record is None:
            raise KindredError(_("That isn't available right now. `/checkin remind set` sets a daily reminder."))
        settings = await bot.store.checkins.set_reminder(
            self.user_id, record.guild_id, record.checkin_time, record.timezone, ALL_WEEKDAYS, now=bot.clock.now()
        )
        await checkins.schedule_reminder(settings)
        at = record.checkin_time.strftime("%H:%M")
        await interaction.response.send_message(
            _(
                "Done: a daily check-in reminder at **{time}** your time. `/checkin remind off` stops it any time."
            ).format(time=at),
            ephemeral=True,
        )


class WelcomeSupportButton(PersistentButton, template=r"newcomers:welcome:(?P<guild_id>\d+)"):
    """On the welcome DM: the member's answer that brings the offer (nobody is assumed to be new)."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(f"newcomers:welcome:{guild_id}", _(WELCOME_LABEL), discord.ButtonStyle.secondary)
        self.guild_id = guild_id

    async def press(self, interaction: discord.Interaction) -> None:
        """Answer with the private offer."""
        service = _service(interaction)
        user_id = interaction.user.id
        if not await service.offer_on_request(user_id, self.guild_id):
            await interaction.response.send_message(await service.status(user_id, self.guild_id), ephemeral=True)
            return
        await interaction.response.send_message(offer_text(), view=offer_view(user_id, self.guild_id), ephemeral=True)


class ChangeBuddyButton(PersistentButton, template=r"newcomers:change:(?P<pair_id>\d+)"):
    """On a first-30-days introduction: either member ends the pairing kindly, with no reason given."""

    def __init__(self, pair_id: int) -> None:
        super().__init__(f"newcomers:change:{pair_id}", _(CHANGE_LABEL), discord.ButtonStyle.secondary)
        self.pair_id = pair_id

    async def press(self, interaction: discord.Interaction) -> None:
        """End the pairing (only a member of it may)."""
        buddies = _service(interaction).buddies
        if not await buddies.change(self.pair_id, interaction.user.id):
            raise KindredError(_("This pairing has already ended, or it isn't yours, so nothing has changed."))
        await interaction.response.send_message(
            _("Done. The pairing has ended and no reason was shared. Thank you for giving it a go."), ephemeral=True
        )


class WelcomeHowButton(PersistentButton, template=r"newcomers:how:(?P<how>dm|thread):(?P<user_id>\d+)"):
    """How the member would like a volunteer to welcome them."""

    def __init__(self, how: str, user_id: int) -> None:
        label = _(HOW_DM_LABEL) if how == "dm" else _(HOW_THREAD_LABEL)
        super().__init__(f"newcomers:how:{how}:{user_id}", label, discord.ButtonStyle.secondary)
        self.how, self.user_id = how, user_id

    @classmethod
    def rebuild(cls, match: re.Match[str]) -> WelcomeHowButton:
        """The button from its custom id."""
        return cls(str(match["how"]), int(match["user_id"]))

    async def press(self, interaction: discord.Interaction) -> None:
        """Record the choice and ask the welcome rota."""
        _own(interaction, self.user_id)
        welcome = _service(interaction).welcome
        text = await welcome.choose(self.user_id, self.how)
        await interaction.response.send_message(text, ephemeral=True)


class GreetButton(PersistentButton, template=r"newcomers:greet:(?P<newcomer_id>\d+):(?P<guild_id>\d+)"):
    """On a volunteer's DM: "I'll say hello" in the member's buddy thread (the first one to press does)."""

    def __init__(self, newcomer_id: int, guild_id: int) -> None:
        super().__init__(f"newcomers:greet:{newcomer_id}:{guild_id}", _(GREET_LABEL), discord.ButtonStyle.primary)
        self.newcomer_id, self.guild_id = newcomer_id, guild_id

    async def press(self, interaction: discord.Interaction) -> None:
        """Add the volunteer to the thread with a short hello, unless someone already did."""
        welcome = _service(interaction).welcome
        text = await welcome.greet(self.newcomer_id, self.guild_id, interaction.user.id)
        await interaction.response.send_message(text, ephemeral=True)


DYNAMIC_ITEMS = (
    OfferButton,
    PartsSelect,
    KeepReminderButton,
    WelcomeSupportButton,
    ChangeBuddyButton,
    WelcomeHowButton,
    GreetButton,
)


def _view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view


def how_view(user_id: int) -> discord.ui.View:
    """The two ways to be welcomed."""
    return _view(WelcomeHowButton("dm", user_id), WelcomeHowButton("thread", user_id))


def greet_view(newcomer_id: int, guild_id: int) -> discord.ui.View:
    """A volunteer's "I'll say hello"."""
    return _view(GreetButton(newcomer_id, guild_id))


async def on_reply(service: FirstDays, user_id: int, text: str) -> dict[str, Any]:
    """The confirmation after turning the support on, with the welcome question when it's needed."""
    if await service.needs_welcome_choice(user_id):
        return {"content": f"{text}\n{_(HOW_QUESTION)}", "view": how_view(user_id)}
    return {"content": text, "view": None}


def offer_view(user_id: int, guild_id: int | None) -> discord.ui.View:
    """The offer's three answers."""
    return _view(*(OfferButton(answer, user_id, guild_id) for answer in ("all", "choose", "no")))


def end_view(user_id: int) -> discord.ui.View:
    """The day-30 reflection's invitation to keep a daily reminder."""
    return _view(KeepReminderButton(user_id))


def change_view(pair_id: int) -> discord.ui.View:
    """The introduction's way out."""
    return _view(ChangeBuddyButton(pair_id))


def welcome_view(guild_id: int) -> discord.ui.View:
    """The button on the welcome DM."""
    return _view(WelcomeSupportButton(guild_id))

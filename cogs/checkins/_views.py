"""Buttons and the check-in modal.

The buttons are :class:`discord.ui.DynamicItem` subclasses whose ``custom_id`` carries the ids
they need, so a "Check in now" button on a reminder DM from last week still works after restarts.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, cast

import discord

from bot.buddies.notice import notify_partners_of_hard_moment
from bot.checkins import (
    MAX_NOTE,
    CheckinEntry,
    mood_label,
    parse_int_field,
    parse_share,
    parse_triggers,
    validate_checkin,
)
from bot.errors import KindModal, KindredError, KindView, reply_ephemeral
from bot.i18n import _
from bot.rate_limits import Action, enforce
from cogs._buttons import PersistentButton
from cogs.checkins._flow import CheckinAnswer, record_checkin, require_member

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["BuddyNoticeButton", "CheckinModal", "CheckinNowButton", "MoreDetailButton", "send_answer"]

log = logging.getLogger(__name__)

MODAL_TIMEOUT = 15 * 60.0  # a modal left open longer than this is almost certainly abandoned


async def send_answer(interaction: discord.Interaction, answer: CheckinAnswer) -> None:
    """Answer a recorded check-in privately, with "more detail" and, after a hard moment, "let my buddy know"."""
    view = KindView(timeout=None)
    view.add_item(MoreDetailButton(answer.checkin_id))
    if answer.offer_buddy_notice and answer.guild_id is not None:
        view.add_item(BuddyNoticeButton(answer.guild_id, answer.checkin_id))
    await reply_ephemeral(interaction, answer.text, view=view)


class CheckinModal(KindModal, title="Check in"):
    """The detailed check-in: the same fields as ``/checkin today``, typed instead of picked.

    The fields are made per modal, labelled in the language of the member opening it.
    """

    mood: discord.ui.TextInput[CheckinModal]
    craving: discord.ui.TextInput[CheckinModal]
    triggers: discord.ui.TextInput[CheckinModal]
    note: discord.ui.TextInput[CheckinModal]
    share: discord.ui.TextInput[CheckinModal]

    def __init__(self, guild_id: int | None, *, existing: CheckinEntry | None = None) -> None:
        super().__init__(title=_("Check in"), timeout=MODAL_TIMEOUT)
        self.guild_id = guild_id
        self.existing_id = existing.id if existing else None
        self.mood = discord.ui.TextInput(
            custom_id="mood", label=_("Mood: 1 (really struggling) to 5 (doing well)"), max_length=1, placeholder="3"
        )
        self.craving = discord.ui.TextInput(
            custom_id="craving", label=_("Craving: 0 (none) to 10 (overwhelming)"), max_length=2, placeholder="0"
        )
        self.triggers = discord.ui.TextInput(
            custom_id="triggers",
            label=_("Anything around you? (optional)"),
            required=False,
            max_length=200,
            # The trigger names are what members type, in every language.
            placeholder="stress, people, places, boredom, loneliness, tiredness, conflict, celebration, other",
        )
        self.note = discord.ui.TextInput(
            custom_id="note",
            label=_("A note, just for you (optional)"),
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=MAX_NOTE,
        )
        self.share = discord.ui.TextInput(
            custom_id="share",
            label=_("Share? no / anonymously / with my name"),
            required=False,
            max_length=40,
            placeholder=_("no (add 'with note' to include your note)"),
        )
        if existing is not None:
            self.mood.default = str(existing.mood)
            self.craving.default = str(existing.craving)
            self.triggers.default = ", ".join(existing.triggers) or None
            self.note.default = existing.note
        for field in (self.mood, self.craving, self.triggers, self.note, self.share):
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Validate every field (the note length too: the client limit isn't a guarantee) and record."""
        mood = parse_int_field(self.mood.value, _("Mood"), 1, 5)
        craving = parse_int_field(self.craving.value, _("Craving"), 0, 10)
        triggers = parse_triggers(self.triggers.value)
        share, include_note = parse_share(self.share.value)
        draft = validate_checkin(mood, craving, self.note.value, triggers)
        bot = cast("KindredBot", interaction.client)
        answer = await record_checkin(
            interaction, bot, self.guild_id, draft, share=share, include_note=include_note, existing_id=self.existing_id
        )
        await send_answer(interaction, answer)


class CheckinNowButton(PersistentButton, template=r"checkin:now:(?P<guild_id>\d+)"):
    """ "Check in now" on a reminder DM: opens the modal for a new check-in."""

    def __init__(self, guild_id: int | None) -> None:
        super().__init__(f"checkin:now:{guild_id or 0}", _("Check in now"), discord.ButtonStyle.primary, emoji="🌱")
        self.guild_id = guild_id

    @classmethod
    def rebuild(cls, match: re.Match[str]) -> CheckinNowButton:
        """The button from its custom id (0 = no server)."""
        return cls(int(match["guild_id"]) or None)

    async def press(self, interaction: discord.Interaction) -> None:
        """Open the modal, once the clicker is known to be in the server the button names."""
        await require_member(cast("KindredBot", interaction.client), self.guild_id, interaction.user.id)
        await interaction.response.send_modal(CheckinModal(self.guild_id))


class MoreDetailButton(PersistentButton, template=r"checkin:more:(?P<checkin_id>\d+)"):
    """ "Check in with more detail": the modal, prefilled, to add triggers, a note or sharing."""

    def __init__(self, checkin_id: int) -> None:
        super().__init__(
            f"checkin:more:{checkin_id}", _("Check in with more detail"), discord.ButtonStyle.secondary, emoji="📝"
        )
        self.checkin_id = checkin_id

    async def press(self, interaction: discord.Interaction) -> None:
        """Open the modal prefilled with this check-in (only its owner can)."""
        bot = cast("KindredBot", interaction.client)
        entry = await bot.store.checkins.get_checkin(self.checkin_id, interaction.user.id)
        if entry is None:
            raise KindredError(
                _("That check-in isn't one of yours, so I can't open it. `/checkin today` starts yours.")
            )
        await interaction.response.send_modal(CheckinModal(entry.guild_id, existing=entry))


class BuddyNoticeButton(PersistentButton, template=r"checkin:buddy:(?P<guild_id>\d+)(?::(?P<checkin_id>\d+))?"):
    """ "Let my buddy know": sends the buddy one line, never the check-in itself. One notice per click-able answer."""

    def __init__(self, guild_id: int, checkin_id: int | None = None) -> None:
        super().__init__(
            f"checkin:buddy:{guild_id}" + (f":{checkin_id}" if checkin_id is not None else ""),
            _("Let my buddy know"),
            discord.ButtonStyle.success,
            emoji="🤝",
        )
        self.guild_id = guild_id
        self.checkin_id = checkin_id

    @classmethod
    def rebuild(cls, match: re.Match[str]) -> BuddyNoticeButton:
        """The button from its custom id."""
        checkin_id = match["checkin_id"]
        return cls(int(match["guild_id"]), int(checkin_id) if checkin_id else None)

    async def press(self, interaction: discord.Interaction) -> None:
        """Check consent again (it may have changed since), answer at once, then tell each current partner."""
        bot = cast("KindredBot", interaction.client)
        user = interaction.user
        await require_member(bot, self.guild_id, user.id)
        if not await _buddy_can_be_told_now(bot, self.guild_id, user.id):
            raise KindredError(
                _(
                    "I can't send that right now: you need a current buddy and `/buddy notify on`. "
                    "`/resources show` has people you can reach straight away."
                )
            )
        limit = await enforce(bot.store.limits, Action.BUDDY_NOTICE, self.guild_id, user.id, now=bot.clock.now())
        # Answer within Discord's 3 seconds by taking this button away (so the buddy hears once),
        # keeping "more detail"; the DMs, which can be slow, come after.
        remaining = discord.ui.View(timeout=None)
        if self.checkin_id is not None:
            remaining.add_item(MoreDetailButton(self.checkin_id))
        await interaction.response.edit_message(view=remaining)
        reached = await notify_partners_of_hard_moment(bot, self.guild_id, user.id)
        if reached:
            text = _("I let your buddy know you could use a check-in. Nothing from your check-in was shared.")
        else:
            await bot.store.limits.give_back(limit)  # nobody was reached, so it doesn't count
            text = _(
                "I couldn't reach your buddy by DM (their DMs may be closed). You could message them directly, "
                "or reach someone through `/resources show`."
            )
        await interaction.followup.send(text, ephemeral=True)


async def _buddy_can_be_told_now(bot: KindredBot, guild_id: int, user_id: int) -> bool:
    store = bot.store.buddies
    return bool(await store.current_partners(guild_id, user_id)) and await store.hard_moment_opt_in(guild_id, user_id)


def mood_choices() -> list[tuple[str, int]]:
    """(label, value) pairs for the mood option."""
    return [(mood_label(m), m) for m in range(1, 6)]

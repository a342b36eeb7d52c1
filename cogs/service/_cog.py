"""``/service``: post ways to help, sign up, and say thank you. Never a ranking."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.clock import discord_ts
from bot.errors import KindredError, reply_ephemeral
from bot.i18n import N_, _, ngettext
from bot.rate_limits import Action, enforce
from bot.repeats import check_repeat, describe_repeat
from bot.service import (
    KIND_LABELS,
    Kind,
    Opportunity,
    Recurrence,
    Status,
    format_duration,
    parse_duration,
    validate_description,
    validate_slots,
    validate_title,
    when_echo,
)
from bot.service.board import ServiceBoard
from bot.service.upkeep import END_KIND, NO_BOARD
from bot.store.service import NewOpportunity
from cogs._gatherings import GatheringCog, gathering_hooks
from cogs._when import new_repeat_option, read_when, start_options
from cogs.service._discord import DiscordService
from cogs.service._render import id_choices, mine_embed, open_list_embed
from cogs.service._views import (
    CompleteView,
    OpportunityButton,
    cancel_confirm_view,
    complete_answer,
    private_reply,
)

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Service"]

log = logging.getLogger(__name__)

KIND_CHOICES = [app_commands.Choice(name=KIND_LABELS[k], value=k.value) for k in Kind]
_CLOSED = {
    Status.CANCELLED: N_("#{id} is already cancelled."),
    Status.COMPLETED: N_("#{id} is already completed."),
    Status.PASSED: N_("#{id} has already passed."),
}


def _closed(opp: Opportunity, opp_id: int) -> str:
    """Where the opportunity already is, in the member's words: "#12 is already cancelled."."""
    return _(_CLOSED[opp.status]).format(id=opp_id)


SCOPE_CHOICES = [
    app_commands.Choice(name="Just this one: a repeating series carries on", value="one"),
    app_commands.Choice(name="This one and the rest of its series", value="series"),
]


@app_commands.guild_only()
class Service(
    GatheringCog,
    commands.GroupCog,
    group_name="service",
    group_description="Ways to help each other, and saying thanks",
):
    """Service opportunities: posting, signing up, reminders and gratitude."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        self.board = ServiceBoard(bot.store, bot.timers, bot.clock, DiscordService(bot))
        # Closing and spawning the next week's happen once whatever runs them, so an end can be retried.
        self.hooks = gathering_hooks("service", self.board, OpportunityButton, retried=lambda kind: kind == END_KIND)
        super().__init__()

    def publish(self, loaded: bool) -> None:
        """The service board on ``bot.features`` while the cog is loaded."""
        self.bot.features.service = self.board if loaded else None

    async def _managed(self, interaction: discord.Interaction, opp_id: int) -> Opportunity:
        return await self.board.load_managed(
            opp_id, interaction.guild_id, interaction.user.id, moderator=interaction.permissions.manage_guild
        )

    # -- posting ---------------------------------------------------------------------------
    @app_commands.command(name="post")
    @start_options
    @app_commands.choices(kind=KIND_CHOICES)
    async def post(
        self,
        interaction: discord.Interaction,
        title: str,
        description: str,
        when: str,
        duration: str,
        slots: int,
        kind: app_commands.Choice[str],
        recurring: app_commands.Choice[str] | None = None,
    ) -> None:
        """Post a way to help on the service board.

        Args:
            title: A short title, up to 100 characters
            description: What volunteers will do, and where (up to 1,000 characters)
            duration: How long it lasts: '90m', '1h30', '2 hours'
            slots: How many volunteers are needed (1 to 50)
            kind: What sort of help this is
        """
        assert interaction.guild is not None
        # Reading free-form times can take a moment the first time; Discord allows 3 seconds.
        await interaction.response.defer(ephemeral=True, thinking=True)
        config = await self.bot.store.config.get(interaction.guild.id)
        role_id = config.service_post_role_id
        if not interaction.permissions.manage_guild and role_id is not None:
            member_roles = {r.id for r in getattr(interaction.user, "roles", [])}
            if role_id not in member_roles:
                raise KindredError(
                    _(
                        "Only members with the {role} role can post service opportunities here; "
                        "that's this server's setting. A moderator can tell you more."
                    ).format(role=f"<@&{role_id}>")
                )
        if config.service_board_channel_id is None:
            raise KindredError(_(NO_BOARD))
        zone = await self.bot.store.member_zone(interaction.user.id, interaction.guild.id)
        starts_at = await read_when(when, zone, self.bot.clock.now())
        recurrence = Recurrence(recurring.value if recurring else Recurrence.NONE.value)
        check_repeat(starts_at, zone, recurrence)
        new = NewOpportunity(
            guild_id=interaction.guild.id,
            poster_user_id=interaction.user.id,
            title=validate_title(title),
            description=validate_description(description),
            kind=Kind(kind.value),
            starts_at=starts_at,
            duration=parse_duration(duration),
            slots=validate_slots(slots),
            recurrence=recurrence,
            zone=zone.key,
        )
        limit = await enforce(
            self.bot.store.limits,
            Action.SERVICE_POST,
            interaction.guild.id,
            interaction.user.id,
            now=self.bot.clock.now(),
            moderator=interaction.permissions.manage_guild,
        )
        opp, link = await self.board.post(new, limit)
        rule = describe_repeat(opp.starts_at, zone, opp.recurrence)
        text = ngettext(
            "Posted **{title}** (#{id}) for {when}, {duration}, {count} slot.",
            "Posted **{title}** (#{id}) for {when}, {duration}, {count} slots.",
            opp.slots,
        ).format(
            title=opp.title,
            id=opp.id,
            when=when_echo(opp.starts_at),
            duration=format_duration(opp.duration),
            count=opp.slots,
        )
        if rule:
            text += " " + _("It repeats {rule}, at the same local time.").format(rule=rule)
        fix = _("If that time looks wrong, fix it with `/service edit {id}`.").format(id=opp.id)
        await reply_ephemeral(interaction, f"{text}\n{fix} {link}")

    # -- signing up ------------------------------------------------------------------------
    @app_commands.command(name="join")
    async def join(self, interaction: discord.Interaction, id: int) -> None:
        """Volunteer for an opportunity (or join its waitlist if it's full).

        Args:
            id: The opportunity's number (shown on its card)
        """
        await self.board.join(id, interaction.guild_id, interaction.user.id, private_reply(interaction, id))

    @app_commands.command(name="withdraw")
    async def withdraw(self, interaction: discord.Interaction, id: int) -> None:
        """Give up your place; the first person waiting gets it.

        Args:
            id: The opportunity's number
        """
        await self.board.withdraw(id, interaction.guild_id, interaction.user.id, private_reply(interaction, id))

    @app_commands.command(name="mine")
    async def mine(self, interaction: discord.Interaction) -> None:
        """Your upcoming commitments and your own history of helping. Only you see this."""
        assert interaction.guild_id is not None
        now = self.bot.clock.now()
        upcoming = await self.bot.store.service.commitments(interaction.guild_id, interaction.user.id, now=now)
        history = await self.bot.store.service.history(interaction.guild_id, interaction.user.id)
        await reply_ephemeral(interaction, embed=mine_embed(upcoming, history))

    @app_commands.command(name="list")
    @app_commands.choices(kind=KIND_CHOICES)
    async def list_(self, interaction: discord.Interaction, kind: app_commands.Choice[str] | None = None) -> None:
        """Open opportunities, soonest first.

        Args:
            kind: Only show one sort of help
        """
        assert interaction.guild_id is not None
        wanted = Kind(kind.value) if kind else None
        opps = await self.bot.store.service.list_open(interaction.guild_id, now=self.bot.clock.now(), kind=wanted)
        if not opps:
            none = (
                _("There are no open opportunities of the kind “{kind}” right now. Check back soon!").format(
                    kind=_(KIND_LABELS[wanted])
                )
                if wanted
                else _("There are no open opportunities right now. Check back soon!")
            )
            await reply_ephemeral(interaction, none)
            return
        await reply_ephemeral(interaction, embed=open_list_embed(opps))

    # -- after -----------------------------------------------------------------------------
    @app_commands.command(name="edit")
    @new_repeat_option
    async def edit(
        self,
        interaction: discord.Interaction,
        id: int,
        title: str | None = None,
        description: str | None = None,
        when: str | None = None,
        duration: str | None = None,
        slots: int | None = None,
        repeats: app_commands.Choice[str] | None = None,
    ) -> None:
        """Change an opportunity you posted; volunteers are told what changed.

        Args:
            id: The opportunity's number
            title: New title (up to 100 characters)
            description: New description (up to 1,000 characters)
            when: New start time, in your time zone
            duration: New length: '90m', '1h30', '2 hours'
            slots: New number of volunteer slots (1 to 50)
        """
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        opp = await self._managed(interaction, id)
        if all(v is None for v in (title, description, when, duration, slots, repeats)):
            raise KindredError(
                _("Tell me what to change: a new title, description, time, length, number of slots or repeat.")
            )
        starts_at = opp.starts_at
        if when is not None:
            zone = await self.bot.store.member_zone(interaction.user.id, interaction.guild_id)
            starts_at = await read_when(when, zone, self.bot.clock.now())
        await self.board.edit(
            opp,
            title=validate_title(title) if title is not None else opp.title,
            description=validate_description(description) if description is not None else opp.description,
            starts_at=starts_at,
            duration=parse_duration(duration) if duration is not None else opp.duration,
            slots=validate_slots(slots) if slots is not None else opp.slots,
            recurrence=Recurrence(repeats.value) if repeats is not None else None,
            by_user=interaction.user.id,
            reply=private_reply(interaction, id),
        )

    @app_commands.command(name="cancel")
    @app_commands.choices(scope=SCOPE_CHOICES)
    async def cancel(
        self,
        interaction: discord.Interaction,
        id: int,
        reason: str | None = None,
        scope: app_commands.Choice[str] | None = None,
    ) -> None:
        """Cancel an opportunity you posted; everyone who signed up is told kindly.

        Args:
            id: The opportunity's number
            reason: Optional: a short note passed on to volunteers
            scope: For a repeating one: just this occurrence (the default), or the rest of the series too
        """
        opp = await self._managed(interaction, id)
        if opp.status is not Status.OPEN:
            raise KindredError(_closed(opp, id) + " " + _("There's nothing to cancel."))
        whole = scope is not None and scope.value == "series"
        question = _("Cancel **{title}** ({when})? Everyone who signed up will get a kind note.").format(
            title=opp.title, when=discord_ts(opp.starts_at, "F")
        )
        if opp.recurrence is not Recurrence.NONE:
            question += " " + (
                _("It's part of a repeating series: this ends the series too.")
                if whole
                else _("It's part of a repeating series: only this one is cancelled, the series carries on.")
            )
        await reply_ephemeral(
            interaction,
            question,
            view=cancel_confirm_view(
                id, reason.strip()[:300] if reason else None, author_id=interaction.user.id, whole_series=whole
            ),
        )

    @app_commands.command(name="complete")
    async def complete(self, interaction: discord.Interaction, id: int, thank_publicly: bool = False) -> None:
        """Confirm who showed up; each gets a personal thank-you.

        Args:
            id: The opportunity's number
            thank_publicly: Also post a short thank-you on the board naming those who helped
        """
        opp = await self._managed(interaction, id)
        if opp.status not in (Status.OPEN, Status.PASSED):
            raise KindredError(_closed(opp, id))
        if not opp.volunteers:
            await self.board.complete(id, [], thank_publicly=False, answer=complete_answer(interaction))
            return
        guild = interaction.guild
        names = {}
        for uid in opp.volunteers:
            member = guild.get_member(uid) if guild else None
            names[uid] = member.display_name if member else _("Member {id}").format(id=uid)
        await reply_ephemeral(
            interaction,
            _(
                "Who showed up for **{title}**? Everyone is ticked; untick anyone who couldn't make it, then confirm."
            ).format(title=opp.title),
            view=CompleteView(opp, names, thank_publicly=thank_publicly, author_id=interaction.user.id),
        )

    # -- autocomplete ----------------------------------------------------------------------
    @join.autocomplete("id")
    async def _open_ids(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
        assert interaction.guild_id is not None
        opps = await self.bot.store.service.list_open(interaction.guild_id, now=self.bot.clock.now())
        return id_choices([(o.id, o.title) for o in opps], current)

    @withdraw.autocomplete("id")
    async def _my_ids(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
        assert interaction.guild_id is not None
        mine = await self.bot.store.service.commitments(
            interaction.guild_id, interaction.user.id, now=self.bot.clock.now()
        )
        return id_choices([(o.id, o.title) for o, _ in mine], current)

    @edit.autocomplete("id")
    @cancel.autocomplete("id")
    @complete.autocomplete("id")
    async def _managed_ids(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
        assert interaction.guild_id is not None
        who = None if interaction.permissions.manage_guild else interaction.user.id
        statuses = (
            (Status.OPEN,)
            if interaction.command and interaction.command.name != "complete"
            else (
                Status.OPEN,
                Status.PASSED,
            )
        )
        opps = await self.bot.store.service.managed_by(interaction.guild_id, who, statuses=statuses)
        return id_choices([(o.id, o.title) for o in opps], current)

    # -- newcomers -------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        """Let the newcomer-welcome volunteers on shift know someone arrived."""
        if member.bot:
            return
        try:
            await self.board.welcome(member.guild.id, discord.utils.escape_markdown(member.guild.name), member.id)
        except Exception:
            log.exception("newcomer welcome failed for %s in %s", member.id, member.guild.id)

    @commands.Cog.listener()
    async def on_member_remove(self, member: discord.Member) -> None:
        """Pass a departing member's places on to whoever is waiting."""
        if member.bot:
            return
        try:
            await self.board.member_left(member.guild.id, member.id)
        except Exception:
            log.exception("freeing service places failed for %s who left %s", member.id, member.guild.id)

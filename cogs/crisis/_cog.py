"""``/crisis`` for moderators, plus the listeners that scan every message and check-in note."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.config_ops import format_value
from bot.crisis import Category, Level, Term, load_default_detector
from bot.crisis_care import CATEGORY_LABELS, LEVEL_LABELS, alert_wanted, dry_run_report
from bot.crisis_care.audit import PAGE_SIZE, AuditPage, render_audit, term_change_line
from bot.crisis_care.care import LINE_REMOVAL_KIND, REPOST_KIND, CrisisCare
from bot.crisis_care.consent import HANDOVER_KIND
from bot.crisis_care.text import category_label, level_label
from bot.crisis_care.work import CrisisButtons
from bot.errors import KindredError, reply_ephemeral
from bot.i18n import N_, _
from bot.moderation import moderated_guild, require_moderator
from bot.modlog import post_modlog
from bot.resources import contacts_for
from bot.text import echo
from bot.timers import URGENT
from cogs._hooks import Hooks, TimerRoute
from cogs.crisis._views import ClaimButton, OkButton, TalkButton, answer_view, claim_view

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.events import MemberText

__all__ = ["MAX_TERMS", "Crisis"]

log = logging.getLogger(__name__)

MAX_TERMS = 200
MIN_TERM_CHARS = 3
_DYNAMIC = (TalkButton, OkButton, ClaimButton)
CATEGORY_CHOICES = [Choice(name=CATEGORY_LABELS[c], value=c.value) for c in Category]
LEVEL_CHOICES = [Choice(name=LEVEL_LABELS[lv], value=lv.name.lower()) for lv in Level if lv > Level.NONE]
NOT_A_MODERATOR = N_("Crisis settings are for moderators: this needs the **Manage Server** permission.")
OUTSIDE_A_SERVER = N_("Crisis tools belong to a server, so please run this inside the server you look after.")


def _require_moderator(interaction: discord.Interaction[KindredBot]) -> discord.Guild:
    return require_moderator(interaction, refusal=_(NOT_A_MODERATOR), outside=_(OUTSIDE_A_SERVER))


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Crisis(commands.GroupCog, group_name="crisis", group_description="Crisis detection tools (moderators)"):
    """Scans messages for crisis language; moderators test it and add server-specific terms."""

    terms = app_commands.Group(name="terms", description="Extra crisis words for this server only")

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        self.care = CrisisCare(bot, CrisisButtons(answer=answer_view, claim=claim_view))
        self.hooks = Hooks(
            "crisis",
            timers=[
                # Idempotent (a cut-off run finds the copy it already posted), so a restart runs it again.
                # The urgent lane: a wave of bulk reminders must never hold back a re-post to the crisis team.
                TimerRoute(REPOST_KIND, self.care.alerts.repost, retry_interrupted=True, lane=URGENT),
                # A "talk to someone" another process handed over to this server's owner: idempotent too.
                TimerRoute(HANDOVER_KIND, self.care.consent.deliver, retry_interrupted=True, lane=URGENT),
                # Deleting a line that may already be gone is safe to repeat.
                TimerRoute(LINE_REMOVAL_KIND, self.care.remove_line, retry_interrupted=True),
            ],
            buttons=_DYNAMIC,
            erase=self.care.alerts.forget_helper,
        )
        super().__init__()

    async def cog_load(self) -> None:
        """Publish the service; register the re-post timer, the persistent buttons and the erase hook;
        resume cut-off re-posts."""
        self.bot.features.crisis = self.care
        self.hooks.attach(self.bot)
        await self.care.alerts.resume_reposts()
        await self.care.load_opinion()

    async def cog_unload(self) -> None:
        """Undo :meth:`cog_load` and stop any follow-up work still running."""
        self.hooks.detach(self.bot)
        if self.bot.features.crisis is self.care:
            self.bot.features.crisis = None
        await self.care.close()

    async def interaction_check(self, interaction: discord.Interaction[KindredBot]) -> bool:  # type: ignore[override]  # Cog declares a sync-or-async union
        """Enforce Manage Server at run time: admins can override the client-side default."""
        if interaction.type is discord.InteractionType.autocomplete:
            return interaction.permissions.manage_guild  # nothing to explain in a suggestion list
        _require_moderator(interaction)
        return True

    # -- listeners ----------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Scan every message the bot can read; returns at once and never raises."""
        self.care.scan_message(message)

    @commands.Cog.listener()
    async def on_message_edit(self, before: discord.Message, after: discord.Message) -> None:
        """Scan a message again when its words change (an edit can turn a message into a cry for help)."""
        if before.content != after.content:
            self.care.scan_message(after)

    @commands.Cog.listener()
    async def on_member_text(self, text: MemberText) -> None:
        """Scan text that never appears as a message, such as check-in notes."""
        self.care.scan_member_text(text)

    # -- /crisis test -------------------------------------------------------------------------
    @app_commands.command(name="test")
    async def test(self, interaction: discord.Interaction[KindredBot], text: app_commands.Range[str, 1, 2000]) -> None:
        """See what crisis detection would make of a message here, why, and what the bot would do.

        Args:
            text: A message to try; only you see the result and nobody is alerted
        """
        guild = _require_moderator(interaction)
        detection = (await self.care.detector_for(guild.id)).detect(text)
        detection = await self.care.second_opinion(text, detection)
        config = await self.bot.store.config.get(guild.id)
        report = dry_run_report(
            detection,
            policy=format_value("alert_policy", config.alert_policy),
            alert_wanted=alert_wanted(config.alert_policy, detection.level),
            alert_channel_id=config.crisis_alert_channel_id,
            contacts=contacts_for(config.region),
        )
        await reply_ephemeral(interaction, report[:2000])

    # -- /crisis audit ------------------------------------------------------------------------
    @app_commands.command(name="audit")
    async def audit(
        self,
        interaction: discord.Interaction[KindredBot],
        member: discord.User | None = None,
        days: app_commands.Range[int, 1, 365] = 30,
        page: app_commands.Range[int, 1, 10_000] = 1,
    ) -> None:
        """Look back on crisis alerts, claims, re-posts and term changes here (never message text).

        Args:
            member: Only what this member did or what was about them (leave empty for everything)
            days: How far back to look, in days (1-365; default 30)
            page: Which page of results (newest first; default 1)
        """
        guild = _require_moderator(interaction)
        days, page = max(1, min(days, 365)), max(1, page)
        member_id = member.id if member is not None else None
        entries, total = await self.bot.store.crisis.audit_page(
            guild.id,
            since=self.bot.clock.now() - timedelta(days=days),
            member_id=member_id,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        await reply_ephemeral(interaction, render_audit(AuditPage(entries, total, page, days, member_id)))

    # -- /crisis terms ------------------------------------------------------------------------
    @terms.command(name="add")
    @app_commands.choices(category=CATEGORY_CHOICES, level=LEVEL_CHOICES)
    async def terms_add(
        self,
        interaction: discord.Interaction[KindredBot],
        term: app_commands.Range[str, 1, 100],
        category: str,
        level: str,
    ) -> None:
        """Add a crisis word or phrase that counts in this server only (or change an existing one).

        Args:
            term: A word or phrase, e.g. a local slang term (matched as whole words, spelling tricks included)
            category: What it points to
            level: How urgent a message with it is
        """
        guild = _require_moderator(interaction)
        try:
            parsed = Term(term.strip(), Category(category), Level.parse(level))
        except ValueError:
            raise KindredError(_("Pick the category and level from the lists.")) from None
        words = [w for w in load_default_detector().normalize(parsed.term).split() if w.isalnum()]
        if sum(len(w) for w in words) < MIN_TERM_CHARS:
            raise KindredError(
                _("{term} is too short to match safely: use at least {count} letters or digits.").format(
                    term=echo(parsed.term), count=MIN_TERM_CHARS
                )
            )
        if parsed.level <= Level.NONE:
            raise KindredError(_("Pick a level from the list: concern, high or imminent risk."))
        existing = await self.bot.store.crisis.terms(guild.id)
        known = {t.term.term.lower() for t in existing}
        if parsed.term.lower() not in known and len(existing) >= MAX_TERMS:
            raise KindredError(
                _("This server already has {count} extra terms. Remove one with `/crisis terms remove`.").format(
                    count=MAX_TERMS
                )
            )
        new = await self.bot.store.crisis.add_term(
            guild.id, parsed, user_id=interaction.user.id, now=self.bot.clock.now()
        )
        self.care.invalidate(guild.id)
        done = (
            _(
                "Added **{term}** ({category}, {level}). It counts in this server only, from now on. Try it with `/crisis test`."
            )
            if new
            else _(
                "Updated **{term}** ({category}, {level}). It counts in this server only, from now on. "
                "Try it with `/crisis test`."
            )
        )
        await reply_ephemeral(
            interaction,
            done.format(term=parsed.term, category=category_label(parsed.category), level=level_label(parsed.level)),
        )
        # After the reply: the mod-log is a record (in English), and must not hold up the moderator's answer.
        detail = f"{CATEGORY_LABELS[parsed.category]}, {LEVEL_LABELS[parsed.level]}"
        shown = discord.utils.escape_markdown(parsed.term)
        verb = "added" if new else "updated"
        await post_modlog(self.bot, guild.id, term_change_line(interaction.user.id, verb, shown, detail))

    @terms.command(name="remove")
    async def terms_remove(self, interaction: discord.Interaction[KindredBot], term: str) -> None:
        """Remove one of this server's extra crisis terms.

        Args:
            term: The extra term to remove
        """
        guild = _require_moderator(interaction)
        removed = await self.bot.store.crisis.remove_term(
            guild.id, term.strip(), user_id=interaction.user.id, now=self.bot.clock.now()
        )
        if not removed:
            raise KindredError(
                _("**{term}** isn't one of this server's extra terms. `/crisis terms list` shows them.").format(
                    term=term.strip()
                )
            )
        self.care.invalidate(guild.id)
        await reply_ephemeral(
            interaction,
            _("Removed **{term}**. The built-in word list still applies.").format(term=term.strip()),
        )
        shown = discord.utils.escape_markdown(term.strip())
        await post_modlog(self.bot, guild.id, term_change_line(interaction.user.id, "removed", shown))

    @terms_remove.autocomplete("term")
    async def _term_choices(self, interaction: discord.Interaction[KindredBot], current: str) -> list[Choice[str]]:
        guild = moderated_guild(interaction)
        if guild is None:
            return []
        stored = await self.bot.store.crisis.terms(guild.id)
        needle = current.lower().strip()
        return [Choice(name=s.term.term, value=s.term.term) for s in stored if needle in s.term.term.lower()][:25]

    @terms.command(name="list")
    async def terms_list(self, interaction: discord.Interaction[KindredBot]) -> None:
        """See this server's extra crisis terms."""
        guild = _require_moderator(interaction)
        stored = await self.bot.store.crisis.terms(guild.id)
        if not stored:
            await reply_ephemeral(
                interaction,
                _("This server has no extra terms; the built-in word list applies. Add one with `/crisis terms add`."),
            )
            return
        lines = [f"• **{s.term.term}**: {category_label(s.term.category)}, {level_label(s.term.level)}" for s in stored]
        text = _("**Extra crisis terms here ({count}):**").format(count=len(stored)) + "\n" + "\n".join(lines)
        if len(text) > 2000:
            text = text[:1950].rsplit("\n", 1)[0] + "\n" + _("… (more not shown)")
        await reply_ephemeral(interaction, text)

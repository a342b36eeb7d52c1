"""Every word Kindred says about a detection: the member's private answer, the channel fallback,
the crisis-team alert and the moderator's ``/crisis test`` report.

Safe-messaging rules (``shared/guide/crisis-safety.md``) are built in: the member's words are never
quoted or echoed, methods are never described, the answer is warm and brief, says they matter, that
help is there now and things can get better, and always gives a way to reach a person now.

Every text is written in the current locale. The member's answer follows :func:`answer_locale`; a team
alert is read by several moderators, so it is written in the server's language (:func:`team_locale`);
``/crisis test`` answers in the moderator's own. Levels and categories are also ``/crisis terms add``
choice names, so they are translated as such (one catalogue entry for both uses).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.clock import discord_ts
from bot.crisis import Category, Detection, Level
from bot.i18n import N_, _, catalogue_for, country_name, pgettext
from bot.resources import Contacts, emergency_number, render_contacts

__all__ = [
    "CATEGORY_LABELS",
    "CLOSED_DM_LINE",
    "LEVEL_LABELS",
    "alert_text",
    "answer_locale",
    "answer_text",
    "categories_line",
    "category_label",
    "claimed_line",
    "dry_run_report",
    "emergency_phrase",
    "level_label",
    "needs_substance_line",
    "talk_limited_text",
    "team_locale",
]

# English, as /crisis terms add offers them and as the mod-log records them; level_label and category_label
# give them in the current locale.
LEVEL_LABELS: dict[Level, str] = {
    Level.NONE: "none",
    Level.CONCERN: "concern",
    Level.HIGH: "high",
    Level.IMMINENT: "imminent risk",
}

CATEGORY_LABELS: dict[Category, str] = {
    Category.SUICIDAL_IDEATION: "suicidal thoughts",
    Category.SELF_HARM: "self-harm",
    Category.OVERDOSE: "overdose or poisoning",
    Category.IMMEDIATE_DANGER: "immediate danger (a plan, means or goodbye)",
    Category.SUBSTANCE_CRISIS: "acute substance crisis",
}

_SUBSTANCE = frozenset({Category.OVERDOSE, Category.SUBSTANCE_CRISIS})

# Neutral on purpose: it is posted in public, so it says nothing about what was written or why.
# Posted in the channel when a member's DMs are closed: not a reply, and addressed to nobody in particular,
# so it doesn't show the channel which message was flagged. It is deleted after CLOSED_DM_LINE_LIFETIME.
CLOSED_DM_LINE = N_(
    "If anyone here would like someone to talk to, `/resources show` lists people you can reach any time, privately."
)

_OPENINGS: dict[Level, str] = {
    Level.CONCERN: N_(
        "Hey, I'm checking in privately because it sounded like things might be heavy for you right now."
    ),
    Level.HIGH: N_(
        "Hey, I'm reaching out privately because it sounded like you're carrying something really painful right now."
    ),
    Level.IMMINENT: N_("Hey, I'm reaching out privately because I'm worried you might not be safe right now."),
}

_CORE = N_(
    "You matter, and you don't have to carry this alone. Help is available right now, "
    "and things can get better, even if that's hard to believe today."
)

# The Discord locale a crisis answer uses when the message was written in one of these languages.
_LANGUAGE_LOCALES = {"es": "es-ES", "pt": "pt-BR", "fr": "fr", "de": "de"}


def answer_locale(message_language: str, last_used: str | None) -> str | None:
    """The language of a member's private crisis answer: the one they wrote in, else the one they last used.

    A message in Spanish gets a Spanish answer even from someone whose Discord is set to English: in a hard
    moment, the language a person writes in is the one they read most easily. Their own variant of it
    (``es-419``, ``pt-PT``…) is kept when their Discord language agrees. ``None`` means English.
    """
    wanted = _LANGUAGE_LOCALES.get(message_language)
    if wanted is None:
        return last_used
    if last_used is not None and last_used.split("-")[0].lower() == message_language:
        return last_used
    return wanted


def needs_substance_line(categories: Iterable[Category]) -> bool:
    """True when the substance-use line belongs in the answer (overdose or an acute substance crisis)."""
    return any(c in _SUBSTANCE for c in categories)


def emergency_phrase(contacts: Contacts) -> str:
    """ "**911**" for a region with a number; a plain phrase where we only know "your local emergency number"."""
    number = emergency_number(contacts)
    return number if contacts.emergency.lower().startswith("your") else f"**{number}**"


def team_locale(guild: object) -> str | None:
    """The language of a server's crisis-team alerts: the server's own (its community language) when Kindred
    ships it, else English (``None``). Several moderators read one alert, each with their own Discord language;
    the server's is the one they share."""
    locale = getattr(guild, "preferred_locale", None)
    return str(getattr(locale, "value", locale)) if catalogue_for(locale) is not None else None


def level_label(level: Level) -> str:
    """A level in plain words, in the current locale ("imminent risk")."""
    if level <= Level.NONE:
        return _("none")
    return pgettext("choice name", LEVEL_LABELS.get(level, str(level)))


def category_label(category: Category) -> str:
    """A category in plain words, in the current locale ("self-harm")."""
    return pgettext("choice name", CATEGORY_LABELS[category]) if category in CATEGORY_LABELS else str(category)


def categories_line(categories: Sequence[Category]) -> str:
    """Plain-words categories for moderators, in the current locale, e.g. "suicidal thoughts, self-harm"."""
    return ", ".join(category_label(c) for c in categories) or _("none")


def answer_text(level: Level, categories: Sequence[Category], contacts: Contacts, *, talk_offered: bool) -> str:
    """The member's private answer for one detection, in the current locale. Never contains their words."""
    opening = _(_OPENINGS.get(level, _OPENINGS[Level.CONCERN]))
    parts = [f"{opening} {_(_CORE)}"]
    emergency = emergency_phrase(contacts)
    substance = needs_substance_line(categories)
    if level >= Level.IMMINENT and substance:
        parts.append(
            _(
                "If you're in danger, or you've taken something or might have overdosed, please call {emergency} "
                "now, even if you feel OK."
            ).format(emergency=emergency)
        )
    elif level >= Level.IMMINENT:
        parts.append(
            _("If you're in danger or might act on these thoughts, please call {emergency} now.").format(
                emergency=emergency
            )
        )
    elif substance:
        parts.append(
            _(
                "If you've taken something or might have overdosed, please call {emergency} now, "
                "even if you feel OK. Please don't wait it out alone."
            ).format(emergency=emergency)
        )
    if contacts.region == "other":
        heading = _("**People you can reach right now:**")
    else:
        heading = _("**People you can reach right now ({region}):**").format(
            region=country_name(contacts.region, contacts.region_name)
        )
    parts.append(heading + "\n" + render_contacts(contacts, substance=substance))
    if talk_offered:
        parts.append(
            _(
                "If you'd like someone from the community to reach out to you, tap **{talk}**. "
                "If you're OK, tap **{ok}** and I'll give you space."
            ).format(talk=_("Talk to someone here"), ok=_("I'm OK"))
        )
    else:
        parts.append(_("If you're OK, tap **{ok}** and I'll give you space.").format(ok=_("I'm OK")))
    parts.append(
        "-# "
        + _("I'm a bot and this message is only for you. {mute} turns these messages off.").format(
            mute="`/resources mute`"
        )
    )
    return "\n\n".join(parts)


def alert_text(
    *,
    role_id: int | None,
    subject_user_id: int,
    level: Level,
    categories: Sequence[Category],
    where: str,
    created_at: datetime,
    repost: int = 0,
    max_reposts: int = 3,
) -> str:
    """The crisis-team alert, in the current locale (the team's: :func:`team_locale`).

    Gives level, categories, the member and where, never the message text."""
    lines = []
    head = f"<@&{role_id}> " if role_id is not None else ""
    if repost:
        head += _("**Still unclaimed** (re-post {number} of {most}, first posted {when}):").format(
            number=repost, most=max_reposts, when=discord_ts(created_at, "R")
        )
        head += " "
    lines.append(head + _("**Crisis alert**: {level}").format(level=level_label(level)))
    lines.append(_("**Member:** {member}").format(member=f"<@{subject_user_id}>"))
    if categories:  # a consent alert carries none: the member asked, nothing was matched
        lines.append(_("**Signs:** {signs}").format(signs=categories_line(categories)))
    lines.append(_("**Where:** {where}").format(where=where))
    lines.append(
        _(
            "Click **{claim}** when you contact them, so nobody doubles up or assumes someone else did. "
            "Please reach out privately, and never repeat what they wrote in public."
        ).format(claim=_("I'm reaching out"))
    )
    return "\n".join(lines)


def claimed_line(claimer_user_id: int, at: datetime) -> str:
    """What an alert shows once someone has claimed it (in the team's language, like the alert)."""
    return "✅ " + _("{helper} is reaching out ({when}).").format(
        helper=f"<@{claimer_user_id}>", when=discord_ts(at, "R")
    )


def dry_run_report(
    detection: Detection,
    *,
    policy: str,
    alert_wanted: bool,
    alert_channel_id: int | None,
    contacts: Contacts,
) -> str:
    """``/crisis test``: the detector's verdict and why, and what the bot would do under the current policy,
    in the moderator's language. ``policy`` is already in words."""
    lines = [_("**Level:** {level}").format(level=level_label(detection.level))]
    lines.append(_("**Categories:** {categories}").format(categories=categories_line(detection.categories)))
    if detection.evidence:
        # The evidence is the word list's own terms (which may be in any language), shown as they are.
        lines.append(_("**Why:**") + "\n" + "\n".join(f"• `{e}`" for e in detection.evidence[:15]))
    else:
        lines.append(_("**Why:** nothing in the crisis word list matched, and the models saw no risk."))
    lines.append("")
    lines.append(_("**What I'd do** (alert policy: {policy}):").format(policy=policy))
    if not detection.detected:
        lines.append("• " + _("Nothing: no answer, no alert."))
        return "\n".join(lines)
    region = country_name(contacts.region, contacts.region_name) if contacts.region != "other" else None
    if needs_substance_line(detection.categories):
        dm = (
            _("DM the member privately with the {region} contacts and the substance-use line")
            if region
            else _("DM the member privately with the worldwide contacts and the substance-use line")
        )
    else:
        dm = (
            _("DM the member privately with the {region} contacts")
            if region
            else _("DM the member privately with the worldwide contacts")
        )
    lines.append(
        "• "
        + dm.format(region=region)
        + " "
        + _(
            "(unless they muted answers, said they're OK, or were answered in the last 6 hours and this isn't "
            "an escalation)."
        )
    )
    if not alert_wanted:
        lines.append("• " + _("No team alert under this policy (the member can still ask to talk by button)."))
    elif alert_channel_id is None:
        lines.append("• " + _("A team alert is wanted, but no crisis alert channel is set: `/config crisis-channel`."))
    else:
        lines.append(
            "• "
            + _("Alert the crisis team in {channel} (level, categories and a link, never the text).").format(
                channel=f"<#{alert_channel_id}>"
            )
        )
    return "\n".join(lines)


def talk_limited_text(guild_name: str, *, member_limit: bool) -> str:
    """What a member hears when "Talk to someone here" can't ping the team again; their contacts follow it."""
    if member_limit:
        return _(
            "Thank you for asking. I've passed on your requests to the crisis team in **{server}** several times "
            "in the last few hours, so I haven't pinged them again: they know you'd like to talk. If you haven't "
            "heard back, please message a moderator you trust, or reach one of these people now:"
        ).format(server=guild_name)
    return _(
        "Thank you for asking. The crisis team in **{server}** has had a lot of requests in the last hour, so I "
        "couldn't ping them again just now. Please message a moderator you trust, or reach one of these people now:"
    ).format(server=guild_name)

"""Words for a check-in: a short reflection that varies with the answers, and hard-moment steps.

No moralising: the reflection notices, it never grades. Wording is chosen from the answers
themselves (no randomness), so tests and members see the same thing for the same input.
"""

from __future__ import annotations

from bot.checkins._models import CheckinDraft
from bot.i18n import N_, _, pgettext, pgettext_noop

# Concrete, doable-now steps; a mix of body, people and time so one of them fits.
COPING_STEPS: tuple[str, ...] = (
    N_("Breathe out slowly, longer than you breathe in, five times."),
    N_("Drink a glass of water and step outside or to a window for a minute."),
    N_("Reach out to one person (a buddy, a friend, someone here) and just say hi."),
    N_("Urges rise and fall like a wave, often within 20-30 minutes. Set a timer and ride it out."),
    N_("Move away from the place or thing that's pulling at you, if you can."),
)

_MOOD_LINES: dict[int, str] = {
    1: N_("Thank you for checking in on a really hard day. That took something."),
    2: N_("It sounds like a heavy day. You noticed it and named it, and that matters."),
    3: N_("Getting by is enough some days. Thanks for taking a moment to notice."),
    4: N_("Glad today is feeling okay. Noticing the okay days helps too."),
    5: N_("It's good to hear you're doing well. Take a second to enjoy that."),
}


# The trigger words members type stay English (they are the option's values); shown, they read in the locale.
_TRIGGER_NAMES: dict[str, str] = {
    "stress": pgettext_noop("check-in trigger", "stress"),
    "people": pgettext_noop("check-in trigger", "people"),
    "places": pgettext_noop("check-in trigger", "places"),
    "boredom": pgettext_noop("check-in trigger", "boredom"),
    "loneliness": pgettext_noop("check-in trigger", "loneliness"),
    "tiredness": pgettext_noop("check-in trigger", "tiredness"),
    "conflict": pgettext_noop("check-in trigger", "conflict"),
    "celebration": pgettext_noop("check-in trigger", "celebration"),
    "other": pgettext_noop("check-in trigger", "other"),
}


def trigger_names(triggers: tuple[str, ...]) -> str:
    """The triggers as the current locale names them, joined for a sentence ("stress, loneliness")."""
    return ", ".join(pgettext("check-in trigger", _TRIGGER_NAMES[t]) if t in _TRIGGER_NAMES else t for t in triggers)


def is_hard_moment(mood: int, craving: int) -> bool:
    """A mood of 1 or a craving of 8+ gets coping steps, contacts and (if opted in) a buddy button."""
    return mood == 1 or craving >= 8


def _craving_line(craving: int) -> str:
    if craving >= 8:
        return _(
            "A craving at {craving} is a lot to carry. It will pass, and you don't have to carry it alone."
        ).format(craving=craving)
    if craving >= 5:
        return _("Cravings at {craving} deserve care. What's one small thing that usually helps?").format(
            craving=craving
        )
    if craving >= 1:
        return _("A low craving today. Good to keep an eye on it.")
    return _("No craving today.")


def _trigger_line(triggers: tuple[str, ...]) -> str | None:
    if not triggers:
        return None
    if "celebration" in triggers and len(triggers) == 1:
        return _("Celebrations can pull as hard as stress; it's worth noticing.")
    if "loneliness" in triggers:
        return _("Loneliness is one of the strongest pulls there is. Connecting with someone, even briefly, can help.")
    return _("You noted {triggers}. Naming what's around you makes it easier to plan for.").format(
        triggers=trigger_names(triggers)
    )


def reflect(draft: CheckinDraft, *, streak: int = 0) -> str:
    """The warm, brief answer to a check-in, in the current locale."""
    lines = [_(_MOOD_LINES.get(draft.mood, _MOOD_LINES[3])), _craving_line(draft.craving)]
    trigger_line = _trigger_line(draft.triggers)
    if trigger_line:
        lines.append(trigger_line)
    if draft.note:
        lines.append(_("Your note is saved, just for you."))
    if streak >= 2:
        lines.append(_("You've checked in {days} days in a row.").format(days=streak))
    return " ".join(lines)


def hard_moment_text() -> str:
    """Coping steps shown with a hard-moment answer (contacts are added by the caller)."""
    steps = "\n".join(f"• {_(step)}" for step in COPING_STEPS[:4])
    return _("**A few things that can help right now:**") + f"\n{steps}"


def share_summary(draft: CheckinDraft, *, who: str | None, include_note: bool) -> str:
    """The short post for the share channel, in the current locale. ``who=None`` means anonymous.

    The whole server reads it, so the caller sets the server's language, whatever language the member uses.

    The caller neutralises mention syntax and sends with no pings; this text only echoes what
    the member chose to share.
    """
    from bot.checkins._models import mood_label  # local: keeps the import graph flat

    # The mood as the member picked it from the /checkin choices, whose names are translated in that context.
    mood = pgettext("choice name", mood_label(draft.mood))
    if who is None:
        line = _("**Someone** checked in: mood {mood}, craving {craving}/10.").format(mood=mood, craving=draft.craving)
    else:
        line = _("**{name}** checked in: mood {mood}, craving {craving}/10.").format(
            name=who, mood=mood, craving=draft.craving
        )
    parts = [line]
    if draft.triggers:
        parts.append(_("Noticing: {triggers}.").format(triggers=trigger_names(draft.triggers)))
    if include_note and draft.note:
        parts.append(f"> {draft.note.replace(chr(10), chr(10) + '> ')}")
    return "\n".join(parts)

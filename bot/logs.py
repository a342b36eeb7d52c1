"""Logging set-up for the bot process.

Logs can't be erased by ``/privacy delete``, so what reaches them must never be member data. At DEBUG,
some libraries log exactly that: aiosqlite logs every SQL statement with its parameters (check-in notes,
time zones, member ids), and discord.py logs gateway payloads (message content). Those loggers are held
at INFO whatever ``LOG_LEVEL`` says, so DEBUG only adds Kindred's own detail.
"""

from __future__ import annotations

import logging

__all__ = ["DATA_LOGGERS", "configure_logging"]

# Libraries whose DEBUG output carries data: SQL parameters, gateway and HTTP payloads, scheduled-job
# arguments, parsed input.
DATA_LOGGERS: tuple[str, ...] = (
    "aiosqlite",
    "asyncpg",
    "discord",
    "apscheduler",
    "dateparser",
    "asyncio",
    "matplotlib",
)


def configure_logging(level: int) -> None:
    """Log at ``level`` to stderr, holding :data:`DATA_LOGGERS` at INFO or above."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in DATA_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.INFO))

"""A local Discord double: the real discord.py client talks to gateway v10 + REST v10 on 127.0.0.1.

See ``tests/double/README.md``. The main entry point is :class:`DiscordDouble`.
"""

from __future__ import annotations

from .commands import CommandError
from .double import DiscordDouble
from .drivers import DriverError
from .faults import FaultRule
from .fixtures import running_bot, running_double
from .guild import GuildHandle
from .interactions import InteractionHandle
from .models import ChannelHandle, MemberHandle, RoleHandle, ScheduledEventRecord, UserRecord
from .ratelimit import RateLimiter, RateLimits
from .recorder import RecordedCall, RecordedFile

__all__ = [
    "ChannelHandle",
    "CommandError",
    "DiscordDouble",
    "DriverError",
    "FaultRule",
    "GuildHandle",
    "InteractionHandle",
    "MemberHandle",
    "RateLimiter",
    "RateLimits",
    "RecordedCall",
    "RecordedFile",
    "RoleHandle",
    "ScheduledEventRecord",
    "UserRecord",
    "running_bot",
    "running_double",
]

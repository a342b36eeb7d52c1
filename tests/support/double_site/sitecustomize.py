"""Points discord.py at the local Discord double when ``KINDRED_DOUBLE_URL`` is set.

Crash tests put this folder on ``PYTHONPATH`` of a real ``python -m bot`` child process, so the bot's
own code runs unchanged while talking to the double instead of discord.com.
"""

from __future__ import annotations

import os

_URL = os.environ.get("KINDRED_DOUBLE_URL")
if _URL:
    import discord.gateway
    import discord.http
    import yarl

    discord.http.Route.BASE = f"{_URL}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(_URL.replace("http", "ws", 1) + "/gateway")

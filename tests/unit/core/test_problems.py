"""Member-fixable problems live in a module with no Discord import, and the Discord layer shows them."""

from __future__ import annotations

import subprocess
import sys

from discord import app_commands

from bot.errors import KindredError as ReExported
from bot.errors import KindredRefusal, describe_error
from bot.problems import KindredError


def test_problems_import_no_discord() -> None:
    code = "import sys, bot.problems, bot.timeparse, bot.timezones; print('discord' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_errors_re_exports_the_same_class() -> None:
    assert ReExported is KindredError


def test_a_refusal_is_a_check_failure_with_its_message() -> None:
    refusal = KindredRefusal("Only moderators can do that.")
    assert isinstance(refusal, app_commands.CheckFailure) and isinstance(refusal, KindredError)
    assert describe_error(refusal) == "Only moderators can do that."

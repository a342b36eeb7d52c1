#!/usr/bin/env bash
# Build Kindred's wheel, install it into a fresh venv away from the source tree, and run the bot from there:
# `python -m bot --check` (settings, migrations) and `python -m bot.crisis` (lexicons and the sentence model),
# then confirm every shipped data file (message catalogues included) was found. Proves that `pip install .`, not only `-e`, runs.
# Usage: bash scripts/check_wheel.sh [python]   (default python3; CI passes its venv's python)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${1:-python3}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$PYTHON" -m pip wheel . --no-deps -q -w "$work/wheel"
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$work"/wheel/*.whl
cd "$work"  # only the installed package can be imported from here, never the source tree

DATABASE_PATH="$work/check.db" "$work/venv/bin/python" -m bot --check --env-file /dev/null
printf 'I had a good day at the meeting\n' | "$work/venv/bin/python" -m bot.crisis
"$work/venv/bin/python" - <<'PY'
import bot
from bot.crisis import load_default_detector
from bot.crisis.second_opinion import default_second_opinion
from bot.i18n import CATALOGUES, gettext_for, translations
from bot.resources import load_hotlines

assert "site-packages" in bot.__file__, f"imported from the source tree: {bot.__file__}"
assert default_second_opinion() is not None, "the crisis sentence model's files are missing from the wheel"
assert load_hotlines(), "the hotlines are missing from the wheel"
for line, code in (("quiero morir", "es"), ("quero morrer", "pt"), ("je veux mourir", "fr"), ("ich will sterben", "de")):
    assert load_default_detector().detect(line).language == code, f"the {code} word list is missing from the wheel"
assert all(translations(c).info() for c in CATALOGUES), "a message catalogue is missing from the wheel"
assert gettext_for("es-ES", "off", "command name") == "desactivar", "the Spanish catalogue didn't load"
print(f"Installed wheel OK: shipped data found under {bot.__file__.rsplit('/', 1)[0]}/data")
PY

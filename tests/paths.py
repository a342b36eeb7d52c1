"""Where the tests find the repository and their data, wherever the test file itself sits."""

from __future__ import annotations

from pathlib import Path

__all__ = ["CRISIS_SETS", "REPO_ROOT"]

REPO_ROOT = Path(__file__).resolve().parents[1]
# The hand-labelled crisis message sets (``*.jsonl``) and the write-up of how they were measured.
CRISIS_SETS = REPO_ROOT / "tests" / "data" / "crisis"

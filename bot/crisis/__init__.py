"""Crisis-language detection for Kindred: pure code, no Discord.

>>> from bot.crisis import load_default_detector
>>> load_default_detector().detect("i want to die").level.name
'HIGH'
"""

from __future__ import annotations

from .detector import Detector, load_default_detector
from .models import Category, Detection, Level, Term
from .normalize import normalize

__all__ = ["Category", "Detection", "Detector", "Level", "Term", "load_default_detector", "normalize"]

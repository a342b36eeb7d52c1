"""The files Kindred ships inside its package (``bot/data/``, ``bot/migrations/``), found through :mod:`importlib.resources`.

They travel with the code, so a plain ``pip install .`` (not only an editable install) has its hotlines,
crisis lexicons and models. pip unpacks a wheel into ordinary files, so each resource is a real path that
numpy, onnxruntime and ``open`` can read directly.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["data_path", "package_path"]


def package_path(*parts: str) -> Path:
    """The shipped file or folder ``bot/<parts>``; raises if the package is not installed as files."""
    resource = files("bot").joinpath(*parts)
    if not isinstance(resource, Path):
        raise RuntimeError(f"Kindred's data must be installed as files, not inside an archive: {resource}")
    return resource


def data_path(*parts: str) -> Path:
    """The shipped data file or folder ``bot/data/<parts>`` (hotlines, crisis lexicons and models)."""
    return package_path("data", *parts)

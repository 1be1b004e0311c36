"""Read settings from environment variables, strictly."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured


def envbool(name: str, default: str) -> bool:
    """Return the boolean in *name*; accept only True/False (any case), or 1/0."""
    value = os.environ.get(name, default).strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def envint(name: str, default: str) -> int:
    """Return the integer in *name*."""
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envsecret(name: str, default: str = "") -> str:
    """Return *name*, or the contents of the file named by *name*_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        with open(path, encoding="utf-8") as fp:
            return fp.read().strip()
    return os.environ.get(name, default)

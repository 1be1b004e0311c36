"""The registry of job kinds: name -> function(job_context, **params) -> result dict.

A kind is registered with @job_kind("name") or, for code that may not be installed yet, by
dotted path (register_path), resolved only when a job of that kind runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string


class UnknownJobKind(LookupError):
    pass


@dataclass(frozen=True)
class JobKind:
    name: str
    target: Callable[..., Any] | str
    description: str = ""
    #: Safe to run again from the start when a worker died in the middle.
    retry: bool = True

    def function(self) -> Callable[..., Any]:
        if callable(self.target):
            return self.target
        try:
            return import_string(self.target)
        except ImportError as exc:
            raise UnknownJobKind(
                f"job kind {self.name!r}: cannot import {self.target} ({exc})"
            ) from None


KINDS: dict[str, JobKind] = {}


def register(
    name: str, target: Callable[..., Any] | str, description: str = "", *, retry: bool = True
) -> JobKind:
    kind = JobKind(name, target, description, retry)
    KINDS[name] = kind
    return kind


def job_kind(name: str, description: str = "", *, retry: bool = True) -> Callable[..., Any]:
    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        register(
            name,
            function,
            description or (function.__doc__ or "").strip().split("\n")[0],
            retry=retry,
        )
        return function

    return decorate


def get_kind(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        known = ", ".join(sorted(KINDS)) or "none"
        raise UnknownJobKind(f"unknown job kind {name!r} (known: {known})") from None

"""The dataclasses the analysers take and return (no Django, no database)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecText:
    """One recommendation's text, with the caller's id for it (a row number, a primary key)."""

    id: str
    text: str


@dataclass(frozen=True)
class Labelled:
    """One suggested label: a term of a taxonomy for one recommendation, with why and how sure."""

    id: str
    taxonomy: str
    term: str
    confidence: float
    reason: str = ""


@dataclass(frozen=True)
class Analysis:
    """What `rightstrack analyse` computes for one recommendation (see docs/cli-contract)."""

    action_category: int
    action_verb: str
    concrete_action: bool
    rights_holders_stated: bool
    detail: tuple[str, ...]
    affected_persons: tuple[str, ...]
    themes: tuple[str, ...]
    sdg_goals: tuple[int, ...]
    protection_relevant: bool
    #: Readable reasons, one per finding ("action: rule: starts with 'ratify' -> specific action").
    reasons: tuple[str, ...] = ()
    #: Confidence of the action category (0-1).
    confidence: float = 1.0

"""Domain errors of the review queue and of groups."""

from __future__ import annotations


class ReviewError(Exception):
    """A review decision that cannot be made (e.g. a correction to a term of another taxonomy)."""


class GroupError(Exception):
    """A group operation that cannot be done (e.g. splitting off every member of a group)."""

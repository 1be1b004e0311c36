"""What follow-up services raise; pages and the API turn each into one answer."""

from __future__ import annotations

from typing import Any


class TrackingError(Exception):
    """Base class. The message is a sentence a person can act on."""

    status = 400


class Invalid(TrackingError):
    """Bad input: the message names the field (400)."""

    status = 400

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class NotAllowed(TrackingError):
    """The person may see the object but not do this (403)."""

    status = 403


class NotFound(TrackingError):
    """The object does not exist, or the person may not see it: the same answer (404)."""

    status = 404


class Conflict(TrackingError):
    """Someone changed the object since the person read it (409); `current` is what it is now."""

    status = 409

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.current = current

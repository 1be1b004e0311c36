from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

#: The real public data beside the repository (../shared/data/raw). Tests that use it skip
#: cleanly when it is absent.
SHARED_RAW = (
    Path(os.environ.get("RIGHTSTRACK_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    / "data"
    / "raw"
)


@pytest.fixture
def shared_raw() -> Path:
    if not SHARED_RAW.is_dir():
        pytest.skip("../shared/data/raw is absent")
    return SHARED_RAW


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher() -> None:
    """Hash test passwords with MD5: PBKDF2 costs about a second per persona per test."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends in the default language: a page a test opened in Arabic
    (set_language) must not leave Arabic active for the next test in the same process."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Dashboards cache their series by the latest history event: rolled-back tests reuse ids."""
    from django.core.cache import cache

    cache.clear()

"""The analysers, registered by kind: kind -> (human label, "dotted.path.Class").

Built-ins go through the same door a third party would; the class is imported on first use.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

ANALYSERS: dict[str, tuple[str, str]] = {
    "builtin": (
        "Built-in rules and action-category model",
        "rightstrack.engine.analyse.RuleAnalyser",
    ),
}


@cache
def get_analyser_class(kind: str) -> Any:
    """Return the analyser class registered as *kind* (KeyError naming the known kinds)."""
    if kind not in ANALYSERS:
        raise KeyError(f"unknown analyser {kind!r}; known: {', '.join(sorted(ANALYSERS))}")
    module_name, _, class_name = ANALYSERS[kind][1].rpartition(".")
    return getattr(importlib.import_module(module_name), class_name)

"""Calibrated confidences of the rule-based suggestions (groups of persons, themes, SDG goals).

Each rule names one label (a group of persons, a theme, an SDG goal); its confidence is the
share of its suggestions that OHCHR's own coders also gave, measured on labelled matrices by
`bench/calibrate_rules.py` and stored in `calibration.json` beside this module (data written by
that script, not typed by hand). A label seen rarely is pulled towards the precision of its whole
taxonomy, (right + w x pooled) / (suggested + w), so three lucky hits do not read as certainty
(w per taxonomy, chosen by the script on the matrices); a label never suggested on the labelled
data gets the pooled precision.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("calibration.json")
FORMAT = "rightstrack-rule-calibration"
#: Used when the data file names no figure for a taxonomy at all (never for a shipped one).
UNKNOWN = 0.5


@cache
def load_calibration(path: str | None = None) -> dict[str, Any]:
    """Return the calibration table (the shipped one unless *path* is given)."""
    from rightstrack.formats.exceptions import InputError

    source = Path(path) if path else DATA
    try:
        payload = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{source}: cannot read the rule calibration ({exc})") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise InputError(f"{source}: not a rightstrack rule calibration")
    return payload


def estimate(right: int, suggested: int, pooled: float, weight: float) -> float:
    """Return a label's confidence: its precision shrunk towards *pooled* by *weight* pseudo
    suggestions."""
    return (right + weight * pooled) / (suggested + weight)


def confidence(taxonomy: str, label: str, table: dict[str, Any] | None = None) -> float:
    """Return the calibrated confidence of a rule suggesting *label* in *taxonomy* (a slug:
    groups_of_persons, uhri_themes, sdg_goals)."""
    table = table if table is not None else load_calibration()
    entry = table["taxonomies"].get(taxonomy)
    if entry is None:
        return UNKNOWN
    figures = entry["labels"].get(str(label))
    if figures is None:
        return round(float(entry["pooled"]), 3)
    return round(
        estimate(figures["right"], figures["suggested"], entry["pooled"], entry["weight"]), 3
    )

"""The one registry of importers and exporters.

Built-ins are registered here by dotted path, the same way a third party's would be, and
imported on first use: a missing optional dependency breaks only its own kind.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from typing import Any

from rightstrack.formats.exceptions import InputError

#: kind -> (human label, "dotted.path.Class")
IMPORTERS: dict[str, tuple[str, str]] = {
    "uhri": ("UHRI export (XLSX, CSV)", "rightstrack.formats.importers.uhri.UhriImporter"),
    "ohchr-matrix": (
        "OHCHR UPR matrix / thematic list (DOCX)",
        "rightstrack.formats.importers.ohchr_matrix.OhchrMatrixImporter",
    ),
    "upr-info": ("UPR Info export (CSV)", "rightstrack.formats.importers.upr_info.UprInfoImporter"),
    "generic": (
        "Generic table with a column mapping (CSV, XLSX)",
        "rightstrack.formats.importers.generic.GenericImporter",
    ),
    "rightstrack": (
        "rightstrack list or matrix export (CSV, XLSX)",
        "rightstrack.formats.importers.generic.RightstrackImporter",
    ),
    "un-document": (
        "UN document: concluding observations, UPR report and addendum, special procedures "
        "report (PDF, DOCX, TXT, HTML)",
        "rightstrack.formats.importers.document.DocumentImporter",
    ),
}

#: kind -> (human label, "dotted.path.Class"): `rightstrack export KIND`.
EXPORTERS: dict[str, tuple[str, str]] = {
    "matrix": (
        "OHCHR-style matrix grouped by theme, with positions and status (XLSX, DOCX, CSV)",
        "rightstrack.formats.exporters.matrix.MatrixExporter",
    ),
    "midterm-report": (
        "UPR mid-term report draft for one State (DOCX, PDF)",
        "rightstrack.formats.exporters.document.MidtermReportExporter",
    ),
    "followup-report": (
        "Treaty body follow-up report draft (DOCX, PDF)",
        "rightstrack.formats.exporters.document.FollowupReportExporter",
    ),
    "cluster-brief": (
        "Protection cluster brief for one State (DOCX, PDF)",
        "rightstrack.formats.exporters.document.ClusterBriefExporter",
    ),
    "action-plan": (
        "National human rights action plan (DOCX, PDF, XLSX)",
        "rightstrack.formats.exporters.document.ActionPlanExporter",
    ),
    "exercise-pack": (
        "The comparison exercise and its answer key for one State (DOCX, PDF)",
        "rightstrack.formats.exporters.document.ExercisePackExporter",
    ),
    "list": (
        "The plain list, every stored field (CSV, JSON, XLSX)",
        "rightstrack.formats.exporters.table.ListExporter",
    ),
}


@cache
def _load(dotted: str) -> Any:
    module_name, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def get_importer(kind: str) -> Any:
    """Return an instance of the importer registered as *kind*; InputError if unknown."""
    try:
        _label, dotted = IMPORTERS[kind]
    except KeyError:
        raise InputError(
            f"unknown import kind {kind!r}; known kinds: {', '.join(sorted(IMPORTERS))}"
        ) from None
    return _load(dotted)()


def get_exporter(kind: str) -> Any:
    """Return an instance of the exporter registered as *kind*; InputError if unknown."""
    try:
        _label, dotted = EXPORTERS[kind]
    except KeyError:
        raise InputError(
            f"unknown export kind {kind!r}; known kinds: {', '.join(EXPORTERS)}"
        ) from None
    return _load(dotted)()


def guess_importer_kind(path: str | Path) -> str:
    """Return the kind whose importer best recognises the file at *path*.

    Each importer's `sniff(path) -> int` scores how sure it is (0 = not mine); the highest
    wins. InputError when none claims the file.
    """
    from rightstrack.formats.safety import check_input_file

    path = check_input_file(path, encoding="given")  # the encoding is checked by the reader
    best, best_score = "", 0
    for kind in IMPORTERS:
        try:
            importer = get_importer(kind)
        except ImportError:
            continue
        score = importer.sniff(path)
        if score > best_score:
            best, best_score = kind, score
    if not best:
        raise InputError(
            f"{path}: cannot tell what kind of file this is; give --kind "
            f"({', '.join(sorted(IMPORTERS))})"
        )
    return best

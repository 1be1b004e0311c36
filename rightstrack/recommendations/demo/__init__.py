"""Demo data written by the rightstrack authors: recommendations to a fictional State.

`arcadia.csv` follows the columns of the rightstrack list (see docs/importers.md), plus
`document_date`, `session`, `cycle` and `heading`. Every document symbol starts with "DEMO-"
so that demo recommendations can never collide with real UN documents imported beside them.
The State is the "Republic of Arcadia (fictional)", with the user-assigned code XAR.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rightstrack.formats.records import (
    GROUPS_OF_PERSONS,
    SDG_TARGETS,
    THEMES,
    LabelIn,
    RecordIn,
)
from rightstrack.formats.tables import read_table

DEMO_DIR = Path(__file__).resolve().parent
DEMO_FILE = DEMO_DIR / "arcadia.csv"

COUNTRY_CODE = "XAR"
COUNTRY_NAME = "Republic of Arcadia (fictional)"

#: Recommendations that ask for the same thing across cycles and mechanisms, as a person
#: would confirm them: (title, [(document symbol, paragraph), ...]).
GROUPS = [
    (
        "Adopt a law on internally displaced persons",
        [
            ("DEMO-A/HRC/42/11", "128.7"),
            ("DEMO-A/HRC/58/9", "115.6"),
            ("DEMO-A/HRC/53/35/Add.3", "78(a)"),
        ],
    ),
    (
        "Ratify the Convention on Enforced Disappearance",
        [("DEMO-A/HRC/42/11", "128.1"), ("DEMO-A/HRC/58/9", "115.1")],
    ),
    (
        "Minimum age of marriage of 18 years",
        [
            ("DEMO-A/HRC/42/11", "128.13"),
            ("DEMO-A/HRC/58/9", "115.15"),
            ("DEMO-CEDAW/C/XAR/CO/8", "20"),
        ],
    ),
    (
        "Civil documentation and birth registration for displaced persons",
        [
            ("DEMO-A/HRC/42/11", "128.20"),
            ("DEMO-A/HRC/58/9", "115.21"),
            ("DEMO-A/HRC/53/35/Add.3", "78(c)"),
        ],
    ),
]

_LABEL_COLUMNS = (
    ("themes", THEMES),
    ("affected_persons", GROUPS_OF_PERSONS),
    ("sdg_targets", SDG_TARGETS),
)


def read_records(path: Path = DEMO_FILE) -> list[RecordIn]:
    """Return the demo recommendations in *path* as records for the import service."""
    from rightstrack.engine.countries import resolve

    records = []
    for number, row in enumerate(read_table(path).rows, start=2):
        states = []
        for name in _split(row["recommending_states"]):
            country = resolve(name)
            if country is None:
                raise ValueError(f"{path}: row {number}: unknown recommending State {name!r}")
            states.append(country.code)
        labels = tuple(
            LabelIn(slug, term, origin=row["document_symbol"])
            for column, slug in _LABEL_COLUMNS
            for term in _split(row[column])
        )
        records.append(
            RecordIn(
                text=row["text"],
                mechanism=row["mechanism"],
                body=row["body"],
                country=COUNTRY_CODE,
                document_symbol=row["document_symbol"],
                document_date=date.fromisoformat(row["document_date"])
                if row["document_date"]
                else None,
                paragraph=row["paragraph"],
                session=row["session"],
                cycle=int(row["cycle"]) if row["cycle"] else None,
                recommending_states=tuple(states),
                position=row["position"],
                position_source=row["position_source"],
                heading=row["heading"],
                follow_up=row["follow_up"] == "true",
                follow_up_due=row["follow_up_due"],
                labels=labels,
                source_file=path.name,
                source_row=number,
            )
        )
    return records


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]

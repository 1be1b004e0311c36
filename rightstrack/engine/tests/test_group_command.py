from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rightstrack.cli import main
from rightstrack.engine.tests.test_group import CORPUS


@pytest.fixture
def recommendations(tmp_path: Path) -> Path:
    path = tmp_path / "recommendations.csv"
    # CR line endings, as some exports have.
    with path.open("w", encoding="utf-8", newline="") as fp:
        csv.writer(fp, lineterminator="\r").writerows(
            [["Symbol", "Text"], *[[i, text] for i, text in CORPUS]]
        )
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fp:
        return list(csv.DictReader(fp))


def test_it_adds_group_columns(recommendations: Path, tmp_path: Path) -> None:
    output = tmp_path / "grouped.csv"

    status = main(["group", str(recommendations), "-o", str(output)])

    assert status == 0
    rows = read(output)
    assert list(rows[0]) == [
        "Symbol",
        "Text",
        "group_id",
        "group_similarity",
        "group_key_phrases",
        "group_size",
    ]
    by_symbol = {r["Symbol"]: r for r in rows}
    assert by_symbol["upr-1"]["group_id"] == by_symbol["cedaw-12"]["group_id"]
    assert by_symbol["upr-3"]["group_id"] == by_symbol["upr-4"]["group_id"]
    assert by_symbol["upr-1"]["group_id"] != by_symbol["upr-3"]["group_id"]
    assert by_symbol["upr-2"]["group_size"] == "1"
    assert by_symbol["upr-2"]["group_similarity"] == ""
    assert 0.5 <= float(by_symbol["upr-3"]["group_similarity"]) <= 1
    assert "death penalty" in by_symbol["upr-3"]["group_key_phrases"].split("; ")
    assert [r["Symbol"] for r in rows] == [i for i, _ in CORPUS]


def test_it_writes_the_same_output_twice(recommendations: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"

    main(["group", str(recommendations), "-o", str(first)])
    main(["group", str(recommendations), "-o", str(second)])

    assert first.read_bytes() == second.read_bytes()


def test_it_groups_more_with_a_lower_threshold(recommendations: Path, tmp_path: Path) -> None:
    strict, loose = tmp_path / "strict.csv", tmp_path / "loose.csv"

    main(["group", str(recommendations), "-o", str(strict), "--threshold", "0.9"])
    main(["group", str(recommendations), "-o", str(loose), "--threshold", "0.3"])

    assert {r["group_size"] for r in read(strict)} == {"1"}
    assert len({r["group_id"] for r in read(loose)}) < len({r["group_id"] for r in read(strict)})


def test_it_names_a_missing_text_column(
    recommendations: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "grouped.csv"

    status = main(["group", str(recommendations), "-o", str(output), "--text-column", "Body"])

    assert status == 2
    assert "no column 'Body'" in capsys.readouterr().err
    assert not output.exists()


def test_it_rejects_a_bad_threshold(
    recommendations: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        ["group", str(recommendations), "-o", str(tmp_path / "x.csv"), "--threshold", "0"]
    )

    assert status == 2
    assert "threshold" in capsys.readouterr().err

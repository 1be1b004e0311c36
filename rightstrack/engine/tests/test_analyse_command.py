from __future__ import annotations

import csv
from pathlib import Path

from rightstrack.cli import main
from rightstrack.engine.commands.analyse import ANALYSIS_COLUMNS


def write_input(path: Path) -> None:
    path.write_text(
        "Symbol,Recommendation,Notes\r\n"
        'CRPD/C/XXX/CO/1,"The Committee recommends that the State party: (a) Adopt a law on '
        'accessibility by 2026",keep me\r\n'
        "A/HRC/1/1,Continue its efforts to protect refugees,\r\n",
        encoding="utf-8",
    )


def test_it_keeps_input_columns_and_adds_the_contract_columns(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    write_input(source)
    assert main(["analyse", str(source), "-o", str(target), "--text-column", "Recommendation"]) == 0
    with target.open(encoding="utf-8", newline="") as fp:
        rows = list(csv.DictReader(fp))
        header = list(rows[0].keys())
    assert header[:3] == ["Symbol", "Recommendation", "Notes"]
    assert header[3 : 3 + len(ANALYSIS_COLUMNS)] == ANALYSIS_COLUMNS
    assert rows[0]["Notes"] == "keep me"
    assert rows[0]["action_category"] == "5"
    assert rows[0]["action_verb"] == "adopt a law"
    assert rows[0]["detail"] == "timeline"
    assert rows[1]["action_category"] == "2"
    assert rows[1]["protection_relevant"] == "true"
    assert "analysed 2 recommendations" in capsys.readouterr().out


def test_it_exits_2_naming_a_missing_text_column(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    write_input(source)
    assert main(["analyse", str(source), "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "'Text'" in err and "in.csv" in err
    assert not target.exists()


def test_it_exits_2_on_a_missing_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["analyse", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "out.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_it_fills_only_the_empty_cells_of_an_existing_analysis_column(tmp_path: Path) -> None:
    source = tmp_path / "extracted.csv"
    source.write_text(
        "paragraph,text,affected_persons\n"
        "1,Adopt a law on the rights of internally displaced persons,\n"
        "2,Guarantee the right to education of children with disabilities,Children\n",
        encoding="utf-8",
    )
    output = tmp_path / "analysed.csv"

    status = main(["analyse", str(source), "-o", str(output), "--text-column", "text"])

    assert status == 0
    with output.open(encoding="utf-8", newline="") as fp:
        reader = csv.DictReader(fp)
        rows = list(reader)
        columns = reader.fieldnames or []
    assert columns.count("affected_persons") == 1
    assert "Internally displaced persons" in rows[0]["affected_persons"]
    assert rows[1]["affected_persons"] == "Children"


def test_a_states_vocabulary_adds_its_own_words(tmp_path: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(
        "Text\r\nAdopt a law allowing all erased persons to regularize their situation\r\n",
        encoding="utf-8",
    )
    vocabulary = tmp_path / "vocabulary.csv"
    vocabulary.write_text("group,words\nStateless persons,erased persons|erasure\n", "utf-8")

    assert main(["analyse", str(source), "-o", str(target)]) == 0
    with target.open(encoding="utf-8", newline="") as fp:
        without = next(csv.DictReader(fp))
    assert main(["analyse", str(source), "-o", str(target), "--vocabulary", str(vocabulary)]) == 0
    with target.open(encoding="utf-8", newline="") as fp:
        with_words = next(csv.DictReader(fp))

    assert "Stateless persons" not in without["affected_persons"]
    assert "Stateless persons" in with_words["affected_persons"]
    assert with_words["protection_relevant"] == "true"
    assert "your vocabulary" in with_words["reasons"]


def test_a_bad_vocabulary_exits_2_naming_the_file_row_and_field(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    write_input(source)
    vocabulary = tmp_path / "vocabulary.csv"
    vocabulary.write_text("Stateless persons,erased persons\nThe erased,erased\n", "utf-8")

    assert main(["analyse", str(source), "-o", str(target), "--vocabulary", str(vocabulary)]) == 2
    err = capsys.readouterr().err
    assert "vocabulary.csv: row 2, field group: 'The erased'" in err
    assert main(["analyse", str(source), "-o", str(target), "--vocabulary", "nowhere.csv"]) == 2
    assert "nowhere.csv: no such vocabulary file" in capsys.readouterr().err

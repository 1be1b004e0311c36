"""One recommendation is one record, and a re-import never loses or downgrades (issue 11 §0).

On the real Slovenia files of ../shared/data (skipped when absent).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from rightstrack.conftest import SHARED_RAW
from rightstrack.formats.importers.common import decode_file
from rightstrack.recommendations import services
from rightstrack.recommendations.models import (
    Label,
    Recommendation,
    RecommendationSource,
    Review,
    Term,
)

SLOVENIA = SHARED_RAW / "upr-slovenia-docs"
REPORT4 = SLOVENIA / "wg-reports" / "A_HRC_59_15_cycle4.pdf"
ADDENDUM4 = SLOVENIA / "addenda-responses" / "A_HRC_59_15_Add1_cycle4.pdf"
MATRIX4 = SLOVENIA / "thematic-lists" / "cycle4_UPR48_Slovenia_thematic_list.docx"
MATRIX3 = SLOVENIA / "thematic-lists" / "cycle3_UPR34_Slovenia_thematic_list.docx"
REPORT3 = SLOVENIA / "wg-reports" / "A_HRC_43_15_cycle3.pdf"
REPORT1 = SLOVENIA / "wg-reports" / "A_HRC_14_15_cycle1.pdf"
UPR_INFO_6_9 = SHARED_RAW / "upr-info-terman" / "upr-info-export-sessions1-20" / "6-9.csv"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.django_db,
    pytest.mark.skipif(not SLOVENIA.is_dir(), reason="../shared/data/raw is absent"),
]


def positions() -> Counter[str]:
    return Counter(Recommendation.objects.values_list("position", flat=True))


def test_report_addendum_report_keeps_the_positions_and_says_nothing_changed() -> None:
    first = services.import_file(REPORT4, analyse=False)
    assert (first.created, first.updated) == (254, 0)
    assert positions() == {"": 254}

    addendum = services.import_file(ADDENDUM4, analyse=False)
    assert addendum.updated == 254
    after_addendum = positions()
    assert after_addendum[""] == 0 and after_addendum["supported"] > 200

    again = services.import_file(REPORT4, analyse=False)
    assert again.summary().startswith("imported 0 new, 0 updated, 254 unchanged")
    assert positions() == after_addendum
    rec = Recommendation.objects.get(paragraph="140.6")
    assert rec.position_source.startswith("A/HRC/59/15/Add.1")
    # Where each value came from: the text from the report, the position from the addendum.
    assert rec.provenance["text"] == "un-document"
    assert rec.provenance["position"] == "un-document"
    assert Recommendation.objects.count() == 254


def test_the_matrix_and_the_report_are_one_record_with_two_sources_and_keep_labels() -> None:
    matrix = services.import_file(MATRIX4, analyse=False)
    assert matrix.created == 254
    rec = Recommendation.objects.get(paragraph="140.6")
    matrix_labels = set(rec.labels.filter(source="document").values_list("term_id", flat=True))
    assert matrix_labels
    health = Term.objects.get(taxonomy__slug="uhri_themes", name="Right to health")
    Label.objects.create(recommendation=rec, term=health, source="person")

    report = services.import_file(REPORT4)  # with the analysis: suggestions only
    assert report.created == 0
    assert Recommendation.objects.count() == 254
    rec.refresh_from_db()
    assert rec.session == "48"
    assert Review.objects.filter(country__code="SVN").count() == 1
    assert sorted(rec.sources.values_list("kind", flat=True)) == ["ohchr-matrix", "un-document"]
    # The matrix's position (with its source) and labels stay; the person's label stays; the
    # classifier adds suggestions at most, never replacing them.
    assert rec.position == "noted"
    assert rec.position_source == "A/HRC/59/15/Add.1 - Para.5"
    assert rec.provenance["position"] == "ohchr-matrix"
    assert matrix_labels <= set(
        rec.labels.filter(source="document").values_list("term_id", flat=True)
    )
    assert rec.labels.filter(source="person", term=health).exists()
    assert not rec.labels.filter(source="classifier", review_state="accepted").exists()

    again = services.import_file(MATRIX4, analyse=False)
    assert (again.created, again.updated) == (0, 0)
    again = services.import_file(REPORT4, analyse=False)
    assert (again.created, again.updated) == (0, 0)
    assert RecommendationSource.objects.count() == 2 * 254


def test_a_uhri_row_joins_the_report_paragraph_on_document_and_paragraph(tmp_path: Path) -> None:
    services.import_file(REPORT4, analyse=False)
    rec = Recommendation.objects.get(paragraph="140.6")
    export = tmp_path / "uhri.csv"
    with export.open("w", newline="", encoding="utf-8") as fp:
        writer = csv.writer(fp)
        writer.writerow(
            ["OHCHR Annotation Id", "Text", "Reccomending Body", "Document Symbol",
             "Countries Concerned", "UPR Session", "UPR Position", "Themes"]
        )  # fmt: skip
        writer.writerow(
            ["uhri-1", f"140.6 {rec.text}", "UPR", "A/HRC/59/15", "- Slovenia", "48",
             "Noted", "- Migrants"]
        )  # fmt: skip

    result = services.import_file(export, kind="uhri", analyse=False)

    assert (result.created, result.updated) == (0, 1)
    rec.refresh_from_db()
    assert rec.position == "noted" and rec.provenance["position"] == "uhri"
    assert rec.provenance["text"] == "un-document"
    assert set(rec.sources.values_list("kind", "external_id")) == {
        ("un-document", ""),
        ("uhri", "uhri-1"),
    }


def slovenia_upr_info(tmp_path: Path) -> Path:
    """The Slovenia rows of UPR Info's sessions 6-9 export (first cycle, session 7)."""
    text = decode_file(UPR_INFO_6_9.read_bytes(), UPR_INFO_6_9)
    rows = list(csv.reader(text.splitlines()))
    out = tmp_path / "upr-info-slovenia.csv"
    with out.open("w", newline="", encoding="utf-8") as fp:
        csv.writer(fp).writerows([rows[0], *(r for r in rows[1:] if r and r[0] == "Slovenia")])
    return out


@pytest.mark.skipif(not UPR_INFO_6_9.is_file(), reason="UPR Info export absent")
@pytest.mark.parametrize("report_first", [True, False])
def test_upr_info_rows_and_the_report_give_one_record_per_paragraph(
    tmp_path: Path, report_first: bool
) -> None:
    upr_info = slovenia_upr_info(tmp_path)
    order = [REPORT1, upr_info] if report_first else [upr_info, REPORT1]
    for path in order:
        services.import_file(path, analyse=False)

    assert Recommendation.objects.count() == 97
    assert Recommendation.objects.exclude(paragraph="").count() == 97
    assert set(Recommendation.objects.values_list("session", flat=True)) == {"7"}
    assert Review.objects.filter(country__code="SVN").count() == 1
    kinds = Counter(RecommendationSource.objects.values_list("kind", flat=True))
    assert kinds["un-document"] == 97 and kinds["upr-info"] >= 100
    # A joint recommendation printed once in the report, once per co-sponsor in UPR Info.
    joint = Recommendation.objects.get(paragraph="111.1")
    assert joint.sources.filter(kind="upr-info").count() >= 4
    assert {"DZA", "EGY", "BIH", "ARG"} <= set(
        joint.recommending_states.values_list("code", flat=True)
    )
    assert joint.text.startswith("To examine the possibility of joining")
    # UPR Info's own labels (issues, action categories) are kept on the one record.
    assert joint.labels.filter(term__taxonomy__slug="upr_info_issues").exists()

    again = services.import_file(order[-1], analyse=False)
    assert (again.created, again.updated) == (0, 0)

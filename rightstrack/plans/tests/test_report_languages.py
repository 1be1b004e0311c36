"""Reports of recommendations in Arabic run right to left (dir="rtl" for WeasyPrint, w:bidi
and w:rtl in DOCX) and keep their words; French and Spanish accents survive PDF and DOCX."""

from __future__ import annotations

import io
import unicodedata

import docx
import pypdf
from django.utils import translation
from docx.oxml.ns import qn

from rightstrack.plans import exports
from rightstrack.test import BaseTestCase, make_body, make_country, make_recommendation

ARABIC = (
    "صادقي على الاتفاقية الدولية لحماية حقوق جميع العمال المهاجرين وأفراد أسرهم",
    "اعتماد قانون شامل لمكافحة التمييز ضد المرأة",
)
FRENCH = "Ratifier la Convention relative au statut des apatrides et élaborer un plan d'égalité"
SPANISH = "Garantizar el acceso de las niñas y adolescentes a la educación en zonas rurales"


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def pdf_text(content: bytes) -> str:
    return _nfkc("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages))


def docx_paragraphs(content: bytes) -> list:
    document = docx.Document(io.BytesIO(content))
    found = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found.extend(cell.paragraphs)
    return found


def is_bidi(paragraph) -> bool:
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(qn("w:bidi")) is not None


class ReportLanguageTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        upr = make_body("UPR", "upr", "Universal Periodic Review")
        self.arabic_state = make_country("ZZD", "Dardania")
        for n, text in enumerate(ARABIC, start=1):
            make_recommendation(
                country=self.arabic_state,
                body=upr,
                paragraph=f"120.{n}",
                cycle=4,
                session="47",
                language="ar",
                text=text,
                position="supported",
                recommending_states=("FRA",),
            )
        self.latin_state = make_country("ZZE", "Esperia")
        for n, (text, language) in enumerate(((FRENCH, "fr"), (SPANISH, "es")), start=1):
            make_recommendation(
                country=self.latin_state,
                body=upr,
                paragraph=f"130.{n}",
                cycle=4,
                language=language,
                text=text,
            )

    def test_a_report_of_arabic_recommendations_runs_right_to_left_in_pdf_and_docx(self) -> None:
        _data, options, _rows, _stem = exports.build(
            "midterm-report", self.alice, fmt="pdf", filters={"country": ["ZZD"]}
        )
        html = options["html"]
        self.assertIn('<html lang="ar" dir="rtl">', html)
        # The headings of the (English) page read left to right inside the RTL page.
        self.assertIn('<h2 dir="ltr">I. Introduction and methodology</h2>', html)
        self.assertIn(f"<td>{ARABIC[1]}</td>", html)

        pdf = exports.export("midterm-report", self.alice, fmt="pdf", filters={"country": ["ZZD"]})
        text = pdf_text(pdf.content)
        for words in (ARABIC[1], "الاتفاقية الدولية لحماية حقوق"):
            self.assertIn(_nfkc(words), text)
        self.assertIn("Mid-term report of Dardania", text)

        document = exports.export(
            "midterm-report", self.alice, fmt="docx", filters={"country": ["ZZD"]}
        )
        paragraphs = docx_paragraphs(document.content)
        arabic = [p for p in paragraphs if "المرأة" in p.text]
        self.assertTrue(arabic)
        for paragraph in arabic:
            self.assertTrue(is_bidi(paragraph), paragraph.text)
            self.assertTrue(all(r._r.rPr.find(qn("w:rtl")) is not None for r in paragraph.runs))
        title = next(p for p in paragraphs if p.text.startswith("Mid-term report of Dardania"))
        self.assertFalse(is_bidi(title))  # a left-to-right line in the right-to-left report

    def test_an_arabic_recommendation_in_a_left_to_right_report_runs_right_to_left(self) -> None:
        make_recommendation(
            country=self.latin_state,
            body=make_body("UPR"),
            paragraph="130.3",
            cycle=4,
            language="ar",
            text=ARABIC[1],
        )
        _data, options, _rows, _stem = exports.build(
            "midterm-report", self.alice, fmt="pdf", filters={"country": ["ZZE"]}
        )
        self.assertIn('dir="ltr">', options["html"][:200])
        self.assertIn(f'<td dir="rtl">{ARABIC[1]}</td>', options["html"])
        document = exports.export(
            "midterm-report", self.alice, fmt="docx", filters={"country": ["ZZE"]}
        )
        by_text = {p.text: p for p in docx_paragraphs(document.content)}
        self.assertTrue(is_bidi(by_text[ARABIC[1]]))
        self.assertFalse(is_bidi(by_text[FRENCH]))

    def test_french_and_spanish_accents_survive_pdf_and_docx(self) -> None:
        with translation.override("fr"):
            _data, options, _rows, _stem = exports.build(
                "midterm-report", self.alice, fmt="pdf", filters={"country": ["ZZE"]}
            )
            pdf = exports.export(
                "midterm-report", self.alice, fmt="pdf", filters={"country": ["ZZE"]}
            )
            document = exports.export(
                "midterm-report", self.alice, fmt="docx", filters={"country": ["ZZE"]}
            )
        self.assertIn('<html lang="fr" dir="ltr">', options["html"])
        text = pdf_text(pdf.content)
        words = " ".join(p.text for p in docx_paragraphs(document.content))
        for phrase in ("statut des apatrides et élaborer un plan d'égalité", "niñas", "educación"):
            self.assertIn(phrase, " ".join(text.split()))
            self.assertIn(phrase, words)
        self.assertFalse(any(is_bidi(p) for p in docx_paragraphs(document.content)))

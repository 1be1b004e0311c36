"""The French, Spanish and Arabic catalogues: complete, compiled, faithful to their msgids and in
sync with the sources; pages and reminder mails come out in each language (docs/translations.md).
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import re
import shutil
import subprocess
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from rightstrack.accounts.models import Profile
from rightstrack.deadlines.models import ReminderSent
from rightstrack.deadlines.reminders import send_reminders
from rightstrack.test import FollowUpTestCase
from rightstrack.tracking import services as tracking

PACKAGE = Path(__file__).resolve().parent.parent
LOCALE = PACKAGE / "locale"
LANGUAGES = ("fr", "es", "ar")
PLURALS = {"fr": 2, "es": 2, "ar": 6}


# -- a small reader of .po files (the project has no gettext library as a dependency) --------


def _unquote(line: str, where: str) -> str:
    try:
        value = ast.literal_eval(line)
    except (ValueError, SyntaxError) as exc:
        raise AssertionError(f"{where}: not a quoted string: {line!r}") from exc
    assert isinstance(value, str), f"{where}: not a quoted string: {line!r}"
    return value


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr {index: text}, flags, line."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path}:{number}"
        line = raw.strip()
        if not line:
            entry = field = None
            continue
        if entry is None:
            entry = {"ctxt": None, "id": None, "plural": None, "str": {}, "flags": set()}
            entry["line"] = number
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#~"):
            entry["flags"].add("obsolete")
            continue
        if line.startswith("#"):
            continue
        m = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if m:
            keyword, index, text = m.group(1), m.group(2), _unquote(m.group(3), where)
            if keyword.startswith("msgstr"):
                field = ("str", int(index or 0))
                entry["str"][field[1]] = text
            else:
                field = ({"msgctxt": "ctxt", "msgid": "id", "msgid_plural": "plural"}[keyword],)
                entry[field[0]] = text
            continue
        assert line.startswith('"') and field, f"{where}: unexpected line {raw!r}"
        if field[0] == "str":
            entry["str"][field[1]] += _unquote(line, where)
        else:
            entry[field[0]] += _unquote(line, where)
    return entries


def catalogue(language: str) -> tuple[dict, list[dict]]:
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"no catalogue for {language}: {path}"
    entries = read_po(path)
    header = entries[0]
    assert header["id"] == "", f"{path}: the first entry is not the header"
    fields = dict(line.split(": ", 1) for line in header["str"][0].splitlines() if ": " in line)
    return fields, [e for e in entries[1:] if "obsolete" not in e["flags"]]


def describe(language: str, entry: dict) -> str:
    return f"{language} django.po line {entry['line']}: msgid {entry['id']!r}"


# -- catalogues --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_names_the_language_its_plural_forms_and_asks_for_review(language):
    fields, _ = catalogue(language)
    assert fields["Language"] == language
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    nplurals = re.search(r"nplurals=(\d+);", fields["Plural-Forms"])
    assert nplurals and int(nplurals.group(1)) == PLURALS[language], fields["Plural-Forms"]
    if language == "ar":
        # The standard gettext rule for Arabic: zero, one, two, few, many, other.
        rule = gettext.c2py(fields["Plural-Forms"].split("plural=", 1)[1].rstrip(";"))
        assert [rule(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111)] == [
            0,
            1,
            2,
            3,
            3,
            4,
            4,
            5,
            5,
            3,
            4,
        ]
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "Translated by the rightstrack team; review by native speakers welcome" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_without_fuzzy_entries(language):
    _, entries = catalogue(language)
    assert len(entries) > 800, f"{language}: only {len(entries)} msgids"
    fuzzy = [describe(language, e) for e in entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"{language} has {len(fuzzy)} fuzzy entries: {fuzzy[:5]}"
    untranslated = []
    for e in entries:
        forms = PLURALS[language] if e["plural"] is not None else 1
        if sorted(e["str"]) != list(range(forms)) or not all(e["str"].values()):
            untranslated.append(describe(language, e))
    assert not untranslated, (
        f"{language} is not complete: {len(untranslated)} of {len(entries)} msgids untranslated,"
        f" e.g. {untranslated[:5]}"
    )


PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%[sdifr]|\{\{.*?\}\}|%%")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def tags(text: str) -> Counter:
    return Counter(m.group(0) if "%(" in m.group(0) else m.group(1) for m in TAG.finditer(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_its_placeholders_and_markup(language):
    _, entries = catalogue(language)
    wrong = []
    for e in entries:
        if e["plural"] is None:
            if placeholders(e["str"][0]) != placeholders(e["id"]):
                wrong.append(f"{describe(language, e)} -> {e['str'][0]!r}")
            if tags(e["str"][0]) != tags(e["id"]):
                wrong.append(f"{describe(language, e)}: markup differs -> {e['str'][0]!r}")
            continue
        # A plural form may drop what only one of the English forms has (e.g. the count in
        # "Assign this result"), never keep what neither has nor drop what both have.
        one, many = placeholders(e["id"]), placeholders(e["plural"])
        for index, text in e["str"].items():
            found = placeholders(text)
            if not (set(one) & set(many)) <= set(found) <= set(one) | set(many):
                wrong.append(f"{describe(language, e)} msgstr[{index}] -> {text!r}")
            if tags(text) not in (tags(e["id"]), tags(e["plural"])):
                wrong.append(f"{describe(language, e)} msgstr[{index}]: markup differs")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_yesno_arguments_keep_their_comma_separated_shape(language):
    _, entries = catalogue(language)
    for e in entries:
        if e["id"] in ("yes,no", "required,not required"):
            assert e["str"][0].count(",") == 1 and all(e["str"][0].split(",")), describe(
                language, e
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_file_is_the_compiled_catalogue(language):
    """The .mo is what Django reads at run time; it must hold exactly what the .po says."""
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    _, entries = catalogue(language)
    stale = []
    for e in entries:
        key = e["id"] if e["ctxt"] is None else f"{e['ctxt']}\x04{e['id']}"
        if e["plural"] is None:
            if compiled._catalog.get(key) != e["str"][0]:
                stale.append(describe(language, e))
        else:
            for index, text in e["str"].items():
                if compiled._catalog.get((key, index)) != text:
                    stale.append(f"{describe(language, e)} [{index}]")
    assert not stale, f"{mo} is older than its .po (run `make messages`): {stale[:5]}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_checks_the_catalogue(language, tmp_path):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "untranslated" not in done.stderr and "fuzzy" not in done.stderr, done.stderr


def _copy_sources(destination: Path) -> None:
    """The files `make messages` reads: the package's .py, .html and .txt, without tests,
    fixtures and test helpers (the same --ignore list as the Makefile)."""
    for path in PACKAGE.rglob("*"):
        relative = path.relative_to(PACKAGE)
        parts = relative.parts
        if path.is_dir() or path.suffix not in (".py", ".html", ".txt"):
            continue
        if {"tests", "fixtures", "locale", "__pycache__"} & set(parts[:-1]):
            continue
        if relative.as_posix() in ("test.py", "conftest.py"):
            continue
        target = destination / "rightstrack" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_catalogues_are_in_sync_with_the_sources(tmp_path, monkeypatch):
    """A fresh extraction into a temporary directory finds exactly the committed msgids."""
    _copy_sources(tmp_path)
    locale = tmp_path / "rightstrack" / "locale"
    locale.mkdir()
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command("makemessages", locale=["fr"], no_obsolete=True, verbosity=0)
    fresh = read_po(locale / "fr" / "LC_MESSAGES" / "django.po")[1:]
    wanted = {(e["ctxt"], e["id"], e["plural"]) for e in fresh}
    assert len(wanted) > 800
    for language in LANGUAGES:
        _, entries = catalogue(language)
        have = {(e["ctxt"], e["id"], e["plural"]) for e in entries}
        missing = sorted(wanted - have, key=str)
        stale = sorted(have - wanted, key=str)
        assert not missing, f"{language}: {len(missing)} msgids not in django.po: {missing[:5]}"
        assert not stale, f"{language}: {len(stale)} msgids no longer in the sources: {stale[:5]}"


def test_a_wheel_carries_the_compiled_catalogues():
    """pip installs without gettext, so the .mo files must be package data."""
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    assert "*.mo" in patterns and "*.po" in patterns


def _translated_at_import(path: Path) -> list[str]:
    """Calls of gettext/ngettext (not the lazy ones) outside any function: they run once, at
    import, in English, so the string never follows the page's language."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    eager = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in ("gettext", "ngettext", "pgettext", "npgettext")
    }
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id in eager
            ):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{child.lineno}")
            visit(child)

    if eager:
        visit(tree)
    return found


def test_no_string_is_translated_at_import_time():
    found = [
        place
        for path in sorted(PACKAGE.rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(PACKAGE).parts)
        for place in _translated_at_import(path)
    ]
    assert not found, f"use gettext_lazy for these module- or class-level strings: {found}"


def test_makefile_has_the_messages_target():
    makefile = (PACKAGE.parent / "Makefile").read_text(encoding="utf-8")
    target = makefile.split("\nmessages:", 1)[1].split("\n\n", 1)[0]
    assert "makemessages" in target and "compilemessages" in target


# -- pages and mails ---------------------------------------------------------------------------

NAV = {
    "fr": {"Search": "Recherche", "Countries": "Pays", "Work": "Travail", "Calendar": "Calendrier",
           "Dashboard": "Tableau de bord"},
    "es": {"Search": "Buscar", "Countries": "Países", "Work": "Trabajo", "Calendar": "Calendario",
           "Dashboard": "Panel"},
    "ar": {"Search": "البحث", "Countries": "البلدان", "Work": "العمل", "Calendar": "التقويم",
           "Dashboard": "لوحة المتابعة"},
}  # fmt: skip
NAV_ITEM = re.compile(r"<li><a href=\"[^\"]*\"(?: aria-current=\"page\")?>([^<]+)</a></li>")


class PagesInEachLanguage(FollowUpTestCase):
    def setUp(self):
        super().setUp()
        tracking.assign(self.cora, self.rec, self.justice, due="2030-03-31")

    def pages(self):
        return {
            "search": reverse("front-search"),
            "recommendation": self.rec.get_absolute_url(),
            "work": reverse("front-work"),
            "dashboard": reverse("deadlines-dashboard"),
            "calendar": reverse("deadlines-calendar"),
        }

    def test_pages_render_with_translated_navigation(self):
        self.client.force_login(self.cora)
        for language, labels in NAV.items():
            for name, url in self.pages().items():
                with self.subTest(language=language, page=name):
                    response = self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                    self.assertEqual(response.status_code, 200)
                    html = response.content.decode()
                    direction = "rtl" if language == "ar" else "ltr"
                    self.assertIn(f'<html lang="{language}" dir="{direction}">', html)
                    nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
                    shown = [label.strip() for label in NAV_ITEM.findall(nav)]
                    for english, translated in labels.items():
                        self.assertIn(translated, shown)
                        self.assertNotIn(english, shown)

    def test_language_chosen_in_the_page_sticks(self):
        response = self.client.post(
            reverse("set_language"), {"language": "ar", "next": reverse("front-search")}
        )
        self.assertEqual(response.status_code, 302)
        html = self.client.get(reverse("front-search")).content.decode()
        self.assertIn('<html lang="ar" dir="rtl">', html)
        self.assertIn("الانتقال إلى المحتوى الرئيسي", html)  # the skip link
        self.assertNotIn("Skip to main content", html)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class RemindersInEachLanguage(FollowUpTestCase):
    def test_a_reminder_mail_speaks_the_persons_language(self):
        tracking.assign(self.cora, self.rec, self.justice, due="2030-03-31")
        expected = {
            "fr": ("rightstrack : 1 échéance approche", "Bonjour bob,"),
            "es": ("rightstrack: se acerca 1 plazo", "Hola, bob:"),
            "ar": ("rightstrack: موعد نهائي واحد قادم (1)", "مرحباً bob،"),
        }
        for language, (subject, greeting) in expected.items():
            with self.subTest(language=language):
                profile = Profile.for_user(self.bob)
                profile.language = language
                profile.save()
                ReminderSent.objects.filter(user=self.bob).delete()
                mail.outbox.clear()
                send_reminders(dt.date(2030, 3, 1))
                sent = [m for m in mail.outbox if m.to == [self.bob.email]]
                self.assertEqual(len(sent), 1)
                self.assertEqual(sent[0].subject, subject)
                self.assertIn(greeting, sent[0].body)
                self.assertNotIn("Hello", sent[0].body)

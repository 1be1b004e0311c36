"""The documentation keeps up with the code (datasette's documented-hooks test)."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps

from rightstrack.formats.registry import IMPORTERS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def headings(path: Path, level: str) -> set[str]:
    pattern = re.compile(rf"^{level} +`?([^`\n]+?)`?\s*$", re.M)
    return set(pattern.findall(path.read_text(encoding="utf-8")))


def test_it_documents_every_environment_variable() -> None:
    settings = (ROOT / "rightstrack" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"""\benv\w*\(\s*["']([A-Z0-9_]+)["']""", settings))

    documented = headings(DOCS / "configuration.md", "###")

    assert len(names) >= 10
    assert names - documented == set()


def test_it_documents_every_importer_kind() -> None:
    documented = headings(DOCS / "importers.md", "##")

    assert set(IMPORTERS) - documented == set()


def test_it_documents_every_model_field() -> None:
    text = (DOCS / "data-model.md").read_text(encoding="utf-8")
    missing = []
    for app in ("recommendations", "accounts", "tracking"):
        for model in apps.get_app_config(app).get_models():
            if f"### {model.__name__}\n" not in text:
                missing.append(model.__name__)
                continue
            section = text.split(f"### {model.__name__}\n", 1)[1].split("\n### ", 1)[0]
            missing += [
                f"{model.__name__}.{field.name}"
                for field in model._meta.get_fields()
                if (field.concrete or field.many_to_many)
                and not field.auto_created
                and field.name != "id"
                and f"| `{field.name}` |" not in section
            ]

    assert missing == []

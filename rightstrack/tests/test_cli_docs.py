from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_keeps_the_cli_reference_current() -> None:
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    assert spec is not None and spec.loader is not None
    cli_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli_docs)

    expected = cli_docs.render()

    assert "## rightstrack extract" in expected
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == expected, (
        "docs/cli.md is out of date: run python scripts/cli_docs.py"
    )

"""Repository-wide checks: lint, translations complete, migrations committed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "jamlik"


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    result = subprocess.run(
        [ruff, "check", "src", "tests", "bench"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _po_files() -> list[Path]:
    return sorted(SRC.glob("**/locale/sv/LC_MESSAGES/django.po"))


def test_every_app_with_strings_has_a_swedish_catalogue():
    assert _po_files(), "no Swedish message catalogues found"


@pytest.mark.parametrize("po", _po_files(), ids=lambda p: p.relative_to(SRC).parts[0])
def test_swedish_catalogue_is_complete_and_compiled(po: Path):
    entries = _parse_po(po.read_text(encoding="utf-8"))
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if msgid and (not msgstr or fuzzy)]
    assert not untranslated, f"{po}: untranslated or fuzzy: {untranslated[:10]}"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1, f"{mo} is older than {po}"


def _parse_po(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) per entry; plural forms count as translated if all are."""
    entries: list[tuple[str, str, bool]] = []
    for block in text.split("\n\n"):
        lines = block.strip().splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        current = None
        fields: dict[str, str] = {}
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[")):
                current, _, rest = line.partition(" ")
                fields[current] = rest.strip().strip('"')
            elif line.startswith('"') and current:
                fields[current] += line.strip().strip('"')
        if "msgid" in fields:
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries.append((fields["msgid"], "" if any(s == "" for s in strs) else strs[0], fuzzy))
    return entries


@pytest.mark.django_db
def test_no_missing_migrations():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # pragma: no cover - failure path
        pytest.fail(f"models changed without migrations:\n{out.getvalue()} ({exc})")


def test_mypy_is_clean_on_the_pure_packages():
    mypy = shutil.which("mypy") or str(Path(sys.executable).parent / "mypy")
    result = subprocess.run(
        [mypy, "--config-file", "pyproject.toml"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr

"""County overrides, and refusal of malformed files with a precise message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jamlik import frameworks
from jamlik.frameworks import FrameworkError, UnknownFrameworkError


def _write_override(data_dir: Path, county: str, name: str, text: str) -> Path:
    path = data_dir / "frameworks" / county / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _default_text(name: str) -> str:
    return frameworks.default_path(name).read_text(encoding="utf-8")


def test_county_override_replaces_default(tmp_path: Path) -> None:
    text = _default_text("stodtrappa").replace('version = "2026.1"', 'version = "01-2027"')
    text = text.replace('name_sv = "Kommundialoger"', 'name_sv = "Dialogmöten med kommunen"')
    _write_override(tmp_path, "01", "stodtrappa", text)
    fw = frameworks.load("stodtrappa", county="01", data_dir=tmp_path)
    assert fw.meta.version == "01-2027"
    assert fw.meta.county == "01"
    assert fw.steps.get("dialogue").name_sv == "Dialogmöten med kommunen"
    # Other counties still get the default.
    other = frameworks.load("stodtrappa", county="03", data_dir=tmp_path)
    assert other.meta.version == "2026.1" and other.meta.county is None


def test_data_dir_defaults_to_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _default_text("malomraden").replace('version = "2026.1"', 'version = "env"')
    _write_override(tmp_path, "12", "malomraden", text)
    monkeypatch.setenv("JAMLIK_DATA_DIR", str(tmp_path))
    assert frameworks.load("malomraden", county="12").meta.version == "env"


def test_edited_override_is_reloaded(tmp_path: Path) -> None:
    path = _write_override(tmp_path, "01", "malomraden", _default_text("malomraden"))
    assert frameworks.load("malomraden", county="01", data_dir=tmp_path).meta.version == "2026.1"
    path.write_text(
        _default_text("malomraden").replace('version = "2026.1"', 'version = "2026.22"'),
        encoding="utf-8",
    )
    assert frameworks.load("malomraden", county="01", data_dir=tmp_path).meta.version == "2026.22"


def test_unknown_framework_and_bad_county_code(tmp_path: Path) -> None:
    with pytest.raises(UnknownFrameworkError, match="unknown framework 'stars'"):
        frameworks.load("stars")
    with pytest.raises(FrameworkError, match="two-digit län code"):
        frameworks.load("malomraden", county="../etc", data_dir=tmp_path)


def _refuse(tmp_path: Path, name: str, text: str) -> FrameworkError:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        frameworks.validate_file(path, name)
    assert str(path) in str(info.value), "the message names the file"
    return info.value


def test_missing_key_is_named(tmp_path: Path) -> None:
    text = _default_text("kvalitetsmodell")
    # Remove the Swedish name of the fourth step (index 3).
    text = text.replace('name_sv = "Utformning av insatser"\n', "", 1)
    err = _refuse(tmp_path, "kvalitetsmodell", text)
    assert err.key == "steps[3].name_sv"
    assert "missing required key" in str(err) and "non-empty string" in str(err)


def test_wrong_type_is_named(tmp_path: Path) -> None:
    text = _default_text("malomraden").replace("number = 3\n", 'number = "three"\n', 1)
    err = _refuse(tmp_path, "malomraden", text)
    assert err.key == "areas[2].number"
    assert "expected an integer" in str(err) and "'three'" in str(err)


def test_unknown_problem_area_is_refused(tmp_path: Path) -> None:
    text = _default_text("preventionsstjarna").replace(
        'problem_areas = ["violence"]', 'problem_areas = ["violence", "obesity"]', 1
    )
    err = _refuse(tmp_path, "preventionsstjarna", text)
    assert re.fullmatch(r"factors\[\d+\]\.problem_areas\[1\]", err.key)
    assert "unknown problem area 'obesity'" in str(err)
    assert "crime" in err.expected  # lists what is allowed


def test_unknown_domain_and_source_are_refused(tmp_path: Path) -> None:
    text = _default_text("preventionsstjarna").replace(
        'domain = "community"', 'domain = "internet"', 1
    )
    err = _refuse(tmp_path, "preventionsstjarna", text)
    assert err.key == "factors[0].domain" and "expected one of" in str(err)
    text = _default_text("preventionsstjarna").replace(
        'sources = ["moffitt_2011"]', 'sources = ["someone_2099"]', 1
    )
    err = _refuse(tmp_path, "preventionsstjarna", text)
    assert "unknown source 'someone_2099'" in str(err)


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    text = _default_text("forutsattningar").replace(
        'key = "long_term_priority"', 'key = "motivated_decision_makers"', 1
    )
    err = _refuse(tmp_path, "forutsattningar", text)
    assert err.key == "prerequisites[1].key"
    assert "duplicate key 'motivated_decision_makers'" in str(err)
    assert "prerequisites[0].key" in str(err)


def test_bad_toml_syntax_is_refused(tmp_path: Path) -> None:
    text = _default_text("malomraden").replace('key = "income"', 'key = "income', 1)
    err = _refuse(tmp_path, "malomraden", text)
    assert err.key == "(syntax)"
    assert "valid TOML" in str(err) and "line" in str(err)


def test_wrong_schema_version_and_unexpected_key(tmp_path: Path) -> None:
    text = _default_text("stodtrappa").replace("schema_version = 1", "schema_version = 2")
    err = _refuse(tmp_path, "stodtrappa", text)
    assert err.key == "schema_version" and "expected 1, got 2" in str(err)
    text = _default_text("stodtrappa").replace(
        'key = "network"', 'key = "network"\ncolour = "red"', 1
    )
    err = _refuse(tmp_path, "stodtrappa", text)
    assert err.key == "steps[0].colour" and "unexpected key" in str(err)


def test_numbering_must_run_in_order(tmp_path: Path) -> None:
    text = _default_text("malomraden").replace("number = 2\n", "number = 7\n", 1)
    err = _refuse(tmp_path, "malomraden", text)
    assert err.key == "areas[1].number" and "expected 2" in str(err)


def test_malformed_override_is_refused_on_load(tmp_path: Path) -> None:
    path = _write_override(tmp_path, "01", "malomraden", "schema_version = 1\n")
    with pytest.raises(FrameworkError) as info:
        frameworks.load("malomraden", county="01", data_dir=tmp_path)
    assert str(path) in str(info.value) and info.value.key == "framework"

"""Settings come from the environment, are documented, and are safe in production."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from jamlik.config import SETTINGS_DOC, Config, ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented_in_code_and_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    env_names = set(SETTINGS_DOC)
    assert len(env_names) >= len(dataclasses.fields(Config))
    for name in env_names:
        assert name in readme, f"{name} is not documented in the README"


def test_defaults_use_sqlite_in_the_data_dir(tmp_path):
    config = load_config({"JAMLIK_DATA_DIR": str(tmp_path), "JAMLIK_MODE": "demo"})
    assert config.database_url == f"sqlite:///{tmp_path / 'jamlik.sqlite3'}"
    assert config.debug
    # The generated key is kept, so sessions survive restarts.
    assert (
        load_config({"JAMLIK_DATA_DIR": str(tmp_path), "JAMLIK_MODE": "demo"}).secret_key
        == config.secret_key
    )


def test_production_requires_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        load_config({"JAMLIK_DATA_DIR": str(tmp_path)})
    config = load_config({"JAMLIK_DATA_DIR": str(tmp_path), "SECRET_KEY": "x" * 60})
    assert config.production and not config.debug


def test_unknown_mode_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="JAMLIK_MODE must be one of"):
        load_config({"JAMLIK_DATA_DIR": str(tmp_path), "JAMLIK_MODE": "fast"})


def test_deploy_check_is_clean_in_production_mode(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "JAMLIK_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ",
        "JAMLIK_MODE": "production",
        "JAMLIK_ALLOWED_HOSTS": "jamlik.example.se",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_security_headers(client, geography):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_forms_are_csrf_protected(geography):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/konto/logga-in/", {"username": "botkyrka", "password": "jamlik-demo"})
    assert response.status_code == 403


def test_import_limits_come_from_the_environment_and_bad_ones_are_named(tmp_path):
    base = {"JAMLIK_DATA_DIR": str(tmp_path), "JAMLIK_MODE": "demo"}
    config = load_config({**base, "JAMLIK_IMPORT_MAX_MB": "0.5", "JAMLIK_IMPORT_MAX_ROWS": "10"})
    assert (config.import_max_mb, config.import_max_rows) == (0.5, 10)
    assert (config.import_max_xlsx_mb, config.import_max_ratio) == (300, 100)
    for name, value in [("JAMLIK_IMPORT_MAX_ROWS", "many"), ("JAMLIK_IMPORT_MAX_RATIO", "-3")]:
        with pytest.raises(ConfigError, match=name):
            load_config({**base, name: value})

"""Fixtures for the statistics tests: where the published reference values live.

The reference files sit beside the repository in ``../shared/reference`` (they
are the test data of PHEindicatormethods and healthequal, kept as data). Tests
that need them are skipped, with the reason, only when that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
PHE = SHARED / "reference" / "phe"
WHO = SHARED / "reference" / "who"


def _folder(path: Path) -> Path:
    if not path.is_dir():
        pytest.skip(f"reference folder {path} is absent (expected beside the repository)")
    return path


@pytest.fixture(scope="session")
def phe_dir() -> Path:
    return _folder(PHE)


@pytest.fixture(scope="session")
def who_dir() -> Path:
    return _folder(WHO)


@pytest.fixture(scope="session")
def phe_csv(phe_dir: Path):
    """Read one PHEindicatormethods reference sheet by file name."""

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(phe_dir / name)

    return read

"""The public API of jamlik.stats is a contract: pin its names and its purity."""

from __future__ import annotations

import subprocess
import sys

import jamlik.stats as stats
from jamlik.stats import inequality

EXPECTED_ALL = [
    "ESP2013",
    "Comparison",
    "FunnelSignificance",
    "Polarity",
    "TrendDirection",
    "arrays",
    "compare",
    "dsr",
    "funnel_limits",
    "funnel_significance",
    "inequality",
    "isr",
    "life_expectancy",
    "mean",
    "proportion",
    "quantiles",
    "rate",
    "sii",
    "smr",
    "suppress",
    "trend",
]

EXPECTED_INEQUALITY = [
    "aci", "bgsd", "bgv", "cov", "d", "idisu", "idisw", "mdbu", "mdbw", "mdmu",
    "mdmw", "mdru", "mdrw", "mld", "paf", "parisk", "r", "rci", "rii", "sii", "ti",
]  # fmt: skip


def test_all_is_pinned():
    assert stats.__all__ == EXPECTED_ALL


def test_every_exported_name_exists():
    for name in stats.__all__:
        assert hasattr(stats, name), name


def test_inequality_all_is_pinned_and_callable():
    assert sorted(inequality.__all__) == EXPECTED_INEQUALITY
    for name in inequality.__all__:
        assert callable(getattr(inequality, name)), name


def test_enums_have_the_values_the_web_app_uses():
    assert {p.name for p in stats.Polarity} == {"HIGH_IS_GOOD", "LOW_IS_GOOD", "NEUTRAL"}
    assert {"BETTER", "SIMILAR", "WORSE", "HIGHER", "LOWER", "NOT_COMPARED"} <= {
        c.name for c in stats.Comparison
    }
    assert {"INCREASING", "DECREASING", "NO_SIGNIFICANT_CHANGE", "CANNOT_BE_CALCULATED"} <= {
        t.name for t in stats.TrendDirection
    }


def test_library_does_not_import_django():
    code = "import sys, jamlik.stats; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_every_public_function_cites_its_method():
    for name in stats.__all__:
        obj = getattr(stats, name)
        if callable(obj) and not isinstance(obj, type):
            module_doc = sys.modules[obj.__module__].__doc__ or ""
            assert any(ch.isdigit() for ch in module_doc), f"{name}: module cites no year"
            assert obj.__doc__, f"{name} has no docstring"

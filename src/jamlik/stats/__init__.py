"""Jämlik's statistics engine: public-health statistics and inequality measures.

A pure library (NumPy, SciPy, pandas; no Django) used by every page and report.
Each statistic lives in its own module with its method and published source in
the docstring, and is checked against the reference values of
PHEindicatormethods (UKHSA) and healthequal (WHO) kept in ``shared/reference``.
All functions take array-likes or DataFrames and return a DataFrame with at
least the columns ``value``, ``lower`` and ``upper``. Invalid input raises
:class:`ValueError` naming the argument, the rule and the offending value.
Pages that call a statistic per request on a few hundred rows use the
plain-array fast path in :mod:`jamlik.stats.arrays` (NumPy arrays in, codes
out, no DataFrame), which gives the same results without the fixed cost.
Plain-language descriptions of every method: ``docs/methods.md``.
"""

from jamlik.stats import arrays, inequality
from jamlik.stats.compare import Comparison, Polarity, compare
from jamlik.stats.disclosure import suppress
from jamlik.stats.dsr import ESP2013, dsr
from jamlik.stats.funnels import FunnelSignificance, funnel_limits, funnel_significance
from jamlik.stats.isr import isr, smr
from jamlik.stats.life_expectancy import life_expectancy
from jamlik.stats.means import mean
from jamlik.stats.proportions import proportion
from jamlik.stats.quantiles import quantiles
from jamlik.stats.rates import rate
from jamlik.stats.sii import sii
from jamlik.stats.trend import TrendDirection, trend

__all__ = [
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

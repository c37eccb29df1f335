"""Display names for breakdown categories (codes in the data are English keys).

A cross-classified cell (``age*sex``/``65-84*female``, see
:func:`jamlik.sources.observations.compose_breakdown`) is named from its parts:
"Kön × ålder" for the breakdown, "Kvinnor, 65–84 år" for the cell, the
dimensions in :data:`DIMENSION_ORDER` rather than the stored (alphabetical) order.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jamlik.sources.observations import DIMENSION_SEPARATOR, split_breakdown

CATEGORY_LABELS = {
    "total": _("Everyone"),
    "female": _("Women"),
    "male": _("Men"),
    "compulsory": _("Compulsory school"),
    "upper_secondary": _("Upper secondary"),
    "post_secondary": _("Post-secondary"),
}
BREAKDOWN_LABELS = {
    "total": _("Everyone"),
    "sex": _("Sex"),
    "education": _("Education"),
    "district": _("District"),
    "age": _("Age"),
}
#: The order in which a cross table's dimensions are named and laid out (others
#: follow in the stored order): "Kvinnor, 65–84 år", not "65–84 år, kvinnor".
DIMENSION_ORDER = ("sex", "age", "education")
MEASURE_LABELS = {
    "d": _("Difference (D)"),
    "r": _("Ratio (R)"),
    "sii": _("Slope index of inequality (SII)"),
    "rii": _("Relative index of inequality (RII)"),
    "who_sii": _("SII, regression-based (WHO)"),
    "who_rii": _("RII, regression-based (WHO)"),
    "aci": _("Absolute concentration index (ACI)"),
    "rci": _("Relative concentration index (RCI)"),
    "paf": _("Population attributable fraction (PAF)"),
    "par": _("Population attributable risk (PAR)"),
    "bgv": _("Between-group variance (BGV)"),
    "bgsd": _("Between-group standard deviation (BGSD)"),
    "cov": _("Coefficient of variation (COV)"),
    "idisu": _("Index of disparity, unweighted (IDISU)"),
    "idisw": _("Index of disparity, weighted (IDISW)"),
    "mdbu": _("Mean difference from the best group, unweighted (MDBU)"),
    "mdbw": _("Mean difference from the best group, weighted (MDBW)"),
    "mdmu": _("Mean difference from mean, unweighted (MDMU)"),
    "mdmw": _("Mean difference from mean, weighted (MDMW)"),
    "mdru": _("Mean difference from a reference group, unweighted (MDRU)"),
    "mdrw": _("Mean difference from a reference group, weighted (MDRW)"),
    "mld": _("Mean log deviation (MLD)"),
    "ti": _("Theil index (TI)"),
}
#: One line per measure: what its number means, for the measure chooser.
MEASURE_EXPLANATIONS = {
    "d": _("The difference between two groups, in the indicator's unit; 0 = no gap."),
    "r": _("The ratio between the same two groups; 1 = no gap."),
    "sii": _(
        "The gap between the two ends of the social order, from a line through all groups (PHE)."
    ),
    "rii": _("The ratio between the two ends of the same line; 1 = no gap (PHE)."),
    "who_sii": _("Like SII, from a logistic model over all groups as in WHO's HEAT."),
    "who_rii": _("Like RII, from a logistic model over all groups as in WHO's HEAT."),
    "aci": _("How much the outcome gathers in more or less advantaged groups; 0 = none."),
    "rci": _("ACI relative to the mean, between −1 and 1; 0 = none."),
    "paf": _("How much better the average would be, in per cent, if all did as the best group."),
    "par": _("The same as PAF in the indicator's unit."),
    "bgv": _("Weighted mean of squared distances from the average; 0 = no gap."),
    "bgsd": _("Square root of BGV, in the indicator's unit."),
    "cov": _("BGSD in per cent of the average."),
    "idisu": _("Mean distance from the average in per cent of it, each group counted once."),
    "idisw": _("Mean distance from the average in per cent of it, weighted by group size."),
    "mdbu": _("Mean distance from the best group, each group counted once."),
    "mdbw": _("Mean distance from the best group, weighted by group size."),
    "mdmu": _("Mean distance from the average, each group counted once."),
    "mdmw": _("Mean distance from the average, weighted by group size."),
    "mdru": _("Mean distance from a chosen reference group, each group counted once."),
    "mdrw": _("Mean distance from a chosen reference group, weighted by group size."),
    "mld": _("A relative measure that weighs groups far below the average most; × 1 000."),
    "ti": _("A relative measure that weighs groups far above the average most; × 1 000."),
}
#: Anchors in docs/methods.md that each measure or method links to (Swedish
#: anchors; the English text uses the same names prefixed with ``en-``).
METHOD_ANCHORS = {
    "compare": "compare",
    "trend": "trend",
    "proportion": "wilson",
    "rate": "byar",
    "funnel": "funnel",
    "sii": "sii",
    "rii": "sii",
    "who": "inequality",
    "suppress": "suppression",
    "d": "ineq-d",
    "r": "ineq-r",
    "bgv": "ineq-bgv",
    "idisw": "ineq-idis",
    "mdmw": "ineq-md",
    "who_sii": "ineq-sii",
    "who_rii": "ineq-sii",
    "aci": "ineq-aci",
    "rci": "ineq-rci",
    "paf": "ineq-paf",
    "par": "ineq-par",
    "bgsd": "ineq-bgsd",
    "cov": "ineq-cov",
    "idisu": "ineq-idis",
    "mdbu": "ineq-md",
    "mdbw": "ineq-md",
    "mdmu": "ineq-md",
    "mdru": "ineq-md",
    "mdrw": "ineq-md",
    "mld": "ineq-mld",
    "ti": "ineq-ti",
    "directions": "gap-directions",
    "gap_trend": "gap-trend",
}


_AGE_BAND = re.compile(r"^(\d{1,3})-(\d{1,3})$")
_AGE_FROM = re.compile(r"^(\d{1,3})(?:\+|-|-w)$")


def category_label(code: str) -> str:
    """A readable name for a category code: age bands ``65-84`` read "65–84 år" and
    ``85+`` (or ``85-``) "85 år och äldre"; district names pass through."""
    label = CATEGORY_LABELS.get(code)
    if label is not None:
        return str(label)
    if band := _AGE_BAND.match(code):
        return gettext("%(low)s–%(high)s years") % {"low": band[1], "high": band[2]}
    if older := _AGE_FROM.match(code):
        return gettext("%(low)s years and older") % {"low": older[1]}
    return code


def dimension_order(dimensions: list[str] | tuple[str, ...]) -> list[str]:
    """``dimensions`` in display order (:data:`DIMENSION_ORDER` first)."""
    known = {d: i for i, d in enumerate(DIMENSION_ORDER)}
    return sorted(dimensions, key=lambda d: (known.get(d, len(known)), dimensions.index(d)))


def is_composite(breakdown: str) -> bool:
    """Whether ``breakdown`` cross-classifies by more than one dimension."""
    return DIMENSION_SEPARATOR in breakdown


def dimension_label(dimension: str) -> str:
    label = BREAKDOWN_LABELS.get(dimension)
    return str(label) if label is not None else dimension


def breakdown_label(breakdown: str) -> str:
    """ "Kön", or "Kön × ålder" for a cross table (dimensions in display order)."""
    dims = dimension_order(breakdown.split(DIMENSION_SEPARATOR))
    names = [dimension_label(d) for d in dims]
    return " × ".join(
        [
            names[0],
            *(
                n.lower() if d in BREAKDOWN_LABELS else n
                for d, n in zip(dims[1:], names[1:], strict=True)
            ),
        ]
    )


def cell_label(breakdown: str, category: str) -> str:
    """ "Kvinnor", or "Kvinnor, 65–84 år" for a cell of a cross table ("Alla" for the total)."""
    parts = split_breakdown(breakdown, category)
    if not parts:
        return category_label("total")
    labels = [(parts[d], category_label(parts[d])) for d in dimension_order(list(parts))]
    first, *rest = labels
    return ", ".join(
        [first[1], *(label.lower() if code in CATEGORY_LABELS else label for code, label in rest)]
    )

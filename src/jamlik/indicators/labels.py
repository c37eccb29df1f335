"""Display names for breakdown categories (codes in the data are English keys)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
}
MEASURE_LABELS = {
    "d": _("Difference (D)"),
    "r": _("Ratio (R)"),
    "sii": _("Slope index of inequality (SII)"),
    "rii": _("Relative index of inequality (RII)"),
    "who_sii": _("SII, regression-based (WHO)"),
    "who_rii": _("RII, regression-based (WHO)"),
    "bgv": _("Between-group variance (BGV)"),
    "idisw": _("Index of disparity, weighted (IDISW)"),
    "mdmw": _("Mean difference from mean, weighted (MDMW)"),
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
}


def category_label(code: str) -> str:
    """A readable name for a category code (district names pass through)."""
    label = CATEGORY_LABELS.get(code)
    return str(label) if label is not None else code

"""The evaluation page's content: groups, comparisons per outcome and the limits, all from
the data (the statistics themselves are in :mod:`jamlik.prerequisites.evaluation`)."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jamlik.geo.models import Area
from jamlik.prerequisites import evaluation
from jamlik.prerequisites.grouping import GroupingSource, groups_for, period
from jamlik.prerequisites.models import Round, SupportGroup
from jamlik.prerequisites.results import KommunScores, lang, round_scores
from jamlik.prerequisites.specs import framework


class ComparisonMode(enum.StrEnum):
    """Who the deepened-collaboration group is compared with."""

    OTHERS = "others"  # everyone else (some support + none)
    UNSUPPORTED = "none"  # only kommuner recorded as receiving no support


class Verdict(enum.StrEnum):
    STRONGER = "stronger"
    WEAKER = "weaker"
    UNCLEAR = "unclear"


ALPHA = 0.05

EFFECT_LABELS = {
    "negligible": gettext_lazy("negligible"),
    "small": gettext_lazy("small"),
    "medium": gettext_lazy("medium"),
    "large": gettext_lazy("large"),
    "not computed": gettext_lazy("not computed"),
}


@dataclass
class OutcomeRow:
    key: str
    name: str
    kind: str
    comparison: evaluation.Comparison | None
    verdict: Verdict
    note: str = ""

    @property
    def effect_label(self) -> str:
        """Cohen's label for Hedges' g, in the page's language."""
        if self.comparison is None:
            return ""
        return str(EFFECT_LABELS[self.comparison.effect_label])


def _value(scores: KommunScores, kind: str, key: str) -> float | None:
    if kind == "index":
        return scores.index.value
    if kind == "dimension":
        return scores.dimensions[key].value
    return scores.prerequisites[key].value


def verdict_for(c: evaluation.Comparison) -> Verdict:
    """'Stronger' only when the permutation test and the bootstrap interval agree."""
    if c.permutation.p_value < ALPHA and c.did.lower > 0:
        return Verdict.STRONGER
    if c.permutation.p_value < ALPHA and c.did.upper < 0:
        return Verdict.WEAKER
    return Verdict.UNCLEAR


def build(
    county: Area,
    baseline: Round,
    follow_up: Round,
    *,
    source: str | None = None,
    mode: ComparisonMode = ComparisonMode.OTHERS,
) -> dict[str, Any]:
    language = lang()
    groups, used = groups_for(county, baseline.year, follow_up.year, source)
    before = {s.municipality.code: s for s in round_scores(baseline)}
    after = {s.municipality.code: s for s in round_scores(follow_up)}
    both = sorted(set(before) & set(after))
    names = {s.municipality.code: s.municipality.name for s in [*before.values(), *after.values()]}
    missing_response = sorted(set(groups) - set(both))
    ungrouped = sorted(set(both) - set(groups))

    def in_group(code: str, wanted: set[str]) -> bool:
        return groups.get(code) in wanted

    treated_codes = [c for c in both if in_group(c, {SupportGroup.DEEPENED})]
    control_groups = (
        {SupportGroup.SOME, SupportGroup.NONE}
        if mode == ComparisonMode.OTHERS
        else {SupportGroup.NONE}
    )
    control_codes = [c for c in both if in_group(c, control_groups)]

    fw = framework(county)
    outcomes = [("index", "index", _("Overall index"))]
    outcomes += [("dimension", d.key, d.name(language)) for d in fw.dimensions]
    outcomes += [("prerequisite", p.key, p.name(language)) for p in fw.prerequisites]

    rows: list[OutcomeRow] = []
    for kind, key, name in outcomes:

        def units(codes: list[str], kind: str = kind, key: str = key) -> list[evaluation.Unit]:
            out = []
            for code in codes:
                b, a = _value(before[code], kind, key), _value(after[code], kind, key)
                if b is not None and a is not None:
                    out.append(evaluation.Unit(code, names[code], b, a))
            return out

        treated, control = units(treated_codes), units(control_codes)
        if not treated or not control:
            rows.append(OutcomeRow(key, name, kind, None, Verdict.UNCLEAR, _("too few kommuner")))
            continue
        comparison = evaluation.compare(key, treated, control)
        rows.append(OutcomeRow(key, name, kind, comparison, verdict_for(comparison)))

    group_rows = []
    for code in both:
        b, a = before[code].index.value, after[code].index.value
        group_rows.append(
            {
                "code": code,
                "name": names[code],
                "group": groups.get(code, ""),
                "group_label": SupportGroup(groups[code]).label
                if code in groups
                else _("Not grouped"),
                "baseline": b,
                "follow_up": a,
                "change": None if a is None or b is None else round(a - b, 1),
            }
        )
    counts = {g.value: sum(1 for c in both if groups.get(c) == g.value) for g in SupportGroup}
    per_group = _change_per_group(outcomes, groups, both, before, after)
    instruments = (baseline.instrument.version, follow_up.instrument.version)
    limits = _limits(
        rows,
        counts,
        len(treated_codes),
        len(control_codes),
        used,
        mode,
        missing_response,
        ungrouped,
        baseline.year,
        follow_up.year,
        names,
    )
    if baseline.instrument_id != follow_up.instrument_id:
        limits.insert(
            1,
            _(
                "The rounds used different instrument versions (%(a)s and %(b)s): part of a "
                "change may come from changed questions or answer options."
            )
            % {"a": instruments[0], "b": instruments[1]},
        )
    return {
        "groups": group_rows,
        "counts": counts,
        "per_group": per_group,
        "group_labels": [g.label for g in SupportGroup],
        "rows": rows,
        "limits": limits,
        "source": used,
        "mode": mode,
        "n_treated": len(treated_codes),
        "n_control": len(control_codes),
        "chart_rows": [
            {
                "outcome": r.name,
                "did": round(r.comparison.did.estimate, 1),
                "lower": round(r.comparison.did.lower, 1),
                "upper": round(r.comparison.did.upper, 1),
                "p": round(r.comparison.permutation.p_value, 3),
            }
            for r in rows
            if r.comparison is not None and r.kind in ("index", "dimension")
        ],
    }


def _change_per_group(
    outcomes: list[tuple[str, str, str]],
    groups: dict[str, str],
    codes: list[str],
    before: dict[str, KommunScores],
    after: dict[str, KommunScores],
) -> list[dict[str, Any]]:
    """Mean change (and n) in each of the three support groups, per index/dimension."""
    table = []
    for kind, key, name in outcomes:
        if kind == "prerequisite":
            continue
        cells = []
        for group in SupportGroup:
            changes = [
                _value(after[c], kind, key) - _value(before[c], kind, key)  # type: ignore[operator]
                for c in codes
                if groups.get(c) == group.value
                and _value(after[c], kind, key) is not None
                and _value(before[c], kind, key) is not None
            ]
            cells.append(
                {
                    "mean": round(sum(changes) / len(changes), 1) if changes else None,
                    "n": len(changes),
                }
            )
        table.append({"name": name, "cells": cells})
    return table


def _limits(
    rows: list[OutcomeRow],
    counts: dict[str, int],
    n_treated: int,
    n_control: int,
    used: GroupingSource | None,
    mode: ComparisonMode,
    missing_response: list[str],
    ungrouped: list[str],
    baseline_year: int,
    follow_up_year: int,
    names: dict[str, str],
) -> list[str]:
    """The caveats, each computed from this comparison's data."""
    limits: list[str] = []
    if n_treated and n_control:
        assignments = math.comb(n_treated + n_control, n_treated)
        smallest = min(
            (r.comparison.permutation.smallest_possible_p for r in rows if r.comparison),
            default=1 / assignments,
        )
        limits.append(
            _(
                "Few kommuner: %(t)s with deepened collaboration against %(c)s others. The exact "
                "test has %(a)s possible group assignments, so no p-value can be smaller than "
                "%(k)s/%(a)s (≈ %(p)s), and only large differences can be told apart from chance."
            )
            % {
                "t": n_treated,
                "c": n_control,
                "a": assignments,
                "k": round(smallest * assignments),
                "p": number_format(float(f"{smallest:.2g}")),
            }
        )
    unbalanced = [
        f"{r.name} ({number_format(round(r.comparison.baseline_smd, 2), 2)})"
        for r in rows
        if r.comparison and r.comparison.balanced is False
    ]
    if unbalanced:
        limits.append(
            _(
                "The groups already differed at baseline (standardised difference above 0.25) "
                "on: %(list)s. Difference-in-differences assumes the groups would have changed "
                "alike without support; with different starting points that is less certain."
            )
            % {"list": "; ".join(unbalanced)}
        )
    else:
        limits.append(_("At baseline the groups differed by at most 0.25 standard deviations."))
    if counts.get(SupportGroup.NONE, 0) == 0:
        limits.append(
            _(
                "No kommun is recorded as receiving no support, so there are no untreated "
                "controls: the comparison is between more and less support."
            )
        )
    elif mode == ComparisonMode.OTHERS and counts.get(SupportGroup.SOME, 0):
        limits.append(
            ngettext(
                "The comparison group is not untreated: %(n)s of its %(total)s kommuner received "
                "some support.",
                "The comparison group is not untreated: %(n)s of its %(total)s kommuner received "
                "some support.",
                counts[SupportGroup.SOME],
            )
            % {"n": counts[SupportGroup.SOME], "total": n_control}
        )
    start, end = period(baseline_year, follow_up_year)
    if used == GroupingSource.SUPPORT_RECORDS:
        limits.append(
            _(
                "Groups were derived from the support records for %(start)s–%(end)s: an agreement "
                "on deepened collaboration in force means deepened, any recorded participation "
                "means some support. Support not recorded is not seen."
            )
            % {"start": start.isoformat(), "end": end.isoformat()}
        )
    elif used == GroupingSource.MANUAL:
        limits.append(
            _(
                "Groups were set by hand by the county administration. Kommuner chose, or were "
                "chosen, to collaborate; they were not assigned at random, and a kommun may have "
                "moved far without support and sit in the 'wrong' group."
            )
        )
    else:
        limits.append(_("No groups have been set and there are no support records."))
    if missing_response:
        limits.append(
            _("Left out for lacking a submitted response in one of the rounds: %(list)s.")
            % {"list": ", ".join(names.get(c, c) for c in missing_response)}
        )
    if ungrouped:
        limits.append(
            _("Left out for having no group: %(list)s.")
            % {"list": ", ".join(names.get(c, c) for c in ungrouped)}
        )
    tested = sum(1 for r in rows if r.comparison)
    limits.append(
        _(
            "%(n)s outcomes are tested and the p-values are not adjusted for that: with this "
            "many, one or two 'significant' results could arise by chance."
        )
        % {"n": tested}
    )
    limits.append(
        _(
            "Scores come from the kommuner's own survey answers: prerequisites are hard to "
            "measure, and answers may change with who answered."
        )
    )
    return limits

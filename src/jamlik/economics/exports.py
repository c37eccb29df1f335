"""XLSX and PDF exports of a scenario.

The workbook re-does the computation with ordinary Excel formulas (named cells
for the scenario parameters, one row per year), so a reader can follow and
change every step; the values Jämlik computed stand beside the formula results
for comparison. Simulation results (tornado, Monte Carlo) are values.

The public funds factor is the named input ``PublicFundsFactor`` (1 when the
scenario applies none). The Results sheet weights each payer's present values
by it (the factor for kommun, region and stat, 1 for the individual and others)
in formulas, giving the result for society beside the plain-kronor one.
"""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from jamlik.core.spreadsheets import as_text
from jamlik.economics import presentation
from jamlik.economics.inputs import PAYERS, TAX_FINANCED_PAYERS
from jamlik.economics.labels import COST_KIND_LABELS
from jamlik.economics.models import Scenario
from jamlik.economics.services import Analysis

BOLD = Font(bold=True)
NOTE_FILL = PatternFill("solid", fgColor="FFF1C7")
MONEY = "#,##0"


def _status_note(scenario: Scenario, analysis: Analysis) -> str | None:
    if scenario.is_demo or analysis.inputs.illustrative:
        return _(
            "Invented data for demonstration and illustration; not a real analysis. "
            "See the notes for which figures are published."
        )
    return None


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font = BOLD
        ws.column_dimensions[get_column_letter(col)].width = max(14, min(40, len(label) + 2))


def _name(wb: Workbook, name: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def scenario_workbook(scenario: Scenario, analysis: Analysis) -> bytes:
    """The scenario's inputs, formula-driven cash flows and results as an XLSX file."""
    s, r = analysis.inputs, analysis.result
    horizon = s.horizon_years
    wb = Workbook()
    note = _status_note(scenario, analysis)

    # --- Inputs -------------------------------------------------------------------------
    ws = wb.active
    assert ws is not None
    ws.title = "Inputs"
    as_text(ws["A1"], s.name)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"{scenario.area.name} ({scenario.area.code})"
    if note:
        ws["A3"] = note
        ws["A3"].fill = NOTE_FILL
    params: list[tuple[str, str, Any]] = [
        ("PriceYear", _("Price year"), s.price_year),
        ("Horizon", _("Horizon (years)"), horizon),
        ("DiscountRate", _("Discount rate, real"), s.discount_rate.central),
        (
            "PublicFundsFactor",
            _("Public funds factor (1 = not applied)"),
            1.0 if s.public_funds_factor is None else s.public_funds_factor.central,
        ),
    ]
    _header(ws, 5, [_("Input"), _("Value"), _("Name used in formulas"), _("Low"), _("High")])
    ws.column_dimensions["A"].width = 42
    for i, (name, label, value) in enumerate(params, start=6):
        ws.cell(row=i, column=1, value=label)
        ws.cell(row=i, column=2, value=value)
        ws.cell(row=i, column=3, value=name)
        _name(wb, name, f"Inputs!$B${i}")
    ws["D8"], ws["E8"] = s.discount_rate.lo, s.discount_rate.hi
    if s.public_funds_factor is not None:
        ws["D9"], ws["E9"] = s.public_funds_factor.lo, s.public_funds_factor.hi
    ws["A11"] = _("Interventions (see the Interventions sheet)")
    ws["B11"] = len(s.interventions)
    ws["A14"] = _("Source of the discount rate")
    as_text(ws["B14"], s.discount_rate_source)
    ws["A15"] = _("Source of the public funds factor")
    if s.public_funds_factor is None:
        ws["B15"] = _("not applied")
    else:
        as_text(ws["B15"], s.public_funds_factor_source)
    ws["A16"] = _("Intervention")
    as_text(ws["B16"], "; ".join(iv.name for iv in s.interventions))
    ws["A17"] = _("Notes")
    as_text(ws["B17"], s.notes)
    if s.price_index is not None:
        ws["A19"] = _("Price index")
        as_text(ws["B19"], f"{s.price_index.name} ({s.price_index.source})")
        for j, (year, level) in enumerate(sorted(s.price_index.values.items()), start=20):
            ws.cell(row=j, column=1, value=year)
            ws.cell(row=j, column=2, value=level)

    # --- Interventions ------------------------------------------------------------------
    wi = wb.create_sheet("Interventions")
    _header(
        wi,
        1,
        [
            _("Number"),
            _("Intervention"),
            _("Participants per year (full scale)"),
            _("Ramp-up (years to full reach)"),
            _("Years the intervention is delivered"),
            _("Low"),
            _("High"),
        ],
    )
    iv_row: list[int] = []
    for i, iv in enumerate(s.interventions, start=2):
        iv_row.append(i)
        wi.cell(row=i, column=1, value=i - 1)
        as_text(wi.cell(row=i, column=2), iv.name)
        wi.cell(row=i, column=3, value=iv.participants_per_year.central)
        wi.cell(row=i, column=4, value=iv.ramp_up_years)
        wi.cell(row=i, column=5, value=iv.delivery_years)
        wi.cell(row=i, column=6, value=iv.participants_per_year.lo)
        wi.cell(row=i, column=7, value=iv.participants_per_year.hi)

    # --- Outcomes -----------------------------------------------------------------------
    wo = wb.create_sheet("Outcomes")
    _header(
        wo,
        1,
        [
            _("Key"),
            _("Outcome"),
            _("Baseline risk"),
            _("Duration (years)"),
            _("Lag (years)"),
            _("Cost per case and year"),
            _("Price year of cost"),
            _("Price factor"),
            _("Cost per case-year, scenario prices"),
            *[_("Share: %(payer)s") % {"payer": presentation.payer_label(p)} for p in PAYERS],
            _("Source"),
            _("Low/central/high"),
        ],
    )
    share_col = {p: get_column_letter(10 + i) for i, p in enumerate(PAYERS)}
    outcome_row: dict[str, int] = {}
    for i, o in enumerate(s.outcomes, start=2):
        outcome_row[o.key] = i
        values: list[Any] = [
            o.key,
            o.name,
            o.baseline_risk.central,
            o.duration_years,
            o.lag_years,
            o.unit_cost.central,
            o.price_year,
            s.price_factor(o.price_year),
            f"=F{i}*H{i}",
            *[o.payer_shares.get(p, 0.0) for p in PAYERS],
            o.source,
            f"risk {o.baseline_risk.lo}–{o.baseline_risk.hi}; cost {o.unit_cost.lo}–{o.unit_cost.hi}",
        ]
        text_columns = {1, 2, len(values) - 1}  # key, name and source are user text
        for col, value in enumerate(values, start=1):
            if col in text_columns:
                as_text(wo.cell(row=i, column=col), value)
            else:
                wo.cell(row=i, column=col, value=value)

    # --- Effects: one row per intervention and outcome it affects -----------------------
    we = wb.create_sheet("Effects")
    _header(
        we,
        1,
        [
            _("Intervention number"),
            _("Intervention"),
            _("Outcome key"),
            _("Effect measure"),
            _("Effect"),
            _("Avoided risk per participant"),
            _("Decay per year"),
            _("Source"),
            _("Low/central/high"),
        ],
    )
    # (intervention index, outcome key, row on the Effects sheet)
    effect_rows: list[tuple[int, str, int]] = []
    row = 2
    for n, iv in enumerate(s.interventions):
        for e in iv.effects:
            k = outcome_row[e.outcome_key]
            base = f"Outcomes!$C${k}"
            we.cell(row=row, column=1, value=n + 1)
            as_text(we.cell(row=row, column=2), iv.name)
            as_text(we.cell(row=row, column=3), e.outcome_key)
            we.cell(row=row, column=4, value=e.measure.value)
            we.cell(row=row, column=5, value=e.size.central)
            we.cell(
                row=row,
                column=6,
                value=(
                    f'=IF(D{row}="rrr",{base}*E{row},IF(D{row}="d_cox",{base}-{base}'
                    f"*EXP(-1.65*E{row})/(1-{base}+{base}*EXP(-1.65*E{row})),0))"
                ),
            )
            we.cell(row=row, column=7, value=e.decay_per_year.central)
            as_text(we.cell(row=row, column=8), e.source)
            we.cell(
                row=row,
                column=9,
                value=f"effect {e.size.lo}–{e.size.hi}; "
                f"decay {e.decay_per_year.lo}–{e.decay_per_year.hi}",
            )
            effect_rows.append((n, e.outcome_key, row))
            row += 1

    # --- Costs --------------------------------------------------------------------------
    wc = wb.create_sheet("Costs")
    _header(
        wc,
        1,
        [
            _("Cost item"),
            _("Paid by"),
            _("Amount per year"),
            _("First year"),
            _("Last year"),
            _("Price year"),
            _("Price factor"),
            _("Amount, scenario prices"),
            _("Belongs to"),
            _("Group"),
        ],
    )
    cost_lines = [
        (c, iv.name, f"I{n + 1}") for n, iv in enumerate(s.interventions) for c in iv.costs
    ]
    cost_lines += [
        (c, f"{_('Programme')}: {COST_KIND_LABELS[c.kind]}" if c.kind else "", "P")
        for c in s.programme_costs
    ]
    for i, (c, owner, group) in enumerate(cost_lines, start=2):
        for col, value in enumerate(
            [
                c.label,
                c.payer.value,
                c.amount_per_year.central,
                c.first_year,
                c.last_year,
                c.price_year,
                s.price_factor(c.price_year),
                f"=C{i}*G{i}",
                owner,
                group,
            ],
            start=1,
        ):
            if col in (1, 9):  # the cost item's label and owner are user text
                as_text(wc.cell(row=i, column=col), value)
            else:
                wc.cell(row=i, column=col, value=value)
    last_cost = len(cost_lines) + 1

    def line_costs(row: int, condition: str) -> str:
        """Cost lines active in year A{row} meeting ``condition``, in scenario prices."""
        if not cost_lines:
            return "=0"
        return (
            f"=SUMPRODUCT(({condition})*(Costs!$D$2:$D${last_cost}<=A{row})"
            f"*(Costs!$E$2:$E${last_cost}>=A{row})*Costs!$H$2:$H${last_cost})"
        )

    # --- Cash flows ---------------------------------------------------------------------
    wf = wb.create_sheet("Cashflows")
    first, last = 2, horizon + 1
    years = f"$A${first}:$A${last}"
    headers = [_("Year"), _("Discount factor")]
    col = 3
    ramp_col: list[str] = []
    for iv in s.interventions:
        headers.append(_("Share of full reach: %(name)s") % {"name": iv.name})
        ramp_col.append(get_column_letter(col))
        col += 1
    effect_case_col: list[str] = []
    effect_saving_col: list[str] = []
    for n, key, _e in effect_rows:
        name = f"{s.interventions[n].name} – {s.outcome(key).name}"
        headers += [
            _("Avoided case-years: %(name)s") % {"name": name},
            _("Savings: %(name)s") % {"name": name},
        ]
        effect_case_col.append(get_column_letter(col))
        effect_saving_col.append(get_column_letter(col + 1))
        col += 2
    payer_saving_col = {p: get_column_letter(col + i) for i, p in enumerate(PAYERS)}
    col += len(PAYERS)
    payer_cost_col = {p: get_column_letter(col + i) for i, p in enumerate(PAYERS)}
    col += len(PAYERS)
    group_cost_col = [get_column_letter(col + n) for n in range(len(s.interventions) + 1)]
    col += len(s.interventions) + 1
    net_col, disc_col, cum_col = (get_column_letter(col + i) for i in range(3))
    headers += [_("Savings: %(payer)s") % {"payer": presentation.payer_label(p)} for p in PAYERS]
    headers += [_("Costs: %(payer)s") % {"payer": presentation.payer_label(p)} for p in PAYERS]
    headers += [_("Costs: %(name)s") % {"name": iv.name} for iv in s.interventions]
    headers += [_("Programme costs")]
    headers += [_("Net"), _("Discounted net"), _("Cumulative discounted net")]
    _header(wf, 1, headers)
    for t in range(1, horizon + 1):
        row = t + 1
        wf.cell(row=row, column=1, value=t)
        wf.cell(row=row, column=2, value=f"=1/(1+DiscountRate)^(A{row}-1)")
        for n, letter in enumerate(ramp_col):
            r_ = iv_row[n]
            wf[f"{letter}{row}"] = (
                f"=IF(A{row}<=Interventions!$E${r_},MIN(1,A{row}/Interventions!$D${r_}),0)"
            )
        for m, (n, key, e_row) in enumerate(effect_rows):
            k = outcome_row[key]
            ramp = f"${ramp_col[n]}${first}:${ramp_col[n]}${last}"
            spell = f"(A{row}-{years}-Outcomes!$E${k})"
            wf[f"{effect_case_col[m]}{row}"] = (
                f"=Interventions!$C${iv_row[n]}*Effects!$F${e_row}*SUMPRODUCT({ramp},"
                f"({spell}>=0)*({spell}<Outcomes!$D${k})*(1-Effects!$G${e_row})^ABS{spell})"
            )
            wf[f"{effect_saving_col[m]}{row}"] = f"={effect_case_col[m]}{row}*Outcomes!$I${k}"
        for p in PAYERS:
            terms = [
                f"{effect_saving_col[m]}{row}*Outcomes!${share_col[p]}${outcome_row[key]}"
                for m, (_n, key, _e) in enumerate(effect_rows)
            ]
            wf[f"{payer_saving_col[p]}{row}"] = "=" + "+".join(terms) if terms else 0
            wf[f"{payer_cost_col[p]}{row}"] = line_costs(
                row, f'Costs!$B$2:$B${last_cost}="{p.value}"'
            )
        groups = [f"I{n + 1}" for n in range(len(s.interventions))] + ["P"]
        for letter, group in zip(group_cost_col, groups, strict=True):
            wf[f"{letter}{row}"] = line_costs(row, f'Costs!$J$2:$J${last_cost}="{group}"')
        s_first, s_last = payer_saving_col[PAYERS[0]], payer_saving_col[PAYERS[-1]]
        c_first, c_last = payer_cost_col[PAYERS[0]], payer_cost_col[PAYERS[-1]]
        wf[f"{net_col}{row}"] = (
            f"=SUM({s_first}{row}:{s_last}{row})-SUM({c_first}{row}:{c_last}{row})"
        )
        wf[f"{disc_col}{row}"] = f"={net_col}{row}*B{row}"
        wf[f"{cum_col}{row}"] = (
            f"={disc_col}{row}" if t == 1 else f"={cum_col}{row - 1}+{disc_col}{row}"
        )

    # --- Results ------------------------------------------------------------------------
    wr = wb.create_sheet("Results", 1)
    if note:
        wr["A1"] = note
        wr["A1"].fill = NOTE_FILL
    _header(
        wr,
        3,
        [
            _("Payer"),
            _("Savings, present value"),
            _("Costs, present value"),
            _("Net present value"),
            _("Jämlik: net present value"),
            _("Weight in the result for society"),
        ],
    )
    wr.column_dimensions["A"].width = 34
    disc = f"Cashflows!$B${first}:$B${last}"
    for i, p in enumerate(PAYERS, start=4):
        wr.cell(row=i, column=1, value=presentation.payer_label(p))
        sc, cc = payer_saving_col[p], payer_cost_col[p]
        wr.cell(row=i, column=2, value=f"=SUMPRODUCT(Cashflows!${sc}${first}:${sc}${last},{disc})")
        wr.cell(row=i, column=3, value=f"=SUMPRODUCT(Cashflows!${cc}${first}:${cc}${last},{disc})")
        wr.cell(row=i, column=4, value=f"=B{i}-C{i}")
        wr.cell(row=i, column=5, value=r.by_payer[p].npv)
        wr.cell(row=i, column=6, value="=PublicFundsFactor" if p in TAX_FINANCED_PAYERS else 1)
    total = 4 + len(PAYERS)
    wr.cell(row=total, column=1, value=_("All payers")).font = BOLD
    for col_letter in "BCD":
        wr[f"{col_letter}{total}"] = f"=SUM({col_letter}4:{col_letter}{total - 1})"
    wr[f"E{total}"] = r.npv
    for row in wr.iter_rows(min_row=4, max_row=total, min_col=2, max_col=5):
        for cell in row:
            cell.number_format = MONEY
    bcr_row = total + 2
    wr[f"A{bcr_row}"] = _("Benefit-cost ratio")
    wr[f"B{bcr_row}"] = f'=IF(C{total}>0,B{total}/C{total},"–")'
    wr[f"E{bcr_row}"] = r.benefit_cost_ratio
    wr[f"A{bcr_row + 1}"] = _("Break-even year (Jämlik)")
    wr[f"E{bcr_row + 1}"] = r.break_even_year if r.break_even_year is not None else "–"
    wr[f"A{bcr_row + 2}"] = _("Internal rate of return (Jämlik)")
    wr[f"E{bcr_row + 2}"] = (
        r.internal_rate_of_return if r.internal_rate_of_return is not None else "–"
    )
    # The result for society: each payer's present values times its weight (column F).
    first_payer, last_payer = 4, total - 1
    soc = bcr_row + 4
    wr[f"A{soc}"] = (
        _("Result for society with the public funds factor")
        if s.public_funds_factor is not None
        else _("Result for society (no public funds factor applied: weights are 1)")
    )
    wr[f"A{soc}"].font = BOLD
    wr[f"B{soc}"], wr[f"E{soc}"] = _("Formula"), "Jämlik"
    wr[f"B{soc}"].font = wr[f"E{soc}"].font = BOLD
    weights = f"F{first_payer}:F{last_payer}"
    societal: list[tuple[str, str, Any]] = [
        (_("Public funds factor"), "=PublicFundsFactor", r.public_funds_factor or 1.0),
        (
            _("Savings, present value"),
            f"=SUMPRODUCT(B{first_payer}:B{last_payer},{weights})",
            r.societal_pv_savings,
        ),
        (
            _("Costs, present value"),
            f"=SUMPRODUCT(C{first_payer}:C{last_payer},{weights})",
            r.societal_pv_costs,
        ),
        (_("Net present value, all payers"), f"=B{soc + 2}-B{soc + 3}", r.societal_npv),
        (
            _("Benefit-cost ratio"),
            f'=IF(B{soc + 3}>0,B{soc + 2}/B{soc + 3},"–")',
            r.societal_benefit_cost_ratio if r.societal_benefit_cost_ratio is not None else "–",
        ),
    ]
    for i, (label, formula, value) in enumerate(societal, start=soc + 1):
        wr.cell(row=i, column=1, value=label)
        wr.cell(row=i, column=2, value=formula)
        wr.cell(row=i, column=5, value=value)
        if soc + 2 <= i <= soc + 4:
            wr.cell(row=i, column=2).number_format = MONEY
            wr.cell(row=i, column=5).number_format = MONEY

    # Each intervention's contribution and the programme costs (present values).
    by_iv = soc + len(societal) + 2
    wr[f"A{by_iv}"] = _("Contribution of each intervention (present values, all payers)")
    wr[f"A{by_iv}"].font = BOLD
    _header(
        wr,
        by_iv + 1,
        [
            _("Intervention"),
            _("Savings, present value"),
            _("Costs, present value"),
            _("Net present value"),
            _("Jämlik: net present value"),
        ],
    )

    def pv(letter: str) -> str:
        return f"SUMPRODUCT(Cashflows!${letter}${first}:${letter}${last},{disc})"

    contributions: list[tuple[str, str, str, float]] = []
    for n, (iv, contribution) in enumerate(zip(s.interventions, r.by_intervention, strict=True)):
        own = [effect_saving_col[m] for m, (owner, _k, _e) in enumerate(effect_rows) if owner == n]
        savings = "=" + "+".join(pv(letter) for letter in own) if own else "=0"
        contributions.append((iv.name, savings, "=" + pv(group_cost_col[n]), contribution.npv))
    contributions.append(
        (
            _("Programme costs (structure and systematic quality work)"),
            "=0",
            "=" + pv(group_cost_col[-1]),
            -r.programme_pv_costs,
        )
    )
    for i, (label, savings, cost, value) in enumerate(contributions, start=by_iv + 2):
        as_text(wr.cell(row=i, column=1), label)
        wr.cell(row=i, column=2, value=savings)
        wr.cell(row=i, column=3, value=cost)
        wr.cell(row=i, column=4, value=f"=B{i}-C{i}")
        wr.cell(row=i, column=5, value=value)
        for column in range(2, 6):
            wr.cell(row=i, column=column).number_format = MONEY

    mc = analysis.montecarlo
    mc_row = by_iv + 2 + len(contributions) + 1
    wr[f"A{mc_row}"] = _("Monte Carlo (values): %(draws)s draws, seed %(seed)s") % {
        "draws": mc.draws,
        "seed": mc.seed,
    }
    wr[f"A{mc_row}"].font = BOLD
    _header(
        wr,
        mc_row + 1,
        [_("Quantity"), _("Mean"), _("5th percentile"), _("Median"), _("95th percentile")],
    )
    intervals = [(_("Net present value, all payers"), mc.npv)] + [
        (
            _("Net present value: %(payer)s") % {"payer": presentation.payer_label(p)},
            mc.npv_by_payer[p],
        )
        for p in PAYERS
    ]
    if mc.benefit_cost_ratio is not None:
        intervals.append((_("Benefit-cost ratio"), mc.benefit_cost_ratio))
    if mc.public_funds_factor_applied:
        intervals.append((_("Net present value with the public funds factor"), mc.societal_npv))
        if mc.societal_benefit_cost_ratio is not None:
            intervals.append(
                (
                    _("Benefit-cost ratio with the public funds factor"),
                    mc.societal_benefit_cost_ratio,
                )
            )
    for i, (label, interval) in enumerate(intervals, start=mc_row + 2):
        for col, value in enumerate(
            [label, interval.mean, interval.p05, interval.p50, interval.p95], start=1
        ):
            wr.cell(row=i, column=col, value=value)
    prob_row = mc_row + 2 + len(intervals) + 1
    wr[f"A{prob_row}"] = _("Chance that savings exceed costs")
    wr[f"B{prob_row}"] = mc.probability_benefits_exceed_costs
    for i, p in enumerate(PAYERS, start=prob_row + 1):
        wr.cell(
            row=i,
            column=1,
            value=_("Chance of a positive NPV: %(payer)s") % {"payer": presentation.payer_label(p)},
        )
        wr.cell(row=i, column=2, value=mc.probability_by_payer[p])
    if mc.public_funds_factor_applied:
        row = prob_row + 1 + len(PAYERS)
        wr.cell(row=row, column=1, value=_("Chance that savings exceed costs, with the factor"))
        wr.cell(row=row, column=2, value=mc.probability_societal_benefits_exceed_costs)
    society_note = _(
        "Net present values for society, with the savings and costs of the municipality, "
        "region and state multiplied by the public funds factor."
    )

    # --- Sensitivity and histogram (values) ---------------------------------------------
    wt = wb.create_sheet("Sensitivity")
    _header(
        wt,
        1,
        [
            _("Input"),
            _("Low value"),
            _("High value"),
            _("NPV at low value"),
            _("NPV at high value"),
            _("Swing"),
        ],
    )
    wt.column_dimensions["A"].width = 48
    for i, row_data in enumerate(presentation.tornado_rows(analysis), start=2):
        for col, key in enumerate(
            ["label", "low_value", "high_value", "npv_at_low", "npv_at_high", "swing"], start=1
        ):
            wt.cell(row=i, column=col, value=row_data[key])
    if analysis.tornado.public_funds_factor_applied:
        wt["H1"] = society_note
    wh = wb.create_sheet("MonteCarlo")
    _header(wh, 1, [_("From (SEK)"), _("To (SEK)"), _("Number of draws")])
    if mc.public_funds_factor_applied:
        wh["E1"] = society_note
    for i, row_data in enumerate(presentation.histogram_rows(analysis), start=2):
        for col, key in enumerate(["start", "end", "count"], start=1):
            wh.cell(row=i, column=col, value=row_data[key])

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _svg_data_uri(spec: dict[str, Any]) -> str:
    from jamlik.reports.pdf import print_svg, svg_data_uri

    return svg_data_uri(print_svg(spec, width=600))


def scenario_pdf(request: HttpRequest, scenario: Scenario, analysis: Analysis) -> bytes:
    """A printable report of the scenario (WeasyPrint), charts rendered to SVG on the server."""
    from weasyprint import HTML

    charts = [
        presentation.npv_by_payer_chart(analysis),
        presentation.savings_per_year_chart(analysis),
        presentation.tornado_chart(analysis),
        presentation.montecarlo_chart(analysis),
    ]
    for chart in charts:
        chart["image"] = _svg_data_uri(chart["spec"])
    html = render_to_string(
        "economics/pdf.html",
        {
            "scenario": scenario,
            "analysis": analysis,
            "figures": presentation.key_figures(analysis),
            "payer_rows": presentation.payer_rows(analysis),
            "outcome_rows": presentation.outcome_rows(analysis),
            "cost_rows": presentation.cost_rows(analysis),
            "intervention_rows": presentation.intervention_rows(analysis),
            "charts": charts,
            "demo": scenario.is_demo,
        },
        request,
    )
    return bytes(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf())

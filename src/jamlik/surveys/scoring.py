"""Scoring respondents: a flag per respondent and measure (1 = at risk / protected / yes).

The rule, as in the Communities That Care Youth Survey (Arthur et al. 2002) and its
Swedish use in the Stockholmsenkäten:

* A scale's score is the mean of the items the respondent answered, each reverse
  item first recoded as ``lowest code + highest code - answer`` (so that a high score
  always points the scale's way).
* A respondent who answered fewer items than the scale's ``min_items`` share
  (rounded up, at least one: half of 3 items is 2) gets no score for that scale and
  is counted in ``excluded`` - never silently dropped, never scored on one item of
  four.
* A risk scale flags the respondent as *at risk* when the score is **above** the
  cut-point; a protective scale flags *protected* when the score is **at or above**
  it.  (Comparisons allow 1e-9 for the rounding of a mean of thirds against a
  cut-point typed as a decimal.)
* An indicator flags 1 when the answer is one of its ``yes`` codes, 0 for another
  code, and NaN when the question was not answered.

The share of flagged respondents is then estimated per area and group by
:mod:`jamlik.surveys.aggregate`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jamlik.surveys.microdata import Respondents
from jamlik.surveys.scales import Scale, ScaleSet

#: Tolerance for comparing a mean with a cut-point written as a decimal.
TOLERANCE = 1e-9


@dataclass
class Scored:
    """One flag column per measure (1.0 / 0.0 / NaN), and what each measure left out."""

    flags: pd.DataFrame
    #: Per scale: respondents with fewer answered items than ``min_items`` requires.
    excluded: dict[str, int]
    #: Per measure: respondents with a flag (0 or 1).
    answered: dict[str, int]


def scale_scores(
    frame: pd.DataFrame, scale: Scale, scales: ScaleSet
) -> tuple[np.ndarray, np.ndarray]:
    """The mean score per respondent (NaN when too few items) and the answered-item counts."""
    columns = []
    for item in scale.items:
        values = frame[item].to_numpy(dtype=float)
        if item in scale.reverse:
            question = scales.questions[item]
            values = question.low + question.high - values
        columns.append(values)
    matrix = np.column_stack(columns)
    answered = (~np.isnan(matrix)).sum(axis=1)
    total = np.nansum(matrix, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(answered >= scale.required_items(), total / answered, np.nan)
    return score, answered


def flag_scale(score: np.ndarray, scale: Scale) -> np.ndarray:
    """1.0 at risk / protected, 0.0 not, NaN without a score (see the module's rule)."""
    if scale.kind == "risk":
        hit = score > scale.cutpoint + TOLERANCE
    else:
        hit = score >= scale.cutpoint - TOLERANCE
    return np.where(np.isnan(score), np.nan, hit.astype(float))


def score(respondents: Respondents, scales: ScaleSet) -> Scored:
    """Flag every respondent on every scale and indicator of ``scales``."""
    frame = respondents.frame
    flags: dict[str, np.ndarray] = {}
    excluded: dict[str, int] = {}
    for scale in scales.scales:
        values, answered = scale_scores(frame, scale, scales)
        flags[scale.id] = flag_scale(values, scale)
        excluded[scale.id] = int((answered < scale.required_items()).sum())
    for indicator in scales.indicators:
        answers = frame[indicator.question].to_numpy(dtype=float)
        hit = np.isin(answers, indicator.yes).astype(float)
        flags[indicator.id] = np.where(np.isnan(answers), np.nan, hit)
    table = pd.DataFrame(flags, index=frame.index)
    counts = {measure: int(table[measure].notna().sum()) for measure in table.columns}
    return Scored(flags=table, excluded=excluded, answered=counts)

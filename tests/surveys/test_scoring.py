"""The scale rule: mean of answered items, reverse items, min_items, cut-points."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from jamlik.surveys.microdata import Respondents
from jamlik.surveys.scales import load_scale_set
from jamlik.surveys.scoring import score

DEFINITION = """
schema_version = 1
survey_sv = "E"
survey_en = "S"
code_prefix = "ue"
min_respondents = 10
{questions}

[[scales]]
id = "risky"
factor = "family_conflict"
kind = "risk"
name_sv = "R"
name_en = "R"
items = ["q1", "q2", "q3", "q4"]
reverse = ["q4"]
cutpoint = 2.5
min_items = 0.5
definition_sv = "d"
definition_en = "d"

[[scales]]
id = "safe"
factor = "family_attachment"
kind = "protective"
name_sv = "S"
name_en = "S"
items = ["q1", "q2", "q3"]
cutpoint = 3.0
min_items = 0.75
definition_sv = "d"
definition_en = "d"

[[indicators]]
id = "said_yes"
name_sv = "J"
name_en = "Y"
question = "q5"
yes = [3, 4]
polarity = "low"
definition_sv = "d"
definition_en = "d"
"""
QUESTION = """
[[questions]]
id = "{id}"
text_sv = "t"
text_en = "t"
codes = [1, 2, 3, 4]
missing = [9]
"""
SCALES = load_scale_set(
    DEFINITION.format(questions="".join(QUESTION.format(id=f"q{i}") for i in range(1, 6)))
)
NAN = math.nan


def respondents(answers: list[list[float]]) -> Respondents:
    frame = pd.DataFrame(answers, columns=["q1", "q2", "q3", "q4", "q5"], dtype=float)
    for column, value in (("kommun", "0127"), ("district", ""), ("year", 2024),
                          ("school_year", "ak9"), ("sex", "female"), ("weight", 1.0)):  # fmt: skip
        frame[column] = value
    return Respondents(frame, len(frame), False, "t.csv", "csv")


def test_reverse_items_are_recoded_low_plus_high_minus_answer():
    # q4 = 1 reversed is 4: mean (2 + 2 + 2 + 4) / 4 = 2.5, not above 2.5.
    # q4 = 4 reversed is 1: mean (3 + 3 + 3 + 1) / 4 = 2.5 again.
    # q4 = 1 with 3,3,3: mean 13/4 = 3.25 > 2.5 -> at risk.
    scored = score(respondents([[2, 2, 2, 1, 1], [3, 3, 3, 4, 1], [3, 3, 3, 1, 1]]), SCALES)
    assert scored.flags["risky"].tolist() == [0.0, 0.0, 1.0]


def test_risk_is_above_the_cutpoint_and_protection_at_or_above():
    scored = score(respondents([[3, 3, 3, 2, 1], [3, 3, 2, 4, 1], [4, 3, 2, 3, 1]]), SCALES)
    # protective mean of q1..q3: 3.0 (>= 3 protected), 8/3 (not), 3.0 (protected)
    assert scored.flags["safe"].tolist() == [1.0, 0.0, 1.0]
    # risk mean: (3+3+3+3)/4 = 3 > 2.5; (3+3+2+1)/4 = 2.25; (4+3+2+2)/4 = 2.75
    assert scored.flags["risky"].tolist() == [1.0, 0.0, 1.0]


def test_too_few_items_excludes_and_counts():
    rows = [
        [4, NAN, NAN, NAN, 1],  # risky: 1 of 4 answered < 2 -> excluded; safe: 1 of 3 < 3
        [
            4,
            4,
            NAN,
            NAN,
            1,
        ],  # risky: 2 of 4 -> scored (mean 4); safe: 2 of 3 < 3 (0.75*3=2.25 -> 3)
        [NAN, NAN, NAN, NAN, NAN],  # nothing answered: excluded everywhere, indicator missing
        [1, 1, 1, 4, 3],  # all answered
    ]
    scored = score(respondents(rows), SCALES)
    flags = scored.flags
    assert np.isnan(flags.loc[0, "risky"]) and flags.loc[1, "risky"] == 1.0
    assert flags["safe"].isna().tolist() == [True, True, True, False]
    assert scored.excluded == {"risky": 2, "safe": 3}
    assert scored.answered == {"risky": 2, "safe": 1, "said_yes": 3}


def test_indicator_flags_yes_codes_and_leaves_missing_missing():
    scored = score(respondents([[1, 1, 1, 1, 3], [1, 1, 1, 1, 2], [1, 1, 1, 1, NAN]]), SCALES)
    assert scored.flags["said_yes"].tolist()[:2] == [1.0, 0.0]
    assert np.isnan(scored.flags["said_yes"].iloc[2])


def test_flags_keep_the_respondents_index():
    data = respondents([[1, 1, 1, 1, 1], [4, 4, 4, 1, 4]])
    data.frame.index = [10, 20]
    scored = score(data, SCALES)
    assert list(scored.flags.index) == [10, 20]
    assert list(scored.flags.columns) == ["risky", "safe", "said_yes"]


@pytest.mark.parametrize("cut", ["2.1", "2.2", "2.3333333333"])
def test_cutpoints_typed_as_decimals_compare_as_intended(cut):
    text = DEFINITION.format(
        questions="".join(QUESTION.format(id=f"q{i}") for i in range(1, 6))
    ).replace("cutpoint = 3.0", f"cutpoint = {cut}")
    scales = load_scale_set(text)
    # mean 7/3 = 2.333...: protected when the cut-point is at or below it
    scored = score(respondents([[3, 2, 2, 1, 1]]), scales)
    assert scored.flags["safe"].iloc[0] == 1.0

"""Write Jämlik's INVENTED youth-survey microdata for the demo, with its exact truth.

    .venv/bin/python scripts/make_demo_youth_survey.py [--out src/jamlik/surveys/data/demo]

Output (both deterministic: numpy's default_rng with a fixed seed):

* ``ungdomsenkat_2024_demo.csv`` - one row per invented pupil (åk 9 and gy 2) in the
  26 kommuner of Stockholms län, 2024, with the district (stadsdel) in Stockholm and
  Botkyrka, sex, a design weight and an answer to every question of the shipped
  scale definition (``src/jamlik/surveys/data/ungdomsenkat.toml``).  UTF-8 with BOM,
  semicolons, weights with a decimal comma, as a Swedish export would have them.
* ``truth.json`` - the exact share per measure for the county, each kommun, each
  district, and each kommun × sex × school year, with the unweighted counts, and
  how many pupils each scale excludes (too few items answered).

How the truth is exact, by construction: for each cell (kommun, district, school
year, sex) the script first fixes how many pupils there are, how many lack an answer
(or, for a scale, answered too few items), and how many are flagged (at risk,
protected, or "yes") - ``round(n × p)`` from an invented probability - and only then
writes answers that give exactly those flags under the scoring rule of
:mod:`jamlik.surveys.scoring` (scale means pushed above or below the cut-point,
reverse items written reversed).  Rows are then shuffled.  Design weights are
constant within kommun × school year (cohort / respondents), so the weighted share
of a kommun is ``Σ w·x / Σ w·n`` over its two school years, computed here from the
counts, not by the pipeline it tests.

The probabilities are invented: a county-wide base rate per measure, shifted by
school year, sex and an invented "circumstances" score per kommun or district (the
district scores are those of ``jamlik.indicators.demo.DISTRICTS``), and for Botkyrka
clearly raised risk (low school commitment, family conflict, early initiation, easy
access to substances) and lowered protection (school connectedness, prosocial
involvement), so that the demo's profile and prevention-star suggestions show a real
signal.  Nothing here describes real pupils or real kommuner.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import tomllib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = ROOT / "src" / "jamlik" / "surveys" / "data" / "ungdomsenkat.toml"
OUT = ROOT / "src" / "jamlik" / "surveys" / "data" / "demo"
CSV_NAME = "ungdomsenkat_2024_demo.csv"
SEED = 20240416
YEAR = 2024
GRADES = (("ak9", "åk 9"), ("gy2", "gy 2"))
SEXES = (("female", "flicka"), ("male", "pojke"), ("", ""))
UNKNOWN_SEX = 0.02
MISSING_SHARE = 0.03  # no answer to an indicator / too few items for a scale
PARTIAL_SHARE = 0.06  # scored respondents who skipped one item (still enough)

#: Kommun code, name, population (rounded, for invented cohort sizes) and an invented
#: circumstances score (negative = harder).
KOMMUNER = (
    ("0114", "Upplands Väsby", 48_000, -0.3), ("0115", "Vallentuna", 35_000, 0.5),
    ("0117", "Österåker", 48_000, 0.6), ("0120", "Värmdö", 47_000, 0.5),
    ("0123", "Järfälla", 83_000, 0.0), ("0125", "Ekerö", 29_000, 0.8),
    ("0126", "Huddinge", 115_000, -0.4), ("0127", "Botkyrka", 97_000, -1.0),
    ("0128", "Salem", 17_000, 0.1), ("0136", "Haninge", 97_000, -0.5),
    ("0138", "Tyresö", 49_000, 0.3), ("0139", "Upplands-Bro", 31_000, -0.2),
    ("0140", "Nykvarn", 12_000, 0.1), ("0160", "Täby", 75_000, 1.2),
    ("0162", "Danderyd", 34_000, 1.6), ("0163", "Sollentuna", 76_000, 0.7),
    ("0180", "Stockholm", 985_000, 0.2), ("0181", "Södertälje", 102_000, -1.2),
    ("0182", "Nacka", 110_000, 0.8), ("0183", "Sundbyberg", 55_000, -0.3),
    ("0184", "Solna", 85_000, 0.4), ("0186", "Lidingö", 48_000, 1.3),
    ("0187", "Vaxholm", 12_000, 1.2), ("0188", "Norrtälje", 64_000, -0.2),
    ("0191", "Sigtuna", 50_000, -1.0), ("0192", "Nynäshamn", 29_000, -0.3),
)  # fmt: skip
#: District names, circumstances scores and populations as in jamlik.indicators.demo.DISTRICTS
#: (a test checks they agree; that module needs Django, this script does not).
DISTRICTS = {
    "0180": (
        ("Rinkeby-Kista", -1.9, 50_000), ("Spånga-Tensta", -1.3, 40_000),
        ("Hässelby-Vällingby", -0.2, 75_000), ("Bromma", 1.2, 82_000),
        ("Kungsholmen", 1.0, 70_000), ("Norrmalm", 1.1, 72_000), ("Östermalm", 1.5, 74_000),
        ("Södermalm", 0.9, 132_000), ("Enskede-Årsta-Vantör", -0.1, 105_000),
        ("Skarpnäck", 0.1, 50_000), ("Farsta", -0.3, 58_000),
        ("Hägersten-Älvsjö", 0.6, 110_000), ("Skärholmen", -1.5, 38_000),
    ),
    "0127": (
        ("Alby", -2.0, 14_000), ("Fittja", -2.1, 8_000), ("Hallunda-Norsborg", -1.7, 17_000),
        ("Tumba", -0.3, 27_000), ("Tullinge", 0.8, 19_000), ("Vårsta-Grödinge", 0.6, 10_000),
    ),
}  # fmt: skip
#: Pupils per school year as a share of the population (invented, about 1.1 %).
COHORT_SHARE = 0.011
#: Share of a cohort answering (invented; Stockholm samples fewer, so weighs more).
RESPONSE = {"default": 0.46, "0180": 0.26}

#: Invented base probability (åk 9 girls, score 0) of each measure's flag.
BASE = {
    "low_school_commitment": 0.28, "family_conflict": 0.20, "early_initiation": 0.14,
    "favourable_attitudes": 0.18, "availability_substances": 0.32,
    "friends_problem_behaviour": 0.16, "family_attachment": 0.70,
    "school_connectedness": 0.55, "prosocial_involvement": 0.48, "prosocial_peers": 0.62,
    "physically_active": 0.18, "alcohol_30_days": 0.14, "nicotine_30_days": 0.11,
    "cannabis_ever": 0.05, "feels_safe": 0.78, "trusts_adults": 0.72, "bullied": 0.08,
}  # fmt: skip
#: Log-odds shifts for gy 2 and for boys.
GY2 = {
    "low_school_commitment": 0.2, "early_initiation": 0.6, "favourable_attitudes": 0.6,
    "availability_substances": 0.9, "friends_problem_behaviour": 0.5, "alcohol_30_days": 1.2,
    "nicotine_30_days": 0.7, "cannabis_ever": 0.8, "physically_active": -0.3,
    "prosocial_involvement": -0.3, "bullied": -0.4,
}  # fmt: skip
MALE = {
    "low_school_commitment": 0.25, "family_conflict": -0.3, "physically_active": 0.4,
    "feels_safe": 0.8, "prosocial_involvement": 0.1, "nicotine_30_days": -0.1,
    "bullied": -0.1, "favourable_attitudes": 0.2,
}  # fmt: skip
#: Log-odds per unit of circumstances score (risk down, protection up as it rises).
SCORE_EFFECT = 0.28
#: Botkyrka's own shifts (on top of its districts' scores): the demo's real signal.
BOTKYRKA = {
    "low_school_commitment": 0.7, "family_conflict": 0.7, "early_initiation": 0.6,
    "availability_substances": 0.6, "friends_problem_behaviour": 0.3,
    "school_connectedness": -0.6, "prosocial_involvement": -0.7, "trusts_adults": -0.4,
}  # fmt: skip


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def probability(measure: str, good: bool, grade: str, sex: str, score: float, kommun: str) -> float:
    """The invented probability of the flag for one cell."""
    shift = GY2.get(measure, 0.0) if grade == "gy2" else 0.0
    shift += MALE.get(measure, 0.0) if sex == "male" else 0.0
    shift += (SCORE_EFFECT if good else -SCORE_EFFECT) * score
    shift += BOTKYRKA.get(measure, 0.0) if kommun == "0127" else 0.0
    return _expit(_logit(BASE[measure]) + shift)


class Definition:
    """What the script needs of the shipped TOML (read with tomllib, no Django)."""

    def __init__(self, path: Path) -> None:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        self.questions = {q["id"]: q for q in data["questions"]}
        self.scales = data["scales"]
        self.indicators = data.get("indicators", [])
        self.measures = [s["id"] for s in self.scales] + [i["id"] for i in self.indicators]
        self.good = {s["id"]: s["kind"] == "protective" for s in self.scales}
        self.good |= {i["id"]: i["polarity"] == "high" for i in self.indicators}


def _missing_answers(rng: np.random.Generator, question: dict, size: int) -> list[str]:
    """Declared missing codes (70 %) or blanks."""
    codes = question.get("missing", [])
    out = []
    for _ in range(size):
        if codes and rng.random() < 0.7:
            out.append(str(codes[int(rng.integers(len(codes)))]))
        else:
            out.append("")
    return out


def scale_answers(
    rng: np.random.Generator, scale: dict, questions: dict, states: np.ndarray
) -> dict[str, list[str]]:
    """Answers to a scale's items giving exactly ``states`` (1 flag, 0 not, -1 too few items).

    Values are drawn in the scale's direction (r: 1..4, high = towards the flag),
    then the lowest/highest answered item is stepped until the mean is on the right
    side of the cut-point; a reverse item is written as 5 - r.
    """
    items = scale["items"]
    m = len(items)
    required = max(1, math.ceil(scale.get("min_items", 0.5) * m - 1e-9))
    cut = float(scale["cutpoint"])
    risk = scale["kind"] == "risk"
    size = len(states)
    answered = np.ones((size, m), dtype=bool)
    for row in range(size):
        if states[row] < 0:
            count = int(rng.integers(0, required))
            keep = rng.choice(m, size=count, replace=False)
            answered[row] = False
            answered[row, keep] = True
        elif m - 1 >= required and rng.random() < PARTIAL_SHARE:
            answered[row, int(rng.integers(m))] = False
    high = rng.choice([2, 3, 4], size=(size, m), p=[0.2, 0.45, 0.35])
    low = rng.choice([1, 2, 3], size=(size, m), p=[0.4, 0.4, 0.2])
    values = np.where((states == 1)[:, None], high, low).astype(float)
    values = np.where(answered, values, np.nan)
    for _ in range(4 * m + 4):
        counts = answered.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nansum(values, axis=1) / counts
        flagged = (mean > cut) if risk else (mean >= cut)
        too_low = (states == 1) & ~flagged
        too_high = (states == 0) & flagged
        if not (too_low.any() or too_high.any()):
            break
        up = np.nanargmin(np.where(values < 4, values, np.inf), axis=1)
        down = np.nanargmax(np.where(values > 1, values, -np.inf), axis=1)
        rows = np.flatnonzero(too_low)
        values[rows, up[rows]] += 1
        rows = np.flatnonzero(too_high)
        values[rows, down[rows]] -= 1
    else:  # pragma: no cover - the loop always converges for cut-points inside 1..4
        raise RuntimeError(f"could not reach the flags of {scale['id']}")
    out: dict[str, list[str]] = {}
    reverse = set(scale.get("reverse", []))
    for column, item in enumerate(items):
        gaps = iter(_missing_answers(rng, questions[item], int((~answered[:, column]).sum())))
        texts = []
        for row in range(size):
            if not answered[row, column]:
                texts.append(next(gaps))
                continue
            value = int(values[row, column])
            texts.append(str(5 - value if item in reverse else value))
        out[item] = texts
    return out


def indicator_answers(
    rng: np.random.Generator, indicator: dict, question: dict, states: np.ndarray
) -> list[str]:
    yes = list(indicator["yes"])
    no = [c for c in question["codes"] if c not in yes]
    gaps = iter(_missing_answers(rng, question, int((states < 0).sum())))
    out = []
    for state in states:
        if state < 0:
            out.append(next(gaps))
        else:
            pool = yes if state == 1 else no
            out.append(str(pool[int(rng.integers(len(pool)))]))
    return out


def _cells() -> list[tuple[str, str, float, float]]:
    """``(kommun, district, score, population share)`` of every place respondents live."""
    places = []
    for code, _name, _population, score in KOMMUNER:
        if code in DISTRICTS:
            total = sum(p for _n, _s, p in DISTRICTS[code])
            places += [(code, name, s, p / total) for name, s, p in DISTRICTS[code]]
        else:
            places.append((code, "", score, 1.0))
    return places


def generate(definition: Definition, seed: int = SEED) -> tuple[list[list[str]], dict]:
    """The rows (shuffled) and the truth."""
    rng = np.random.default_rng(seed)
    header_questions = list(definition.questions)
    rows: list[list[str]] = []
    # counts[(kommun, district, grade, sex, measure)] = (x, n); weights[(kommun, grade)]
    counts: dict[tuple[str, str, str, str, str], tuple[int, int]] = {}
    weights: dict[tuple[str, str], float] = {}
    excluded = dict.fromkeys((s["id"] for s in definition.scales), 0)
    # Sizes first: cohort and response per kommun x school year, respondents per place.
    sizes: dict[tuple[str, str, str], int] = {}
    cohorts: dict[tuple[str, str], int] = {}
    places = _cells()
    for code, _name, population, _score in KOMMUNER:
        for grade, _label in GRADES:
            cohorts[(code, grade)] = round(population * COHORT_SHARE * rng.uniform(0.9, 1.1))
            response = RESPONSE.get(code, RESPONSE["default"]) * rng.uniform(0.85, 1.15)
            for kommun, district, _s, share in places:
                if kommun == code:
                    sizes[(kommun, district, grade)] = max(
                        12, round(cohorts[(code, grade)] * response * share)
                    )
    for (code, grade), cohort in cohorts.items():
        answered_here = sum(n for (k, _d, g), n in sizes.items() if (k, g) == (code, grade))
        weights[(code, grade)] = round(cohort / answered_here, 4)
    for kommun, district, score, _share in places:
        for grade, grade_label in GRADES:
            total = sizes[(kommun, district, grade)]
            unknown = round(total * UNKNOWN_SEX)
            girls = (total - unknown) // 2 + int(rng.integers(0, 2))
            for (sex, sex_label), n in zip(
                SEXES, (girls, total - unknown - girls, unknown), strict=True
            ):
                if n == 0:
                    continue
                columns: dict[str, list[str]] = {}
                for measure in definition.measures:
                    p = probability(measure, definition.good[measure], grade, sex, score, kommun)
                    missing = round(n * MISSING_SHARE * rng.uniform(0.5, 1.5))
                    answered = n - missing
                    x = round(answered * p)
                    states = np.array([1] * x + [0] * (answered - x) + [-1] * missing)
                    rng.shuffle(states)
                    counts[(kommun, district, grade, sex, measure)] = (x, answered)
                    if measure in excluded:
                        excluded[measure] += missing
                        scale = next(s for s in definition.scales if s["id"] == measure)
                        columns |= scale_answers(rng, scale, definition.questions, states)
                    else:
                        indicator = next(i for i in definition.indicators if i["id"] == measure)
                        question = definition.questions[indicator["question"]]
                        columns[indicator["question"]] = indicator_answers(
                            rng, indicator, question, states
                        )
                weight = f"{weights[(kommun, grade)]:.4f}".replace(".", ",")
                for index in range(n):
                    rows.append(
                        [kommun, district, str(YEAR), grade_label, sex_label, weight]
                        + [columns[q][index] for q in header_questions]
                    )
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    truth = _truth(definition, counts, weights, excluded, len(rows))
    return rows, truth


def _share(parts: list[tuple[int, int, float]]) -> dict:
    x = sum(p[0] for p in parts)
    n = sum(p[1] for p in parts)
    weighted_x = sum(p[0] * p[2] for p in parts)
    weighted_n = sum(p[1] * p[2] for p in parts)
    return {"x": x, "n": n, "value": 100 * weighted_x / weighted_n}


def _truth(definition: Definition, counts: dict, weights: dict, excluded: dict, rows: int) -> dict:
    cells = []

    def add(
        measure: str, level: str, kommun: str, district: str, breakdown: str, category: str, keep
    ) -> None:
        parts = [
            (x, n, weights[(k, g)])
            for (k, d, g, s, m), (x, n) in counts.items()
            if m == measure and keep(k, d, g, s)
        ]
        if sum(p[1] for p in parts):
            cells.append(
                {"measure": measure, "level": level, "kommun": kommun, "district": district,
                 "breakdown": breakdown, "category": category} | _share(parts)
            )  # fmt: skip

    for measure in definition.measures:
        add(measure, "county", "", "", "total", "total", lambda k, d, g, s: True)
        for code, *_rest in KOMMUNER:
            add(
                measure,
                "municipality",
                code,
                "",
                "total",
                "total",
                lambda k, d, g, s, c=code: k == c,
            )
            for grade, _label in GRADES:
                for sex in ("female", "male"):
                    add(
                        measure, "municipality", code, "", "school_year*sex", f"{grade}*{sex}",
                        lambda k, d, g, s, c=code, gr=grade, sx=sex: (k, g, s) == (c, gr, sx),
                    )  # fmt: skip
        for code, districts in DISTRICTS.items():
            for name, _score, _population in districts:
                add(measure, "district", code, name, "total", "total",
                    lambda k, d, g, s, c=code, dn=name: (k, d) == (c, dn))  # fmt: skip
    return {
        "note": "INVENTED data for Jämlik's demo and tests; no real pupils, schools or kommuner are described.",
        "made_by": "scripts/make_demo_youth_survey.py",
        "seed": SEED,
        "year": YEAR,
        "rows": rows,
        "weights": {f"{k}:{g}": w for (k, g), w in sorted(weights.items())},
        "excluded": excluded,
        "cells": cells,
    }


def write(out: Path, seed: int = SEED) -> tuple[Path, Path]:
    definition = Definition(DEFINITION)
    rows, truth = generate(definition, seed)
    out.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["kommun", "stadsdel", "år", "årskurs", "kön", "vikt", *definition.questions])
    writer.writerows(rows)
    csv_path = out / CSV_NAME
    csv_path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    truth_path = out / "truth.json"
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return csv_path, truth_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    for path in write(args.out):
        sys.stdout.write(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

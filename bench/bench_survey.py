"""Benchmark: a county's youth-survey microdata read, scored, aggregated, stored and published.

The invented demo file (Stockholms län, about 20 700 respondents, one wave) is repeated
for ``--waves`` survey years (default 5: a county loading its history at once, about
100 000 respondent rows), written as a Swedish office CSV (semicolons, Windows-1252).
Each phase is timed on a fresh SQLite database:

* **read**: :func:`jamlik.surveys.microdata.read_microdata` (encoding and dialect
  detection, column matching, the identifying-column and answer-code checks);
  baseline: :func:`pandas.read_csv` of the same bytes with the separator and encoding
  given, the least any reader does with every cell;
* **score** and **aggregate**: the scale rule and every level × year × breakdown cell;
* **import**: :func:`jamlik.surveys.services.import_survey`, the whole path a county
  administrator's upload takes (read, score, aggregate, store staged);
* **publish**: :func:`jamlik.indicators.staging.publish` of that run (the protected
  public table of every survey indicator).

Run: ``.venv/bin/python bench/bench_survey.py [--waves 5]``
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import Options, data_folder, setup_django, write_results  # noqa: E402 - beside this file

DEMO = HERE.parent / "src" / "jamlik" / "surveys" / "data" / "demo" / "ungdomsenkat_2024_demo.csv"


def survey_file(waves: int) -> bytes:
    """The demo file repeated for ``waves`` years (2024, 2022, …), in Windows-1252."""
    text = DEMO.read_text(encoding="utf-8-sig")
    header, _, body = text.partition("\n")
    columns = header.split(";")
    year = next(i for i, c in enumerate(columns) if c.strip().lower() in ("år", "ar", "year"))
    lines = [header]
    for wave in range(waves):
        for line in body.splitlines():
            if not line:
                continue
            cells = line.split(";")
            cells[year] = str(2024 - 2 * wave)
            lines.append(";".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _timed(work: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> None:
    options = Options(__doc__)
    options.add_argument("--waves", type=int, default=5)
    args = options.read(argv)
    data = survey_file(args.waves)
    with data_folder("survey") as folder:
        setup_django(folder)
        import pandas as pd

        from jamlik.geo.models import Area
        from jamlik.geo.services import add_district
        from jamlik.indicators.demo import DISTRICTS
        from jamlik.indicators.staging import publish
        from jamlik.surveys.aggregate import aggregate
        from jamlik.surveys.microdata import read_microdata
        from jamlik.surveys.scales import load_scale_set, shipped_scale_text
        from jamlik.surveys.scoring import score
        from jamlik.surveys.services import import_survey

        for kommun_code, districts in DISTRICTS.items():  # the file names the demo's districts
            kommun = Area.objects.get(code=kommun_code)
            for code, name, _score, _population in districts:
                add_district(kommun, code=code, name=name)
        scales = load_scale_set(shipped_scale_text())
        baseline, _ = _timed(
            lambda: pd.read_csv(io.BytesIO(data), sep=";", encoding="cp1252", dtype=str)
        )
        read, respondents = _timed(lambda: read_microdata("survey.csv", data, scales))
        scoring, scored = _timed(lambda: score(respondents, scales))
        aggregating, cells = _timed(lambda: aggregate(respondents, scored, scales))
        county = Area.objects.get(code="01")
        importing, imported = _timed(lambda: import_survey(county, "survey.csv", data))
        run = imported.import_run
        publishing, _ = _timed(lambda: publish(run, user=None))
    rows = respondents.rows_read
    results = {
        "respondents": rows,
        "bytes": len(data),
        "cells": len(cells),
        "baseline_read_csv_s": round(baseline, 3),
        "read_s": round(read, 3),
        "read_ratio": round(read / baseline, 2),
        "score_s": round(scoring, 3),
        "aggregate_s": round(aggregating, 3),
        "import_s": round(importing, 3),
        "import_ratio": round(importing / baseline, 2),
        "publish_s": round(publishing, 3),
        "respondents_per_s_import": round(rows / importing),
    }
    for key, value in results.items():
        print(f"{key:28} {value}")
    print(f"results: {write_results('bench_survey', results)}")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Reading survey microdata: formats, aliases, and the refusals (identifying columns, codes)."""

from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd
import pyreadstat
import pytest

from jamlik.surveys.microdata import MicrodataError, read_microdata, school_year, sex
from jamlik.surveys.scales import load_scale_set, shipped_scale_text

SCALES = load_scale_set(shipped_scale_text())
QUESTIONS = list(SCALES.questions)


def answers(value: str = "2", **overrides: str) -> list[str]:
    return [overrides.get(q, value) for q in QUESTIONS]


def csv_bytes(header: list[str], rows: list[list[str]], *, encoding="utf-8", sep=";") -> bytes:
    lines = [sep.join(header)] + [sep.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


HEADER = ["Kommun", "Stadsdel", "År", "Årskurs", "Kön", "Vikt", *QUESTIONS]


def test_csv_in_windows_1252_with_semicolons():
    rows = [
        ["0127", "Hallunda-Norsborg", "2024", "Åk 9", "Flicka", "1,25", *answers()],
        [
            "Södertälje",
            "",
            "2024",
            "gy 2",
            "Pojke",
            "2",
            *[str(SCALES.questions[q].missing[0]) for q in QUESTIONS],
        ],
        ["114", "", "2024", "", "", "3,5", *answers("")],
    ]
    result = read_microdata("enkät.csv", csv_bytes(HEADER, rows, encoding="cp1252"), SCALES)
    frame = result.frame
    assert result.format == "csv" and result.rows_read == 3 and result.weighted
    assert frame["kommun"].tolist() == ["0127", "Södertälje", "0114"]
    assert frame["district"].tolist() == ["Hallunda-Norsborg", "", ""]
    assert frame["school_year"].tolist() == ["ak9", "gy2", ""]
    assert frame["sex"].tolist() == ["female", "male", ""]
    assert frame["weight"].tolist() == [1.25, 2.0, 3.5]
    assert frame["year"].tolist() == [2024] * 3
    assert frame.loc[0, "sk1"] == 2.0
    assert math.isnan(frame.loc[1, "sk1"]) and math.isnan(frame.loc[1, "ed1"])  # 9, 99 missing
    assert frame[QUESTIONS].iloc[2].isna().all()  # blanks


def test_year_from_the_caller_and_no_weights():
    header = ["kommun", *QUESTIONS]
    result = read_microdata(
        "a.csv", csv_bytes(header, [["0127", *answers()]], sep=","), SCALES, year=2022
    )
    assert result.frame["year"].tolist() == [2022]
    assert not result.weighted and result.frame["weight"].tolist() == [1.0]
    assert result.frame["district"].tolist() == [""] and result.frame["sex"].tolist() == [""]


def test_columns_not_in_the_definition_are_listed_as_ignored():
    header = ["kommun", "år", "skola_kod", "lopnr", *QUESTIONS]
    data = csv_bytes(header, [["0127", "2024", "S12", "17", *answers()]])
    result = read_microdata("a.csv", data, SCALES)
    assert result.ignored_columns == ("skola_kod", "lopnr")


@pytest.mark.parametrize(
    "column",
    ["Personnummer", "pnr", "Namn", "Elevnamn", "E-post", "email", "Telefon", "Adress", "name"],
)
def test_an_identifying_header_is_refused_with_the_column_named(column):
    header = ["kommun", "år", column, *QUESTIONS]
    data = csv_bytes(header, [["0127", "2024", "x", *answers()]])
    with pytest.raises(MicrodataError) as caught:
        read_microdata("elever.csv", data, SCALES)
    assert any(
        f"elever.csv, column '{column}'" in p and "identifies a person" in p
        for p in caught.value.problems
    )


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("19900101-1234", "personal identity number"),
        ("200512241234", "personal identity number"),
        ("900101-1234", "personal identity number"),
        ("050101+1234", "personal identity number"),
        ("elev@skolan.se", "e-mail address"),
    ],
)
def test_identifying_values_are_refused_with_the_column_and_row_named(value, kind):
    header = ["kommun", "år", "info", *QUESTIONS]
    rows = [["0127", "2024", "", *answers()], ["0127", "2024", value, *answers()]]
    with pytest.raises(MicrodataError) as caught:
        read_microdata("elever.csv", csv_bytes(header, rows), SCALES)
    (problem,) = caught.value.problems
    assert problem.startswith("elever.csv, row 3, column 'info': a value shaped like")
    assert kind in problem


def test_ordinary_numbers_do_not_look_like_personnummer():
    header = ["kommun", "år", "skolenhetskod", *QUESTIONS]
    rows = [["0127", "2024", "12345678", *answers()], ["0127", "2024", "9001011234567", *answers()]]
    assert read_microdata("a.csv", csv_bytes(header, rows), SCALES).rows_read == 2


def test_answers_outside_the_codes_are_listed_per_question_with_rows():
    rows = [["0127", "2024", *answers()] for _ in range(14)]
    for index in range(12):
        rows[index][2 + QUESTIONS.index("sk1")] = "5"
    rows[13][2 + QUESTIONS.index("fk2")] = "x"
    rows[13][2 + QUESTIONS.index("ed1")] = "9"  # ed1's missing code is 99, not 9
    header = ["kommun", "år", *QUESTIONS]
    with pytest.raises(MicrodataError) as caught:
        read_microdata("e.csv", csv_bytes(header, rows), SCALES)
    problems = caught.value.problems
    assert len(problems) == 3
    sk1 = next(p for p in problems if "'sk1'" in p)
    assert (
        "12 answer(s) outside the question's codes: 5 (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 ...)"
        in sk1
    )
    assert "expected one of 1, 2, 3, 4, a missing code (9) or blank" in sk1
    assert any("'fk2'" in p and "1 answer(s)" in p and ": x (rows 15)" in p for p in problems)
    assert any("'ed1'" in p and "missing code (99)" in p for p in problems)


def test_lenient_reading_sets_out_of_code_answers_missing_and_reports_them():
    rows = [["0127", "2024", *answers(sk1="7")], ["0127", "2024", *answers()]]
    header = ["kommun", "år", *QUESTIONS]
    result = read_microdata("e.csv", csv_bytes(header, rows), SCALES, lenient_codes=True)
    assert result.out_of_codes == {"sk1": {"count": 1, "values": ["7"], "rows": [2]}}
    assert math.isnan(result.frame.loc[0, "sk1"])


def test_required_columns_and_questions():
    data = csv_bytes(["stadsdel", "sk1", "sk2"], [["Alby", "1", "2"]])
    with pytest.raises(MicrodataError) as caught:
        read_microdata("e.csv", data, SCALES)
    text = "\n".join(caught.value.problems)
    assert "no column for 'kommun'" in text and "no column for 'year'" in text
    assert "no column for the question(s) sk3, sk4" in text


def test_bad_weights_years_sexes_and_school_years_name_row_and_column():
    rows = [
        ["0127", "", "20x4", "åk 9", "flicka", "0", *answers()],
        ["", "", "2024", "år 12", "häst", "-1", *answers()],
    ]
    with pytest.raises(MicrodataError) as caught:
        read_microdata("e.csv", csv_bytes(HEADER, rows), SCALES)
    text = "\n".join(caught.value.problems)
    assert "e.csv, row 2, column 'År': got '20x4', expected a year" in text
    assert "e.csv, row 2, column 'Vikt': got '0', expected a design weight above 0" in text
    assert "e.csv, row 3, column 'Kommun': got '', expected a kommun code or name" in text
    assert "e.csv, row 3, column 'Årskurs': got 'år 12'" in text
    assert "e.csv, row 3, column 'Kön': got 'häst'" in text


def test_many_bad_rows_are_summarised():
    rows = [["0127", "", "2024", "åk 9", "flicka", "0", *answers()] for _ in range(25)]
    with pytest.raises(MicrodataError) as caught:
        read_microdata("e.csv", csv_bytes(HEADER, rows), SCALES)
    problems = caught.value.problems
    assert len(problems) == 11
    assert "15 more row(s) with the same problem" in problems[-1]


def test_xlsx_through_the_reading_layer():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Enkätdata 2024 (titelrad)"])
    sheet.append(HEADER)
    sheet.append([127, "Alby", 2024, "åk 9", "pojke", 1.5, *[int(a) for a in answers("3")]])
    sheet.append(["0180", "Bromma", 2024, "gy 2", "flicka", 2, *[int(a) for a in answers("1")]])
    buffer = io.BytesIO()
    book.save(buffer)
    result = read_microdata("enkat.xlsx", buffer.getvalue(), SCALES)
    assert result.format == "xlsx" and result.rows_read == 2
    assert result.frame["kommun"].tolist() == ["0127", "0180"]
    assert result.frame["sk1"].tolist() == [3.0, 1.0]
    assert result.frame["weight"].tolist() == [1.5, 2.0]


def test_sav_written_with_pyreadstat_read_back(tmp_path):
    frame = pd.DataFrame(
        {
            "kommun": ["0127", "0186", "0127"],
            "ar": [2024.0, 2024.0, 2024.0],
            "arskurs": [1.0, 2.0, 1.0],
            "kon": [2.0, 1.0, float("nan")],
            "vikt": [1.5, 0.75, 2.0],
            **{q: [1.0, 4.0, float(SCALES.questions[q].missing[0])] for q in QUESTIONS},
        }
    )
    path = tmp_path / "enkat.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        variable_value_labels={
            "arskurs": {1.0: "Åk 9", 2.0: "Gy 2"},
            "kon": {1.0: "Pojke", 2.0: "Flicka"},
            "sk1": {1.0: "Stämmer inte alls", 4.0: "Stämmer helt"},
        },
    )
    result = read_microdata("enkat.sav", path.read_bytes(), SCALES)
    assert result.format == "sav" and result.rows_read == 3 and result.weighted
    assert result.frame["school_year"].tolist() == ["ak9", "gy2", "ak9"]
    assert result.frame["sex"].tolist() == ["female", "male", ""]
    assert result.frame["sk1"].tolist()[:2] == [1.0, 4.0]  # codes, not labels
    assert result.frame[QUESTIONS].iloc[2].isna().all()
    assert result.frame["year"].tolist() == [2024] * 3


def test_a_sav_with_an_identifying_column_is_refused(tmp_path):
    frame = pd.DataFrame({"kommun": ["0127"], "ar": [2024.0], "fornamn": ["Kim"],
                          **{q: [1.0] for q in QUESTIONS}})  # fmt: skip
    path = tmp_path / "e.sav"
    pyreadstat.write_sav(frame, str(path))
    with pytest.raises(MicrodataError, match="column 'fornamn'"):
        read_microdata("e.sav", path.read_bytes(), SCALES)


def test_a_broken_sav_is_refused_not_crashed():
    with pytest.raises(MicrodataError, match="not a readable SPSS"):
        read_microdata("e.sav", b"$FL2 this is not a real file", SCALES)


def test_an_empty_file():
    with pytest.raises(MicrodataError):
        read_microdata("e.csv", b"", SCALES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("åk 9", "ak9"), ("Åk9", "ak9"), ("9", "ak9"), ("Årskurs 9", "ak9"), ("gy 2", "gy2"),
     ("Gy2", "gy2"), ("Gymnasiet år 2", "gy2"), ("", ""), ("år 12", None)],
)  # fmt: skip
def test_school_year_normalisation(text, expected):
    assert school_year(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Flicka", "female"), ("tjej", "female"), ("2", "female"), ("K", "female"),
     ("Pojke", "male"), ("1", "male"), ("M", "male"), ("Annat", ""), ("", ""), ("x", None)],
)  # fmt: skip
def test_sex_normalisation(text, expected):
    assert sex(text) == expected

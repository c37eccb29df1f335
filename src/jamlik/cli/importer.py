"""``jamlik import FILE``: load a CSV/XLSX file in the import template (docs/import-template.md).

The command line has no preview to ask on, so a file that raises questions
(an area name that is not exact, a number such as ``984,748`` that may be a
count or a decimal) stops with the questions listed and how to answer them:
``--area NAME=CODE``, ``--thousands COLUMN=thousands|decimal``, or
``--accept-suggestions`` for every first suggestion.  Nothing is guessed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from jamlik.cli.console import console


def register(app: typer.Typer) -> None:
    app.command(name="import")(import_file)


def _pairs(values: list[str], option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, sep, answer = value.rpartition("=")
        if not sep or not name.strip() or not answer.strip():
            raise typer.BadParameter(f"expected NAME=ANSWER, got {value!r}", param_hint=option)
        pairs.append((name.strip(), answer.strip()))
    return pairs


def given_answers(areas: list[str], thousands: list[str]) -> dict[str, str]:
    """The answers given as options, by :func:`jamlik.sources.questions.question_key`."""
    from jamlik.sources.numbers import DECIMAL, THOUSANDS
    from jamlik.sources.questions import area_key, thousands_key
    from jamlik.sources.template import COLUMN_ALIASES

    answers = {area_key(name): code for name, code in _pairs(areas, "--area")}
    for column, reading in _pairs(thousands, "--thousands"):
        if reading not in (THOUSANDS, DECIMAL):
            raise typer.BadParameter(
                f"expected {THOUSANDS} or {DECIMAL} after '{column}=', got {reading!r}",
                param_hint="--thousands",
            )
        canonical = {a: c for c, aliases in COLUMN_ALIASES.items() for a in aliases}
        answers[thousands_key(canonical.get(column.lower(), column.lower()))] = reading
    return answers


def how_to_answer(question: Any) -> str:
    """The option that answers ``question``, with its choices."""
    from jamlik.sources.area_names import choice_code
    from jamlik.sources.questions import THOUSANDS_SEPARATOR

    if question.kind == THOUSANDS_SEPARATOR:
        count, decimal = question.choices
        return (
            f'--thousands "{question.column}=thousands" (reads {question.value} as {count}) or '
            f'--thousands "{question.column}=decimal" (as {decimal})'
        )
    return f'--area "{question.value}={choice_code(question.choices[0])}" (choices: ' + (
        ", ".join(question.choices) + ")"
    )


def import_file(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="A .csv or .xlsx file in the import template."
    ),
    user: str | None = typer.Option(
        None, "--user", help="Record the import run under this Jämlik user."
    ),
    area: list[str] = typer.Option(  # noqa: B008 - typer's way to declare a repeated option
        [],
        "--area",
        help="How to read an area name the file asks about: NAME=CODE (repeatable).",
    ),
    thousands: list[str] = typer.Option(  # noqa: B008
        [],
        "--thousands",
        help="How to read numbers like 984,748 in a column: COLUMN=thousands or "
        "COLUMN=decimal (repeatable).",
    ),
    accept_suggestions: bool = typer.Option(
        False,
        "--accept-suggestions",
        help="Answer every remaining question with its first suggestion (listed in the output).",
    ),
) -> None:
    """Validate a file and store all of its rows, or none of them if anything is wrong."""
    from jamlik.cli import setup_django

    answers = given_answers(area, thousands)
    setup_django()
    from jamlik.cli.fetch import _user
    from jamlik.indicators.services import import_file as run_import
    from jamlik.indicators.services import sync_catalogue
    from jamlik.sources import ImportValidationError
    from jamlik.sources.questions import UnansweredQuestions

    sync_catalogue(
        update_existing=False
    )  # the shipped catalogue must exist before values can refer to it
    owner = _user(user)
    if accept_suggestions:
        answers = _with_suggestions(file, owner, answers)
    try:
        run = run_import(file, user=owner, answers=answers)
    except UnansweredQuestions as exc:
        console.print(
            f"[red]Nothing was imported:[/red] {len(exc.questions)} question(s) about how to "
            f"read {file.name} must be answered first."
        )
        for question in exc.questions:
            console.print(f"  • {question}", markup=False, highlight=False)
            console.print(f"    answer with {how_to_answer(question)}", markup=False)
        console.print("Or answer every question with its first suggestion: --accept-suggestions")
        raise typer.Exit(1) from exc
    except ImportValidationError as exc:
        console.print(
            f"[red]Nothing was imported:[/red] {len(exc.problems)} problem(s) in {file.name}"
        )
        for problem in exc.problems[:200]:
            console.print(f"  • {problem}", markup=False, highlight=False)
        if len(exc.problems) > 200:
            console.print(f"  … and {len(exc.problems) - 200} more")
        raise typer.Exit(1) from exc
    console.print(
        f"[green]Imported {run.rows} rows[/green] from {file.name} ({run.created} new, {run.updated} replaced); import run {run.pk}."
    )


def _with_suggestions(file: Path, owner: Any, answers: dict[str, str]) -> dict[str, str]:
    """``answers`` completed with the first suggestion of every other question (the file
    is read once without storing to find them); each one used is printed."""
    from jamlik.indicators.services import template_reader
    from jamlik.sources import ImportValidationError
    from jamlik.sources.questions import question_key, questions, suggested_answers

    reader = template_reader(file, user=owner, answers=answers)
    try:
        for _chunk in reader.chunks():
            pass
    except ImportValidationError:
        return answers  # the import reports the problems
    open_questions = questions(reader.warnings)
    suggested = suggested_answers(open_questions)
    for question in open_questions:
        console.print(
            f"  • {question} → {question.choices[0]} (suggestion accepted: "
            f"{question_key(question)}={suggested[question_key(question)]})",
            markup=False,
            highlight=False,
        )
    return {**suggested, **answers}

"""The default document-analysis themes (no Django).

The five theme headings follow Karolinska Institutet's analysis of "mål och budget"
documents (Leifman, Pettersson & Wärngård 2021); the stems below are Jämlik's own
choice. A county edits them on the dictionary page; this is only the starting point.
"""

from __future__ import annotations

# key: (name_sv, name_en, dictionary lines)
DEFAULT_THEMES: dict[str, tuple[str, str, list[str]]] = {
    "health": (
        "Hälsa och folkhälsa",
        "Health and public health",
        ["häls", "ohäls", "välbefinn", "-hälsning", "-hälsade", "-hälsar"],
    ),
    "sustainability": (
        "Hållbarhet och Agenda 2030",
        "Sustainability and Agenda 2030",
        ["hållbar", "agenda 2030", "globala mål"],
    ),
    "equity": (
        "Jämlikhet och jämlik hälsa",
        "Equality and equitable health",
        ["jämlik", "ojämlik", "likvärdig", "skillnader i hälsa", "jämställd"],
    ),
    "promotion_prevention": (
        "Främjande och förebyggande",
        "Promotion and prevention",
        ["främj", "förebygg", "prevent", "tidiga insatser"],
    ),
    "safety": (
        "Trygghet",
        "Safety (trygghet)",
        ["trygg", "otrygg", "brottslig", "brottsprevent"],
    ),
}

GOAL_THEMES = ("health", "equity")
"""Goal sentences are collected for public health and equity, as the issue asks."""

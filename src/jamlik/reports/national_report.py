"""The national report: the counties' released figures side by side, with the national
administrators' own text.

Built from the counties' releases only (the latest release per county and domain made
before the end of the report's year, :func:`jamlik.reports.releases.latest_releases`)
and the national situation picture's published figures; a county that has released
nothing is listed as "not published", never with its working records. The narrative
sections are :class:`~jamlik.reports.models.ReportNarrative` rows on the country area
(code "00"), one per section and year, edited on ``/rapporter/riket/<year>/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jamlik.geo.models import Area
from jamlik.reports import narratives as narrative_store
from jamlik.reports import national, releases
from jamlik.reports.document import Document, Narrative, Paragraph, Section, Table
from jamlik.reports.models import ReleaseDomain, ReportNarrative


@dataclass(frozen=True)
class NarrativeSpec:
    key: str
    title: Any
    guidance: Any


NARRATIVES: tuple[NarrativeSpec, ...] = (
    NarrativeSpec(
        "summary",
        pgettext_lazy("national report", "Summary"),
        gettext_lazy("The main messages of the year for the government and the agencies."),
    ),
    NarrativeSpec(
        "situation",
        gettext_lazy("The situation picture"),
        gettext_lazy("What the national figures show, and the differences between counties."),
    ),
    NarrativeSpec(
        ReleaseDomain.PREREQUISITES,
        gettext_lazy("Prerequisites"),
        gettext_lazy("How the municipalities' prerequisites have changed."),
    ),
    NarrativeSpec(
        ReleaseDomain.SUPPORT,
        gettext_lazy("Support to the municipalities"),
        gettext_lazy("How the counties support their municipalities, and agreements."),
    ),
    NarrativeSpec(
        ReleaseDomain.PLANS,
        gettext_lazy("Plans"),
        gettext_lazy("How far the municipalities' plans have come through the quality model."),
    ),
    NarrativeSpec(
        ReleaseDomain.INTERVENTIONS,
        gettext_lazy("Interventions in use"),
        gettext_lazy("Which interventions are chosen and delivered, and where evidence is weak."),
    ),
    NarrativeSpec(
        "conclusions",
        gettext_lazy("Conclusions and proposals"),
        gettext_lazy("What the national level should do next."),
    ),
)
NARRATIVE_KEYS = frozenset(n.key for n in NARRATIVES)


def _country() -> Area:
    return Area.objects.country()


def narratives(year: int) -> dict[str, ReportNarrative]:
    return {n.section_key: n for n in ReportNarrative.objects.filter(area=_country(), year=year)}


def save_narrative(
    year: int, key: str, text: str, *, user: Any = None, version: int | None = None
) -> ReportNarrative:
    """Create or change one section of the country's report; a change must still be at
    ``version`` (:data:`jamlik.reports.narratives.NEW` for a section not yet written),
    as for the county report (one saving rule: :mod:`jamlik.reports.narratives`)."""
    if key not in NARRATIVE_KEYS:
        raise ValueError(f"Unknown section {key!r}; expected one of {sorted(NARRATIVE_KEYS)}.")
    return narrative_store.save_narrative(_country(), year, key, text, expected=version, user=user)


def _until(year: int) -> datetime:
    return datetime(year + 1, 1, 1, tzinfo=UTC)


def _narrative(spec: NarrativeSpec, stored: dict[str, ReportNarrative]) -> Narrative:
    n = stored.get(spec.key)
    return Narrative(spec.key, str(spec.title), n.text if n else "", str(spec.guidance))


def build_national_report(year: int, *, lang: str = "sv") -> Document:
    """The national report for ``year`` as a :class:`Document` (see the module docstring)."""
    with translation.override(lang):
        country = _country()
        stored = narratives(year)
        specs = {s.key: s for s in NARRATIVES}
        found = {d: releases.latest_releases(d, until=_until(year)) for d in releases.DOMAINS}
        tables = {d: national.TABLES[d](found[d]) for d in releases.DOMAINS}
        counties = len(tables[ReleaseDomain.SUPPORT].rows)
        overview = Table(
            key="national-releases",
            title=_("Releases to the national picture"),
            columns=[_("Part"), _("Counties released"), _("Counties")],
            rows=[
                [str(ReleaseDomain(d).label), tables[d].released_count, counties]
                for d in releases.DOMAINS
            ],
            source=_("The counties' releases to the national picture in Jämlik."),
        )
        sections = [
            Section(
                "summary",
                str(specs["summary"].title),
                [
                    _narrative(specs["summary"], stored),
                    Paragraph(
                        _(
                            "This report shows what the counties have released to the "
                            "national picture by the end of %(year)s. A county that has not "
                            "released a part is shown as not published."
                        )
                        % {"year": year}
                    ),
                    overview,
                ],
            ),
            Section(
                "situation",
                _("The situation picture"),
                [
                    _narrative(specs["situation"], stored),
                    national.situation_rows().as_table(),
                ],
            ),
        ]
        for d in releases.DOMAINS:
            blocks: list[Any] = [_narrative(specs[d], stored), tables[d].as_table()]
            blocks += [t.as_table() for t in national.extra_tables(d, found[d], lang)]
            sections.append(Section(d, str(specs[d].title), blocks))
        sections.append(
            Section(
                "conclusions",
                _("Conclusions and proposals"),
                [_narrative(specs["conclusions"], stored)],
            )
        )
        demo = any(t.is_demo for t in tables.values())
        return Document(
            title=_("The national picture %(year)s") % {"year": year},
            subtitle=_("Public health and prevention work in Sweden's counties"),
            area_code=country.code,
            area_name=country.name,
            year=year,
            generated=date.today(),
            sections=sections,
            notes=(_("Contains invented demo data."),) if demo else (),
        )


def page_sections(doc: Document) -> list[dict[str, Any]]:
    """The document's sections for the HTML page: each block tagged by its kind."""
    from jamlik.reports.renderers import format_cell

    result = []
    for section in doc.sections:
        blocks = []
        for block in section.blocks:
            if isinstance(block, Table):
                blocks.append(
                    {
                        "kind": "table",
                        "table": block,
                        "rows": [[format_cell(c) for c in row] for row in block.rows],
                    }
                )
            elif isinstance(block, Narrative):
                blocks.append({"kind": "narrative", "narrative": block})
            elif isinstance(block, Paragraph):
                blocks.append({"kind": "paragraph", "text": block.text})
        result.append({"key": section.key, "title": section.title, "blocks": blocks})
    return result

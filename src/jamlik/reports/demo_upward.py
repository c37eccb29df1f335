"""The demo's reporting template for this year (open) and Stockholms län's draft answer.

Idempotent and safe beside real data: a template for this year that already exists is
left as it is (whoever made it), and so is a submission the county has started; only
what is missing is created. Runs after the other demo seeders (``demo_order`` 90).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from jamlik.geo.models import Area, AreaLevel
from jamlik.reports.models import ReportSubmission, ReportTemplate, TemplateStatus
from jamlik.reports.upward import available_tables, validate_sections

COUNTY = "01"
TITLE = "Länsrapportering till nationell nivå (demo)"
#: Tables the demo's required sections ask for, in order of preference; the first keys
#: of the county report are used when these are not among them.
PREFERRED_TABLES = (
    ("gaps", "situation", "indicators"),
    ("plans", "support", "agreements"),
)


def _pick(tables: dict[str, str], hints: tuple[str, ...], taken: set[str]) -> list[str]:
    for hint in hints:
        for key in tables:
            if hint in key and key not in taken:
                return [key]
    rest = [k for k in tables if k not in taken]
    return rest[:1]


def demo_sections() -> list[dict[str, object]]:
    tables = available_tables()
    first = _pick(tables, PREFERRED_TABLES[0], set())
    second = _pick(tables, PREFERRED_TABLES[1], set(first))
    return [
        {
            "key": "lagesbild",
            "title_sv": "Lägesbild och skillnader i hälsa",
            "title_en": "Situation picture and health gaps",
            "guidance_sv": "Beskriv de viktigaste skillnaderna i länet och hur de har förändrats.",
            "guidance_en": "Describe the main gaps in the county and how they have changed.",
            "required": True,
            "tables": first,
        },
        {
            "key": "stod-och-planer",
            "title_sv": "Stöd till kommunerna och deras planer",
            "title_en": "Support to the municipalities and their plans",
            "guidance_sv": "Vilket stöd har länet gett och hur långt har kommunerna kommit?",
            "guidance_en": "What support has the county given, and how far have the "
            "municipalities come?",
            "required": True,
            "tables": second,
        },
        {
            "key": "samverkan",
            "title_sv": "Samverkan med andra aktörer",
            "title_en": "Cooperation with other actors",
            "guidance_sv": "Frivilligt: samverkan med region, civilsamhälle och myndigheter.",
            "guidance_en": "Optional: cooperation with the region, civil society and agencies.",
            "required": False,
            "tables": [],
        },
        {
            "key": "behov",
            "title_sv": "Behov av stöd från nationell nivå",
            "title_en": "Support needed from the national level",
            "guidance_sv": "Frivilligt: vad behöver länet från nationell nivå?",
            "guidance_en": "Optional: what does the county need from the national level?",
            "required": False,
            "tables": [],
        },
    ]


def seed(progress: Callable[[str], None] = print) -> ReportTemplate | None:
    county = Area.objects.filter(code=COUNTY, level=AreaLevel.COUNTY).first()
    if county is None:
        return None
    progress("reporting template to the national level, with Stockholms län's draft")
    year = timezone.now().year
    template = ReportTemplate.objects.filter(year=year).first()
    if template is None:
        sections = validate_sections(demo_sections(), available_tables())
        template = ReportTemplate.objects.create(
            year=year,
            title=TITLE,
            introduction=(
                "Påhittad demonstrationsmall. Beskriv länets arbete under året; "
                "tabellerna fylls i av Jämlik från länets uppgifter."
            ),
            due=timezone.now().date().replace(month=12, day=31),
            sections=[s.as_dict() for s in sections],
            status=TemplateStatus.OPEN,
        )
    ReportSubmission.objects.get_or_create(
        template=template,
        county=county,
        defaults={
            "answers": {
                "lagesbild": (
                    "Påhittad demotext: skillnaderna i självskattad hälsa mellan kommunerna "
                    "har minskat något sedan förra året."
                ),
                "samverkan": "Påhittad demotext: länet samverkar med regionen i ett nätverk.",
            }
        },
    )
    return template

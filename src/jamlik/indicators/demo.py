"""Invented, deterministic demonstration data for Stockholms län (labelled as such everywhere).

Every number here is made up.  Values are generated from a seeded random
generator around plausible national levels, with differences between kommuner
driven by an invented socio-economic score, a gentle trend, gaps by sex and
education, and districts for Stockholm (0180) and Botkyrka (0127).  Counts
are generated first and values with intervals computed from them with
:mod:`jamlik.stats`, exactly as for real imported counts.  The county value is
the sum of its kommuner's counts, so the county and its kommuner agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from django.db import transaction
from django.utils import timezone

from jamlik.geo.models import Area
from jamlik.geo.services import add_district, invent_district_boundaries
from jamlik.indicators.models import ImportRun, Indicator, Observation
from jamlik.indicators.publication import rebuild
from jamlik.indicators.services import build_rows, insert_rows, sync_catalogue
from jamlik.sources import Observation as SourceObservation
from jamlik.sources.observations import compose_breakdown

DEMO_SOURCE = "Jämlik demo (invented)"
YEARS = range(2010, 2025)
COUNTY = "01"
COUNTRY = "00"
EDUCATION = ("compulsory", "upper_secondary", "post_secondary")
#: Invented age bands of a survey of residents aged 16-84: code, share of the
#: respondents, and the value's offset from the sex's value (in the indicator's unit).
AGE_BANDS = (
    ("16-29", 0.22, -2.0),
    ("30-44", 0.24, 0.5),
    ("45-64", 0.33, 2.0),
    ("65-84", 0.21, -1.0),
)

#: Invented population structure for N01951 by 10-year age band: code, the share of
#: the population in a kommun of average advantage, and how the share moves per unit
#: of socio-economic score (less advantaged kommuner are younger, more advantaged
#: ones have more families with older children and more residents of 40-69).
#: ``female`` weighs women against men in the band (more women among the oldest).
POPULATION_BANDS = (
    # code, share, per score, female
    ("0-9", 0.112, -0.006, 0.95),
    ("10-19", 0.116, 0.006, 0.95),
    ("20-29", 0.123, -0.010, 0.96),
    ("30-39", 0.135, -0.008, 0.97),
    ("40-49", 0.128, 0.006, 0.98),
    ("50-59", 0.128, 0.006, 0.99),
    ("60-69", 0.107, 0.003, 1.01),
    ("70-79", 0.096, 0.002, 1.08),
    ("80-89", 0.047, 0.001, 1.35),
    ("90+", 0.011, 0.0, 2.3),
)

#: Invented socio-economic score per kommun (positive = more advantaged).
SCORES = {
    "0114": -0.2,
    "0115": 0.5,
    "0117": 0.6,
    "0120": 0.5,
    "0123": 0.0,
    "0125": 0.9,
    "0126": -0.3,
    "0127": -1.4,
    "0128": 0.1,
    "0136": -0.5,
    "0138": 0.4,
    "0139": -0.6,
    "0140": 0.1,
    "0160": 1.1,
    "0162": 1.6,
    "0163": 0.6,
    "0180": 0.2,
    "0181": -1.2,
    "0182": 0.9,
    "0183": -0.1,
    "0184": 0.5,
    "0186": 1.4,
    "0187": 1.2,
    "0188": -0.4,
    "0191": -1.0,
    "0192": -0.7,
}
#: Invented populations (order of magnitude only).
POPULATION = {
    "0114": 48_000,
    "0115": 34_000,
    "0117": 47_000,
    "0120": 46_000,
    "0123": 85_000,
    "0125": 29_000,
    "0126": 115_000,
    "0127": 95_000,
    "0128": 17_000,
    "0136": 92_000,
    "0138": 49_000,
    "0139": 31_000,
    "0140": 11_000,
    "0160": 74_000,
    "0162": 34_000,
    "0163": 76_000,
    "0180": 985_000,
    "0181": 102_000,
    "0182": 108_000,
    "0183": 55_000,
    "0184": 85_000,
    "0186": 48_000,
    "0187": 12_000,
    "0188": 64_000,
    "0191": 50_000,
    "0192": 29_000,
}
#: Districts (real place names, invented values): code, name, score, population.
DISTRICTS = {
    "0180": [
        ("0180S01", "Rinkeby-Kista", -1.9, 50_000),
        ("0180S02", "Spånga-Tensta", -1.3, 40_000),
        ("0180S03", "Hässelby-Vällingby", -0.2, 75_000),
        ("0180S04", "Bromma", 1.2, 82_000),
        ("0180S05", "Kungsholmen", 1.0, 70_000),
        ("0180S06", "Norrmalm", 1.1, 72_000),
        ("0180S07", "Östermalm", 1.5, 74_000),
        ("0180S08", "Södermalm", 0.9, 132_000),
        ("0180S09", "Enskede-Årsta-Vantör", -0.1, 105_000),
        ("0180S10", "Skarpnäck", 0.1, 50_000),
        ("0180S11", "Farsta", -0.3, 58_000),
        ("0180S12", "Hägersten-Älvsjö", 0.6, 110_000),
        ("0180S13", "Skärholmen", -1.5, 38_000),
    ],
    "0127": [
        ("0127S01", "Alby", -2.0, 14_000),
        ("0127S02", "Fittja", -2.1, 8_000),
        ("0127S03", "Hallunda-Norsborg", -1.7, 17_000),
        ("0127S04", "Tumba", -0.3, 27_000),
        ("0127S05", "Tullinge", 0.8, 19_000),
        ("0127S06", "Vårsta-Grödinge", 0.6, 10_000),
    ],
}


@dataclass(frozen=True)
class Profile:
    """How one indicator's invented values behave.

    ``level``: national value in 2024; ``spread``: change per unit of advantage
    score (sign: positive if advantage raises the value); ``slope``: change per
    year; ``sex_gap``: women minus men (None = not by sex); ``edu_gap``:
    post-secondary minus compulsory education (None = not by education);
    ``share``: the denominator as a share of the population (proportions and
    rates) or survey respondents per 1 000 residents when ``survey``;
    ``age_by_sex``: also a cross table of sex × age (:data:`AGE_BANDS`) with its
    age margin, its cells adding up exactly to the sex margin and the total.
    """

    level: float
    spread: float
    slope: float = 0.0
    sex_gap: float | None = None
    edu_gap: float | None = None
    share: float = 0.2
    district: bool = False
    age_by_sex: bool = False


PROFILES: dict[str, Profile] = {
    "N11800": Profile(86, 3, 0.2, share=0.06),
    "U31803": Profile(6, -3.5, -0.15, share=0.2, district=True),
    "N66077": Profile(19, -7, 0.1, share=0.23, district=True),
    "N02902": Profile(4, -2, -0.05, sex_gap=0.1, share=0.23),
    "U01424": Profile(5, -2, -0.2, share=0.012),
    "N01481": Profile(96, 1.2, 0.0, share=0.012),
    "N33820": Profile(11, -1, 0.3, sex_gap=1.5, share=0.23),
    "N15428": Profile(85, 5, 0.0, sex_gap=1.5, share=0.011, district=True),
    "N15507": Profile(225, 15, 0.8, sex_gap=22),
    "N17461": Profile(72, 6, 0.3, sex_gap=4, share=0.011),
    "N01982": Profile(45, 10, 0.6, sex_gap=12, share=0.52),
    "N01984": Profile(10, -3, -0.2, sex_gap=-2, share=0.52),
    "N02797": Profile(7, -2, -0.05, sex_gap=-0.8, share=0.11, district=True),
    "N03937": Profile(6.5, -2.5, -0.05, sex_gap=-0.4, share=0.6, district=True),
    "N02243": Profile(80, 5, 0.2, sex_gap=-2.5, share=0.58, district=True),
    "N03926": Profile(3, -1.5, -0.02, sex_gap=-0.2, share=0.55),
    "N00957": Profile(25, -6, -0.5, sex_gap=8),
    "N00938": Profile(9, -2, 0.1, sex_gap=4),
    "N00956": Profile(0.42, 0.02, 0.002, sex_gap=-0.02),
    "N00997": Profile(0.32, 0.03, 0.002),
    "N66080": Profile(15, -6, 0.1, share=1.0, district=True),
    "N01454": Profile(7, -3, 0.05, sex_gap=0.8, share=0.7),
    "N31807": Profile(4, -2.5, -0.1, share=1.0, district=True),
    "N31816": Profile(1.3, -0.8, -0.02, sex_gap=-0.1, share=0.78),
    "N07907": Profile(15, -7, 0.1, sex_gap=0.2, share=0.6, district=True),
    "N07403": Profile(1000, -250, 8, share=1.0),
    "U01420": Profile(14, -4, 0.2, sex_gap=14, edu_gap=-6, share=1.2),
    "N07418": Profile(80, 6, 0.2, sex_gap=0.5, share=1.0),
    "N01456": Profile(6, -0.5, 0.05, sex_gap=0.5, share=1.2),
    "U01402": Profile(8, -2.5, -0.3, sex_gap=0.5, edu_gap=-6, share=1.2, age_by_sex=True),
    "U01404": Profile(15, 1.0, -0.1, sex_gap=-7, edu_gap=-1, share=1.2),
    "U01429": Profile(65, 5, 0.3, sex_gap=2, edu_gap=12, share=1.2),
    "U01760": Profile(51, -5, 0.2, sex_gap=-12, edu_gap=-10, share=1.2),
    "N05401": Profile(82, 5, 0.1, sex_gap=1.5, share=0.78, district=True),
    "N05402": Profile(81, 5, 0.1, sex_gap=1.5, share=0.78),
    "N05403": Profile(85, 4, 0.1, sex_gap=1.2, share=0.78),
    "N05831": Profile(60, 8, 0.2, share=0.03),
    "U01413": Profile(28, -6, 0.2, sex_gap=-1, edu_gap=-10, share=1.2),
    "N01464": Profile(6, -2, 0.05, sex_gap=0.5, edu_gap=-4, share=1.2),
    "N79173": Profile(82, 2, -0.3, sex_gap=0.5, share=0.9),
    "N79179": Profile(88, 1.5, -0.2, share=0.9),
    "N79224": Profile(72, 2, -0.5, share=0.05),
    "N79190": Profile(60, -12, -1.2, sex_gap=-10, share=1.0),
    "U01405": Profile(72, 4, 0.1, sex_gap=-3, edu_gap=14, share=1.2, district=True),
    "N01452": Profile(13, -2, 0.25, sex_gap=5, edu_gap=-5, share=1.2),
    "N00923": Profile(81.3, 1.1, 0.15),
    "N00925": Profile(84.8, 0.9, 0.1),
    "N01451": Profile(200, -45, -3, sex_gap=-90, share=0.5),
    "N01951": Profile(0, 0),
    "FHM-LE0": Profile(83.1, 1.0, 0.12, sex_gap=3.5, edu_gap=5.5),
}
#: Respondents per 1 000 residents in the invented survey.
SURVEY_RATE = 0.012


def _rng(*parts: str) -> np.random.Generator:
    """A generator seeded from names, so each series is reproducible on its own."""
    digest = hashlib.sha256("/".join(parts).encode("utf-8")).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def _bounded(indicator: Indicator, value: float) -> float:
    if indicator.value_type == "proportion":
        return float(min(max(value, 0.3), 99.7))
    return float(max(value, 0.0))


class _Builder:
    """Generates the canonical observations for one indicator."""

    def __init__(self, indicator: Indicator, profile: Profile) -> None:
        self.indicator = indicator
        self.profile = profile
        self.rows: list[SourceObservation] = []

    def level(self, score: float, year: int, rng: np.random.Generator, noise: float) -> float:
        p = self.profile
        value = p.level + p.spread * score + p.slope * (year - 2024)
        return _bounded(self.indicator, value + rng.normal(0.0, noise))

    def noise(self) -> float:
        p = self.profile
        return abs(p.spread) * 0.12 + abs(p.level) * 0.004

    def denominator(self, population: float) -> float:
        if self.indicator.is_survey:
            return float(max(round(population * SURVEY_RATE), 30))
        return float(max(round(population * self.profile.share), 1))

    def add(
        self, area: str, year: int, breakdown: str, category: str, value: float, population: float
    ) -> None:
        kind = self.indicator.value_type
        if self.indicator.code == "N01951":
            self.rows.append(
                self._obs(area, year, breakdown, category, value=float(round(population)))
            )
        elif kind in ("proportion", "rate", "dsr"):
            den = self.denominator(population)
            scale = self.indicator.multiplier
            num = (
                float(min(round(value / scale * den), den))
                if kind == "proportion"
                else float(round(value / scale * den))
            )
            self.rows.append(
                self._obs(area, year, breakdown, category, numerator=num, denominator=den)
            )
        else:
            self.rows.append(self._obs(area, year, breakdown, category, value=round(value, 3)))

    def age_by_sex(self, area: str, year: int) -> None:
        """The sex × age cross table (``age*sex``) and its age margin, from the sex rows
        just added: each sex's counts are split over the age bands (largest remainders,
        so the cells add up exactly), the total is set to women + men, and the age
        margin is the sum over sex.  Every additive relation of the table then holds."""
        *_, total_at, female, male = range(len(self.rows) - 3, len(self.rows))
        total_row, by_sex = self.rows[total_at], (self.rows[female], self.rows[male])
        if any(r.numerator is None or r.denominator is None for r in by_sex):
            return
        self.rows[total_at] = replace(
            total_row,
            numerator=sum(r.numerator or 0 for r in by_sex),
            denominator=sum(r.denominator or 0 for r in by_sex),
        )
        shares = np.array([share for _c, share, _o in AGE_BANDS])
        scale = float(self.indicator.multiplier)
        margin = {code: [0.0, 0.0] for code, _s, _o in AGE_BANDS}
        for row in by_sex:
            dens = _apportion(float(row.denominator or 0), shares)
            rate = float(row.numerator or 0) / max(float(row.denominator or 0), 1.0) * scale
            rates = np.array([max(rate + offset, 0.1) for _c, _s, offset in AGE_BANDS])
            nums = np.minimum(_apportion(float(row.numerator or 0), rates * dens), dens)
            for (code, _s, _o), num, den in zip(AGE_BANDS, nums, dens, strict=True):
                breakdown, category = compose_breakdown({"sex": row.category, "age": code})
                self.rows.append(
                    self._obs(area, year, breakdown, category, numerator=num, denominator=den)
                )
                margin[code][0] += num
                margin[code][1] += den
        for code, (num, den) in margin.items():
            self.rows.append(self._obs(area, year, "age", code, numerator=num, denominator=den))

    def population_by_age_sex(self, area: str, year: int, score: float) -> None:
        """The population (N01951) as a cross table of age × sex (``age*sex``) from the
        total row just added: the total is split over :data:`POPULATION_BANDS` shaped by
        the kommun's score, and each band between women and men (largest remainders,
        so the cells add up exactly to the total).  The county's cells are then the
        sums of its kommuner's (:func:`_county_and_country`), so its table adds up too."""
        total = float(self.rows[-1].value or 0)
        weights = np.array(
            [max(share + per_score * score, 0.002) for _c, share, per_score, _f in POPULATION_BANDS]
        )
        bands = _apportion(total, weights)
        for (code, _s, _p, female), people in zip(POPULATION_BANDS, bands, strict=True):
            women, men = _apportion(float(people), np.array([female, 1.0]))
            for sex, count in (("female", women), ("male", men)):
                breakdown, category = compose_breakdown({"sex": sex, "age": code})
                self.rows.append(self._obs(area, year, breakdown, category, value=float(count)))

    def _obs(
        self, area: str, year: int, breakdown: str, category: str, **numbers: float
    ) -> SourceObservation:
        return SourceObservation(
            indicator=self.indicator.code,
            area=area,
            period=str(year),
            breakdown=breakdown,
            category=category,
            note="Påhittat värde / invented value",
            source=DEMO_SOURCE,
            **numbers,
        )

    def series(self, area: str, score: float, population: float) -> None:
        p = self.profile
        rng = _rng(self.indicator.code, area)
        noise = self.noise()
        for year in YEARS:
            pop = population * (1 + 0.01 * (year - 2024))
            total = self.level(score, year, rng, noise)
            self.add(area, year, "total", "total", total, pop)
            if self.indicator.code == "N01951":
                self.population_by_age_sex(area, year, score)
            if p.sex_gap is not None:
                self.add(
                    area,
                    year,
                    "sex",
                    "female",
                    _bounded(self.indicator, total + p.sex_gap / 2),
                    pop / 2,
                )
                self.add(
                    area,
                    year,
                    "sex",
                    "male",
                    _bounded(self.indicator, total - p.sex_gap / 2),
                    pop / 2,
                )
            if p.age_by_sex and p.sex_gap is not None:
                self.age_by_sex(area, year)
            if p.edu_gap is not None:
                shares = (0.18, 0.42, 0.40)
                offsets = (-p.edu_gap * 0.6, -p.edu_gap * 0.05, p.edu_gap * 0.4)
                for category, share, offset in zip(EDUCATION, shares, offsets, strict=True):
                    value = _bounded(self.indicator, total + offset + rng.normal(0, noise / 2))
                    self.add(area, year, "education", category, value, pop * share)


def _apportion(total: float, weights: np.ndarray) -> np.ndarray:
    """``total`` (a whole number) split in proportion to ``weights`` into whole numbers
    that add up to it exactly (largest remainders, Hamilton's method)."""
    weights = np.asarray(weights, dtype=float)
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights))
    exact = total * weights / weights.sum()
    whole = np.floor(exact)
    left = int(round(total - whole.sum()))
    whole[np.argsort(-(exact - whole), kind="stable")[:left]] += 1
    return whole


def _county_and_country(builder: _Builder, kommuner: list[str]) -> None:
    """County rows as the sum of its kommuner (counts) or a population-weighted mean."""
    indicator = builder.indicator
    groups: dict[tuple[str, str, str], list[SourceObservation]] = {}
    for row in builder.rows:
        if row.area in kommuner:
            groups.setdefault((row.period, row.breakdown, row.category), []).append(row)
    county_rows = []
    for (period, breakdown, category), rows in groups.items():
        if indicator.code == "N01951":
            county_rows.append(
                builder._obs(
                    COUNTY, int(period), breakdown, category, value=sum(r.value or 0 for r in rows)
                )
            )
        elif rows[0].numerator is not None:
            num = sum(r.numerator or 0 for r in rows)
            den = sum(r.denominator or 0 for r in rows)
            county_rows.append(
                builder._obs(
                    COUNTY, int(period), breakdown, category, numerator=num, denominator=den
                )
            )
        else:
            weights = np.array([POPULATION[r.area] for r in rows], dtype=float)
            values = np.array([r.value or 0 for r in rows], dtype=float)
            county_rows.append(
                builder._obs(
                    COUNTY,
                    int(period),
                    breakdown,
                    category,
                    value=round(float(np.average(values, weights=weights)), 3),
                )
            )
    builder.rows.extend(county_rows)
    builder.series(COUNTRY, 0.0, 10_500_000)


def generate(
    indicators: list[Indicator], district_codes: dict[str, list[tuple[str, float, int]]]
) -> list[SourceObservation]:
    """All invented observations (pure apart from reading the given indicators)."""
    kommuner = sorted(SCORES)
    out: list[SourceObservation] = []
    for indicator in indicators:
        profile = PROFILES.get(indicator.code)
        if profile is None:
            continue
        builder = _Builder(indicator, profile)
        for code in kommuner:
            builder.series(code, SCORES[code], POPULATION[code])
        _county_and_country(builder, kommuner)
        if profile.district:
            for districts in district_codes.values():
                for code, score, population in districts:
                    sub = _Builder(
                        indicator, Profile(**{**profile.__dict__, "sex_gap": None, "edu_gap": None})
                    )
                    sub.series(code, score, population)
                    builder.rows.extend(sub.rows)
        out.extend(builder.rows)
    return out


def seed(progress: Callable[[str], None]) -> None:
    """Load the catalogue and the invented observations (idempotent: replaces earlier demo rows)."""
    progress("indicator catalogue")
    sync_catalogue()
    progress("districts of Stockholm and Botkyrka")
    district_codes: dict[str, list[tuple[str, float, int]]] = {}
    for kommun_code, districts in DISTRICTS.items():
        kommun = Area.objects.get(code=kommun_code)
        district_codes[kommun_code] = []
        for code, name, score, population in districts:
            add_district(kommun, code=code, name=name)
            district_codes[kommun_code].append((code, score, population))
        invent_district_boundaries(kommun)  # invented shapes, like the values
    progress("invented observations 2010-2024")
    indicators = list(Indicator.objects.all())
    observations = generate(indicators, district_codes)
    by_code = {i.code: i for i in indicators}
    areas = dict(Area.objects.values_list("code", "id"))
    with transaction.atomic():
        Observation.objects.filter(is_demo=True).delete()
        ImportRun.objects.filter(is_demo=True).delete()
        run = ImportRun.objects.create(
            kind=ImportRun.Kind.DEMO,
            actor="jamlik demo",
            description=f"{DEMO_SOURCE}: Stockholms län, kommuner, districts, riket {YEARS.start}-{YEARS.stop - 1}",
            rows=len(observations),
            created=len(observations),
            is_demo=True,
            published=True,
            published_at=timezone.now(),
        )
        rows = build_rows(observations, indicators=by_code, areas=areas, run=run, is_demo=True)
        # Real data loaded earlier wins over invented values for the same cell.
        real = set(
            Observation.objects.filter(is_demo=False, is_live=True).values_list(
                "indicator_id", "area_id", "period", "breakdown", "category"
            )
        )
        if real:
            rows = [r for r in rows if (r[0], r[1], r[2], r[5], r[6]) not in real]
        insert_rows(rows)
        progress("protected public table (disclosure control and audit)")
        rebuild({indicator.pk for indicator in indicators})
    progress(f"{len(rows)} invented observations")
    from jamlik.indicators.demo_entry import seed_entry

    seed_entry(progress)

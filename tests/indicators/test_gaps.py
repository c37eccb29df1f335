"""Gaps between groups as the pages show them: D and R agree with the group values shown.

Every check here reads the rendered page (or PDF) text, the way a reader would:
the group values from the chart's data table, the measures from the measure
table, with Swedish number formatting.  Display rounding gives the tolerance.
"""

from __future__ import annotations

import io
import math
import re

import pytest
from django.test import Client
from lxml import html as lxml_html

DASH = "–"


def number(text: str) -> float | None:
    """A number as the Swedish pages print it ('1 234,5', '−0,25'), or None for a dash."""
    text = text.strip().replace("\xa0", "").replace(" ", "").replace("−", "-")
    if not text or text == DASH:
        return None
    return float(text.replace(",", "."))


def interval(text: str) -> tuple[float, float] | None:
    match = re.match(r"\s*(-?[\d\s\xa0]+(?:,\d+)?)\s*–\s*(-?[\d\s\xa0]+(?:,\d+)?)\s*$", text)
    if not match:
        return None
    return number(match.group(1)), number(match.group(2))  # type: ignore[return-value]


def decimals(text: str) -> int:
    text = text.strip()
    return len(text.split(",")[1]) if "," in text else 0


def gap_blocks_in(page: str) -> list[dict]:
    """Each gap block on a page: its group values and its measures, from the HTML text."""
    tree = lxml_html.fromstring(page)
    blocks = []
    for article in tree.xpath("//article[@data-gap]"):
        groups = {}
        for row in article.xpath(".//figure[1]//details//tbody/tr"):
            cells = [c.text_content().strip() for c in row.xpath("./td")]
            groups[cells[0]] = {"value": number(cells[1]), "text": cells[1]}
        measures = {}
        for row in article.xpath(".//table[contains(@class,'ind-measures')]/tbody/tr"):
            key = row.get("data-measure")
            cells = [c.text_content().strip() for c in row.xpath("./td")]
            measures[key] = {
                "between": row.get("data-between", ""),
                "value": number(cells[0]) if cells[0] and cells[0][0] in "-−0123456789" else None,
                "text": cells[0],
                "interval": interval(cells[1]),
                "interval_text": cells[1],
            }
        blocks.append({"code": article.get("data-gap"), "groups": groups, "measures": measures})
    return blocks


def check_pair_measures(block: dict) -> int:
    """D is the difference and R the ratio of the two groups the block names; returns checks."""
    checked = 0
    for key in ("d", "r"):
        m = block["measures"].get(key)
        if not m or m["value"] is None or not m["between"]:
            continue
        first, second = m["between"].split("|")
        a, b = block["groups"][first], block["groups"][second]
        # half a unit in the last printed digit of each group value, propagated
        ea, eb = 0.5 * 10 ** -decimals(a["text"]), 0.5 * 10 ** -decimals(b["text"])
        em = 0.5 * 10 ** -decimals(m["text"])
        if key == "d":
            assert math.isclose(m["value"], a["value"] - b["value"], abs_tol=ea + eb + em), block
        else:
            expected = a["value"] / b["value"]
            tol = expected * (ea / abs(a["value"]) + eb / abs(b["value"])) + em
            assert math.isclose(m["value"], expected, abs_tol=tol), block
        if m["interval"]:
            low, high = m["interval"]
            assert low - em <= m["value"] <= high + em, block
        checked += 1
    return checked


def check_intervals(block: dict) -> None:
    """Every measure shown with an interval lies inside it (display rounding allowed)."""
    for key, m in block["measures"].items():
        if m["value"] is not None and m["interval"]:
            low, high = m["interval"]
            em = 0.5 * 10 ** -decimals(m["text"])
            assert low - em <= m["value"] <= high + em, (block["code"], key, m)


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.mark.parametrize("breakdown", ["sex", "education", "district"])
def test_kommun_profile_measures_match_the_groups_shown(demo, client, breakdown) -> None:  # noqa: ANN001
    page = client.get(f"/lagesbild/kommun/0127/?breakdown={breakdown}").content.decode()
    blocks = gap_blocks_in(page)
    assert blocks
    assert sum(check_pair_measures(b) for b in blocks) >= len(blocks)
    for block in blocks:
        check_intervals(block)


def test_sex_gap_is_women_minus_men_even_when_men_fare_worse(demo, client) -> None:  # noqa: ANN001
    page = client.get("/lagesbild/kommun/0127/?breakdown=sex").content.decode()
    blocks = gap_blocks_in(page)
    assert "kvinnor − män" in page
    unequal = [b for b in blocks if b["groups"]["Kvinnor"]["value"] != b["groups"]["Män"]["value"]]
    assert unequal
    for block in unequal:
        d = block["measures"]["d"]
        assert d["between"] == "Kvinnor|Män"
        assert d["value"] != 0, block["code"]
        assert block["measures"]["r"]["value"] != 1, block["code"]


def test_ratio_interval_comes_from_the_groups_intervals(demo) -> None:  # noqa: ANN001
    """R's interval on the log scale from the two groups' standard errors (not se/est)."""
    from jamlik.geo.models import Area
    from jamlik.indicators.gap_blocks import gap_blocks
    from jamlik.indicators.models import Indicator

    [block] = gap_blocks(
        Area.objects.get(code="0127"), "education", [Indicator.objects.get(code="U01405")]
    )
    rows = {r["category"]: r for r in block["rows"]}
    r = {m["measure"]: m for m in block["measures"]}["r"]
    first, second = (rows[c] for c in r["between_codes"])
    se = [(g["upper"] - g["lower"]) / 3.92 for g in (first, second)]
    log_se = math.hypot(se[0] / first["value"], se[1] / second["value"])
    ratio = first["value"] / second["value"]
    assert r["value"] == pytest.approx(ratio)
    assert r["lower"] == pytest.approx(ratio * math.exp(-1.959964 * log_se), rel=1e-4)
    assert r["upper"] == pytest.approx(ratio * math.exp(1.959964 * log_se), rel=1e-4)


def test_indicator_page_measures_match_the_groups_shown(demo, client) -> None:  # noqa: ANN001
    for breakdown in ("sex", "education", "district"):
        page = client.get(
            f"/lagesbild/indikator/U01405/?area=0127&breakdown={breakdown}"
        ).content.decode()
        blocks = gap_blocks_in(page)
        assert len(blocks) == 1, breakdown
        assert check_pair_measures(blocks[0]) == 2, breakdown
        check_intervals(blocks[0])


def test_kommun_profile_pdf_measures_match_the_groups_shown(demo, client) -> None:  # noqa: ANN001
    from pypdf import PdfReader

    response = client.get("/rapporter/kommun/0127/lagesbild.pdf?breakdown=sex")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    # Each gap block prints the rows "Kvinnor <value> <interval>" and "Män …", then
    # "Differens (D), kvinnor − män <D> <interval>" and "Kvot (R), kvinnor / män <R> …".
    num = r"(-?\d{1,3}(?:[\xa0\u202f ]\d{3})*(?:,\d+)?)"  # '1 234,5' but not '12 11,2'

    group = re.compile(rf"^(Kvinnor|Män) {num}(?: |$)")
    measure = re.compile(rf"^(Differens \(D\)|Kvot \(R\)), kvinnor [−/] män {num}(?: {num}–{num})?")
    seen: dict[str, str] = {}
    checked = 0
    for line in text.splitlines():
        if m := group.match(line):
            seen[m.group(1)] = m.group(2)
        elif m := measure.match(line):
            w, mn, value = seen.pop("Kvinnor"), seen["Män"], m.group(2)
            wv, mv, v = number(w), number(mn), number(value)
            tol = sum(0.5 * 10 ** -decimals(t) for t in (w, mn, value))
            if m.group(1).startswith("Differens"):
                assert math.isclose(v, wv - mv, abs_tol=tol), line
                seen["Kvinnor"] = w
            else:
                assert math.isclose(v, wv / mv, rel_tol=0.01, abs_tol=0.006), line
            if m.group(3):
                assert number(m.group(3)) - tol <= v <= number(m.group(4)) + tol, line
            checked += 1
    assert checked >= 20


# --- which groups, which measures, and why not --------------------------------------


def _groups(est, *, ordering="unordered", lower=None, upper=None, favourable=1, percent=True):  # noqa: ANN001, ANN202
    import numpy as np

    from jamlik.indicators.gap_measures import GroupValues, Ordering

    est = np.array(est, dtype=float)
    n = len(est)
    ordering = Ordering(ordering)
    return GroupValues(
        categories=tuple(f"g{i}" for i in range(n)),
        labels=tuple(f"G{i}" for i in range(n)),
        est=est,
        lower=np.array(lower if lower is not None else est - 2.0, dtype=float),
        upper=np.array(upper if upper is not None else est + 2.0, dtype=float),
        pop=np.full(n, 100.0),
        ordering=ordering,
        favourable=favourable,
        percent=percent,
        order=np.arange(1.0, n + 1) if ordering is Ordering.ORDERED else None,
        pair=(0, 1) if ordering is Ordering.PAIR else None,
    )


def test_pair_is_first_minus_second_whichever_fares_worse() -> None:
    from jamlik.indicators.gap_measures import compute

    for favourable in (0, 1):
        g = _groups([27.96, 39.96], ordering="pair", favourable=favourable)
        d, r = compute("d", g), compute("r", g)
        assert d.between == (0, 1) and d.value == pytest.approx(-12.0)
        assert d.lower < d.value < d.upper
        assert r.value == pytest.approx(27.96 / 39.96)


def test_ordered_compares_most_and_least_advantaged_by_polarity() -> None:
    from jamlik.indicators.gap_measures import compute

    # order 1 = most disadvantaged (G0) … 3 = most advantaged (G2)
    good = compute("d", _groups([50.0, 60.0, 70.0], ordering="ordered", favourable=1))
    assert good.between == (2, 0) and good.value == pytest.approx(20.0)
    bad = compute("d", _groups([30.0, 20.0, 10.0], ordering="ordered", favourable=0))
    assert bad.between == (0, 2) and bad.value == pytest.approx(20.0)


def test_unordered_range_is_highest_minus_lowest() -> None:
    from jamlik.indicators.gap_measures import compute, default_measures

    g = _groups([12.0, 30.0, 18.0, 9.0])
    d = compute("d", g)
    assert d.between == (1, 3) and d.value == pytest.approx(21.0)
    assert {"bgv", "bgsd", "idisw", "mdmw", "d", "r"} <= set(default_measures(g))


def test_ratio_interval_on_the_log_scale_from_the_estimates_errors() -> None:
    import math

    from jamlik.indicators.gap_measures import compute

    g = _groups([30.0, 22.0], ordering="pair", lower=[24.0, 17.0], upper=[36.0, 27.0])
    r = compute("r", g)
    se = [12.0 / 3.92, 10.0 / 3.92]
    log_se = math.hypot(se[0] / 30.0, se[1] / 22.0)
    assert r.lower == pytest.approx(30 / 22 * math.exp(-1.959964 * log_se), rel=1e-5)
    assert r.upper == pytest.approx(30 / 22 * math.exp(1.959964 * log_se), rel=1e-5)


@pytest.mark.parametrize(
    ("key", "groups", "reason"),
    [
        ("d", {"est": [40.0, float("nan")], "ordering": "pair"}, "no published value for G1"),
        ("r", {"est": [40.0, 0.0], "ordering": "pair"}, "the value for G1 is zero"),
        ("bgv", {"est": [40.0, float("nan"), float("nan")]}, "needs at least three groups"),
        ("d", {"est": [40.0, float("nan"), float("nan")]}, "fewer than two groups"),
        ("sii", {"est": [1.0, 2.0, 3.0], "ordering": "ordered"}, "at least 5 ordered groups"),
        (
            "who_sii",
            {"est": [1.0, 2.0, 3.0], "ordering": "ordered", "percent": False},
            "percentage",
        ),
    ],
)
def test_measures_that_cannot_be_computed_say_why(key, groups, reason) -> None:  # noqa: ANN001
    from django.utils import translation

    from jamlik.indicators.gap_measures import compute

    with translation.override("en"):
        result = compute(key, _groups(**groups))
    assert result.value is None and reason in result.reason


def test_missing_intervals_leave_the_estimate_without_an_interval() -> None:
    from jamlik.indicators.gap_measures import compute

    nan = float("nan")
    g = _groups([40.0, 30.0], ordering="pair", lower=[nan, nan], upper=[nan, nan])
    d = compute("d", g)
    assert d.value == pytest.approx(10.0) and d.lower is None
    assert d.interval_reason == "en grupp saknar intervall"  # Swedish by default


def test_simulated_limits_are_reproducible() -> None:
    from jamlik.indicators.gap_measures import compute

    g = _groups([12.0, 30.0, 18.0, 9.0])
    for key in ("bgsd", "idisw", "mdmw", "cov"):
        first, second = compute(key, g), compute(key, g)
        assert first.lower is not None and (first.lower, first.upper) == (
            second.lower,
            second.upper,
        ), key


def test_measures_that_do_not_fit_are_refused() -> None:
    from jamlik.indicators.gap_measures import Ordering, refusal

    assert refusal("aci", Ordering.PAIR)
    assert refusal("bgv", Ordering.PAIR)
    assert refusal("bgv", Ordering.ORDERED)
    assert refusal("sii", Ordering.UNORDERED)
    assert refusal("mdrw", Ordering.UNORDERED)
    assert not refusal("d", Ordering.PAIR)
    assert not refusal("aci", Ordering.ORDERED)
    assert not refusal("cov", Ordering.UNORDERED)


def test_unknown_measures_in_the_url_are_dropped_and_the_rest_kept(client) -> None:  # noqa: ANN001
    from jamlik.indicators.viewstate import ViewState

    state = ViewState.from_query({"measures": "d,<x>,aci,d"})
    assert state.measures == ("d", "aci")
    assert state.to_query() == "?measures=d%2Caci"


# --- the chooser, the rendered refusals and the gap over time ------------------------


def test_indicator_page_chooser_keeps_measures_and_refuses_misfits(demo, client) -> None:  # noqa: ANN001
    url = "/lagesbild/indikator/U01405/?area=0127&breakdown=sex&measures=d&measures=aci"
    page = client.get(url).content.decode()
    [block] = gap_blocks_in(page)
    assert set(block["measures"]) == {"d"}
    assert "Visas inte, eftersom måttet inte passar den här indelningen" in page
    assert "Absolut koncentrationsindex (ACI): måttet kräver grupper i en social ordning" in page
    assert 'id="measure-aci" name="measures" value="aci"' in page
    assert 'value="aci" aria-describedby="measure-aci-help" checked' in page
    assert 'href="/metoder/#ineq-aci"' in page
    page = client.get(
        "/lagesbild/indikator/U01405/?area=0127&breakdown=education&measures=aci,rci,paf,par"
    ).content.decode()
    [block] = gap_blocks_in(page)
    assert list(block["measures"]) == ["aci", "rci", "paf", "par"]
    check_intervals(block)


def test_chooser_on_the_english_page(demo, client) -> None:  # noqa: ANN001
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(
        "/lagesbild/indikator/U01405/?area=0127&breakdown=sex&measures=d,bgv"
    ).content.decode()
    assert '<html lang="en">' in page
    assert "it needs at least three groups, and this breakdown has two" in page
    assert "women − men" in page
    assert 'href="/metoder/#en-ineq-bgv"' in page


def test_one_group_reads_cannot_be_calculated(demo, client, monkeypatch) -> None:  # noqa: ANN001
    """A breakdown where only women have a value: no 0, no 1, but the reason."""
    from django.core.cache import cache

    from jamlik.indicators import gaps

    real = gaps.group_rows

    def only_women(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        frame = real(*args, **kwargs)
        frame.loc[frame["category"] == "male", ["value", "lower", "upper"]] = float("nan")
        return frame

    monkeypatch.setattr(gaps, "group_rows", only_women)
    cache.clear()  # the blocks of the real values may be cached by an earlier test
    try:
        page = client.get("/lagesbild/indikator/U01405/?area=0127&breakdown=sex").content.decode()
    finally:
        cache.clear()  # and these must not be served to later tests
    [block] = gap_blocks_in(page)
    assert block["measures"]["d"]["text"] == "kan inte beräknas"
    assert "Kan inte beräknas: inget publicerat värde för Män." in page


@pytest.mark.parametrize("breakdown", ["sex", "education", "district"])
def test_gap_over_time_on_profile_and_indicator_page(demo, client, breakdown) -> None:  # noqa: ANN001
    for url in (
        f"/lagesbild/kommun/0127/?breakdown={breakdown}",
        f"/lagesbild/indikator/U01405/?area=0127&breakdown={breakdown}",
    ):
        tree = lxml_html.fromstring(client.get(url).content.decode())
        sentences = [li.text_content() for li in tree.xpath("//ul[@class='gap-trend']/li")]
        assert sentences, url
        verdicts = ("skillnaden minskar", "skillnaden ökar", "ingen tydlig förändring")
        assert any(v in s for s in sentences for v in verdicts), sentences[:3]
        assert all("viktad linjär trend" in s or "kan inte beräknas" in s for s in sentences)
        assert tree.xpath("//a[contains(@href, 'part=gap-trend')]"), url
        assert tree.xpath("//a[@href='/metoder/#gap-trend']"), url


def test_gap_trend_csv_matches_the_measures(demo, client) -> None:  # noqa: ANN001
    import csv

    response = client.get("/lagesbild/indikator/U01405/csv/?part=gap-trend&area=0127&breakdown=sex")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text[text.index("indicator,") :])))
    assert {r["measure"] for r in rows} == {"d", "r"}
    assert len({r["period"] for r in rows}) >= 5
    for r in rows:
        assert float(r["lower_95"]) <= float(r["value"]) <= float(r["upper_95"])


def test_gap_blocks_are_cached_for_public_readers_until_the_next_publication(
    demo, monkeypatch
) -> None:  # noqa: ANN001
    from django.core.cache import cache
    from django.utils import timezone

    from jamlik.geo.models import Area
    from jamlik.indicators import gaps
    from jamlik.indicators.gap_blocks import gap_blocks
    from jamlik.indicators.models import Indicator, Publication
    from jamlik.indicators.queries import Visibility

    cache.clear()
    area, indicator = Area.objects.get(code="0127"), Indicator.objects.get(code="U01405")
    calls = []
    real = gaps.area_gaps

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(gaps, "area_gaps", counted)
    first = gap_blocks(area, "sex", [indicator])
    again = gap_blocks(area, "sex", [indicator])
    assert len(calls) == 1
    assert again[0]["measures"] == first[0]["measures"]
    assert again[0]["trend"]["rows"] == first[0]["trend"]["rows"]
    gap_blocks(area, "sex", [indicator], measures=["d"])  # another choice: its own entry
    assert len(calls) == 2
    # A reader who may see staged rows of an unpublished import never gets cached blocks.
    staged = Visibility(frozenset({-1}), None)
    assert staged.sees_staged
    gap_blocks(area, "sex", [indicator], visibility=staged)
    gap_blocks(area, "sex", [indicator], visibility=staged)
    assert len(calls) == 4
    # A new publication changes the key: the next reader gets the new table's numbers.
    last = Publication.objects.order_by("-built_at").first()
    assert last is not None
    Publication.objects.filter(pk=last.pk).update(built_at=timezone.now())
    gap_blocks(area, "sex", [indicator])
    assert len(calls) == 5
    cache.clear()

"""Merging actors across county packages, measured on a hand-made set of known duplicates.

The set (data/merge_testset.csv) holds 66 invented organisations-in-counties: true
duplicates written with the variations real files have, and hard negatives that differ
only by place or one word. Pairwise precision and recall are asserted against floors; the
exact figures are printed (run with -s) and stated in the actor-map report.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from jamlik.actors.merging import ActorKey, Decision, Matcher, pair_scores, pairs_from_clusters
from jamlik.actors.orgnr import make_org_number

DATA = Path(__file__).parent / "data" / "merge_testset.csv"
AUTO_PRECISION_FLOOR = 0.9
AUTO_RECALL_FLOOR = 0.75
FLAGGED_RECALL_FLOOR = 0.9


def _rows() -> list[dict[str, str]]:
    lines = [
        line for line in DATA.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return list(csv.DictReader(lines, delimiter=";"))


def _package(county, rows):  # noqa: ANN001, ANN202
    from jamlik.actors.services.packages import FORMAT, FORMAT_VERSION, content_checksum

    actors = [
        {
            "ref": f"T{index}",
            "name": row["name"],
            "org_number": make_org_number(row["org_stem"]) if row["org_stem"] else "",
            "type": "civil_society",
            "level": "national",
            "area": county,
            "areas_served": [],
            "contact": "",
            "website": "",
        }
        for index, row in enumerate(rows)
    ]
    doc = {"actors": actors, "activities": [], "networks": [], "relations": []}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "county": county,
        "version": "test",
        "exported_at": "2026-01-01T00:00:00+00:00",
        "checksum": content_checksum(doc),
        **doc,
    }


@pytest.mark.django_db
def test_merge_precision_and_recall_on_known_duplicates(users, capsys):
    from jamlik.actors.models import Actor, MergeCandidate
    from jamlik.actors.services import import_county_package

    rows = _rows()
    by_county = defaultdict(list)
    for row in rows:
        by_county[row["county"]].append(row)
    for county, county_rows in sorted(by_county.items()):
        import_county_package(users["admin"], _package(county, county_rows))
    entity = {(r["county"], r["name"]): r["entity"] for r in rows}
    clusters_truth = defaultdict(list)
    for r in rows:
        clusters_truth[r["entity"]].append((r["county"], r["name"]))
    truth = pairs_from_clusters(clusters_truth.values())
    groups = defaultdict(list)
    for actor in Actor.objects.select_related("county"):
        groups[actor.canonical_id or actor.pk].append((actor.county.code, actor.name))
    auto = pairs_from_clusters(groups.values())
    flagged = set(auto)
    for candidate in MergeCandidate.objects.select_related("incoming__county", "existing__county"):
        a = (candidate.incoming.county.code, candidate.incoming.name)
        b = (candidate.existing.county.code, candidate.existing.name)
        for x in groups[candidate.incoming.canonical_id or candidate.incoming.pk]:
            for y in groups[candidate.existing.canonical_id or candidate.existing.pk]:
                flagged.add(frozenset((x, y)))
        flagged.add(frozenset((a, b)))
    auto_scores = pair_scores(auto, truth)
    flagged_scores = pair_scores(flagged, truth)
    with capsys.disabled():
        print(
            f"\nmerge test set: {len(rows)} records, {len(set(entity.values()))} organisations, "
            f"{len(truth)} true pairs\n"
            f"  automatic merges: precision {auto_scores.precision:.3f}, recall {auto_scores.recall:.3f} "
            f"(tp {auto_scores.true_positives}, fp {auto_scores.false_positives}, fn {auto_scores.false_negatives})\n"
            f"  automatic + review queue: precision {flagged_scores.precision:.3f}, "
            f"recall {flagged_scores.recall:.3f}"
        )
    assert auto_scores.precision >= AUTO_PRECISION_FLOOR
    assert auto_scores.recall >= AUTO_RECALL_FLOOR
    assert flagged_scores.recall >= FLAGGED_RECALL_FLOOR


def test_org_number_decides_before_names():
    matcher = Matcher([ActorKey(1, "Helt annat namn", "802400-1235", "A")])
    match = matcher.match(ActorKey(2, "Föreningen X", "802400-1235", "B"))
    assert match.decision == Decision.MERGE and match.by_org_number
    different = matcher.match(ActorKey(3, "Helt annat namn", "556016-0680", "B"))
    assert different.decision == Decision.NEW  # both numbered, numbers differ


def test_same_group_is_never_matched():
    matcher = Matcher([ActorKey(1, "Föreningen X", "", "A")])
    assert matcher.match(ActorKey(2, "Föreningen X", "", "A")).decision == Decision.NEW


def test_similar_names_go_to_review():
    matcher = Matcher([ActorKey(1, "Centrum för preventionsforskning", "", "A")])
    match = matcher.match(ActorKey(2, "Centrum för preventionsforskning (CPF)", "", "B"))
    assert match.decision in (Decision.REVIEW, Decision.MERGE)
    assert match.other == 1


def test_pair_scores():
    truth = {frozenset((1, 2)), frozenset((3, 4))}
    scores = pair_scores({frozenset((1, 2)), frozenset((1, 3))}, truth)
    assert (scores.precision, scores.recall) == (0.5, 0.5)


def _perturb(rng, name: str) -> str:  # noqa: ANN001
    """One realistic way a second county might write the same name."""
    choice = rng.randrange(8)
    if choice == 6 and len(name.split()) >= 3:  # a word left out
        words = name.split()
        del words[rng.randrange(1, len(words))]
        return " ".join(words)
    if choice == 7:  # abbreviations
        return (
            name.replace("förvaltningen", "förv.")
            .replace("Föreningen", "Fören.")
            .replace("(påhittad)", "(påh.)")
        )
    if choice == 0:
        return name.upper()
    if choice == 1:
        return f"{name} ideell förening"
    if choice == 2 and len(name) > 8:  # a typo: two neighbouring letters swapped
        i = rng.randrange(1, len(name) - 2)
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if choice == 3 and len(name) > 8:  # a dropped letter
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1 :]
    if choice == 4 and "," in name:  # parts in the other order
        head, tail = name.split(",", 1)
        return f"{tail.strip()}, {head.strip()}"
    return name.replace(" ", "  ").replace(",", " -")


@pytest.mark.django_db
def test_merge_on_generated_variants_of_the_demo_map(geography, capsys):
    """A larger, generated check: Stockholm's invented actors against a second county that
    writes half of them differently and has its own look-alike organisations in its own
    kommuner (hard negatives)."""
    import random

    from jamlik.actors.demo import build_rows
    from jamlik.actors.services.packages import place_names

    rng = random.Random(11)
    stockholm = build_rows(list(geography.municipalities("01")), {})["actors"]
    uppsala_kommuner = [k.name for k in geography.municipalities("03")]
    pool = [ActorKey(("01", a["ref"]), a["name"], a["org_number"], "01") for a in stockholm]
    incoming, truth = [], set()
    for index, actor in enumerate(stockholm):
        if index % 2 == 0:  # the same organisation, written differently (number kept or dropped)
            number = actor["org_number"] if rng.random() < 0.3 else ""
            key = ("03", f"dup{index}")
            incoming.append(ActorKey(key, _perturb(rng, actor["name"]), number, "03"))
            truth.add(frozenset((key, ("01", actor["ref"]))))
        elif any(k in actor["name"] for k in [g.name for g in geography.municipalities("01")]):
            # a look-alike in one of Uppsala län's kommuner: a different organisation
            kommun = next(k.name for k in geography.municipalities("01") if k.name in actor["name"])
            other = actor["name"].replace(kommun, rng.choice(uppsala_kommuner))
            incoming.append(ActorKey(("03", f"neg{index}"), other, "", "03"))
    matcher = Matcher(pool, places=place_names())
    auto, flagged = set(), set()
    for item in incoming:
        match = matcher.match(item)
        if match.decision == Decision.MERGE:
            auto.add(frozenset((item.key, match.other)))
        if match.decision in (Decision.MERGE, Decision.REVIEW):
            flagged.add(frozenset((item.key, match.other)))
    a, f = pair_scores(auto, truth), pair_scores(flagged, truth)
    with capsys.disabled():
        print(
            f"\ngenerated set: {len(pool)} + {len(incoming)} actors, {len(truth)} true pairs\n"
            f"  automatic merges: precision {a.precision:.3f}, recall {a.recall:.3f} "
            f"(tp {a.true_positives}, fp {a.false_positives}, fn {a.false_negatives})\n"
            f"  automatic + review queue: precision {f.precision:.3f}, recall {f.recall:.3f} "
            f"(tp {f.true_positives}, fp {f.false_positives}, fn {f.false_negatives})"
        )
    assert a.precision >= 0.95
    assert a.recall >= 0.7
    assert f.recall >= 0.85

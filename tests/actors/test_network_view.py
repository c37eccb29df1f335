"""The network view: filters, strengths, centrality against networkx, the page and its SVG."""

from __future__ import annotations

import math
import re

import networkx as nx
import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.actors.graph import NetworkFilter, analyse, build_graph
from jamlik.actors.svg_graph import spread_labels

SECTORS = ["municipal", "region", "civil_society", "business"]


def _known_graph() -> nx.Graph:
    """A path 1–2–3–4 with a branch 3–5, in three sectors; 6 alone."""
    actors = [
        (1, "A", "municipal"),
        (2, "B", "region"),
        (3, "C", "civil_society"),
        (4, "D", "municipal"),
        (5, "E", "region"),
        (6, "F", "business"),
    ]
    relations = [(1, 2, "collaborates"), (2, 3, "funds"), (3, 4, "collaborates")]
    memberships = [(10, 3), (10, 5)]
    participations = [(20, 1), (20, 2)]  # 1–2 also share an activity: strength 2
    return build_graph(actors, relations, memberships, participations)


def test_centrality_matches_networkx_on_a_known_graph() -> None:
    graph = _known_graph()
    nodes = {n.key: n for n in analyse(graph)}
    reference = nx.Graph([(1, 2), (2, 3), (3, 4), (3, 5)])
    reference.add_node(6)
    expected_between = nx.betweenness_centrality(reference, normalized=True)
    expected_degree = nx.degree_centrality(reference)
    for key, info in nodes.items():
        assert math.isclose(info.betweenness, expected_between[key])
        assert math.isclose(info.degree_centrality, expected_degree[key])
    # by hand: 3 lies on the paths 1–4, 1–5, 2–4, 2–5 and 4–5: five pairs,
    # normalised by (n-1)(n-2)/2 = 10 for n = 6
    assert math.isclose(nodes[3].betweenness, 5 / 10)
    assert nodes[6].degree == 0 and nodes[6].betweenness == 0


def test_strength_counts_each_tie_once() -> None:
    graph = _known_graph()
    assert graph.edges[1, 2]["weight"] == 2  # a relation and a shared activity
    assert graph.edges[3, 5]["weight"] == 1  # a shared network
    nodes = {n.key: n for n in analyse(graph)}
    assert nodes[2].strength == 3 and nodes[2].degree == 2


def test_minimum_strength_drops_weak_links_and_keeps_their_actors() -> None:
    actors = [(1, "A", "municipal"), (2, "B", "region"), (3, "C", "region")]
    graph = build_graph(
        actors, [(1, 2, "collaborates"), (2, 3, "funds")], [], [(20, 1), (20, 2)], min_strength=2
    )
    assert list(graph.edges) == [(1, 2)]
    assert set(graph.nodes) == {1, 2, 3}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=25),
    st.lists(st.tuples(st.integers(100, 103), st.integers(0, 7)), max_size=20),
    st.integers(1, 4),
)
def test_a_stronger_minimum_never_adds_links(pairs, groups, strength) -> None:  # noqa: ANN001
    actors = [(i, f"A{i}", SECTORS[i % 4]) for i in range(8)]
    relations = [(a, b, "collaborates") for a, b in pairs]
    weak = build_graph(actors, relations, groups, min_strength=1)
    strong = build_graph(actors, relations, groups, min_strength=strength)
    assert set(strong.edges) <= set(weak.edges)
    assert all(w >= strength for _a, _b, w in strong.edges(data="weight"))


def test_filter_from_query_ignores_unknown_values() -> None:
    query = QueryDict("sector=region&sector=nonsense&strength=99&malomrade=x")
    chosen = NetworkFilter.from_query(query, SECTORS)
    assert chosen.sectors == frozenset({"region"})
    assert chosen.min_strength == 5 and chosen.malomrade == ""
    assert NetworkFilter.from_query(QueryDict("strength=abc"), SECTORS).min_strength == 1
    assert not NetworkFilter.from_query(QueryDict(""), SECTORS).active


@given(st.lists(st.floats(0, 800, allow_nan=False), max_size=30))
def test_spread_labels_keeps_order_and_spacing(ys: list[float]) -> None:
    placed = spread_labels(list(enumerate(ys)), 17)
    heights = [placed[k] for k, _y in sorted(enumerate(ys), key=lambda item: item[1])]
    assert all(b - a >= 17 - 1e-9 for a, b in zip(heights, heights[1:], strict=False))


# ---------------------------------------------------------------- the database and the page


@pytest.fixture
def linked_map(small_map):  # noqa: ANN001, ANN201
    from jamlik.actors import services
    from jamlik.actors.choices import RelationKind

    a1, a2, a3, _a4 = small_map["actors"]
    services.add_relation(None, a1, a3, RelationKind.COLLABORATES, check=False)
    return small_map


def test_county_network_links_shared_activities_and_filters_reduce_it(linked_map) -> None:  # noqa: ANN001
    from jamlik.actors.graph import county_network

    a1, a2, a3, a4 = linked_map["actors"]
    everything = county_network("01")
    assert everything.graph.has_edge(a1.pk, a2.pk)  # "Föräldrastöd i grupp"
    assert everything.graph.has_edge(a1.pk, a3.pk)  # a direct relation
    municipal = county_network("01", None, NetworkFilter(sectors=frozenset({"municipal"})))
    assert set(municipal.graph.nodes) == {a1.pk, a3.pk}
    assert municipal.graph.number_of_edges() < everything.graph.number_of_edges()
    # målområde 7: only ties through activities and networks working on it
    target = county_network("01", None, NetworkFilter(malomrade="7"))
    assert set(target.graph.nodes) == {a1.pk, a2.pk}
    assert list(target.graph.edges) == [(a1.pk, a2.pk)] or list(target.graph.edges) == [
        (a2.pk, a1.pk)
    ]
    strong = county_network("01", None, NetworkFilter(min_strength=2))
    assert strong.graph.number_of_edges() == 0 and a4.pk in strong.graph
    kommun = county_network("01", "0186")
    assert set(kommun.graph.nodes) == {a3.pk}


def _centrality(html: str) -> str:
    """The centrality table's section of the page."""
    start = html.index('id="centrality-h"')
    return html[start : html.index("</section>", start)]


def test_network_page_filters_and_centrality_table(linked_map, client_for) -> None:  # noqa: ANN001
    client = client_for("viewer")
    full = client.get("/aktorer/natverk/?county=01").content.decode()
    assert "<svg" in full and 'role="group"' in full and "<desc" in full
    # a table of every actor beside the picture, most central first
    rows = re.findall(r'<tr><th scope="row"><a href="/aktorer/aktor/(\d+)/">', _centrality(full))
    assert len(rows) == 4
    assert int(rows[0]) == linked_map["actors"][0].pk  # Botkyrka's social services bridge
    nodes = len(re.findall(r'class="net-node[ "]', full))
    assert nodes == 3  # the isolated region is listed, not drawn
    filtered = client.get("/aktorer/natverk/?county=01&sector=municipal").content.decode()
    assert len(re.findall(r'class="net-node[ "]', filtered)) == 2
    assert (
        len(re.findall(r'<tr><th scope="row"><a href="/aktorer/aktor/', _centrality(filtered))) == 2
    )
    assert 'value="municipal" checked' in filtered
    by_name = client.get("/aktorer/natverk/?county=01&sort=name").content.decode()
    names = re.findall(
        r'<tr><th scope="row"><a href="/aktorer/aktor/\d+/">([^<]+)</a>', _centrality(by_name)
    )
    assert names == sorted(names)
    # nonsense in the query is a page, not an error
    odd = client.get("/aktorer/natverk/?county=01&strength=x&malomrade=%3Cb%3E&sort=evil")
    assert odd.status_code == 200


def test_network_page_is_fast_at_county_scale(client_for) -> None:  # noqa: ANN001
    """The demo county's 150 actors and 1 000 links: the page in well under a second."""
    import time

    from jamlik.actors.demo import seed

    seed(lambda _message: None)
    client = client_for("viewer")
    client.get("/aktorer/natverk/?county=01")
    started = time.perf_counter()
    response = client.get("/aktorer/natverk/?county=01")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed < 3.0, elapsed

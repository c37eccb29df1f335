"""Network analysis: centrality, cross-sector brokerage, isolated actors, the SVG."""

from __future__ import annotations

from jamlik.actors.graph import analyse, brokerage, build_graph


def _graph():
    actors = [
        (1, "Kommun", "municipal"),
        (2, "Förening", "civil_society"),
        (3, "Region", "region"),
        (4, "Ensam", "business"),
        (5, "Kommun 2", "municipal"),
    ]
    relations = [(1, 2, "collaborates"), (1, 3, "funds")]
    memberships = [(10, 1), (10, 5)]
    return build_graph(actors, relations, memberships)


def test_brokerage_counts_unlinked_pairs_from_different_sectors():
    graph = _graph()
    # Neighbours of 1: 2 (civil), 3 (region), 5 (municipal); pairs 2–3, 2–5, 3–5 all unlinked and cross-sector.
    assert brokerage(graph, 1) == 3
    assert brokerage(graph, 2) == 0


def test_centrality_and_isolated():
    nodes = {n.key: n for n in analyse(_graph())}
    assert nodes[1].betweenness == max(n.betweenness for n in nodes.values())
    assert nodes[4].degree == 0
    assert nodes[1].sectors_reached == 2  # civil society and region (own sector not counted)


def test_network_page_draws_accessible_svg(small_map, client_for):
    from jamlik.actors import services
    from jamlik.actors.choices import RelationKind

    a1, a2, _a3, _a4 = small_map["actors"]
    services.add_relation(None, a1, a2, RelationKind.COLLABORATES, check=False)
    content = client_for("viewer").get("/aktorer/natverk/?county=01").content.decode()
    assert "<svg" in content and 'role="group"' in content and "<desc" in content
    assert "Regionens folkhälsoenhet" in content  # isolated, listed in the table

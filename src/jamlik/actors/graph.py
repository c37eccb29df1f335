"""The actor network: who is linked to whom, who is central, who bridges sectors, who is alone.

Actors are linked when one collaborates with or funds the other, or when both belong to
(or convene) the same network. On that graph we compute:

* degree centrality — the share of other actors one is directly linked to;
* betweenness centrality — how often one lies on the shortest paths between others
  (Freeman 1977, "A set of measures of centrality based on betweenness", Sociometry 40;
  computed with Brandes 2001, J. Math. Sociol. 25);
* cross-sector brokerage — the number of pairs of one's contacts that belong to different
  sectors and are not linked to each other, so that the link runs through this actor
  (the liaison and representative roles of Gould & Fernandez 1989, Sociol. Methodol. 19,
  counted without direction);
* isolated actors — no link at all: the first candidates for an invitation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from jamlik.actors.models import Actor, ActorRelation, Network


@dataclass(frozen=True)
class NodeInfo:
    key: int
    name: str
    sector: str
    degree: int
    degree_centrality: float
    betweenness: float
    brokerage: int
    sectors_reached: int


@dataclass
class NetworkAnalysis:
    graph: nx.Graph
    nodes: list[NodeInfo]
    networks: list[Network]
    memberships: list[tuple[int, int]]  # (network id, actor id)
    relations: list[tuple[int, int, str]]

    @property
    def central(self) -> list[NodeInfo]:
        return sorted(self.nodes, key=lambda n: (-n.betweenness, -n.degree, n.name))[:15]

    @property
    def brokers(self) -> list[NodeInfo]:
        found = [n for n in self.nodes if n.brokerage > 0]
        return sorted(found, key=lambda n: (-n.brokerage, -n.betweenness, n.name))[:15]

    @property
    def isolated(self) -> list[NodeInfo]:
        return sorted((n for n in self.nodes if n.degree == 0), key=lambda n: n.name)

    @property
    def density(self) -> float:
        return nx.density(self.graph) if self.graph.number_of_nodes() > 1 else 0.0


def build_graph(
    actors: Iterable[tuple[int, str, str]],
    relations: Iterable[tuple[int, int, str]],
    memberships: Iterable[tuple[int, int]],
) -> nx.Graph:
    """Actors ``(id, name, sector)``; relations ``(a, b, kind)``; ``(network, actor)`` pairs."""
    graph = nx.Graph()
    for key, name, sector in actors:
        graph.add_node(key, name=name, sector=sector)
    for a, b, kind in relations:
        if a in graph and b in graph and a != b:
            kinds = graph.edges[a, b]["kinds"] if graph.has_edge(a, b) else set()
            graph.add_edge(a, b, kinds=kinds | {kind})
    members: dict[int, set[int]] = {}
    for network, actor in memberships:
        if actor in graph:
            members.setdefault(network, set()).add(actor)
    for network, group in members.items():
        for a, b in combinations(sorted(group), 2):
            kinds = graph.edges[a, b]["kinds"] if graph.has_edge(a, b) else set()
            graph.add_edge(a, b, kinds=kinds | {f"network:{network}"})
    return graph


def brokerage(graph: nx.Graph, node: int) -> int:
    """Pairs of neighbours in different sectors with no link between them (pure)."""
    neighbours = list(graph.neighbors(node))
    count = 0
    for a, b in combinations(neighbours, 2):
        if graph.nodes[a]["sector"] != graph.nodes[b]["sector"] and not graph.has_edge(a, b):
            count += 1
    return count


def analyse(graph: nx.Graph) -> list[NodeInfo]:
    if graph.number_of_nodes() == 0:
        return []
    degree_c = (
        nx.degree_centrality(graph) if graph.number_of_nodes() > 1 else dict.fromkeys(graph, 0.0)
    )
    between = nx.betweenness_centrality(graph, normalized=True)
    result = []
    for node, data in graph.nodes(data=True):
        sectors = {graph.nodes[n]["sector"] for n in graph.neighbors(node)}
        result.append(
            NodeInfo(
                node,
                data["name"],
                data["sector"],
                graph.degree(node),
                degree_c[node],
                between[node],
                brokerage(graph, node),
                len(sectors - {data["sector"]}),
            )
        )
    return result


def county_network(county_code: str, kommun_code: str | None = None) -> NetworkAnalysis:
    """The graph of a county's actors (optionally those based in or serving one kommun)."""
    actors_qs = Actor.objects.filter(county__code=county_code)
    if kommun_code:
        actors_qs = actors_qs.filter(area__code=kommun_code) | actors_qs.filter(
            areas_served__code=kommun_code
        )
    actors = list(actors_qs.distinct().values_list("pk", "name", "actor_type"))
    ids = {a[0] for a in actors}
    relations = [
        (s, t, k)
        for s, t, k in ActorRelation.objects.filter(source__county__code=county_code).values_list(
            "source_id", "target_id", "kind"
        )
        if s in ids and t in ids
    ]
    networks = list(Network.objects.filter(county__code=county_code).select_related("convenor"))
    memberships = [
        (n, a)
        for n, a in Network.members.through.objects.filter(
            network__county__code=county_code
        ).values_list("network_id", "actor_id")
        if a in ids
    ]
    memberships += [(n.pk, n.convenor_id) for n in networks if n.convenor_id in ids]
    graph = build_graph(actors, relations, memberships)
    return NetworkAnalysis(graph, analyse(graph), networks, memberships, relations)

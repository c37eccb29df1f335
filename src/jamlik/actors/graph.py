"""The actor network: who is linked to whom, who is central, who bridges sectors, who is alone.

Actors are linked when one collaborates with or funds the other, when both belong to
(or convene) the same network, or when both run the same activity. A link's *strength*
is the number of such ties between the two (each relation kind, each shared network,
each shared activity counts one). On that graph we compute:

* degree centrality — the share of other actors one is directly linked to;
* betweenness centrality — how often one lies on the shortest paths between others
  (Freeman 1977, "A set of measures of centrality based on betweenness", Sociometry 40;
  computed with Brandes 2001, J. Math. Sociol. 25);
* cross-sector brokerage — the number of pairs of one's contacts that belong to different
  sectors and are not linked to each other, so that the link runs through this actor
  (the liaison and representative roles of Gould & Fernandez 1989, Sociol. Methodol. 19,
  counted without direction);
* isolated actors — no link at all: the first candidates for an invitation.

Centrality is computed on the graph the reader filtered (:class:`NetworkFilter`: sectors,
a målområde, a minimum strength, a kommun), so the table beside the picture describes the
picture. Betweenness counts links, not strengths: a strong tie is not a shorter path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from jamlik.actors.choices import ActorType, TagDimension
from jamlik.actors.models import Activity, ActivityTag, Actor, ActorRelation, Network

#: The strongest minimum a reader can ask for (a pair with five ties is rare).
MAX_MIN_STRENGTH = 5


@dataclass(frozen=True)
class NetworkFilter:
    """What the reader narrowed the network to; the defaults show everything."""

    #: Sectors (actor types) kept; empty = all.
    sectors: frozenset[str] = frozenset()
    #: A målområde number as text: only ties through networks and activities working on it.
    malomrade: str = ""
    #: Links with fewer ties than this are left out.
    min_strength: int = 1

    @classmethod
    def from_query(cls, query: Mapping[str, object], known_sectors: Iterable[str]) -> NetworkFilter:
        """From ``request.GET``; unknown sectors are ignored and the strength is clamped to 1–5."""
        getlist = getattr(query, "getlist", None)
        raw = getlist("sector") if getlist else list(query.get("sector", []) or [])  # type: ignore[arg-type]
        sectors = frozenset(raw) & frozenset(known_sectors)
        try:
            strength = int(str(query.get("strength", "1") or "1"))
        except ValueError:
            strength = 1
        malomrade = str(query.get("malomrade", "") or "").strip()
        return cls(
            sectors=sectors,
            malomrade=malomrade if malomrade.isdigit() else "",
            min_strength=min(max(strength, 1), MAX_MIN_STRENGTH),
        )

    @property
    def active(self) -> bool:
        return bool(self.sectors or self.malomrade or self.min_strength > 1)


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
    #: Sum of the strengths of the actor's links (weighted degree).
    strength: int = 0


@dataclass
class NetworkAnalysis:
    graph: nx.Graph
    nodes: list[NodeInfo]
    networks: list[Network]
    memberships: list[tuple[int, int]]  # (network id, actor id)
    relations: list[tuple[int, int, str]]
    network_filter: NetworkFilter = field(default_factory=NetworkFilter)

    @property
    def ranked(self) -> list[NodeInfo]:
        """Every actor, most central first (betweenness, then links, then name)."""
        return sorted(self.nodes, key=lambda n: (-n.betweenness, -n.degree, n.name))

    @property
    def central(self) -> list[NodeInfo]:
        return self.ranked[:15]

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


def _tie(graph: nx.Graph, a: int, b: int, kind: str) -> None:
    kinds = graph.edges[a, b]["kinds"] if graph.has_edge(a, b) else set()
    kinds = kinds | {kind}
    graph.add_edge(a, b, kinds=kinds, weight=len(kinds))


def build_graph(
    actors: Iterable[tuple[int, str, str]],
    relations: Iterable[tuple[int, int, str]],
    memberships: Iterable[tuple[int, int]],
    participations: Iterable[tuple[int, int]] = (),
    *,
    min_strength: int = 1,
) -> nx.Graph:
    """Actors ``(id, name, sector)``; relations ``(a, b, kind)``; ``(network, actor)`` and
    ``(activity, actor)`` pairs. Each edge has ``kinds`` (its ties) and ``weight`` (their
    number); edges weaker than ``min_strength`` are dropped, their actors kept."""
    graph = nx.Graph()
    for key, name, sector in actors:
        graph.add_node(key, name=name, sector=sector)
    for a, b, kind in relations:
        if a in graph and b in graph and a != b:
            _tie(graph, a, b, kind)
    for prefix, pairs in (("network", memberships), ("activity", participations)):
        members: dict[int, set[int]] = {}
        for group, actor in pairs:
            if actor in graph:
                members.setdefault(group, set()).add(actor)
        for group, actors_in in members.items():
            for a, b in combinations(sorted(actors_in), 2):
                _tie(graph, a, b, f"{prefix}:{group}")
    if min_strength > 1:
        graph.remove_edges_from(
            [(a, b) for a, b, w in graph.edges(data="weight") if w < min_strength]
        )
    return graph


#: Sectors that belong to another for brokerage: a county board unit is the county board,
#: so linking the board with its own unit bridges no sectors.
SECTOR_OF: dict[str, str] = {ActorType.COUNTY_BOARD_UNIT: ActorType.COUNTY_BOARD}


def sector_of(sector: str) -> str:
    return SECTOR_OF.get(sector, sector)


def brokerage(graph: nx.Graph, node: int) -> int:
    """Pairs of neighbours in different sectors with no link between them (pure)."""
    neighbours = list(graph.neighbors(node))
    count = 0
    for a, b in combinations(neighbours, 2):
        if sector_of(graph.nodes[a]["sector"]) != sector_of(
            graph.nodes[b]["sector"]
        ) and not graph.has_edge(a, b):
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
        sectors = {sector_of(graph.nodes[n]["sector"]) for n in graph.neighbors(node)}
        result.append(
            NodeInfo(
                node,
                data["name"],
                data["sector"],
                graph.degree(node),
                degree_c[node],
                between[node],
                brokerage(graph, node),
                len(sectors - {sector_of(data["sector"])}),
                int(graph.degree(node, weight="weight")),
            )
        )
    return result


def county_network(
    county_code: str,
    kommun_code: str | None = None,
    network_filter: NetworkFilter | None = None,
) -> NetworkAnalysis:
    """The graph of a county's actors (optionally those based in or serving one kommun),
    narrowed by ``network_filter``.

    With a målområde, only ties through networks and activities working on it count,
    and only the actors taking part in them are shown; direct relations carry no
    målområde and are left out.
    """
    chosen = network_filter or NetworkFilter()
    actors_qs = Actor.objects.filter(county__code=county_code)
    if kommun_code:
        actors_qs = actors_qs.filter(area__code=kommun_code) | actors_qs.filter(
            areas_served__code=kommun_code
        )
    if chosen.sectors:
        actors_qs = actors_qs.filter(actor_type__in=chosen.sectors)
    actors = list(actors_qs.distinct().values_list("pk", "name", "actor_type"))
    ids = {a[0] for a in actors}
    networks = list(Network.objects.filter(county__code=county_code).select_related("convenor"))
    if chosen.malomrade:
        target = int(chosen.malomrade)
        networks = [n for n in networks if target in {int(x) for x in n.malomraden or []}]
    network_ids = {n.pk for n in networks}
    memberships = [
        (n, a)
        for n, a in Network.members.through.objects.filter(
            network__county__code=county_code
        ).values_list("network_id", "actor_id")
        if a in ids and n in network_ids
    ]
    memberships += [(n.pk, n.convenor_id) for n in networks if n.convenor_id in ids]
    activities = Activity.actors.through.objects.filter(activity__county__code=county_code)
    if chosen.malomrade:
        tagged = ActivityTag.objects.filter(
            dimension=TagDimension.TARGET_AREA, key=chosen.malomrade
        ).values("activity_id")
        activities = activities.filter(activity_id__in=tagged)
    participations = [
        (activity, actor)
        for activity, actor in activities.values_list("activity_id", "actor_id")
        if actor in ids
    ]
    if chosen.malomrade:
        relations: list[tuple[int, int, str]] = []
        taking_part = {a for _n, a in memberships} | {a for _n, a in participations}
        actors = [a for a in actors if a[0] in taking_part]
    else:
        relations = [
            (s, t, k)
            for s, t, k in ActorRelation.objects.filter(
                source__county__code=county_code
            ).values_list("source_id", "target_id", "kind")
            if s in ids and t in ids
        ]
    graph = build_graph(
        actors, relations, memberships, participations, min_strength=chosen.min_strength
    )
    return NetworkAnalysis(graph, analyse(graph), networks, memberships, relations, chosen)

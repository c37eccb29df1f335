"""Units inside an organisation (``Actor.part_of``): where a unit may sit.

The county board's own public-health work (pillar 1: folkhälsa inside the board's growth,
planning and social-sustainability work) is recorded as units of the county board actor,
each with its own activities. The rules are the same wherever a link is made — the actor
form, the editing service and the import — so they live here as pure functions:

* a unit and the organisation it is part of belong to the same county's map;
* nothing is part of itself, directly or through a chain (no cycles);
* a *county board unit* is part of a *county board* actor.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from django.utils.translation import gettext as _

from jamlik.actors.choices import ActorType

K = TypeVar("K", bound=Hashable)


def reaches(start: K | None, parents: Mapping[K, K | None], target: K) -> bool:
    """Whether following ``parents`` from ``start`` arrives at ``target`` (pure).

    A chain that loops without meeting ``target`` (stored data from before the rule)
    ends the walk instead of running for ever.
    """
    seen: set[K] = set()
    node = start
    while node is not None and node not in seen:
        if node == target:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def part_of_problem(
    *,
    actor_type: str,
    parent_type: str | None,
    same_county: bool = True,
    is_self: bool = False,
    cycle: bool = False,
) -> str | None:
    """What is wrong with placing an actor of ``actor_type`` inside a parent of
    ``parent_type`` (None: no parent), as a sentence for the user; None when it is fine."""
    if parent_type is not None:
        if is_self:
            return _("An organisation cannot be part of itself.")
        if not same_county:
            return _("The organisation it is part of must be in the same county's map.")
        if cycle:
            return _(
                "That organisation is already part of this one; a unit cannot contain "
                "the organisation it belongs to."
            )
    if actor_type == ActorType.COUNTY_BOARD_UNIT and parent_type != ActorType.COUNTY_BOARD:
        return _(
            "A unit within the county administrative board must be part of a county "
            "administrative board actor."
        )
    return None

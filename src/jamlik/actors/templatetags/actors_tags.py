"""Small display helpers for activities (tags are prefetched, so these add no queries)."""

from __future__ import annotations

from typing import Any

from django import template

from jamlik.actors.choices import TagDimension, TargetGroup

register = template.Library()


@register.filter
def target_area_keys(activity: Any) -> list[str]:
    return sorted(activity.tag_keys(TagDimension.TARGET_AREA), key=int)


@register.filter
def group_labels(activity: Any) -> str:
    keys = activity.tag_keys(TagDimension.TARGET_GROUP)
    return ", ".join(str(TargetGroup(k).label) for k in keys if k in TargetGroup.values)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def sector_label(key: str) -> str:
    from jamlik.actors.choices import ActorType

    return str(ActorType(key).label) if key in ActorType.values else key

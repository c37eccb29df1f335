"""Loading and changing areas: the only place that writes ``Area`` rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from jamlik.frameworks import geography
from jamlik.geo.models import Area, AreaLevel

Progress = Callable[[str], None]


def _noop(_message: str) -> None:
    return None


@transaction.atomic
def load_geography(progress: Progress = _noop) -> dict[str, int]:
    """Create or update riket, the 21 län and the 290 kommuner. Idempotent.

    Tile positions come from :func:`jamlik.frameworks.geography.county_tiles`
    (hand-drawn for Stockholms län, computed from centroids elsewhere).
    """
    progress("riket")
    country, _ = Area.objects.update_or_create(
        code=geography.COUNTRY_CODE,
        defaults={"name": geography.COUNTRY_NAME, "level": AreaLevel.COUNTRY, "parent": None},
    )
    existing = {
        a.code: a for a in Area.objects.filter(level__in=[AreaLevel.COUNTY, AreaLevel.MUNICIPALITY])
    }
    progress("21 län")
    counties: dict[str, Area] = {}
    for county in geography.counties():
        area = existing.get(county.code) or Area(code=county.code)
        area.name, area.level, area.parent = county.name, AreaLevel.COUNTY, country
        area.save()
        counties[county.code] = area
    progress("290 kommuner")
    tiles = {t.code: t for c in geography.counties() for t in geography.county_tiles(c.code)}
    to_create, to_update = [], []
    for m in geography.municipalities():
        area = existing.get(m.code)
        is_new = area is None
        area = area or Area(code=m.code)
        tile = tiles.get(m.code)
        area.name, area.level, area.parent = m.name, AreaLevel.MUNICIPALITY, counties[m.county_code]
        area.lat, area.lon = m.lat, m.lon
        area.tile_x, area.tile_y = (tile.x, tile.y) if tile else (None, None)
        (to_create if is_new else to_update).append(area)
    Area.objects.bulk_create(to_create)
    Area.objects.bulk_update(
        to_update, ["name", "level", "parent", "lat", "lon", "tile_x", "tile_y"]
    )
    return {"counties": len(counties), "municipalities": len(to_create) + len(to_update)}


class BoundaryError(ValueError):
    """A boundary file that cannot be stored; the message names file, feature and rule."""


CODE_PROPERTIES = ("id", "kommunkod", "code", "KnKod", "kom_kod", "municipality_code")
GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}


@dataclass(frozen=True)
class BoundaryImport:
    stored: int
    codes: tuple[str, ...]


def _feature_code(feature: dict, index: int, path: Path) -> str:
    props = feature.get("properties") or {}
    for key in CODE_PROPERTIES:
        if props.get(key):
            return str(props[key]).zfill(4) if str(props[key]).isdigit() else str(props[key])
    raise BoundaryError(
        f"{path.name}: feature {index}: no area code; expected one of the properties "
        f"{', '.join(CODE_PROPERTIES)}."
    )


def import_boundaries(path: Path) -> BoundaryImport:
    """Store GeoJSON boundaries for areas matched by code. All or nothing."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise BoundaryError(f"{path}: file not found.") from exc
    except json.JSONDecodeError as exc:
        raise BoundaryError(f"{path.name}: not valid JSON ({exc.msg}, line {exc.lineno}).") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryError(f"{path.name}: expected a GeoJSON FeatureCollection at the top level.")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError(f"{path.name}: 'features' must be a non-empty list.")
    areas = {a.code: a for a in Area.objects.exclude(level=AreaLevel.COUNTRY)}
    updates: dict[str, dict] = {}
    for index, feature in enumerate(features):
        code = _feature_code(feature, index, path)
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in GEOMETRY_TYPES:
            raise BoundaryError(
                f"{path.name}: feature {index} ({code}): geometry type must be Polygon or "
                f"MultiPolygon, got {geometry.get('type')!r}."
            )
        if not isinstance(geometry.get("coordinates"), list) or not geometry["coordinates"]:
            raise BoundaryError(f"{path.name}: feature {index} ({code}): 'coordinates' is empty.")
        if code not in areas:
            raise BoundaryError(
                f"{path.name}: feature {index}: unknown area code {code!r}; expected the code of a "
                "län, kommun or district loaded in Jämlik."
            )
        if code in updates:
            raise BoundaryError(f"{path.name}: feature {index}: area {code} appears twice.")
        updates[code] = geometry
    with transaction.atomic():
        for code, geometry in updates.items():
            area = areas[code]
            area.boundary = geometry
        Area.objects.bulk_update([areas[c] for c in updates], ["boundary"])
    return BoundaryImport(stored=len(updates), codes=tuple(sorted(updates)))


@transaction.atomic
def add_district(municipality: Area, *, code: str, name: str) -> Area:
    """Add (or rename) a district (stadsdel, DeSO) under a kommun."""
    if municipality.level != AreaLevel.MUNICIPALITY:
        raise ValueError(
            f"Districts belong under a kommun; {municipality} is a {municipality.level}."
        )
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ValueError("A district needs both a code and a name.")
    existing = Area.objects.filter(code=code).first()
    if existing and existing.parent_id != municipality.pk:
        raise ValueError(f"The code {code} is already used by {existing}.")
    area, _ = Area.objects.update_or_create(
        code=code,
        defaults={"name": name, "level": AreaLevel.DISTRICT, "parent": municipality},
    )
    return area

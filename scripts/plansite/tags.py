"""Places and domains: the place tree, items per tag, related items, the map."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from .model import Item, Place, SiteData


@dataclass(frozen=True)
class Marker:
    number: int  # the same number labels the marker and its line in the legend
    place: Place
    x: float  # where the marker is drawn
    y: float
    true_x: float  # where the place is; a leader line joins the two when apart
    true_y: float

    @property
    def moved(self) -> bool:
        return abs(self.x - self.true_x) + abs(self.y - self.true_y) > 1


def spread(points: list[tuple[float, float]], width: int, height: int, gap: float = 25) -> list[tuple[float, float]]:
    """Push apart markers closer than `gap`, so no number hides another.

    A few rounds of pairwise repulsion; deterministic, so builds are reproducible.
    """
    moved = [list(p) for p in points]
    for _ in range(200):
        changed = False
        for i in range(len(moved)):
            for j in range(i + 1, len(moved)):
                dx, dy = moved[j][0] - moved[i][0], moved[j][1] - moved[i][1]
                dist = math.hypot(dx, dy)
                if dist >= gap:
                    continue
                if dist < 0.01:
                    dx, dy, dist = math.cos(j), math.sin(j), 1.0
                push = (gap - dist) / 2 + 0.1
                ux, uy = dx / dist * push, dy / dist * push
                moved[i][0] -= ux
                moved[i][1] -= uy
                moved[j][0] += ux
                moved[j][1] += uy
                changed = True
        for m in moved:
            m[0] = min(max(m[0], 12), width - 12)
            m[1] = min(max(m[1], 12), height - 12)
        if not changed:
            break
    return [(round(x, 1), round(y, 1)) for x, y in moved]


@dataclass(frozen=True)
class MapView:
    """An equirectangular view of a box of the earth, in SVG user units."""

    key: str  # names the view's basemap in data/basemap.json and its anchor
    south: float
    west: float
    north: float
    east: float
    width: int = 640
    height: int = 420

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    @property
    def scale(self) -> tuple[float, float]:
        """User units per degree of longitude and of latitude."""
        return self.width / (self.east - self.west), self.height / (self.north - self.south)

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        sx, sy = self.scale
        return round((lon - self.west) * sx, 1), round((self.north - lat) * sy, 1)


# Three views: Zhuhai and Macao, where most places are; the rest of the Pearl
# River Delta; the world. Each place is drawn in the first view that holds it.
ZHUHAI_MACAO = MapView("zhuhai-macao", 22.08, 113.45, 22.30, 113.66, width=560, height=640)
DELTA = MapView("delta", 21.85, 112.9, 23.55, 114.6, width=600, height=640)
WORLD = MapView("world", -60, -130, 75, 170, width=640, height=290)
MAP_VIEWS = (ZHUHAI_MACAO, DELTA, WORLD)


@dataclass(frozen=True)
class MapLabel:
    """A geographic name drawn on a view: the interface string `key`, centred at
    (lat, lon); `water` names are set in italics, as maps name seas and rivers."""

    key: str
    lat: float
    lon: float
    water: bool = False


# Placed by eye on the rendered views, clear of the markers they would hide.
MAP_LABELS: dict[str, tuple[MapLabel, ...]] = {
    "zhuhai-macao": (
        MapLabel("map_label_zhuhai", 22.262, 113.505),
        MapLabel("map_label_macao_peninsula", 22.186, 113.556),
        MapLabel("map_label_taipa", 22.160, 113.566),
        MapLabel("map_label_cotai", 22.133, 113.570),
        MapLabel("map_label_coloane", 22.116, 113.566),
        MapLabel("map_label_hengqin", 22.100, 113.495),
    ),
    "delta": (
        MapLabel("map_label_guangzhou", 23.20, 113.05),
        MapLabel("map_label_shenzhen", 22.65, 114.20),
        MapLabel("map_label_hong_kong", 22.17, 114.35),
        MapLabel("map_label_macao", 22.06, 113.66),
        MapLabel("map_label_zhuhai", 22.33, 113.30),
        MapLabel("map_label_zhongshan", 22.55, 113.25),
        MapLabel("map_label_estuary", 22.45, 113.78, water=True),
        MapLabel("map_label_south_china_sea", 21.95, 113.95, water=True),
    ),
    "world": (
        MapLabel("map_label_brazil", -10.0, -52.0),
        MapLabel("map_label_angola", -12.5, 17.5),
        MapLabel("map_label_mozambique", -18.0, 45.0),
        MapLabel("map_label_timor", -13.5, 126.0),
    ),
}


class Tags:
    def __init__(self, data: SiteData):
        self.data = data
        self.places = {p.id: p for p in data.places}
        self.domains = {d.id: d for d in data.domains}

    @cached_property
    def children(self) -> dict[str | None, list[Place]]:
        out: dict[str | None, list[Place]] = {}
        for place in self.data.places:
            out.setdefault(place.parent, []).append(place)
        return out

    def descendants(self, place_id: str) -> list[str]:
        """The place and every place below it."""
        out = [place_id]
        for child in self.children.get(place_id, []):
            out += self.descendants(child.id)
        return out

    def ancestors(self, place_id: str) -> list[Place]:
        out = []
        parent = self.places[place_id].parent
        while parent:
            out.append(self.places[parent])
            parent = self.places[parent].parent
        return list(reversed(out))

    def items_for_place(self, place_id: str) -> list[Item]:
        return self._items_by_tag.get(f"place:{place_id}", [])

    def items_for_domain(self, domain_id: str) -> list[Item]:
        return self._items_by_tag.get(f"domain:{domain_id}", [])

    def grouped(self, items: list[Item]) -> list[tuple]:
        """[(plan, [(section, [items])])] in reading order, for pages that list items."""
        out = []
        for plan in self.data.plans:
            sections = []
            for section in plan.sections:
                chosen = [i for i in items if i.plan_id == plan.id and i.section == section.number]
                if chosen:
                    sections.append((section, chosen))
            if sections:
                out.append((plan, sections))
        return out

    @cached_property
    def _weights(self) -> dict[str, float]:
        """Rarer tags say more about an item: inverse document frequency."""
        total = len(self.data.items)
        counts: dict[str, int] = {}
        for item in self.data.items:
            for tag in self._tags_of(item):
                counts[tag] = counts.get(tag, 0) + 1
        return {tag: math.log(total / n) for tag, n in counts.items()}

    @cached_property
    def _item_tags(self) -> dict[str, frozenset[str]]:
        out = {}
        for item in self.data.items:
            places = {f"place:{p}" for pid in item.places for p in [pid] + [a.id for a in self.ancestors(pid)]}
            out[item.id] = frozenset(places | {f"domain:{d}" for d in item.domains})
        return out

    def _tags_of(self, item: Item) -> frozenset[str]:
        return self._item_tags[item.id]

    @cached_property
    def _items_by_tag(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = {}
        for item in self.data.items:
            for tag in self._tags_of(item):
                out.setdefault(tag, []).append(item)
        return out

    def related(self, item: Item, limit: int = 3) -> list[Item]:
        """Items of the other plans that share the most telling places and domains."""
        mine = self._tags_of(item)
        scores: dict[str, float] = {}
        by_id = {}
        # Only items sharing a tag can score: walk the tag lists, not every item.
        for tag in mine:
            for other in self._items_by_tag[tag]:
                if other.plan_id != item.plan_id:
                    scores[other.id] = scores.get(other.id, 0.0) + self._weights[tag]
                    by_id[other.id] = other
        ranked = sorted(
            (-score, by_id[oid].plan_id, by_id[oid].number, oid) for oid, score in scores.items() if score >= 1.5
        )
        return [by_id[entry[-1]] for entry in ranked[:limit]]

    @cached_property
    def map_markers(self) -> list[tuple[MapView, list[Marker]]]:
        """Each located place in the first view that holds it, numbered across views."""
        located = [p for p in self.data.places if p.coordinates is not None]
        out: list[tuple[MapView, list[Marker]]] = []
        placed: set[str] = set()
        number = 0
        for view in MAP_VIEWS:
            here = []
            for place in located:
                lat, lon = place.coordinates  # type: ignore[misc]
                if place.id not in placed and view.contains(lat, lon):
                    placed.add(place.id)
                    here.append((place, view.project(lat, lon)))
            drawn = spread([xy for _, xy in here], view.width, view.height)
            markers = []
            for (place, (tx, ty)), (x, y) in zip(here, drawn):
                number += 1
                markers.append(Marker(number, place, x, y, tx, ty))
            out.append((view, markers))
        return out

    def locator(self, place_id: str) -> tuple[int, MapView, Marker] | None:
        """Where a located place is drawn: (the view's number, from 1, the smallest
        view that holds it, its marker); None for a place without coordinates."""
        for index, (view, markers) in enumerate(self.map_markers, start=1):
            for marker in markers:
                if marker.place.id == place_id:
                    return index, view, marker
        return None

    def domain_plan_counts(self) -> dict[str, dict[str, int]]:
        return {
            d.id: {p.id: sum(1 for i in p.items if d.id in i.domains) for p in self.data.plans} for d in self.data.domains
        }

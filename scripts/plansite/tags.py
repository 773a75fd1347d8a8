"""Places and domains: the place tree, items per tag, related items, the map."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from .model import Item, Place, SiteData


@dataclass(frozen=True)
class Marker:
    place: Place
    x: float
    y: float


@dataclass(frozen=True)
class MapView:
    """An equirectangular view of a box of the earth, in SVG user units."""

    south: float
    west: float
    north: float
    east: float
    width: int = 640
    height: int = 420

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        x = (lon - self.west) / (self.east - self.west) * self.width
        y = (self.north - lat) / (self.north - self.south) * self.height
        return round(x, 1), round(y, 1)


# The Pearl River Delta, where most places are, and the world for the rest.
DELTA = MapView(21.85, 112.9, 23.55, 114.6)
WORLD = MapView(-60, -130, 75, 170, height=300)


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
        wanted = set(self.descendants(place_id))
        return [i for i in self.data.items if wanted & set(i.places)]

    def items_for_domain(self, domain_id: str) -> list[Item]:
        return [i for i in self.data.items if domain_id in i.domains]

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

    def _tags_of(self, item: Item) -> set[str]:
        places = {f"place:{p}" for pid in item.places for p in [pid] + [a.id for a in self.ancestors(pid)]}
        return places | {f"domain:{d}" for d in item.domains}

    def related(self, item: Item, limit: int = 3) -> list[Item]:
        """Items of the other plans that share the most telling places and domains."""
        mine = self._tags_of(item)
        scored = []
        for other in self.data.items:
            if other.plan_id == item.plan_id:
                continue
            score = sum(self._weights[t] for t in mine & self._tags_of(other))
            if score >= 1.5:
                scored.append((-score, other.plan_id, other.number, other))
        return [entry[-1] for entry in sorted(scored)[:limit]]

    def markers(self, view: MapView, exclude: MapView | None = None) -> list[Marker]:
        out = []
        for place in self.data.places:
            if place.coordinates is None:
                continue
            lat, lon = place.coordinates
            if view.contains(lat, lon) and not (exclude and exclude.contains(lat, lon)):
                x, y = view.project(lat, lon)
                out.append(Marker(place, x, y))
        return out

    def domain_plan_counts(self) -> dict[str, dict[str, int]]:
        return {
            d.id: {p.id: sum(1 for i in p.items if d.id in i.domains) for p in self.data.plans} for d in self.data.domains
        }

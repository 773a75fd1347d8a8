"""The maps: a real basemap in each view, every located place marked once, markers
where the geography puts them, a locator map on located place pages, and the
committed basemap (data/basemap.json) current with the datasets it is cut from."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import PREFIXES, ROOT

from plansite.tags import MAP_VIEWS, MapView, Tags

MAX_VIEW_BYTES = 150_000  # the budget for one view's SVG
MAX_PLACE_PAGE_BYTES = 150_000  # a place page with its locator map

FIGURE = re.compile(r'<figure class="plan-map[^"]*" id="(?P<id>[^"]+)">(?P<body>.*?)</figure>', re.S)
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
PATH = re.compile(r'<path d="(?P<d>[^"]*)" class="(?P<cls>[^"]*)"')
RING = re.compile(r"M([^Mz]+)l([^Mz]*)z")
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


@pytest.fixture(scope="module")
def tags(site_data) -> Tags:
    return Tags(site_data)


def views_on(page: str) -> dict[str, str]:
    """The places page's map figures' SVG, by view key (figure map-1 is MAP_VIEWS[0], …)."""
    figures = {m["id"]: m["body"] for m in FIGURE.finditer(page)}
    return {view.key: SVG.search(figures[f"map-{n}"]).group(0) for n, view in enumerate(MAP_VIEWS, start=1)}


def layers(svg: str, cls: str) -> list[str]:
    return [m["d"] for m in PATH.finditer(svg) if cls in m["cls"].split()]


def rings(d: str) -> list[list[tuple[float, float]]]:
    """The closed rings of path data written as `M x y l dx dy … z`, in absolute points."""
    out = []
    for start, steps in RING.findall(d):
        x, y = (float(n) for n in NUMBER.findall(start))
        ring = [(x, y)]
        numbers = [float(n) for n in NUMBER.findall(steps)]
        for dx, dy in zip(numbers[::2], numbers[1::2]):
            x, y = x + dx, y + dy
            ring.append((x, y))
        out.append(ring)
    return out


def inside(point: tuple[float, float], d: str) -> bool:
    """Even-odd rule, as the SVG is filled: is the point inside the path's shape?"""
    x, y = point
    crossings = 0
    for ring in rings(d):
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


def view(key: str) -> MapView:
    return next(v for v in MAP_VIEWS if v.key == key)


@pytest.fixture(scope="module")
def places_pages(built_site: Path) -> dict[str, str]:
    return {locale: (built_site / prefix / "places" / "index.html").read_text(encoding="utf-8") for locale, prefix in PREFIXES.items()}


def test_each_view_draws_a_basemap_within_budget(places_pages):
    for locale, page in places_pages.items():
        svgs = views_on(page)
        for key, svg in svgs.items():
            assert len(svg.encode()) <= MAX_VIEW_BYTES, f"{locale} {key}: {len(svg.encode())} bytes of SVG"
            land = layers(svg, "plan-map__land")
            assert len(land) == 1 and sum(map(len, rings(land[0]))) >= 300, f"{locale} {key}: no real land"
        # The SARs and their land boundaries where they are in view.
        for key, sars in (("zhuhai-macao", ["macao"]), ("delta", ["macao", "hong-kong"])):
            for sar in sars:
                assert layers(svgs[key], f"plan-map__sar--{sar}"), f"{locale} {key}: no {sar} outline"
                assert layers(svgs[key], f"plan-map__border--{sar}"), f"{locale} {key}: no {sar} boundary"
        assert not layers(svgs["zhuhai-macao"], "plan-map__sar--hong-kong")
        assert len(rings(layers(svgs["world"], "plan-map__lusophone")[0])) >= 9


def test_labels_are_in_the_pages_language(places_pages):
    assert ">横琴</text>" in places_pages["zh-Hans"]
    assert ">橫琴</text>" in places_pages["zh-Hant"]
    pt = places_pages["pt"]
    for name in ("Hengqin (Ilha da Montanha)", "Taipa", "Coloane", "Cotai", "Cantão", "Hong Kong"):
        assert f">{name}</text>" in pt
    assert "OpenStreetMap" in pt and "GSHHG" in pt and "ODbL" in pt


@pytest.mark.browser
def test_no_label_covers_a_marker_or_another_label(browser, site_server: str):
    """As Chromium lays the maps out, in every language (Portuguese names are longer):
    a place name on the map never hides a numbered marker, nor another name."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for prefix in PREFIXES.values():
        page.goto(f"{site_server}/{prefix}places/", wait_until="load")
        overlaps = page.evaluate("""() => [...document.querySelectorAll('figure.plan-map svg')].flatMap((svg, n) => {
            const box = (el) => el.getBoundingClientRect();
            const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            const labels = [...svg.querySelectorAll('text')].filter((t) => !t.closest('a'));
            const markers = [...svg.querySelectorAll('a circle')];
            const out = [];
            labels.forEach((label, i) => {
                markers.forEach((m) => { if (meets(box(label), box(m))) out.push(`map ${n + 1}: ${label.textContent} over a marker`); });
                labels.slice(i + 1).forEach((other) => { if (meets(box(label), box(other))) out.push(`map ${n + 1}: ${label.textContent} over ${other.textContent}`); });
            });
            return out;
        })""")
        assert page.locator("figure.plan-map svg text").count() >= 10
        assert overlaps == [], (prefix, overlaps)
    page.close()


def test_every_located_place_has_one_marker_link(places_pages, site_data):
    located = {p.id for p in site_data.places if p.coordinates is not None}
    for locale, page in places_pages.items():
        links = Counter()
        for svg in views_on(page).values():
            links.update(href.removesuffix("/") for href in re.findall(r'<a href="([^"]+)"', svg))
        assert links == Counter(located), f"{locale}: {links}"


def test_markers_fall_where_the_geography_puts_them(places_pages, site_data):
    svgs = views_on(places_pages["zh-Hans"])
    places = {p.id: p for p in site_data.places}

    def at(place_id: str, key: str) -> tuple[float, float]:
        return view(key).project(*places[place_id].coordinates)

    macao = layers(svgs["zhuhai-macao"], "plan-map__sar--macao")[0]
    for place_id in ("macao", "macao-airport"):  # the Inner Harbour is water
        assert inside(at(place_id, "zhuhai-macao"), macao), f"{place_id} is not in Macao"
    for place_id in ("hengqin", "zhuhai", "guangdong-hong-kong-macao-logistics-park"):
        assert not inside(at(place_id, "zhuhai-macao"), macao), f"{place_id} is drawn in Macao"
    assert inside(at("hengqin", "zhuhai-macao"), layers(svgs["zhuhai-macao"], "plan-map__land")[0]), "Hengqin is not on land"
    hong_kong = layers(svgs["delta"], "plan-map__sar--hong-kong")[0]
    assert inside(at("hong-kong", "delta"), hong_kong)
    assert not inside(at("shenzhen", "delta"), hong_kong)
    assert inside(at("guangzhou", "delta"), layers(svgs["delta"], "plan-map__land")[0])
    # Open water: the estuary between Macao and Hong Kong, and the mid-Atlantic.
    assert not inside(view("delta").project(22.3, 113.8), layers(svgs["delta"], "plan-map__land")[0])
    world_land = layers(svgs["world"], "plan-map__land")[0] + layers(svgs["world"], "plan-map__lusophone")[0]
    assert inside(at("portugal", "world"), world_land)
    assert not inside(view("world").project(30, -40), world_land)


def test_located_place_pages_have_a_locator_map(built_site: Path, site_data, tags: Tags):
    for place in site_data.places:
        for locale, prefix in PREFIXES.items():
            page = (built_site / prefix / "places" / place.id / "index.html").read_text(encoding="utf-8")
            if place.coordinates is None:
                assert 'id="locator"' not in page, f"{place.id} has no coordinates but a locator map"
                continue
            assert len(page.encode()) <= MAX_PLACE_PAGE_BYTES, f"{prefix}places/{place.id}/: {len(page.encode())} bytes"
            figure = next(m["body"] for m in FIGURE.finditer(page) if m["id"] == "locator")
            index, shown, marker = tags.locator(place.id)
            # The smallest view that holds the place.
            assert shown == next(v for v in MAP_VIEWS if v.contains(*place.coordinates))
            assert f'viewBox="0 0 {shown.width} {shown.height}"' in figure
            assert layers(figure, "plan-map__land")
            x, y = shown.project(*place.coordinates)
            assert f'<circle cx="{x}" cy="{y}" r="6" class="plan-map__here"/>' in figure, place.id
            assert f'#map-{index}"' in figure
    macao = (built_site / "places" / "macao" / "index.html").read_text(encoding="utf-8")
    assert "plan-map__sar--macao plan-map__sar--here" in macao


def test_the_committed_basemap_is_cut_from_the_installed_datasets():
    """data/basemap.json is what `python -m plansite basemap` makes from the pinned
    datasets and the current views (edit a view, and this fails until it is rerun)."""
    from plansite.basemap import BASEMAP, OSM_SOURCE, generate

    source = Path(os.environ.get("PLANSITE_OSM_SOURCE") or ROOT / OSM_SOURCE)
    if not source.is_file() and not os.environ.get("CI"):
        pytest.skip(f"{OSM_SOURCE} is not installed here (npm ci); CI has it")
    assert generate(ROOT) == (ROOT / BASEMAP).read_text(encoding="utf-8"), "run: python -m plansite basemap"


# --- label contrast (axe does not measure SVG text on SVG fills) ----------------------


def _relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _map_colours(css: str) -> dict[str, str]:
    """`.plan-map__<part> { fill: #rrggbb; stroke: #rgb; … }` -> {"part.fill": "#rrggbb", …}."""
    colours = {}
    for part, body in re.findall(r"(?m)^\s*\.plan-map__([\w-]+)\s*\{([^}]*)\}", css):
        for prop, value in re.findall(r"(fill|stroke):\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", body):
            full = value if len(value) == 6 else "".join(ch * 2 for ch in value)
            colours[f"{part}.{prop}"] = "#" + full.lower()
    return colours


def test_map_labels_meet_aa_contrast_in_both_schemes():
    """Every label on its halo and on every area it can sit on, and the marker
    numbers on the markers, at 4.5:1 or more, light and dark."""
    css = (ROOT / "docs" / "assets" / "css" / "10-site.css").read_text(encoding="utf-8")
    start = css.index("@media (prefers-color-scheme: dark)")
    light = _map_colours(css[:start])
    dark = light | _map_colours(css[start:])
    hovered = "#" + re.search(r":hover \.plan-map__marker\s*\{\s*fill:\s*#([0-9a-fA-F]{6})", css)[1].lower()
    for scheme, c in (("light", light), ("dark", dark)):
        pairs = {
            "label/halo": (c["label.fill"], c["label.stroke"]),
            "water label/halo": (c["label--water.fill"], c["label--water.stroke"]),
            "water label/sea": (c["label--water.fill"], c["sea.fill"]),
            "number/marker": (c["number.fill"], c["marker.fill"]),
            "number/marker, hovered or focused": (c["number.fill"], hovered),
            **{f"label/{area}": (c["label.fill"], c[f"{area}.fill"]) for area in ("land", "sar", "sar--here", "lusophone", "sea")},
        }
        low = {name: round(_contrast(*pair), 2) for name, pair in pairs.items() if _contrast(*pair) < 4.5}
        assert not low, (scheme, low)

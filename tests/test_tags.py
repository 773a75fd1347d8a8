"""Places and domains: tagging agrees with the text; pages, open data, map and overview."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import PREFIXES


from plansite.tags import Tags

LOCALE_PREFIXES = list(PREFIXES.values())


@pytest.fixture(scope="module")
def tags(site_data) -> Tags:
    return Tags(site_data)


def test_every_item_has_a_domain_and_the_tags_are_known(site_data):
    assert len(site_data.domains) in range(10, 16)
    for item in site_data.items:
        assert item.domains, f"{item.id} has no domain"


def test_place_tags_agree_with_the_text(site_data, tags: Tags):
    """An item that names a place carries that place or one below it."""
    untagged = []
    for place in site_data.places:
        covered = set(tags.descendants(place.id))
        for alias in (place.name, *place.aliases):
            for item in site_data.items:
                if alias in item.text and not covered & set(item.places):
                    untagged.append(f"{item.id} mentions {alias} but is not tagged {place.id} (or below)")
    assert untagged == [], "\n".join(untagged)


def test_place_pages_include_their_sub_places(built_site: Path, site_data, tags: Tags):
    zhuhai = tags.items_for_place("zhuhai")
    hengqin = tags.items_for_place("hengqin")
    assert hengqin and set(i.id for i in hengqin) < set(i.id for i in zhuhai)
    for prefix in LOCALE_PREFIXES:
        page = (built_site / prefix / "places" / "zhuhai" / "index.html").read_text(encoding="utf-8")
        linked = re.findall(r'<li><a href="\.\./\.\./((?:framework-agreement|belt-and-road)-2020/\d+)/">', page)
        expected = [f"{site_data.plan(i.plan_id).slug}/{i.number}" for i in zhuhai]
        assert linked == expected, prefix


def test_domain_pages_group_items_by_plan_with_counts(built_site: Path, tags: Tags):
    items = tags.items_for_domain("finance")
    page = (built_site / "pt" / "domains" / "finance" / "index.html").read_text(encoding="utf-8")
    assert f"{len(items)} itens" in page
    assert 'id="plan-fa2020"' in page and 'id="plan-br2020"' in page
    for item in items:
        assert f'href="../../{"framework-agreement-2020" if item.plan_id == "fa2020" else "belt-and-road-2020"}/{item.number}/"' in page


def test_index_pages_list_every_place_and_domain(built_site: Path, site_data):
    for prefix in LOCALE_PREFIXES:
        places = (built_site / prefix / "places" / "index.html").read_text(encoding="utf-8")
        domains = (built_site / prefix / "domains" / "index.html").read_text(encoding="utf-8")
        for place in site_data.places:
            assert f'href="{place.id}/"' in places
            assert (built_site / prefix / "places" / place.id / "index.html").exists()
        for domain in site_data.domains:
            assert f'href="{domain.id}/"' in domains


def test_item_pages_link_places_domains_and_related_items(built_site: Path, site_data, tags: Tags):
    item = site_data.item("br2020-21")  # traditional Chinese medicine, Portuguese-speaking countries
    page = (built_site / "zh-Hant" / "belt-and-road-2020" / "21" / "index.html").read_text(encoding="utf-8")
    for pid in item.places:
        assert f'class="plan-tag" href="../../places/{pid}/"' in page
    for did in item.domains:
        assert f'class="plan-tag" href="../../domains/{did}/"' in page
    related = tags.related(item)
    assert related and all(r.plan_id == "fa2020" for r in related)
    assert any("traditional-chinese-medicine" in r.domains for r in related)
    assert f'href="../../framework-agreement-2020/{related[0].number}/"' in page


def test_items_json_has_places_and_domains(built_site: Path, site_data):
    doc = json.loads((built_site / "data" / "items.json").read_text(encoding="utf-8"))
    places = {p["id"]: p for p in doc["places"]}
    assert set(places) == {p.id for p in site_data.places}
    assert places["hengqin"]["parent"] == "zhuhai"
    assert places["hengqin"]["url"]["pt"] == "/pt/places/hengqin/"
    assert set(places["hengqin"]["name"]) == {"zh-Hans", "zh-Hant", "pt"}
    domains = {d["id"]: d for d in doc["domains"]}
    assert domains["finance"]["url"]["zh-Hant"] == "/zh-Hant/domains/finance/"
    assert all(set(d["name"]) == {"zh-Hans", "zh-Hant", "pt"} for d in domains.values())


@pytest.mark.browser
def test_map_renders_and_markers_lead_to_place_pages(browser, site_server, site_data):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site_server}/pt/places/")
    markers = page.locator(".plan-map svg a")
    located = [p for p in site_data.places if p.coordinates is not None]
    assert markers.count() == len(located)
    first = page.locator(".plan-map svg").first
    box = first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300
    for i in range(markers.count()):
        assert markers.nth(i).locator("circle").bounding_box()["width"] > 10
    hengqin = page.locator('.plan-map svg a[href="hengqin/"]')
    hengqin.click()
    page.wait_for_load_state()
    assert page.url == f"{site_server}/pt/places/hengqin/"
    assert page.locator("h1").inner_text() == "Hengqin"
    page.close()


@pytest.mark.browser
def test_overview_renders_and_cells_lead_to_lists(browser, site_server, site_data, tags: Tags):
    page = browser.new_page()
    page.goto(f"{site_server}/zh-Hant/domains/")
    table = page.locator("table.plan-overview")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == len(site_data.domains)
    counts = tags.domain_plan_counts()
    cell = table.locator('a[href="finance/#plan-br2020"]')
    # The number, and for screen readers out of how many items of the plan.
    total = sum(1 for item in site_data.items if item.plan_id == "br2020")
    assert cell.inner_text().split() == [str(counts["finance"]["br2020"]), "/", str(total)]
    assert cell.locator(".plan-visually-hidden").inner_text().strip() == f"/ {total}"
    cell.click()
    page.wait_for_load_state()
    assert page.url == f"{site_server}/zh-Hant/domains/finance/#plan-br2020"
    assert page.locator("#plan-br2020").is_visible()
    page.close()

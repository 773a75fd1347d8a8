"""A --strict build produces the expected page tree, item pages and open data."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from conftest import PREFIXES

from plansite.pages import item_path, plan_path, section_path

LOCALES = dict(PREFIXES)
HTML_LANG = {"zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant", "pt": "pt"}


def expected_pages(site_data) -> set[str]:
    """Every page the data calls for, as paths of index.html files."""
    pages = {"", "glossary", "translation-status", "places", "domains", "search", "downloads"}
    pages |= {f"places/{p.id}" for p in site_data.places} | {f"domains/{d.id}" for d in site_data.domains}
    for plan in site_data.plans:
        pages.add(plan_path(plan.slug))
        pages |= {section_path(plan.slug, s.number) for s in plan.sections}
        pages |= {section_path(plan.slug, s.number) + "/parallel" for s in plan.sections}
        pages |= {item_path(plan.slug, i.number) for i in plan.items}
    return pages


def html_pages(site: Path) -> set[str]:
    return {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}


def test_page_tree_is_exactly_what_the_data_calls_for(built_site: Path, site_data):
    expected = set()
    for prefix in LOCALES.values():
        expected |= {(prefix + page).rstrip("/") or "." for page in expected_pages(site_data)}
    expected = {p if p else "." for p in expected}
    assert html_pages(built_site) == expected
    # Per language: 7 index pages, then per plan its page, per section a page and a
    # parallel view, per item a page, and a page per place and per domain.
    sections = sum(len(p.sections) for p in site_data.plans)
    per_language = 7 + len(site_data.plans) + 2 * sections + len(site_data.items) + len(site_data.places) + len(site_data.domains)
    assert len(expected) == len(LOCALES) * per_language


def test_item_urls_are_plan_slug_and_number(built_site: Path):
    assert (built_site / "framework-agreement-2020/73/index.html").exists()
    assert (built_site / "belt-and-road-2020/22/index.html").exists()
    assert (built_site / "zh-Hant/belt-and-road-2020/22/index.html").exists()
    assert (built_site / "pt/framework-agreement-2020/1/index.html").exists()
    assert not (built_site / "framework-agreement-2020/74").exists()


def _main_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_every_item_page_shows_the_published_text(built_site: Path, site_data):
    for plan in site_data.plans:
        for item in plan.items:
            page = (built_site / item_path(plan.slug, item.number) / "index.html").read_text(encoding="utf-8")
            text = re.search(r'<p class="plan-item__text">(.*?)</p>', page, re.S)[1]
            assert html.unescape(text) == item.text, item.id
            assert f"{item.number}. {item.title}" in _main_text(page)


def test_pages_declare_their_language(built_site: Path):
    for locale, prefix in LOCALES.items():
        for page in ("", "framework-agreement-2020/", "framework-agreement-2020/section-4/", "belt-and-road-2020/3/"):
            text = (built_site / prefix / page / "index.html").read_text(encoding="utf-8")
            assert re.search(rf'<html lang="{HTML_LANG[locale]}"', text), (locale, page)


def test_section_page_has_an_anchor_per_item(built_site: Path, site_data):
    plan = site_data.plan("fa2020")
    section = plan.section(4)
    page = (built_site / section_path(plan.slug, 4) / "index.html").read_text(encoding="utf-8")
    anchors = re.findall(r'<article class="plan-item" id="(item-\d+)"', page)
    assert anchors == [f"item-{i.number}" for i in plan.items_in(section)] == [f"item-{n}" for n in range(27, 48)]
    assert re.findall(r'<h2 id="(part-\d)"', page) == ["part-1", "part-2", "part-3"]


@pytest.fixture(scope="module")
def items_json(built_site: Path) -> dict:
    return json.loads((built_site / "data" / "items.json").read_text(encoding="utf-8"))


def test_items_json_agrees_with_data(items_json: dict, site_data):
    assert [i["id"] for i in items_json["items"]] == [i.id for i in site_data.items]
    for record, item in zip(items_json["items"], site_data.items):
        assert record["plan"] == item.plan_id and record["number"] == item.number
        assert record["section"] == f"{item.plan_id}-s{item.section}"
        assert record["subsection"] == item.subsection
        assert record["text"]["zh-Hans"] == item.text and record["title"]["zh-Hans"] == item.title
        assert record["places"] == list(item.places) and record["domains"] == list(item.domains)
        plan = site_data.plan(item.plan_id)
        assert record["url"] == {
            "zh-Hans": f"/{plan.slug}/{item.number}/",
            "zh-Hant": f"/zh-Hant/{plan.slug}/{item.number}/",
            "pt": f"/pt/{plan.slug}/{item.number}/",
        }
    plans = {p["id"]: p for p in items_json["plans"]}
    for plan in site_data.plans:
        assert plans[plan.id]["title"]["zh-Hans"] == plan.title
        assert [s["title"]["zh-Hans"] for s in plans[plan.id]["sections"]] == [s.title for s in plan.sections]
    assert set(items_json) >= {"plans", "items", "places", "domains"}


def test_items_json_urls_resolve(items_json: dict, built_site: Path):
    for record in items_json["items"] + items_json["plans"]:
        for url in record["url"].values():
            assert (built_site / url.lstrip("/") / "index.html").exists(), url


def test_items_csv_lists_every_item(built_site: Path, items_json: dict):
    raw = (built_site / "data" / "items.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so spreadsheets read it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(items_json["items"])
    for row, record in zip(rows, items_json["items"]):
        assert row["id"] == record["id"] and row["text_zh-Hans"] == record["text"]["zh-Hans"]
        assert row["url_pt"] == record["url"]["pt"]

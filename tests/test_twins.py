"""Every item, section, plan, place and domain page is also data (its JSON twin), an
item page says when it last changed and shows its history with the earlier wording,
and a search can be shared as a link that opens with results and marks the words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import PREFIXES, ROOT, build_in_process, fixture_project, replace_once

from plansite import manifest
from plansite.locales import configured_locales
from plansite.opendata import ITEM_FIELDS, TWIN_KINDS
from plansite.site import Site

JSON_TYPES = {"string": str, "integer": int, "object": dict, "array": list, "date": str}


@pytest.fixture(scope="module")
def site() -> Site:
    locales, default = configured_locales(ROOT)
    return Site(ROOT, locales, default)


def check_item_record(record: dict) -> None:
    """An item as items.json's field dictionary (ITEM_FIELDS) describes it."""
    assert list(record) == [f.name for f in ITEM_FIELDS]
    for f in ITEM_FIELDS:
        value = record[f.name]
        assert value is None or isinstance(value, JSON_TYPES[f.type]), (f.name, value)


@pytest.mark.parametrize("locale", PREFIXES)
def test_every_page_with_a_subject_has_a_json_twin_by_the_field_dictionary(built_site: Path, site: Site, locale: str):
    items = {i["id"]: i for i in json.loads((built_site / "data" / "items.json").read_text(encoding="utf-8"))["items"]}
    count = 0
    for spec in site.specs:
        if spec.kind not in TWIN_KINDS:
            continue
        page = site.url(spec.kind, spec.ref, locale)
        html = (built_site / page.lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert '<link rel="alternate" type="application/json" href="index.json">' in html, page
        twin = json.loads((built_site / page.lstrip("/") / "index.json").read_text(encoding="utf-8"))
        assert twin["kind"] == spec.kind and twin["locale"] == locale and twin["page"] == page
        assert twin["pages"] == {loc.code: site.url(spec.kind, spec.ref, loc.code) for loc in site.locales}
        assert all((built_site / p.lstrip("/")).is_file() for p in twin["twins"].values())
        if spec.kind == "item":
            check_item_record(twin["item"])
            assert twin["item"] == items[spec.ref]  # the same record as in items.json
            assert [h["date"] for h in twin["history"]] and twin["as_of"]["text"]
        elif spec.kind == "section":
            for record in twin["items"]:
                check_item_record(record)
        else:
            assert all(i in items for i in twin["items"])
        count += 1
    assert count == sum(1 for s in site.specs if s.kind in TWIN_KINDS)


def test_twins_are_in_the_url_manifest_and_resolve(built_site: Path, site: Site):
    urls = manifest.read_manifest(ROOT)
    twins = [u for u in urls if u.endswith("/index.json")]
    assert len(twins) == len(site.locales) * sum(1 for s in site.specs if s.kind in TWIN_KINDS)
    assert manifest.unresolved(built_site, twins) == []


def test_a_changed_text_shows_its_date_and_the_earlier_wording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_site: Path):
    project = fixture_project(tmp_path)
    old = "优化横琴“分线管理”政策，推动在横琴先行先试实施货物便利通关政策。"
    new = "优化横琴“分线管理”政策，推动在横琴实施货物便利通关政策。"
    replace_once(project / "data" / "plans" / "fa2020.yaml", old, new)
    with (project / "data" / "changelog.yaml").open("a", encoding="utf-8") as changelog:
        changelog.write(
            "- date: '2026-11-28'\n  items: [fa2020-02]\n  summary: 第 2 项文字更正。\n"
            "  translations: {pt: Correcção do texto do item 2.}\n"
            f"  previous:\n    fa2020-02: {old}\n"
            "- date: '2026-11-29'\n  items: [fa2020-03]\n  summary: 第 3 项葡文译文更正。\n  languages: [pt]\n"
        )
    out = build_in_process(project, monkeypatch, built_site.parent / ".cache")
    page = (out / "framework-agreement-2020" / "2" / "index.html").read_text(encoding="utf-8")
    assert "正文截至 2026-11-28。" in page
    diff = re.search(r'<p class="plan-diff" lang="zh-Hans">(.*?)</p>', page, re.S)[1]
    assert re.sub(r'<span class="plan-visually-hidden"[^>]*>[^<]*</span>', "", diff) == "优化横琴“分线管理”政策，推动在横琴<del>先行先试</del>实施货物便利通关政策。"
    assert '<span class="plan-visually-hidden" lang="zh-Hans">删去：</span>' in diff  # named, not only coloured
    pt = (out / "pt" / "framework-agreement-2020" / "2" / "index.html").read_text(encoding="utf-8")
    assert "Correcção do texto do item 2." in pt and '<span class="plan-visually-hidden" lang="pt">retirado:</span>' in pt
    twin = json.loads((out / "pt" / "framework-agreement-2020" / "2" / "index.json").read_text(encoding="utf-8"))
    assert twin["as_of"]["text"] == "2026-11-28"
    assert twin["history"][0] == {"date": "2026-11-28", "summary": "第 2 项文字更正。",
                                  "summary_translations": {"pt": "Correcção do texto do item 2."}, "previous_text": old}
    # A change to one translation dates that language only.
    assert "Versão portuguesa actualizada até 2026-11-29." in (out / "pt" / "framework-agreement-2020" / "3" / "index.html").read_text(encoding="utf-8")
    assert "本語言版本截至 2026-11-22。" in (out / "zh-Hant" / "framework-agreement-2020" / "3" / "index.html").read_text(encoding="utf-8")
    untouched = (out / "framework-agreement-2020" / "1" / "index.html").read_text(encoding="utf-8")
    assert "正文截至 2026-11-22。" in untouched and "plan-diff" not in untouched


@pytest.mark.browser
def test_a_shared_search_link_opens_with_results_and_marks_the_words(browser, site_server: str):
    page = browser.new_page()
    page.goto(f"{site_server}/search/?q=青茂口岸")
    first = page.locator('.plan-search__results a[href*="framework-agreement-2020/15/"]').first
    first.wait_for()
    assert "?h=" in first.get_attribute("href")
    first.click()
    page.wait_for_load_state()
    page.locator("mark.plan-mark").first.wait_for()
    assert page.locator("mark.plan-mark").first.inner_text() == "青茂口岸"
    # The address bar shows the permanent URL again; the canonical never changed.
    assert "?h=" not in page.url and page.url.endswith("/framework-agreement-2020/15/")
    assert page.locator("link[rel=canonical]").get_attribute("href") == "https://gdmo-plans.example.org/framework-agreement-2020/15/"
    page.get_by_role("button", name="取消搜索词标记").click()
    assert page.locator("mark.plan-mark").count() == 0
    page.close()

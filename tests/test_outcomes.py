"""What became of each item: outcome entries validated, a status by one rule, and
everything shown in every locale (item pages, plan and section tallies, home line,
items.json, CSV, feed)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PREFIXES, ROOT, copy_project, replace_once

from plansite.locales import configured_locales
from plansite.model import InvalidData, Item, ProgressNote, Source, load_site_data
from plansite.outcomes import STATUSES, status_of, tally
from plansite.site import Site

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site() -> Site:
    locales, default = configured_locales(ROOT)
    return Site(ROOT, locales, default)


class Links(HTMLParser):
    """Every link of a page with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag == "a":
            self.links.append({k: v or "" for k, v in attrs})

    def handle_data(self, data):  # noqa: ANN001
        self.text.append(data)


def read_page(built_site: Path, locale: str, path: str) -> Links:
    page = Links()
    page.feed((built_site / PREFIXES[locale] / path / "index.html").read_text(encoding="utf-8"))
    return page


# --- the rule ------------------------------------------------------------------------


def _note(outcome: str, when: str = "2021-01-01") -> ProgressNote:
    source = Source("https://www.gov.mo/x", "標題", "政府", None, "zh", "2026-11-29")
    return ProgressNote("fa2020-01", 1, when, outcome, "说明。", source)


@pytest.mark.parametrize("outcomes, researched, expected", [
    (["step", "done"], "2026-11-29", "done"),
    (["step", "step"], "2026-11-29", "under_way"),
    (["background"], "2026-11-29", "no_report"),  # background never counts
    ([], "2026-11-29", "no_report"),
    ([], None, "not_researched"),
])
def test_status_follows_from_the_entries_by_one_rule(outcomes, researched, expected):
    item = Item("fa2020-01", "fa2020", 1, 1, None, "标题", "正文。", progress=tuple(_note(o) for o in outcomes), researched=researched)
    assert status_of(item) == expected
    counts = tally([item, item])
    assert counts.count(expected) == 2 and counts.total == 2 and counts.share(expected) == 100.0
    assert [s for s, _ in counts.counts] == list(STATUSES)


# --- the data ------------------------------------------------------------------------


def test_every_item_is_researched_and_most_have_sourced_entries(site: Site):
    items = site.data.items
    assert all(item.researched for item in items)  # a dated "no public report found" at worst
    with_entries = [item for item in items if item.progress]
    assert len(with_entries) >= 60, len(with_entries)
    today = date.today().isoformat()
    for item in with_entries:
        plan = site.data.plan(item.plan_id)
        for note in item.progress:
            assert note.date <= today[: len(note.date)] and note.source.read <= today
            assert note.outcome == "background" or int(note.date[:4]) >= plan.year, (item.id, note.date)
            assert note.source.url.startswith(("https://", "http://")) and note.source.title and note.source.publisher
            for loc in site.locales:  # the note is translated in every language (PO flow)
                assert site.catalogs[loc.code].lookup(note.key("text")).status in ("source", "done"), (loc.code, note.key("text"))
    print(f"\n{len(with_entries)} of {len(items)} items with entries; status: {dict(tally(items).counts)}")


BAD_ENTRIES = [
    ("a date after today", lambda: {"date": (date.today() + timedelta(days=40)).isoformat()}, r"progress\[0\]\.date: .* is after today"),
    ("a step before the plan's year", lambda: {"date": "2019-05-01"}, r"progress\[0\]: 2019-05-01 is before the plan's year 2020"),
    ("a source that is not a web address", lambda: {"url": "ftp://example.org/x"}, r"progress\[0\]\.source\.url: expected an http\(s\)://"),
    ("an unknown outcome", lambda: {"outcome": "finished"}, r"progress\[0\]\.outcome: expected one of done, step, background"),
    ("an impossible date", lambda: {"date": "2021-02-30"}, r"progress\[0\]\.date: 2021-02-30 is not a date"),
]


@pytest.mark.parametrize("name, change, message", BAD_ENTRIES, ids=[b[0] for b in BAD_ENTRIES])
def test_a_bad_entry_is_refused_with_file_and_line(tmp_path: Path, name, change, message):
    project = copy_project(tmp_path)
    plan = project / "data" / "plans" / "fa2020.yaml"
    text = plan.read_text(encoding="utf-8")
    start = text.index("- id: fa2020-15\n")
    block = text[start: text.index("- id: fa2020-16\n")]
    values = {"date": '"2021-09-08"', "outcome": "done", "url": '"https://www.gov.mo/zh-hant/news/1/"'}
    values.update({k: (v if k == "outcome" else json.dumps(v)) for k, v in change().items()})
    entry = re.search(r"  - date: .*\n    outcome: .*\n(?:    .*\n)+?      url: .*\n", block)[0]
    replaced = re.sub(r"date: .*", f"date: {values['date']}", entry, count=1)
    replaced = re.sub(r"outcome: .*", f"outcome: {values['outcome']}", replaced, count=1)
    replaced = re.sub(r"url: .*", f"url: {values['url']}", replaced, count=1)
    line = replace_once(plan, entry, replaced)
    with pytest.raises(InvalidData) as caught:
        load_site_data(project, ("zh-Hans", "zh-Hant", "pt"))
    errors = str(caught.value)
    assert re.search(rf"data/plans/fa2020.yaml:(\d+): item fa2020-15\.{message}", errors), errors
    reported = int(re.search(r"data/plans/fa2020.yaml:(\d+):", errors)[1])
    assert line <= reported <= line + 6  # the line of the entry or of its field


def test_entries_without_a_research_date_are_refused(tmp_path: Path):
    project = copy_project(tmp_path)
    plan = project / "data" / "plans" / "fa2020.yaml"
    text = plan.read_text(encoding="utf-8")
    start = text.index("- id: fa2020-15\n")
    research = text.index('  researched: "', start)
    end = text.index("\n", research) + 1
    plan.write_text(text[:research] + text[end:], encoding="utf-8")
    with pytest.raises(InvalidData, match=r"data/plans/fa2020.yaml:\d+: item fa2020-15: an item with progress entries says when it was researched"):
        load_site_data(project, ("zh-Hans",))


# --- what readers see ------------------------------------------------------------------


@pytest.mark.parametrize("locale", PREFIXES)
def test_every_entry_links_its_source_on_the_item_page(built_site: Path, site: Site, locale: str):
    for item in site.data.items:
        page = read_page(built_site, locale, site.url("item", item.id, site.default_locale).strip("/"))
        text = "".join(page.text)
        assert site.catalogs[locale].text(f"ui.outcome_status_{status_of(item)}") in text, item.id
        external = {a["href"]: a for a in page.links if a.get("rel") == "external noopener"}
        for note in item.progress:
            assert note.source.url in external, (locale, item.id, note.source.url)
            assert site.catalogs[locale].text(note.key("text")) in text
        if not item.progress:  # researched, nothing found: said plainly, with the date
            assert site.catalogs[locale].text("ui.outcome_status_no_report") in text
            assert item.researched in text


def test_pages_say_when_a_promise_passed_without_a_report(built_site: Path, site: Site):
    pending = next(item for item in site.data.items if status_of(item) == "no_report")
    page = read_page(built_site, "pt", site.url("item", pending.id, "zh-Hans").strip("/"))
    assert f"trabalhos prioritários de 2020; até {pending.researched}, não foi encontrada notícia pública" in "".join(page.text)


@pytest.mark.parametrize("locale", PREFIXES)
def test_plan_and_section_pages_show_the_counts_and_the_home_page_the_line(built_site: Path, site: Site, locale: str):
    catalog = site.catalogs[locale]
    for plan in site.data.plans:
        for kind, ref, items in [("plan", plan.id, list(plan.items))] + [("section", s.id, plan.items_in(s)) for s in plan.sections]:
            html = (built_site / PREFIXES[locale] / site.url(kind, ref, "zh-Hans").strip("/") / "index.html").read_text(encoding="utf-8")
            shown = dict(re.findall(r'<span class="plan-status plan-status--\w+" data-status="(\w+)">[^<]+</span>: <span data-count>(\d+)</span>', html))
            assert {k: int(v) for k, v in shown.items()} == {s: n for s, n in tally(items).counts if n}, (locale, kind, ref)
            for status in shown:
                assert catalog.text(f"ui.outcome_status_{status}") in html  # the status in words, not colour alone
    home = (built_site / PREFIXES[locale] / "index.html").read_text(encoding="utf-8")
    counts = tally(site.data.items)
    line = catalog.plural("ui.home_outcomes", counts.count("done")).format(count=counts.count("done"), total=counts.total)
    assert line in home


def test_open_data_and_feed_carry_the_entries(built_site: Path, site: Site):
    document = json.loads((built_site / "data" / "items.json").read_text(encoding="utf-8"))
    items = {i["id"]: i for i in document["items"]}
    item = site.data.item("fa2020-15")
    record = items["fa2020-15"]
    assert record["status"] == status_of(item) and record["researched"] == item.researched
    assert [e["source"]["url"] for e in record["progress"]] == [n.source.url for n in item.progress]
    assert set(record["progress"][0]["text"]) == {"zh-Hans", "zh-Hant", "pt"}
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((built_site / "data" / "fa2020.pt.csv").read_text(encoding="utf-8-sig")))}
    assert rows["fa2020-15"]["status"] == status_of(item)
    assert item.progress[0].source.url in rows["fa2020-15"]["progress"]
    feed = ET.parse(built_site / "pt" / "feed.xml").getroot()
    related = {link.get("href") for entry in feed.iter(f"{ATOM}entry") for link in entry.iter(f"{ATOM}link") if link.get("rel") == "related"}
    assert {n.source.url for i in site.data.items for n in i.progress} <= related

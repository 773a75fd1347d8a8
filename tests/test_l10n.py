"""Traditional Chinese and Portuguese: PO files, sync and status, fallback and fuzzy notices,
plural forms, zh-Hant as Macao writes it, glossary, extra locales."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from conftest import ROOT, build_in_process, copy_project, fixture_project, plansite, replace_once, set_translation

from plansite.catalogs import to_traditional
from plansite.search import read_index_file
from plansite.model import load_glossary
from plansite.site import Site, configured_locales


@pytest.fixture(scope="module")
def site() -> Site:
    locales, default = configured_locales(ROOT)
    return Site(ROOT, locales, default)


EN_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgctxt "ui.home"
msgid "首页"
msgstr "Home"

msgctxt "ui.site_name"
msgid "粤澳合作重点工作"
msgstr "Guangdong–Macao cooperation plans"

msgctxt "ui.not_found_title"
msgid "找不到这个页面"
msgstr "Page not found"

msgctxt "ui.items_count"
msgid "{count} 项"
msgid_plural "{count} 项"
msgstr[0] "{count} item"
msgstr[1] "{count} items"

msgctxt "item.fa2020-03.title"
msgid "%s"
msgstr "Support Macao as the China–Portuguese-speaking countries platform"
"""



def po_entries(project: Path, locale: str) -> dict[str, polib.POEntry]:
    return {e.msgctxt: e for e in polib.pofile(str(project / "data" / "locales" / f"{locale}.po")) if not e.obsolete}


def test_every_zh_hant_text_converts_back_to_its_source(site: Site):
    """Plan texts (and every other text but the interface, where Macao wording such
    as 搜尋 replaces Mainland 搜索) convert back to the published zh-Hans exactly,
    reading 「」『』 as “”‘’."""
    catalog = site.catalogs["zh-Hant"]
    assert set(catalog.entries) == set(site.sources)
    mismatches = {
        k: e.text for k, e in catalog.entries.items() if not k.startswith("ui.") and site.traditional.back(e.text) != site.sources[k].text
    }
    assert mismatches == {}


def test_zh_hant_reads_the_way_macao_writes(site: Site):
    hant = site.catalogs["zh-Hant"]
    assert "颱風" in hant.text("item.fa2020-68.text") and "台風" not in hant.text("item.fa2020-68.text")
    assert "商簽" in hant.text("item.br2020-07.text")
    assert hant.text("place.yachong-river.name") == "鴨涌河"
    assert "「一帶一路」" in hant.text("plan.br2020.title") and "“" not in hant.text("plan.br2020.title")
    assert hant.text("ui.search_button") == "搜尋"
    # Every interface text says 搜尋, as Macao does, never Mainland 搜索.
    assert [k for k in site.sources if k.startswith("ui.") and "搜索" in hant.text(k)] == []
    assert not [k for k in site.sources if "“" in hant.text(k) or "”" in hant.text(k)]


def test_zh_hant_uses_hong_kong_macao_forms_not_taiwan_phrasing():
    assert to_traditional("支持粤澳中医药科技合作") == "支持粵澳中醫藥科技合作"  # TW phrasing would give 支援
    assert to_traditional("信息") == "信息"  # character conversion only; 資訊 would be Taiwan phrasing


def test_po_files_hold_every_source_with_its_current_text(site: Site):
    """Every translatable text is an entry in each PO file: msgctxt its key, msgid its
    current zh-Hans text, a translation, nothing fuzzy; and `status` agrees."""
    for locale in ("pt", "zh-Hant"):
        entries = po_entries(ROOT, locale)
        assert list(entries) == list(site.sources), locale  # every entry, in reading order
        assert len(entries) >= 441
        assert [k for k, e in entries.items() if e.msgid != site.sources[k].text] == []
        assert [k for k, e in entries.items() if "fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values()))] == []
        for key, entry in entries.items():
            assert entry.occurrences and entry.occurrences[0][0].startswith("data/"), key
            assert entry.comment, key  # where the text appears, for the translator
    result = plansite(ROOT, "status")
    assert result.returncode == 0, result.stdout
    assert re.search(r"^pt\s+\d{3,}\s+0\s+0$", result.stdout, re.M), result.stdout
    assert re.search(r"^zh-Hant\s+\d{3,}\s+0\s+0$", result.stdout, re.M), result.stdout


def test_po_files_pass_msgfmt_check():
    """GNU gettext's own checker (installed by scripts/setup.sh): header, plural forms,
    format of every entry."""
    for path in sorted((ROOT / "data" / "locales").glob("*.po")):
        result = subprocess.run(["msgfmt", "--check", "--check-accelerators", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stderr, f"{path.name}: {result.stderr}"


def test_po_files_are_up_to_date_and_sync_is_byte_stable(tmp_path: Path):
    project = copy_project(tmp_path)
    before = {p.name: p.read_bytes() for p in (project / "data" / "locales").glob("*.po")}
    result = plansite(project, "sync")
    assert result.returncode == 0, result.stdout + result.stderr
    assert {p.name: p.read_bytes() for p in (project / "data" / "locales").glob("*.po")} == before
    assert plansite(project, "sync", "--check").returncode == 0


def test_a_changed_source_makes_exactly_its_entry_fuzzy_and_the_page_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_site: Path):
    """The issue's acceptance test: change one zh-Hans item text, `sync`: that pt entry is
    fuzzy with the previous text as #| msgid, zh-Hant's machine entry is regenerated,
    `status` exits 1, and the built pt page shows the old translation with a notice
    linking to the current Chinese. An untranslated entry falls back to zh-Hans."""
    project = fixture_project(tmp_path)
    old_text = po_entries(project, "pt")["item.fa2020-02.text"].msgid
    new_text = old_text.replace("货物便利通关", "货物通关便利")
    assert new_text != old_text
    replace_once(project / "data" / "plans" / "fa2020.yaml", "货物便利通关政策。", "货物通关便利政策。")
    set_translation(project, "pt", "item.fa2020-03.text", "")  # a translation not yet made
    before = po_entries(project, "pt")
    sync = plansite(project, "sync")
    assert sync.returncode == 1, sync.stdout + sync.stderr  # files changed
    assert plansite(project, "sync", "--check").returncode == 0  # and are now up to date
    after = po_entries(project, "pt")
    changed = {k for k in after if (after[k].msgid, after[k].msgstr, after[k].flags) != (before[k].msgid, before[k].msgstr, before[k].flags)}
    assert changed == {"item.fa2020-02.text"}
    entry = after["item.fa2020-02.text"]
    assert entry.flags == ["fuzzy"] and entry.previous_msgid == old_text and entry.msgid == new_text
    assert entry.msgstr == before["item.fa2020-02.text"].msgstr
    written = (project / "data" / "locales" / "pt.po").read_text(encoding="utf-8")
    assert f'#, fuzzy\n#| msgid "{old_text}"\nmsgctxt "item.fa2020-02.text"' in written  # as msgmerge writes it
    hant = po_entries(project, "zh-Hant")["item.fa2020-02.text"]
    assert "fuzzy" not in hant.flags and "貨物通關便利" in hant.msgstr
    status = plansite(project, "status")
    assert status.returncode == 1
    assert re.findall(r"^(\S+): (fuzzy|untranslated): (\S+)$", status.stdout, re.M) == [
        ("pt", "untranslated", "item.fa2020-03.text"), ("pt", "fuzzy", "item.fa2020-02.text")]

    site_dir = build_in_process(project, monkeypatch, built_site.parent / ".cache")
    page = (site_dir / "pt" / "framework-agreement-2020" / "2" / "index.html").read_text(encoding="utf-8")
    notice = re.search(r'<div[^>]*data-translation-notice="fuzzy"[^>]*>(.*?)</div>', page, re.S)
    assert notice and 'href="../../../framework-agreement-2020/2/"' in notice[1] and 'hreflang="zh-Hans"' in notice[1]
    assert before["item.fa2020-02.text"].msgstr in page  # the old translation, still shown
    fallback = (site_dir / "pt" / "framework-agreement-2020" / "3" / "index.html").read_text(encoding="utf-8")
    assert 'data-translation-notice="untranslated"' in fallback
    assert f'<p lang="zh-Hans" class="plan-item__text">{before["item.fa2020-03.text"].msgid}</p>' in fallback
    status_page = (site_dir / "pt" / "translation-status" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<li data-status="(\w+)"><code>([\w.-]+)</code>.*?<a href="([^"]+)"', status_page)
    assert ("fuzzy", "item.fa2020-02.text", "../framework-agreement-2020/2/") in listed
    assert ("missing", "item.fa2020-03.text", "../framework-agreement-2020/3/") in listed


def test_removed_and_new_sources_become_obsolete_and_empty_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_site: Path):
    project = fixture_project(tmp_path)
    pt_before = po_entries(project, "pt")["ui.breadcrumb"].msgstr
    replace_once(project / "data" / "ui.yaml", "breadcrumb: 位置\n", "trail: 位置\n")
    replace_once(project / "overrides" / "pages" / "_parts.html", "t('breadcrumb')", "t('trail')")
    assert plansite(project, "sync").returncode == 1
    text = (project / "data" / "locales" / "pt.po").read_text(encoding="utf-8")
    assert f'#~ msgctxt "ui.breadcrumb"\n#~ msgid "位置"\n#~ msgstr "{pt_before}"' in text
    entries = po_entries(project, "pt")
    assert "ui.breadcrumb" not in entries and entries["ui.trail"].msgstr == ""
    status = plansite(project, "status")
    assert status.returncode == 1 and "pt: untranslated: ui.trail" in status.stdout
    # The obsolete entry is never read, and the build still works.
    assert (build_in_process(project, monkeypatch, built_site.parent / ".cache") / "pt" / "index.html").exists()


def test_a_corrected_zh_hant_entry_survives_sync(tmp_path: Path):
    project = copy_project(tmp_path)
    # A translator corrects item 61's title; OpenCC made 共同抗擊新冠肺炎疫情.
    set_translation(project, "zh-Hant", "item.fa2020-61.title", "共同抗擊新冠肺炎疫情（校訂）")
    assert plansite(project, "sync").returncode == 0  # nothing to change: the correction stays
    assert po_entries(project, "zh-Hant")["item.fa2020-61.title"].msgstr == "共同抗擊新冠肺炎疫情（校訂）"
    assert plansite(project, "status").returncode == 0
    # A machine entry whose source changes is regenerated; the correction goes fuzzy.
    plan = project / "data" / "plans" / "fa2020.yaml"
    replace_once(plan, "  title: 共同抗击新冠肺炎疫情\n", "  title: 共同抗击新冠肺炎疫情工作\n")
    replace_once(plan, "  title: 联合举办青少年篮球赛、足球赛等活动\n", "  title: 联合举办青少年篮球赛等活动\n")
    assert plansite(project, "sync").returncode == 1
    entries = po_entries(project, "zh-Hant")
    corrected, machine = entries["item.fa2020-61.title"], entries["item.fa2020-57.title"]
    assert corrected.msgstr == "共同抗擊新冠肺炎疫情（校訂）" and corrected.flags == ["fuzzy"]
    assert corrected.previous_msgid == "共同抗击新冠肺炎疫情"
    assert machine.msgstr == "聯合舉辦青少年籃球賽等活動" and "fuzzy" not in machine.flags
    status = plansite(project, "status")
    assert status.returncode == 1
    assert "zh-Hant: fuzzy: item.fa2020-61.title" in status.stdout
    assert "zh-Hant: fuzzy: item.fa2020-57.title" not in status.stdout
    assert "pt: fuzzy: item.fa2020-57.title" in status.stdout  # a translation by a person: checked by one


def test_portuguese_plural_forms(site: Site, built_site: Path):
    pt = site.catalogs["pt"]
    assert pt.plural("ui.items_count", 1).format(count=1) == "1 item"
    assert pt.plural("ui.items_count", 2).format(count=2) == "2 itens"
    assert pt.plural("ui.items_count", 0).format(count=0) == "0 itens"
    assert pt.plural("ui.sections_count", 1).format(count=1) == "1 parte"
    assert site.catalogs["zh-Hant"].plural("ui.items_count", 1).format(count=1) == "1 項"
    wrong = re.compile(r"\b1 (itens|partes|resultados)\b")
    pages = [p for p in (built_site / "pt").rglob("*.html") if wrong.search(p.read_text(encoding="utf-8"))]
    assert pages == []
    one = (built_site / "pt" / "places" / "pearl-river-delta" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"\(1 item\)", one)


def test_a_broken_po_file_names_the_file_and_line(tmp_path: Path):
    project = copy_project(tmp_path)
    path = project / "data" / "locales" / "pt.po"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index('msgctxt "item.fa2020-02.title"')].count("\n") + 2
    path.write_text(text.replace('msgctxt "item.fa2020-02.title"\nmsgid "', 'msgctxt "item.fa2020-02.title"\nmsgid ', 1), encoding="utf-8")
    result = plansite(project, "status")
    assert result.returncode == 1
    assert re.search(rf"data/locales/pt.po:{line}: not a valid PO line", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_every_portuguese_text_uses_the_glossary_terms(site: Site):
    glossary = load_glossary(ROOT, site.locale_codes)
    catalog = site.catalogs["pt"]
    misses = []
    for key, source in site.sources.items():
        entry = catalog.entries.get(key)
        if entry is None:
            continue
        for term in glossary:
            if term.zh_hans in source.text and not term.used_in("pt", entry.text):
                misses.append(f"{key}: {term.zh_hans} → {term.translations['pt']!r} not in {entry.text[:60]!r}")
    assert misses == [], "\n".join(misses)


def test_glossary_page_lists_every_term(built_site: Path, site: Site):
    glossary = load_glossary(ROOT, site.locale_codes)
    page = (built_site / "pt" / "glossary" / "index.html").read_text(encoding="utf-8")
    for term in glossary:
        assert f'<td lang="zh-Hans">{term.zh_hans}</td>' in page
        assert f'<td lang="pt">{term.translations["pt"]}</td>' in page


def test_status_page_shows_the_same_as_the_command(built_site: Path, site: Site):
    page = (built_site / "pt" / "translation-status" / "index.html").read_text(encoding="utf-8")
    for loc in site.locales:
        report = site.catalogs[loc.code].status()
        row = re.search(rf'<tr data-locale="{loc.code}">(.*?)</tr>', page, re.S)[1]
        assert f'<td class="status-done">{len(report["done"])}</td>' in row
        assert '<td class="status-missing">0</td>' in row


def test_pages_say_which_text_is_official(built_site: Path):
    pt = (built_site / "pt" / "framework-agreement-2020" / "8" / "index.html").read_text(encoding="utf-8")
    assert "a versão portuguesa é uma tradução não oficial" in pt
    hant = (built_site / "zh-Hant" / "framework-agreement-2020" / "8" / "index.html").read_text(encoding="utf-8")
    assert to_traditional("中文为官方公布文本") in hant


def test_alternates_and_x_default_on_every_page(built_site: Path):
    for page in built_site.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        langs = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="https://gdmo-plans.example.org/', text)
        assert sorted(langs) == ["pt", "x-default", "zh-Hans", "zh-Hant"], page
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert 'hreflang="pt" href="https://gdmo-plans.example.org/pt/framework-agreement-2020/8/"' in sitemap


def test_parallel_view_shows_each_item_in_every_language(built_site: Path, site: Site):
    page = (built_site / "zh-Hant" / "belt-and-road-2020" / "section-5" / "parallel" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="item-22">(.*?)</tr>', page, re.S)[1]
    for code in ("zh-Hans", "zh-Hant", "pt"):
        assert site.catalogs[code].text("item.br2020-22.text") in row


def test_a_fourth_language_is_one_record_and_one_po_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_site: Path):
    """English, added as a language would be: one record in mkdocs.yml and one PO file
    with a handful of strings. Everything a language gets, it gets."""
    project = fixture_project(tmp_path)
    replace_once(project / "mkdocs.yml", "  - macros:\n",
                 "        - locale: en\n          name: English\n          build: true\n"
                 "          extra:\n            plansite: {og_locale: en_GB, search: latin}\n  - macros:\n")
    (project / "data" / "locales" / "en.po").write_text(EN_PO % po_entries(project, "pt")["item.fa2020-03.title"].msgid, encoding="utf-8")
    out = build_in_process(project, monkeypatch, built_site.parent / ".cache")
    page = (out / "en" / "framework-agreement-2020" / "3" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in page
    assert "Support Macao as the China–Portuguese-speaking countries platform" in page
    assert 'data-translation-notice="untranslated"' in page  # the item text is not translated: zh-Hans, with a notice
    assert '<a href="../../">Home</a>' in page
    assert '<meta property="og:locale" content="en_GB">' in page
    assert '<link rel="alternate" hreflang="en" href="https://gdmo-plans.example.org/en/framework-agreement-2020/3/">' in page
    # The language switcher of every language offers it.
    home = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="[^"]*en/"[^>]*hreflang="en"', home) or re.search(r'hreflang="en"[^>]*href="[^"]*en/"', home)
    # Its own 404 page, glossary, feed, share cards and search index.
    not_found = (out / "en" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in not_found and "<h1>Page not found</h1>" in not_found
    glossary = (out / "en" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="col" lang="en">English</th>' in glossary
    feed_root = ET.parse(out / "en" / "feed.xml").getroot()
    assert feed_root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    from PIL import Image
    with Image.open(out / "assets" / "cards" / "en" / "fa2020-03.png") as card:
        assert card.size == (1200, 630)
    meta = read_index_file(out / "search" / "en" / "meta.json.gz")
    assert meta["locale"] == "en" and meta["script"] == "latin" and meta["stem"] is False
    assert meta["han"] == "zh-Hans" and "platform" in meta["terms"].split(" ")  # unstemmed words
    titles = [record[meta["fields"].index("t")] for chunk in (out / "search" / "en").glob("d*.json.gz") for record in read_index_file(chunk)]
    assert "Support Macao as the China–Portuguese-speaking countries platform" in titles
    # The plural rule is the PO file's own: one item, two or more items.
    counts = [re.search(r'<p class="plan-count">([^<]*)</p>', p.read_text(encoding="utf-8"))[1] for p in (out / "en" / "places").glob("*/index.html")]
    assert "1 item" in counts and any(re.fullmatch(r"[2-9] items", c) for c in counts), counts
    status = plansite(project, "status")
    assert re.search(r"^en\s+5\s+0\s+\d+$", status.stdout, re.M), status.stdout

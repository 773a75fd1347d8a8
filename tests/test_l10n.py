"""Traditional Chinese and Portuguese: catalogs, fingerprints, fallback, glossary, extra locales."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, mkdocs

from plansite.catalogs import to_traditional
from plansite.l10n import fingerprint
from plansite.model import load_glossary
from plansite.site import Site, configured_locales

TRANSLATIONS = [sys.executable, str(ROOT / "scripts" / "translations.py")]


@pytest.fixture(scope="module")
def site() -> Site:
    locales, default = configured_locales(ROOT)
    return Site(ROOT, locales, default)


def run_translations(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TRANSLATIONS, "--root", str(project), *args], capture_output=True, text=True)


def test_every_zh_hant_text_converts_back_to_its_source(site: Site):
    """Plan texts (and every other text but the interface, where Macao wording such
    as 搜尋 replaces Mainland 搜索) convert back to the published zh-Hans exactly,
    reading 「」『』 as “”‘’."""
    catalog = site.catalogs["zh-Hant"]
    assert set(catalog.entries) == set(site.sources)
    mismatches = {
        k: e.text for k, e in catalog.entries.items() if not k.startswith("ui.") and site.traditional.back(e.text) != site.sources[k]
    }
    assert mismatches == {}


def test_zh_hant_reads_the_way_macao_writes(site: Site):
    hant = site.catalogs["zh-Hant"]
    assert "颱風" in hant.text("item.fa2020-68.text") and "台風" not in hant.text("item.fa2020-68.text")
    assert "商簽" in hant.text("item.br2020-07.text")
    assert hant.text("place.yachong-river.name") == "鴨涌河"
    assert "「一帶一路」" in hant.text("plan.br2020.title") and "“" not in hant.text("plan.br2020.title")
    assert hant.text("ui.search_button") == "搜尋"
    assert not [k for k in site.sources if "“" in hant.text(k) or "”" in hant.text(k)]


def test_zh_hant_uses_hong_kong_macao_forms_not_taiwan_phrasing():
    assert to_traditional("支持粤澳中医药科技合作") == "支持粵澳中醫藥科技合作"  # TW phrasing would give 支援
    assert to_traditional("信息") == "信息"  # character conversion only; 資訊 would be Taiwan phrasing


def test_nothing_is_missing_or_stale_in_the_repository():
    result = run_translations(ROOT, "status")
    assert result.returncode == 0, result.stdout
    assert re.search(r"^pt\s+\d+\s+0\s+0$", result.stdout, re.M), result.stdout
    assert re.search(r"^zh-Hant\s+\d+\s+0\s+0$", result.stdout, re.M), result.stdout


def test_zh_hant_file_is_up_to_date(tmp_path: Path):
    project = copy_project(tmp_path)
    result = run_translations(project, "sync", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_corrected_zh_hant_entry_survives_regeneration(tmp_path: Path):
    project = copy_project(tmp_path)
    hant = project / "data" / "locales" / "zh-Hant.yaml"
    # A translator prefers 資訊 to the character-converted 信息 in item 61's title.
    _edit(hant, "text: 共同抗擊新冠肺炎疫情", "text: 共同抗擊新冠肺炎疫情（校訂）")
    assert run_translations(project, "sync").returncode == 0
    assert "共同抗擊新冠肺炎疫情（校訂）" in hant.read_text(encoding="utf-8")
    assert run_translations(project, "status").returncode == 0
    # A machine entry whose source changes is regenerated; the correction goes stale.
    plan = project / "data" / "plans" / "fa2020.yaml"
    _edit(plan, "  title: 共同抗击新冠肺炎疫情\n", "  title: 共同抗击新冠肺炎疫情工作\n")
    _edit(plan, "  title: 联合举办青少年篮球赛、足球赛等活动\n", "  title: 联合举办青少年篮球赛等活动\n")
    assert run_translations(project, "sync").returncode == 0
    text = hant.read_text(encoding="utf-8")
    assert "共同抗擊新冠肺炎疫情（校訂）" in text
    assert "text: 聯合舉辦青少年籃球賽等活動" in text
    status = run_translations(project, "status")
    assert status.returncode == 1
    assert "zh-Hant: stale: item.fa2020-61.title" in status.stdout
    assert "zh-Hant: stale: item.fa2020-57.title" not in status.stdout


def test_fingerprints_report_stale_and_missing(tmp_path: Path, site: Site):
    project = copy_project(tmp_path)
    pt = project / "data" / "locales" / "pt.yaml"
    entry = site.catalogs["pt"].entries["item.br2020-22.text"]
    assert entry.source == fingerprint(site.sources["item.br2020-22.text"])
    _edit(project / "data" / "plans" / "br2020.yaml", "总结工作进展", "总结工作成果")
    text = pt.read_text(encoding="utf-8")
    pt.write_text(re.sub(r"item\.br2020-21\.title:\n  source: \w+\n  text: .*\n", "", text), encoding="utf-8")
    assert run_translations(project, "sync").returncode == 0  # zh-Hant follows by itself
    result = run_translations(project, "status")
    assert result.returncode == 1
    assert "pt: stale: item.br2020-22.text" in result.stdout
    assert "pt: missing: item.br2020-21.title" in result.stdout
    assert re.search(r"^pt\s+\d+\s+1\s+1$", result.stdout, re.M), result.stdout


def test_every_portuguese_text_uses_the_glossary_terms(site: Site):
    glossary = load_glossary(ROOT)
    catalog = site.catalogs["pt"]
    misses = []
    for key, source in site.sources.items():
        entry = catalog.entries.get(key)
        if entry is None:
            continue
        for term in glossary:
            if term.zh_hans in source and not term.pt_matches(entry.text):
                misses.append(f"{key}: {term.zh_hans} → {term.pt!r} not in {entry.text[:60]!r}")
    assert misses == [], "\n".join(misses)


def test_glossary_page_lists_every_term(built_site: Path):
    glossary = load_glossary(ROOT)
    page = (built_site / "pt" / "glossary" / "index.html").read_text(encoding="utf-8")
    for term in glossary:
        assert f'<td lang="zh-Hans">{term.zh_hans}</td>' in page
        assert f'<td lang="pt">{term.pt.replace("«", "«")}</td>' in page


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


def test_missing_translation_falls_back_visibly(tmp_path: Path):
    project = copy_project(tmp_path)
    pt = project / "data" / "locales" / "pt.yaml"
    text = pt.read_text(encoding="utf-8")
    pt.write_text(re.sub(r"item\.fa2020-05\.text:\n  source: \w+\n  text: .*\n", "", text), encoding="utf-8")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    page = (project / "site" / "pt" / "framework-agreement-2020" / "5" / "index.html").read_text(encoding="utf-8")
    assert 'class="plan-notice plan-notice--fallback"' in page
    assert '<p lang="zh-Hans" class="plan-item__text">加快推动澳门中医药产业发展在横琴先行先试政策落地。</p>' in page
    assert run_translations(project, "status").returncode == 1


def test_a_fourth_language_is_one_config_entry(tmp_path: Path):
    project = copy_project(tmp_path)
    _edit(
        project / "mkdocs.yml",
        "        - locale: pt\n          name: Português\n          build: true\n",
        "        - locale: pt\n          name: Português\n          build: true\n"
        "        - locale: en\n          name: English\n          build: true\n",
    )
    (project / "data" / "locales" / "en.yaml").write_text(
        f"ui.home:\n  source: {fingerprint('首页')}\n  text: Home\n", encoding="utf-8"
    )
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "site" / "en" / "belt-and-road-2020" / "3" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in page
    assert "plan-notice--fallback" in page
    assert '<a href="../../">Home</a>' in page
    assert '<link rel="alternate" hreflang="en" href="https://gdmo-plans.example.org/en/belt-and-road-2020/3/">' in page
    status = run_translations(project, "status")
    assert re.search(r"^en\s+1\s+0\s+\d+$", status.stdout, re.M), status.stdout

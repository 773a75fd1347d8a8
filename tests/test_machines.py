"""Machines read it right: valid HTML on every page (the W3C Nu HTML Checker),
robots.txt and dated sitemap entries, and schema.org JSON-LD on every item,
section, plan, place and domain page in every language."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import PREFIXES, ROOT

from plansite.locales import configured_locales
from plansite.site import Site

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITE_URL = "https://gdmo-plans.example.org/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def site() -> Site:
    locales, default = configured_locales(ROOT)
    return Site(ROOT, locales, default, site_url=SITE_URL)


def test_every_page_is_valid_html(built_site: Path):
    """The Nu HTML Checker (npm vnu-jar, pinned; Java from scripts/setup.sh) over every
    built page, 404 pages included: no errors."""
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 500
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "gnu", str(built_site)],
        capture_output=True, text=True, timeout=300,
    )
    errors = [line.replace(f"file:{built_site}/", "") for line in result.stderr.splitlines() if line.strip()]
    assert errors == [], f"{len(errors)} errors, first ones:\n" + "\n".join(errors[:20])
    assert result.returncode == 0


def test_robots_names_the_sitemap_and_every_entry_has_a_date_from_data(built_site: Path, site: Site):
    assert (built_site / "robots.txt").read_text(encoding="utf-8").splitlines()[-1] == f"Sitemap: {SITE_URL}sitemap.xml"
    urls = ET.parse(built_site / "sitemap.xml").getroot().findall(f"{SITEMAP}url")
    assert len(urls) == len(site.specs) * len(site.locales)
    dates = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in urls}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d or "") for d in dates.values())
    # From data: the item's latest change or outcome entry, not the build clock.
    for item in site.data.items[:10]:
        assert dates[SITE_URL + site.url("item", item.id, "pt").lstrip("/")] == site.lastmod("item", item.id)
    assert max(dates.values()) == site.lastmod("home", "home")  # the latest date in data, never the day of the build


def jsonld_of(path: Path) -> dict:
    found = JSONLD.findall(path.read_text(encoding="utf-8"))
    assert len(found) == 1, path
    return json.loads(found[0])


@pytest.mark.parametrize("locale", PREFIXES)
def test_json_ld_on_every_page_that_has_a_subject(built_site: Path, site: Site, locale: str):
    for spec in site.specs:
        if spec.kind not in ("item", "section", "plan", "place", "domain"):
            continue
        path = built_site / site.url(spec.kind, spec.ref, locale).lstrip("/") / "index.html"
        doc = jsonld_of(path)
        canonical = SITE_URL + site.url(spec.kind, spec.ref, locale).lstrip("/")
        assert doc["@context"] == "https://schema.org" and doc["inLanguage"] == locale
        assert doc["@id"] == doc["url"] == canonical
        assert f'<link rel="canonical" href="{canonical}">' in path.read_text(encoding="utf-8")
        if locale == site.default_locale:  # translations linked both ways
            others = {t["@id"] for t in doc["workTranslation"]}
            assert others == {SITE_URL + site.url(spec.kind, spec.ref, loc.code).lstrip("/") for loc in site.locales if loc.code != locale}
        else:
            assert doc["translationOfWork"]["@id"] == SITE_URL + site.url(spec.kind, spec.ref, site.default_locale).lstrip("/")
        if spec.kind == "item":
            item = site.data.item(spec.ref)
            plan = doc["isPartOf"]["isPartOf"]
            assert plan["@type"] == "Report" and plan["@id"] == SITE_URL + site.url("plan", item.plan_id, locale).lstrip("/")
            assert doc["position"] == item.number and doc["datePublished"] == "2020"
            assert [p["url"] for p in doc.get("spatialCoverage", [])] == [SITE_URL + site.url("place", p, locale).lstrip("/") for p in item.places]
            assert len(doc["about"]) == len(item.domains)
            publishers = site.data.plan(item.plan_id).publishers
            assert [p["name"] for p in doc.get("publisher", [])] == list(publishers)


def test_pages_without_a_subject_have_no_json_ld(built_site: Path):
    for path in ("index.html", "glossary/index.html", "search/index.html", "pt/downloads/index.html", "404.html"):
        assert not JSONLD.search((built_site / path).read_text(encoding="utf-8")), path

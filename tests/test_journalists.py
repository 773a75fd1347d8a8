"""Made for journalists (issue 6): permanent URLs, citing and sharing an item, link
previews and share cards, printing, downloads and the feed of changes."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import shutil
import struct
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PREFIXES, ROOT, copy_project, mkdocs, plansite, serve

from plansite import cards, feed, manifest, opendata
from plansite.model import load_site_data
from plansite.site import Site, configured_locales

SITE_URL = "https://gdmo-plans.example.org/"
PREFIX = dict(PREFIXES)
OG_LOCALE = {"zh-Hans": "zh_CN", "zh-Hant": "zh_HK", "pt": "pt_PT"}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site() -> Site:
    locales, default = configured_locales(ROOT)
    return Site(ROOT, locales, default)


def locale_of(relative: str) -> str:
    first = relative.split("/", 1)[0]
    return first if first in ("zh-Hant", "pt") else "zh-Hans"


def read(site_dir: Path, url: str) -> str:
    return (site_dir / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


def png_size(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()[:24]
    assert raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", raw[16:24])


class Head(HTMLParser):
    """The <meta> and <link> elements of a page, and every element name seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.tags: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta.setdefault(values.get("property") or values["name"], []).append(values.get("content", ""))
        if tag == "link":
            self.links.append(values)
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def head_of(page: str) -> Head:
    parser = Head()
    parser.feed(page)
    return parser


@pytest.fixture
def shared_card_cache(built_site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Private builds reuse the cards of the session's build (the cache is keyed by content)."""
    cache = built_site.parent / ".cache"
    monkeypatch.setenv("PLANSITE_CACHE_DIR", str(cache))
    return cache


def url_manifest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return plansite(project, "urls", *args)


# -- 1. Permanent URLs ----------------------------------------------------------------------


def test_url_manifest_is_committed_sorted_and_up_to_date(site: Site):
    text = (ROOT / manifest.MANIFEST).read_text(encoding="utf-8")
    urls = manifest.read_manifest(ROOT)
    assert urls == sorted(set(urls)), "the manifest is sorted, one URL a line"
    assert set(manifest.current_urls(site)) <= set(urls)
    assert len(urls) >= 3 * 177 and all(url.startswith("/") and url.endswith(("/", "/index.json")) for url in urls)
    assert text == manifest.updated_manifest(ROOT, site)
    result = url_manifest(ROOT, "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_url_manifest_command_adds_new_pages_and_check_reports_them(tmp_path: Path):
    project = copy_project(tmp_path)
    path = project / manifest.MANIFEST
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("/pt/belt-and-road-2020/7/\n", ""), encoding="utf-8")
    check = url_manifest(project, "--check")
    assert check.returncode == 1 and "out of date" in check.stderr and "python -m plansite urls" in check.stderr
    assert path.read_text(encoding="utf-8") != original  # --check changes nothing
    assert url_manifest(project).returncode == 1  # rewritten: exit 1, as every fixing command
    assert path.read_text(encoding="utf-8") == original
    assert url_manifest(project, "--check").returncode == 0


def test_every_published_url_resolves_in_the_built_site(built_site: Path):
    urls = manifest.read_manifest(ROOT)
    assert manifest.unresolved(built_site, urls) == []
    for url in urls:  # in the real site they are all pages, no redirects (yet)
        assert manifest.resolve(built_site, url) == url


def _move_belt_and_road(project: Path) -> None:
    """A new slug for one plan: its 99 pages move."""
    plan = project / "data" / "plans" / "br2020.yaml"
    text = plan.read_text(encoding="utf-8")
    assert "slug: belt-and-road-2020\n" in text
    plan.write_text(
        text.replace("slug: belt-and-road-2020\n", "slug: belt-and-road-initiative-2020\n"), encoding="utf-8"
    )


EVIL_TITLE = '对外"合作"<b>&amp;</b>\'<script>alert(1)'  # within the 40-character title limit


@pytest.fixture(scope="module")
def moved_project(tmp_path_factory: pytest.TempPathFactory, built_site: Path) -> Path:
    """A private copy in which a plan's pages moved and an item's title holds markup."""
    import os

    project = copy_project(tmp_path_factory.mktemp("moved"))
    _move_belt_and_road(project)
    plan = project / "data" / "plans" / "fa2020.yaml"
    text = plan.read_text(encoding="utf-8")
    old = re.search(r"^  title: (.*)$", text[text.index("- id: fa2020-03") :], re.M)[1]
    plan.write_text(
        text.replace(f"  title: {old}\n", f"  title: {json.dumps(EVIL_TITLE, ensure_ascii=False)}\n", 1),
        encoding="utf-8",
    )
    os.environ["PLANSITE_CACHE_DIR"] = str(built_site.parent / ".cache")
    try:
        result = mkdocs(project, "build", "--strict")
    finally:
        del os.environ["PLANSITE_CACHE_DIR"]
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_a_moved_page_fails_the_manifest_without_a_redirect(moved_project: Path):
    urls = manifest.read_manifest(moved_project)
    lost = manifest.unresolved(moved_project / "site", urls)
    moved = load_site_data(ROOT).plan("br2020")  # every page of the moved plan: its own, 2 per section, 1 per item
    pages, twins = 1 + 2 * len(moved.sections) + len(moved.items), 1 + len(moved.sections) + len(moved.items)
    assert len(lost) == len(PREFIX) * (pages + twins) and "/pt/belt-and-road-2020/7/" in lost
    assert "/pt/belt-and-road-2020/7/index.json" in lost
    assert all("/belt-and-road-2020/" in url for url in lost)
    check = url_manifest(moved_project, "--check")
    assert check.returncode == 1
    assert "/pt/belt-and-road-2020/7/ is no longer a page: add a redirect" in check.stderr


def test_a_moved_page_passes_with_a_redirect(moved_project: Path, tmp_path: Path, shared_card_cache: Path, browser):
    project = copy_project(tmp_path)
    _move_belt_and_road(project)
    lost = manifest.unresolved(moved_project / "site", manifest.read_manifest(moved_project))
    lines = ["redirects:"] + [
        f"  - from: {url}\n    to: {url.replace('/belt-and-road-2020/', '/belt-and-road-initiative-2020/')}"
        for url in lost
        if not url.endswith("/index.json")  # a page's twin follows its page
    ]
    (project / manifest.REDIRECTS).write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert url_manifest(project).returncode == 1  # rewritten: the old URLs stay, the new ones are added
    assert url_manifest(project, "--check").returncode == 0
    urls = manifest.read_manifest(project)
    assert set(lost) <= set(urls) and "/pt/belt-and-road-initiative-2020/7/" in urls
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.count("share cards:") == 1  # once per build, not once per language
    site_dir = project / "site"
    assert manifest.unresolved(site_dir, urls) == []
    assert manifest.resolve(site_dir, "/pt/belt-and-road-2020/7/") == "/pt/belt-and-road-initiative-2020/7/"
    assert (site_dir / "pt/belt-and-road-2020/7/index.json").read_bytes() == (site_dir / "pt/belt-and-road-initiative-2020/7/index.json").read_bytes()
    page = read(site_dir, "/pt/belt-and-road-2020/7/")
    assert '<meta http-equiv="refresh" content="0; url=../../belt-and-road-initiative-2020/7/">' in page
    assert f'<link rel="canonical" href="{SITE_URL}pt/belt-and-road-initiative-2020/7/">' in page
    with serve(site_dir) as origin:
        tab = browser.new_page()
        tab.goto(f"{origin}/zh-Hant/belt-and-road-2020/section-2/")
        tab.wait_for_url(f"{origin}/zh-Hant/belt-and-road-initiative-2020/section-2/")
        assert tab.locator("h1").inner_text().startswith("二、")
        tab.close()


@pytest.mark.parametrize(
    "redirect, message",
    [
        ("{from: /pt/glossary/, to: /pt/places/}", "/pt/glossary/ is a page of the site; a redirect would hide it"),
        ("{from: /old/, to: /nowhere/}", "/nowhere/ is not a page of the site"),
        ("{from: old, to: /pt/}", "expected a site-relative URL"),
    ],
)
def test_a_wrong_redirect_is_refused_with_its_line(tmp_path: Path, redirect: str, message: str):
    project = copy_project(tmp_path)
    (project / manifest.REDIRECTS).write_text(f"# moved\nredirects:\n  - {redirect}\n", encoding="utf-8")
    result = url_manifest(project, "--check")
    assert result.returncode == 1
    assert "data/redirects.yaml:3: redirects[0]" in result.stderr and message in result.stderr


# -- 2. Citing and sharing an item --------------------------------------------------------------


def test_item_pages_offer_link_and_citation_in_their_language(built_site: Path, site: Site):
    for locale in PREFIX:
        catalog = site.catalogs[locale]
        for item in site.data.items:
            url = site.item_url(item, locale)
            page = read(built_site, url)
            absolute = SITE_URL + url.lstrip("/")
            assert f'<input id="plan-share-url" class="plan-share__url" type="url" value="{absolute}" readonly' in page
            cite = re.search(r'<p class="plan-cite" id="plan-cite" tabindex="-1">(.*?)</p>', page, re.S)[1]
            expected = catalog.text("ui.citation").format(
                plan=catalog.text(f"plan.{item.plan_id}.title"),
                number=item.number,
                title=catalog.text(f"item.{item.id}.title"),
                url=absolute,
                date=catalog.text("ui.cite_date_unknown"),
            )
            assert html.unescape(re.sub(r"<[^>]+>", "", cite)) == expected, (locale, item.id)
            for key in ("copy_link", "copy_citation", "share_heading"):
                assert html.escape(catalog.text(f"ui.{key}"), quote=False) in page
            # The buttons need JavaScript: hidden until share.js shows them.
            assert (
                len(
                    re.findall(
                        r'<button type="button" class="md-button plan-share__button" data-copy="[^"]+" hidden>', page
                    )
                )
                == 2
            )


def test_item_text_is_one_plain_paragraph_for_text_fragments(built_site: Path, site: Site):
    for locale in PREFIX:
        for item in site.data.items:
            page = read(built_site, site.item_url(item, locale))
            found = re.findall(r'<p(?: lang="zh-Hans")? class="plan-item__text">(.*?)</p>', page, re.S)
            assert len(found) == 1 and "<" not in found[0], (locale, item.id)
            assert html.unescape(found[0]) == site.catalogs[locale].text(f"item.{item.id}.text")


def _citation(site: Site, locale: str, item_id: str, date: str) -> str:
    catalog = site.catalogs[locale]
    item = site.data.item(item_id)
    return catalog.text("ui.citation").format(
        plan=catalog.text(f"plan.{item.plan_id}.title"),
        number=item.number,
        title=catalog.text(f"item.{item.id}.title"),
        url=SITE_URL + site.item_url(item, locale).lstrip("/"),
        date=date,
    )


DATES = {"zh-Hans": "2026年3月5日", "zh-Hant": "2026年3月5日", "pt": "5 de Março de 2026"}


@pytest.mark.browser
@pytest.mark.parametrize("locale", list(PREFIX))
def test_copy_buttons_copy_link_and_dated_citation(browser, site_server: str, site: Site, locale: str):
    context = browser.new_context(locale="en-GB", timezone_id="Asia/Macau")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server)
    page = context.new_page()
    page.clock.set_fixed_time("2026-03-05T10:00:00+08:00")
    item = site.data.item("fa2020-48")
    page.goto(f"{site_server}{site.item_url(item, locale)}")
    catalog = site.catalogs[locale]
    date = page.locator("time[data-accessed]")
    assert date.inner_text() == DATES[locale] and date.get_attribute("datetime") == "2026-03-05"
    page.get_by_role("button", name=catalog.text("ui.copy_link")).click()
    status = page.locator(".plan-share__status")
    status.filter(has_text=catalog.text("ui.copied")).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == SITE_URL + site.item_url(item, locale).lstrip("/")
    page.get_by_role("button", name=catalog.text("ui.copy_citation")).click()
    page.wait_for_function("(url) => navigator.clipboard.readText().then(t => !t.startsWith(url))", arg=SITE_URL)
    assert page.evaluate("navigator.clipboard.readText()") == _citation(site, locale, item.id, DATES[locale])
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("how", ["no Clipboard API", "clipboard refused"])
def test_copy_link_falls_back_to_selecting_the_url_by_keyboard(browser, site_server: str, site: Site, how: str):
    context = browser.new_context()
    if how == "no Clipboard API":
        context.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});")
    else:
        context.add_init_script(
            "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => ({"
            "writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError'))})});"
        )
    page = context.new_page()
    item = site.data.item("br2020-11")
    page.goto(f"{site_server}{site.item_url(item, 'pt')}")
    catalog = site.catalogs["pt"]
    button = page.get_by_role("button", name=catalog.text("ui.copy_link"))
    button.focus()
    page.keyboard.press("Enter")
    page.locator(".plan-share__status").filter(has_text=catalog.text("ui.copy_fallback")).wait_for()
    url = SITE_URL + site.item_url(item, "pt").lstrip("/")
    field = page.locator("#plan-share-url")
    assert field.is_visible() and field.get_attribute("readonly") is not None
    assert page.evaluate("document.activeElement.id") == "plan-share-url"
    assert page.evaluate("[document.activeElement.selectionStart, document.activeElement.selectionEnd]") == [
        0,
        len(url),
    ]
    assert (
        page.evaluate(
            "document.activeElement.value.substring(document.activeElement.selectionStart, document.activeElement.selectionEnd)"
        )
        == url
    )
    # The citation falls back the same way: its text is selected.
    page.get_by_role("button", name=catalog.text("ui.copy_citation")).click()
    selected = page.evaluate("window.getSelection().toString()")
    assert selected.replace("\n", " ").strip().startswith(catalog.text("plan.br2020.title"))
    context.close()


@pytest.mark.browser
def test_text_fragment_links_reach_an_item_text(browser, site_server: str, site: Site):
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    item = site.data.item("fa2020-47")
    start = urllib.parse.quote(item.text[:12], safe="")
    page.goto(f"{site_server}/framework-agreement-2020/section-4/#:~:text={start}")
    page.wait_for_function("window.scrollY > 1000")  # item 47 is the last of section 4
    top = page.evaluate("document.getElementById('item-47').getBoundingClientRect().top")
    assert 0 <= top < 700
    # On an item page, in every language, the item's text is a single text node.
    for locale in PREFIX:
        page.goto(f"{site_server}{site.item_url(item, locale)}")
        nodes = page.evaluate("Array.from(document.querySelector('.plan-item__text').childNodes).map(n => n.nodeType)")
        assert nodes == [3], locale
    # ... so a fragment from the end of a Portuguese text, below the fold, finds it.
    other = site.data.item("fa2020-48")
    text = site.catalogs["pt"].text(f"item.{other.id}.text")
    title = site.catalogs["pt"].text(f"item.{other.id}.title")
    words = text.rstrip(".").split()
    phrase = next(
        " ".join(words[n - 4 : n]) for n in range(len(words), 4, -1) if " ".join(words[n - 4 : n]) not in title
    )
    directive = urllib.parse.quote(phrase, safe="").replace("-", "%2D")  # "-" and "," are syntax in text directives
    small = browser.new_page(viewport={"width": 360, "height": 300})
    small.goto(f"{site_server}{site.item_url(other, 'pt')}#:~:text={directive}")
    small.wait_for_function("window.scrollY > 0")
    top = small.evaluate("document.querySelector('.plan-item__text').getBoundingClientRect()")
    assert top["top"] < 300 and top["bottom"] > 0
    page.close()
    small.close()


# -- 3. Canonical, Open Graph and Twitter Card on every page ---------------------------------------


def test_every_page_has_canonical_open_graph_and_twitter_card(built_site: Path, site: Site):
    items = {site.item_url(item, loc.code): item for item in site.data.items for loc in site.locales}
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) >= 3 * 177
    for path in pages:
        relative = path.parent.relative_to(built_site).as_posix()
        url = "/" if relative == "." else f"/{relative}/"
        locale = locale_of(relative)
        head = head_of(path.read_text(encoding="utf-8"))
        canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
        assert canonical == [SITE_URL + url.lstrip("/")], url
        meta = {key: values[0] for key, values in head.meta.items()}
        assert all(len(values) == 1 for key, values in head.meta.items() if key != "og:locale:alternate"), url
        assert meta["og:url"] == canonical[0]
        assert meta["og:title"] and meta["og:description"] and meta["og:site_name"]
        assert meta["og:title"] == head.title.strip().rsplit(" - ", 1)[0] or url in ("/", "/zh-Hant/", "/pt/")
        assert meta["og:locale"] == OG_LOCALE[locale]
        assert sorted(head.meta["og:locale:alternate"]) == sorted(v for k, v in OG_LOCALE.items() if k != locale)
        assert meta["twitter:card"] == "summary_large_image"
        image = meta["og:image"]
        assert image.startswith(SITE_URL), url
        card = built_site / image.removeprefix(SITE_URL)
        assert png_size(card) == (1200, 630)
        if url in items:
            assert image == f"{SITE_URL}assets/cards/{locale}/{items[url].id}.png"
            assert meta["og:type"] == "article"
        else:
            assert image == f"{SITE_URL}assets/cards/{locale}/site.png"
        feeds = [link for link in head.links if link.get("type") == "application/atom+xml"]
        assert len(feeds) == 1 and feeds[0]["rel"] == "alternate"
        target = urllib.parse.urljoin(SITE_URL + url.lstrip("/"), feeds[0]["href"])
        assert target == f"{SITE_URL}{PREFIX[locale]}feed.xml", url
    # The not-found page has no front matter: its language is the build's.
    page = (built_site / "404.html").read_text(encoding="utf-8")
    locale = re.search(r'<html lang="([^"]+)"', page)[1]
    head = head_of(page)
    assert head.meta["og:locale"] == [OG_LOCALE[locale]] and head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["og:image"] == [f"{SITE_URL}assets/cards/{locale}/site.png"]


def test_link_preview_meta_escape_text_from_data(moved_project: Path, built_site: Path):
    scripts = head_of(read(built_site, "/framework-agreement-2020/3/").split("</head>")[0]).tags.count("script")
    site_dir = moved_project / "site"
    for prefix in PREFIX.values():
        page = (site_dir / prefix / "framework-agreement-2020" / "3" / "index.html").read_text(encoding="utf-8")
        head = head_of(page.split("</head>")[0])
        assert "b" not in head.tags and head.tags.count("script") == scripts
        if not prefix:  # zh-Hans shows the new title; the others their (now stale) translation
            assert head.meta["og:title"] == [f"3. {EVIL_TITLE}"]
            assert head.meta["og:image:alt"] == [f"3. {EVIL_TITLE}"]
        assert "<script>alert" not in page
    body = (site_dir / "framework-agreement-2020" / "3" / "index.html").read_text(encoding="utf-8")
    assert EVIL_TITLE in html.unescape(body) and "<b>" not in body
    tree = ET.parse(site_dir / "feed.xml")
    titles = [e.findtext(f"{ATOM}title") for e in tree.getroot().iter(f"{ATOM}entry")]
    assert f"3. {EVIL_TITLE} · 粤澳合作框架协议 2020 年重点工作" in titles
    rows = list(csv.DictReader(io.StringIO((site_dir / "data" / "fa2020.zh-Hans.csv").read_text(encoding="utf-8-sig"))))
    assert rows[2]["title"] == EVIL_TITLE


# -- 4. Share cards -------------------------------------------------------------------------------


def test_every_item_has_its_own_card_in_every_locale(built_site: Path, site: Site):
    digests = set()
    for loc in site.locales:
        generic = built_site / cards.card_path(loc.code)
        assert png_size(generic) == (1200, 630)
        for item in site.data.items:
            card = built_site / cards.card_path(loc.code, item.id)
            assert png_size(card) == (1200, 630), card
            digests.add(hashlib.sha256(card.read_bytes()).hexdigest())
    assert len(digests) == len(site.locales) * len(site.data.items)
    size = sum(p.stat().st_size for p in (built_site / "assets" / "cards").rglob("*.png"))
    print(f"\n{len(digests) + len(site.locales)} cards, {size / 1e6:.1f} MB")


def test_card_text_stays_inside_the_card(site: Site):
    fonts = cards.Fonts(cards.font_files())
    all_cards = cards.site_cards(site, SITE_URL)
    long_pt = replace(
        all_cards[cards.card_path("pt", "fa2020-48")],
        title="Cooperação no ensino da Universidade de Ciência e Tecnologia de Macau e da Universidade Cidade de Macau "
        "com Guangdong, incluindo intercâmbio de docentes, investigação conjunta, reconhecimento mútuo de créditos, "
        "programas de mestrado e doutoramento e projectos de inovação científica e tecnológica transfronteiriça",
    )
    unbreakable = replace(long_pt, title="Pneumoultramicroscopicossilicovulcanoconiótico" * 3)
    checked = 0
    for path, card in [*all_cards.items(), ("long", long_pt), ("unbreakable", unbreakable)]:
        blocks = cards.layout(card, fonts)
        footer_top = cards.HEIGHT - cards.FOOTER_HEIGHT
        for block in blocks:
            font = fonts.get(block.weight, block.size, card.face)
            for line in block.lines:
                assert block.x + font.getlength(line) <= cards.WIDTH - cards.MARGIN, (path, line)
            in_footer = block.y >= footer_top
            assert (block.bottom <= cards.HEIGHT) if in_footer else (block.bottom <= footer_top), (path, block)
        title = blocks[-2] if card.label else blocks[0]  # the generic card: the site's name first
        shown = "".join(title.lines).replace(" ", "")
        if path in ("long", "unbreakable"):
            assert title.lines[-1].endswith("…") or shown == card.title.replace(" ", "")
        else:  # every real title is shown whole
            assert shown == card.title.replace(" ", ""), path
        checked += 1
    assert checked == 3 * 96 + 2


def test_wrapping_breaks_between_words_and_never_before_closing_punctuation(site: Site):
    fonts = cards.Fonts(cards.font_files())
    font = fonts.get("bold", 64, 2)
    lines = cards.wrap(
        "Acordos para evitar a dupla tributação com países de língua portuguesa e de «Uma Faixa, Uma Rota»", font, 900
    )
    assert all(not line.startswith((" ", ",", "»")) for line in lines)
    assert (
        " ".join(lines).split()
        == "Acordos para evitar a dupla tributação com países de língua portuguesa e de «Uma Faixa, Uma Rota»".split()
    )
    zh = cards.wrap(
        "强化警务和保安资源整合、情报共享、案件协查、刑事技术交流、联合行动能力建设",
        fonts.get("bold", 64, 2),
        1056,
    )
    assert all(not line.startswith(("、", "，", "。", "”", "》")) for line in zh)
    assert zh[0].endswith("、")  # a line ends at a pause when one is near
    quoted = cards.wrap(
        "支持澳门与更多葡语国家和“一带一路”沿线国家签署《对所得避免双重征税协定》",
        fonts.get("bold", 64, 2),
        1056,
    )
    assert any(
        line.startswith("“一带一路”") or "“一带一路”" in line for line in quoted
    )  # a short quoted term stays whole
    assert quoted[-1].startswith("《") and quoted[-1].endswith("》")


def test_unchanged_cards_are_not_drawn_again(built_site: Path, site: Site, tmp_path: Path):
    """The session's build drew every card into its cache; drawing again draws nothing,
    and a card whose inputs changed (here: whose cached file is gone) is drawn alone."""
    cache = tmp_path / "cache"
    cache.mkdir()
    for png in (built_site.parent / ".cache" / "cards").glob("*.png"):
        (cache / png.name).write_bytes(png.read_bytes())
    report = cards.write_cards(site, SITE_URL, tmp_path / "site", cache)
    assert (report.drawn, report.reused) == (0, 3 * 96)
    files = cards.font_files()
    card = cards.site_cards(site, SITE_URL)[cards.card_path("pt", "fa2020-07")]
    (cache / f"{cards.cache_key(card, files, cards._code_fingerprint())}.png").unlink()
    report = cards.write_cards(site, SITE_URL, tmp_path / "site", cache)
    assert (report.drawn, report.reused) == (1, 3 * 96 - 1)
    assert (tmp_path / "site" / cards.card_path("pt", "fa2020-07")).read_bytes() == (
        built_site / cards.card_path("pt", "fa2020-07")
    ).read_bytes()  # drawn again to the same bytes
    code = "x"
    assert cards.cache_key(card, files, code) == cards.cache_key(replace(card), files, code)
    assert cards.cache_key(card, files, code) != cards.cache_key(replace(card, title=card.title + "!"), files, code)
    assert cards.cache_key(card, files, code) != cards.cache_key(card, files, "changed layout code")


def test_build_fails_clearly_without_the_cjk_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    project = copy_project(tmp_path / "project")
    monkeypatch.setenv(cards.FONT_DIR_ENV, str(tmp_path / "no-fonts"))
    result = mkdocs(project, "build", "--strict")
    assert result.returncode != 0
    assert "cannot draw the share cards" in result.stderr and "fonts-noto-cjk" in result.stderr
    assert "NotoSansCJK-Regular.ttc" in result.stderr
    assert not (project / "site" / "assets" / "cards").exists()


# -- 5. Print -----------------------------------------------------------------------------------------

HIDDEN_IN_PRINT = [
    ".md-header",
    ".md-tabs",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-footer",
    ".md-search",
    "[role=search]",
    ".plan-breadcrumb",
    ".plan-pager",
    ".plan-share button",
    ".plan-share__url",
    ".md-top",
    ".language-offer",
]


@pytest.mark.browser
@pytest.mark.parametrize(
    "url",
    ["/zh-Hant/framework-agreement-2020/48/", "/pt/belt-and-road-2020/section-2/", "/framework-agreement-2020/7/"],
)
def test_item_and_section_pages_print_on_a4_with_their_url(browser, site_server: str, url: str, tmp_path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site_server}{url}")
    printed = page.locator(".plan-print-url")
    assert printed.is_hidden()  # on screen, the address bar shows it
    page.emulate_media(media="print")
    assert printed.is_visible()
    assert printed.inner_text().endswith(SITE_URL + url.lstrip("/"))
    assert page.locator("h1").first.is_visible() and page.locator(".plan-item__text").first.is_visible()
    visible = [sel for sel in HIDDEN_IN_PRINT for el in page.locator(sel).all() if el.is_visible()]
    assert visible == [], f"shown in print: {visible}"
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    sizes = {tuple(float(v) for v in m) for m in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert sizes and all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in sizes), sizes  # A4 in points
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= (3 if "section" not in url else 12), pages
    # Nothing wider than the A4 text column: 210 mm minus the margins, at 96 px per inch.
    page.set_viewport_size({"width": round((210 - 30) / 25.4 * 96), "height": 1000})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.close()


# -- 6. Downloads ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def datapackage(built_site: Path) -> dict:
    return json.loads((built_site / "data" / "datapackage.json").read_text(encoding="utf-8"))


def test_datapackage_describes_every_download(built_site: Path, datapackage: dict, site: Site):
    assert datapackage["profile"] == "data-package" and datapackage["name"] and datapackage["title"]
    resources = datapackage["resources"]
    paths = [r["path"] for r in resources]
    expected = ["items.json", "items.csv"] + [f"{p.id}.{loc.code}.csv" for p in site.data.plans for loc in site.locales]
    assert paths == expected
    assert len({r["name"] for r in resources}) == len(resources)
    for res in resources:
        assert {"name", "path", "format", "mediatype", "encoding", "schema", "bytes", "hash"} <= set(res), res["name"]
        assert re.fullmatch(r"[a-z0-9._-]+", res["name"])
        raw = (built_site / "data" / res["path"]).read_bytes()
        assert res["bytes"] == len(raw) and res["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
        fields = res["schema"]["fields"]
        assert fields and all({"name", "type", "description"} <= set(f) and f["description"].strip() for f in fields)
        assert res["schema"]["primaryKey"] == ["id"]
        if res["format"] == "csv":
            assert res["mediatype"] == "text/csv" and res["encoding"] == "utf-8-sig" and raw.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
            assert rows[0] == [f["name"] for f in fields], res["name"]
            plan = res["path"].split(".")[0]
            count = len(site.data.items) if plan == "items" else len(site.data.plan(plan).items)
            assert len(rows) - 1 == count, res["name"]
            for f, column in zip(fields, zip(*rows[1:])):
                if f["type"] == "integer":
                    assert all(v == "" or v.isdigit() for v in column), (res["name"], f["name"])
        else:
            assert res["mediatype"] == "application/json" and res["encoding"] == "utf-8"
            records = json.loads(raw)["items"]
            assert len(records) == len(site.data.items)
            assert all(list(record) == [f["name"] for f in fields] for record in records)


def test_plan_csvs_hold_each_plan_in_each_language(built_site: Path, site: Site):
    for plan in site.data.plans:
        for loc in site.locales:
            raw = (built_site / "data" / f"{plan.id}.{loc.code}.csv").read_text(encoding="utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(raw, newline="")))
            catalog = site.catalogs[loc.code]
            assert [r["id"] for r in rows] == [i.id for i in plan.items]
            for row, item in zip(rows, plan.items):
                assert row["text"] == catalog.text(f"item.{item.id}.text")
                assert row["title"] == catalog.text(f"item.{item.id}.title")
                assert row["url"] == SITE_URL + site.item_url(item, loc.code).lstrip("/")
                assert row["text_status"] == ("official" if loc.code == "zh-Hans" else "current")
                assert row["section_title"] == catalog.text(f"section.{plan.id}-s{item.section}.title")


def test_downloads_page_in_every_locale_explains_files_fields_and_terms(
    built_site: Path, datapackage: dict, site: Site
):
    for locale, prefix in PREFIX.items():
        page = (built_site / prefix / "downloads" / "index.html").read_text(encoding="utf-8")
        catalog = site.catalogs[locale]
        assert f'<html lang="{locale}"' in page
        base = f"{SITE_URL}{prefix}downloads/"
        hrefs = {urllib.parse.urljoin(base, h) for h in re.findall(r'<a href="([^"]+)" download>', page)}
        wanted = {f"{SITE_URL}data/{r['path']}" for r in datapackage["resources"]} | {
            f"{SITE_URL}data/datapackage.json"
        }
        assert hrefs == wanted, locale
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        for res in opendata.resources(site):
            assert res.describe(catalog) in text, (locale, res.name)
            for f in res.fields:
                assert f"<td><code>{f.name}</code></td>" in page
                assert f.describe(catalog) in text, (locale, f.name)
        for key in ("downloads_terms_official", "downloads_terms_unofficial"):
            assert html.escape(catalog.text(f"ui.{key}"), quote=False) in page
        attribution = catalog.text("ui.downloads_terms_attribution").format(site=catalog.text("ui.site_name"))
        assert html.escape(attribution, quote=False) in page
        feed_href = re.search(r'<a href="([^"]+)" type="application/atom\+xml">', page)[1]
        assert urllib.parse.urljoin(base, feed_href) == f"{SITE_URL}{prefix}feed.xml"


# -- 7. The feed of changes ---------------------------------------------------------------------------


def test_feeds_are_atom_and_link_every_change_to_its_item_page(built_site: Path, site: Site):
    changelog = feed.load_changelog(ROOT, site.data)
    assert changelog.changes[0].items == tuple(i.id for i in site.data.items)  # the initial publication
    for locale, prefix in PREFIX.items():
        root = ET.parse(built_site / prefix / "feed.xml").getroot()
        assert root.tag == f"{ATOM}feed"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == locale
        for required in ("id", "title", "updated", "author/name"):
            path = "/".join(ATOM + part for part in required.split("/"))
            assert (root.findtext(path) or "").strip(), (locale, required)
        recorded = [n.source.read for i in site.data.items for n in i.progress]  # outcome entries appear when recorded
        assert root.findtext(f"{ATOM}updated") == max([changelog.updated, *recorded]) + "T00:00:00+08:00"
        self_link = root.find(f"{ATOM}link[@rel='self']")
        assert self_link.get("href") == f"{SITE_URL}{prefix}feed.xml"
        every_entry = root.findall(f"{ATOM}entry")
        assert len(every_entry) == sum(len(c.items) for c in changelog.changes) + len(recorded)
        entries = [e for e in every_entry if e.find(f"{ATOM}link[@rel='related']") is None]  # changes to the texts
        assert len(entries) == sum(len(c.items) for c in changelog.changes)
        ids = [e.findtext(f"{ATOM}id") for e in every_entry]
        assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
        for entry in every_entry:
            assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}summary")
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00\+08:00", entry.findtext(f"{ATOM}updated"))
            href = entry.find(f"{ATOM}link[@rel='alternate']").get("href").removesuffix("#outcome")
            assert href.startswith(SITE_URL + prefix)
            page = built_site / href.removeprefix(SITE_URL) / "index.html"
            assert 'class="plan-page plan-page--item"' in page.read_text(encoding="utf-8"), href
        first = entries[-1]  # newest first: the initial publication is at the end
        expected_summary = {
            "zh-Hans": changelog.changes[0].summary,
            "zh-Hant": changelog.changes[0].summary_in(site.locale("zh-Hant"), site.traditional)[0],
            "pt": changelog.changes[0].translations["pt"],
        }[locale]
        assert first.findtext(f"{ATOM}summary") == expected_summary


def test_feeds_come_from_data_not_the_clock(built_site: Path, site: Site, monkeypatch: pytest.MonkeyPatch):
    changelog = feed.load_changelog(ROOT, site.data)
    for locale, prefix in PREFIX.items():
        built = (built_site / prefix / "feed.xml").read_bytes()
        assert feed.feed_xml(site, changelog, locale, SITE_URL) == built
    dated = [
        line
        for line in (ROOT / feed.CHANGELOG).read_text(encoding="utf-8").splitlines()
        if "date:" in line and not line.lstrip().startswith("#")
    ]
    assert dated and re.search(r'date: "\d{4}-\d{2}-\d{2}"', dated[0])


def test_changelog_errors_name_file_and_line(tmp_path: Path, site: Site):
    project = copy_project(tmp_path)
    path = project / feed.CHANGELOG
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + '  - date: "2026-13-01"\n    items: [fa2020-07]\n    summary: 更新。\n'
        '  - date: "2026-12-01"\n    items: [fa2020-99]\n    summary: 更新。\n',
        encoding="utf-8",
    )
    from plansite.model import InvalidData

    with pytest.raises(InvalidData) as caught:
        feed.load_changelog(project, site.data)
    message = str(caught.value)
    lines = text.count("\n")
    assert f"data/changelog.yaml:{lines + 1}: changes[1].date: 2026-13-01 is not a date" in message
    assert f"data/changelog.yaml:{lines + 5}: changes[2].items: no such item(s): fa2020-99" in message


def test_card_cache_pruning_removes_only_unused_cards(tmp_path: Path, built_site: Path, site: Site):
    """`python -m plansite cards` deletes cached cards nothing uses (the cache only grows
    otherwise); --check lists them and deletes nothing. Cards the build uses stay."""
    cache = tmp_path / "cards"
    shutil.copytree(built_site.parent / ".cache" / "cards", cache)
    plansite(ROOT, "cards", "--cache", str(cache))  # other test builds (other addresses) share the cache
    kept = {p.name for p in cache.iterdir()}
    assert len(kept) == len(site.locales) * (len(site.data.items) + 1)  # every card the site uses
    (cache / ("0" * 64 + ".png")).write_bytes(b"an old card")
    check = plansite(ROOT, "cards", "--check", "--cache", str(cache))
    assert check.returncode == 1 and "1 stale card(s) to remove" in check.stdout, check.stdout + check.stderr
    assert (cache / ("0" * 64 + ".png")).exists()
    prune = plansite(ROOT, "cards", "--cache", str(cache))
    assert prune.returncode == 1 and "1 stale card(s) removed" in prune.stdout
    assert {p.name for p in cache.iterdir()} == kept
    assert plansite(ROOT, "cards", "--check", "--cache", str(cache)).returncode == 0

"""Untrusted text stays text: no data or translation runs code, injects markup or
breaks the build (issue: contributors are outsiders and CI builds what they send).

Three kinds of test:
- one hostile build: payloads that must show literally (template syntax, HTML and
  script, `]]>`, Markdown, formula prefixes, a long string) are planted in every kind
  of text field at once; the site builds and shows each of them as text, in HTML,
  XML, JSON and CSV, and no command from the data runs;
- a table of payloads that must be refused (control, bidirectional and invisible
  code points) × every kind of text field: a `file:line` error, in-process;
- one test per structural mistake, and the previous site surviving a failed build.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, fixture_project, mkdocs, replace_once, set_translation
from plansite import feed, manifest
from plansite.search import read_index_file
from plansite.model import InvalidData, load_glossary
from plansite.site import Site, configured_locales
from plansite.yamlio import DataError

# --- editing a copy of the project -------------------------------------------------


def replace_line(path: Path, start: str, new: str) -> int:
    """Replace the first line that starts with `start`; returns its 1-based number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(n for n, line in enumerate(lines) if line.startswith(start))
    lines[n] = new + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return n + 1


def yaml_text(value: str) -> str:
    """A YAML double-quoted scalar (JSON is valid YAML and escapes every code point we plant)."""
    return json.dumps(value, ensure_ascii=True)


def load_site(project: Path) -> Site:
    locales, default = configured_locales(project)
    return Site(project, locales, default)


# --- reading what was built ---------------------------------------------------------


class _Page(HTMLParser):
    """Text, attribute values and script bodies of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []
        self.scripts: list[str] = []
        self.tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append(tag)
        self.attributes += [value or "" for _, value in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):  # noqa: ANN001
        self._in_script = False

    def handle_data(self, data):  # noqa: ANN001
        (self.scripts if self._in_script else self.text).append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def title_of(path: Path) -> str:
    return re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S)[1]


# --- the hostile build --------------------------------------------------------------

EXPLOIT = "{{ lipsum.__globals__.os.popen('touch pwned').read() }}"
TEMPLATE = "{{ 7*7 }}{% if 1 %}x{% endif %}"
SCRIPT = "<script>alert(1)</script>"
MARKDOWN = "**b** [l](javascript:alert(3)) {: .e}"
LONG = "长" * 5000

ITEM_TITLE = "推{{ 7*7 }}{# c #}<script>x()</script>"  # within the 40-character title limit
ITEM_TEXT = f'=HYPERLINK("x"){EXPLOIT}]]><!--{MARKDOWN}{LONG}。'
SECTION_TITLE = f"支持{TEMPLATE}<b>多元</b>发展"
PLAN_SHORT = f"路{TEMPLATE}<i>x</i>"  # within the 40-character limit
PLACE_NAME = f"广东省{EXPLOIT}"
PLACE_DESCRIPTION = f"{SCRIPT}]]>与澳门相邻的内地省份。"
PLACE_ALIAS = "-广东@"
DOMAIN_NAME = f"金融{TEMPLATE}"
DOMAIN_DESCRIPTION = "@SUM(1)<img src=x onerror=alert(2)>合作。"
GLOSSARY_PT = f"Grande Baía {TEMPLATE} {SCRIPT}"
CHANGE_SUMMARY = f"首次发布{TEMPLATE}{SCRIPT}]]>"
CHANGE_PT = f"Publicação {EXPLOIT} ]]> {SCRIPT}"
SITE_NAME = "粤澳<s>x</s>]]>&amp;"  # braces in interface strings are placeholders: see below
PT_SITE_NAME = f"PT</title>{SCRIPT}"
PT_ITEM_TITLE = EXPLOIT
PT_ITEM_TEXT = f"+SUM(1){SCRIPT}]]> {MARKDOWN}"
HANT_ITEM_TITLE = f"加快{TEMPLATE}<b>推動</b>"
OUTCOME_TEXT = f"开通{TEMPLATE}{SCRIPT}。"
OUTCOME_TITLE = f"{SCRIPT}]]> {TEMPLATE}"
OUTCOME_PUBLISHER = f"=cmd|{EXPLOIT}"
OUTCOME_URL = 'https://example.org/?q="><script>alert(9)</script>'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, built_site: Path) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    data = project / "data"
    fa, br = data / "plans" / "fa2020.yaml", data / "plans" / "br2020.yaml"
    replace_once(fa, "  title: 推动粤澳海关跨境快速通关对接项目试点实施，促进便利货物通关\n", f"  title: {yaml_text(ITEM_TITLE)}\n")
    replace_once(fa, "  text: 推动粤澳海关跨境快速通关对接项目试点实施，促进便利货物通关。\n", f"  text: {yaml_text(ITEM_TEXT)}\n")
    replace_once(fa, "  title: 支持澳门经济适度多元发展\n", f"  title: {yaml_text(SECTION_TITLE)}\n")
    replace_line(br, "short_title: ", f"short_title: {yaml_text(PLAN_SHORT)}")
    replace_once(data / "places.yaml", "  name: 广东省\n  aliases: [广东]\n  description: 与澳门相邻的内地省份，是《粤澳合作框架协议》的一方。\n",
                 f"  name: {yaml_text(PLACE_NAME)}\n  aliases: [广东, {yaml_text(PLACE_ALIAS)}]\n  description: {yaml_text(PLACE_DESCRIPTION)}\n")
    replace_once(data / "domains.yaml", "  name: 金融\n  description: 跨境金融、特色金融、金融科技、保险和人民币跨境使用等方面的合作。\n",
                 f"  name: {yaml_text(DOMAIN_NAME)}\n  description: {yaml_text(DOMAIN_DESCRIPTION)}\n")
    replace_once(data / "glossary.yaml", "  pt: Grande Baía Guangdong-Hong Kong-Macau\n", f"  pt: {yaml_text(GLOSSARY_PT)}\n")
    replace_line(data / "changelog.yaml", "    summary: ", f"    summary: {yaml_text(CHANGE_SUMMARY)}")
    replace_line(data / "changelog.yaml", "      pt: ", f"      pt: {yaml_text(CHANGE_PT)}")
    replace_once(data / "ui.yaml", "site_name: 粤澳合作重点工作\n", f"site_name: {yaml_text(SITE_NAME)}\n")
    text = fa.read_text(encoding="utf-8")
    entry = text.index("  progress:\n", text.index("- id: fa2020-15\n"))  # item 15's first outcome entry
    head, tail = text[:entry], text[entry:]
    for field, value in (("    text: ", OUTCOME_TEXT), ("      url: ", OUTCOME_URL), ("      title: ", OUTCOME_TITLE), ("      publisher: ", OUTCOME_PUBLISHER)):
        start = tail.index(field)
        tail = tail[:start] + field + yaml_text(value) + tail[tail.index("\n", start):]
    fa.write_text(head + tail, encoding="utf-8")
    set_translation(project, "pt", "ui.site_name", PT_SITE_NAME)
    set_translation(project, "pt", "item.fa2020-01.title", PT_ITEM_TITLE)
    set_translation(project, "pt", "item.br2020-03.text", PT_ITEM_TEXT)
    set_translation(project, "zh-Hant", "item.fa2020-01.title", HANT_ITEM_TITLE)
    result = mkdocs(project, "build", "--strict", env={"PLANSITE_CACHE_DIR": str(built_site.parent / ".cache")})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project


def test_no_command_from_data_runs(hostile: Path):
    assert not (hostile / "pwned").exists()
    assert not Path("pwned").exists()


PAGES = [
    # (page, texts that must show literally in it)
    ("framework-agreement-2020/15", [OUTCOME_TEXT, OUTCOME_TITLE, OUTCOME_PUBLISHER, OUTCOME_URL]),
    ("framework-agreement-2020/20", [ITEM_TITLE, ITEM_TEXT, SITE_NAME, PLAN_SHORT]),
    ("framework-agreement-2020/section-1", [SECTION_TITLE]),
    ("framework-agreement-2020/section-2", [ITEM_TITLE, ITEM_TEXT]),
    ("framework-agreement-2020/section-2/parallel", [ITEM_TEXT]),
    ("framework-agreement-2020", [SECTION_TITLE, ITEM_TITLE]),
    ("", [SITE_NAME, PLAN_SHORT]),
    ("places/guangdong", [PLACE_NAME, PLACE_DESCRIPTION]),
    ("places", [PLACE_NAME]),
    ("domains/finance", [DOMAIN_NAME, DOMAIN_DESCRIPTION]),
    ("glossary", [GLOSSARY_PT]),
    ("pt", [PT_SITE_NAME]),
    ("pt/framework-agreement-2020/1", [PT_SITE_NAME, PT_ITEM_TITLE]),
    ("pt/belt-and-road-2020/3", [PT_ITEM_TEXT]),
    ("zh-Hant/framework-agreement-2020/1", [HANT_ITEM_TITLE]),
    ("pt/translation-status", [PT_SITE_NAME]),
    ("search", [SITE_NAME]),
    ("downloads", [SITE_NAME]),
]


@pytest.mark.parametrize("page, texts", PAGES, ids=[p or "home" for p, _ in PAGES])
def test_html_shows_every_planted_text_literally(hostile: Path, page: str, texts: list[str]):
    path = hostile / "site" / page / "index.html"
    parsed = parse(path)
    shown = "".join(parsed.text) + "\n".join(parsed.attributes)
    for text in texts:
        assert text in shown, (page, text[:40])
    # Nothing from data became markup: no element from a payload, no script of ours with it.
    assert not {"b", "i", "s", "img"} & set(parsed.tags), page
    assert not any("alert" in script for script in parsed.scripts), page


def test_titles_and_meta_show_planted_text(hostile: Path):
    import html

    item = hostile / "site" / "framework-agreement-2020" / "20" / "index.html"
    assert html.unescape(title_of(item)) == f"20. {ITEM_TITLE} - {SITE_NAME}"
    pt_item = hostile / "site" / "pt" / "framework-agreement-2020" / "1" / "index.html"
    assert html.unescape(title_of(pt_item)) == f"Item 1 — {PT_ITEM_TITLE} - {PT_SITE_NAME}"
    og = re.search(r'<meta property="og:title" content="([^"]*)">', item.read_text(encoding="utf-8"))[1]
    assert html.unescape(og) == f"20. {ITEM_TITLE}"


def test_json_ld_keeps_planted_text_inside_its_string(hostile: Path):
    """Structured data is JSON inside <script>: data with </script>, <!-- or ]]> must
    neither end the element nor break the JSON."""
    for page, planted in (("framework-agreement-2020/20", ITEM_TITLE), ("framework-agreement-2020/section-1", SECTION_TITLE), ("places/guangdong", PLACE_NAME)):
        html = (hostile / "site" / page / "index.html").read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1 and "<" not in blocks[0], page
        assert planted in json.dumps(json.loads(blocks[0]), ensure_ascii=False), page


def test_feeds_stay_well_formed_xml(hostile: Path):
    atom = "{http://www.w3.org/2005/Atom}"
    for prefix, summary in (("", CHANGE_SUMMARY), ("pt/", CHANGE_PT)):
        root = ET.parse(hostile / "site" / prefix / "feed.xml").getroot()
        changes = [e for e in root.iter(f"{atom}entry") if e.find(f"{atom}link[@rel='related']") is None]
        summaries = {e.findtext(f"{atom}summary") for e in changes}
        assert summaries == {summary}
        outcomes = [e for e in root.iter(f"{atom}entry") if e.find(f"{atom}link[@rel='related']") is not None]
        assert any(e.find(f"{atom}link[@rel='related']").get("href") == OUTCOME_URL for e in outcomes)
        if not prefix:
            assert any(OUTCOME_TEXT in e.findtext(f"{atom}summary") for e in outcomes)
        titles = [e.text for e in root.iter(f"{atom}title")]
        assert any(ITEM_TITLE in (t or "") for t in titles) or prefix
    sitemap = ET.parse(hostile / "site" / "sitemap.xml").getroot()
    assert len(sitemap) > 500


def test_open_data_carries_planted_text_and_no_formula(hostile: Path):
    document = json.loads((hostile / "site" / "data" / "items.json").read_text(encoding="utf-8"))
    record = next(i for i in document["items"] if i["id"] == "fa2020-20")
    assert record["title"]["zh-Hans"] == ITEM_TITLE and record["text"]["zh-Hans"] == ITEM_TEXT
    rows = list(csv.DictReader(io.StringIO((hostile / "site" / "data" / "items.csv").read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["id"] == "fa2020-20")
    assert row["text_zh-Hans"] == "'" + ITEM_TEXT
    pt_row = next(r for r in rows if r["id"] == "br2020-03")
    assert pt_row["text_pt"] == "'" + PT_ITEM_TEXT
    plan_rows = list(csv.reader(io.StringIO((hostile / "site" / "data" / "fa2020.zh-Hans.csv").read_text(encoding="utf-8-sig"))))
    assert any(cell == "'" + ITEM_TEXT for row in plan_rows for cell in row)
    for path in (hostile / "site" / "data").glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), (path.name, row[:2])
    indexes = list((hostile / "site" / "search").glob("*/*.json.gz"))
    assert len(indexes) > 30
    for index in indexes:
        read_index_file(index)


# --- refused code points, every kind of text field ----------------------------------

REFUSED = {
    "U+0001": "\u0001",
    "U+0007": "\u0007",
    "U+202E": "\u202e",
    "U+200D": "\u200d",
    "U+2060": "\u2060",
}

# (field, how to plant `bad` in a copy of the project → line it lands on, file named in the error)
FIELDS = {
    "item title": lambda p, bad: replace_once(p / "data/plans/fa2020.yaml", "  title: 推动粤澳海关跨境快速通关对接项目试点实施，促进便利货物通关\n", f"  title: {yaml_text('推动' + bad + '试点')}\n"),
    "item text": lambda p, bad: replace_once(p / "data/plans/fa2020.yaml", "  text: 推动粤澳海关跨境快速通关对接项目试点实施，促进便利货物通关。\n", f"  text: {yaml_text('推动' + bad + '。')}\n"),
    "section title": lambda p, bad: replace_once(p / "data/plans/fa2020.yaml", "  title: 支持澳门经济适度多元发展\n", f"  title: {yaml_text('支持' + bad)}\n"),
    "plan title": lambda p, bad: replace_line(p / "data/plans/br2020.yaml", "title: ", f"title: {yaml_text('实施' + bad)}"),
    "place name": lambda p, bad: replace_once(p / "data/places.yaml", "  name: 广东省\n", f"  name: {yaml_text('广东' + bad)}\n"),
    "place alias": lambda p, bad: replace_once(p / "data/places.yaml", "  aliases: [广东]\n", f"  aliases: [{yaml_text('广东' + bad)}]\n"),
    "domain description": lambda p, bad: replace_once(p / "data/domains.yaml", "  description: 跨境金融、特色金融、金融科技、保险和人民币跨境使用等方面的合作。\n", f"  description: {yaml_text('跨境' + bad)}\n"),
    "glossary search name": lambda p, bad: replace_once(p / "data/glossary.yaml", "  search_names: {pt: [HZMB, ", f"  search_names: {{pt: [{yaml_text('HZ' + bad)}, "),
    "glossary": lambda p, bad: replace_once(p / "data/glossary.yaml", "  pt: Grande Baía Guangdong-Hong Kong-Macau\n", f"  pt: {yaml_text('Grande' + bad)}\n"),
    "changelog summary": lambda p, bad: replace_line(p / "data/changelog.yaml", "    summary: ", f"    summary: {yaml_text('首次' + bad)}"),
    "changelog translation": lambda p, bad: replace_line(p / "data/changelog.yaml", "      pt: ", f"      pt: {yaml_text('Publicação' + bad)}"),
    "ui string": lambda p, bad: replace_once(p / "data/ui.yaml", "home: 首页\n", f"home: {yaml_text('首' + bad)}\n"),
    "pt translation": lambda p, bad: set_translation(p, "pt", "item.fa2020-01.title", "Acelerar" + bad),
    "pt ui translation": lambda p, bad: set_translation(p, "pt", "ui.site_name", "Cooperação" + bad),
    "zh-Hant translation": lambda p, bad: set_translation(p, "zh-Hant", "item.br2020-03.text", "繼續" + bad + "。"),
}
FIELD_FILES = {
    "item title": "data/plans/fa2020.yaml", "item text": "data/plans/fa2020.yaml", "section title": "data/plans/fa2020.yaml",
    "plan title": "data/plans/br2020.yaml", "place name": "data/places.yaml", "place alias": "data/places.yaml",
    "domain description": "data/domains.yaml", "glossary": "data/glossary.yaml", "glossary search name": "data/glossary.yaml", "changelog summary": "data/changelog.yaml", "changelog translation": "data/changelog.yaml",
    "ui string": "data/ui.yaml", "pt translation": "data/locales/pt.po", "pt ui translation": "data/locales/pt.po",
    "zh-Hant translation": "data/locales/zh-Hant.po",
}


def check_everything(project: Path) -> None:
    """What a build checks before it writes anything: data, translations, glossary,
    changelog and redirects."""
    site = load_site(project)
    load_glossary(project, ("zh-Hans", "zh-Hant", "pt"))
    feed.load_changelog(project, site.data, site.locale_codes)
    manifest.load_redirects(project, site)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("pristine")
    shutil.copytree(ROOT / "data", project / "data")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    shutil.copytree(pristine, tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("name", REFUSED)
def test_invisible_and_control_code_points_are_refused_with_file_and_line(project: Path, field: str, name: str):
    line = FIELDS[field](project, REFUSED[name])
    with pytest.raises((InvalidData, DataError)) as caught:
        check_everything(project)
    message = str(caught.value)
    assert f"{FIELD_FILES[field]}:{line}: " in message, message
    assert name in message and ("control character" in message or "invisible code point" in message), message


def test_the_real_data_passes_every_check():
    check_everything(ROOT)


# --- interface placeholders -----------------------------------------------------------


@pytest.mark.parametrize(
    "locale, text, message",
    [
        ("pt", "{numero}. {titulo}", r"unknown placeholder \{numero\}, \{titulo\}.*missing placeholder \{number\}, \{title\}"),
        ("pt", "{number}.", r"missing placeholder \{title\}"),
        ("pt", "{number}. {title", r"broken placeholder"),
        ("pt", "{number.__class__}. {title}", r"is not a plain \{name\}"),
        ("zh-Hant", "{number}. {title}}", r"broken placeholder"),
    ],
)
def test_translated_placeholders_must_be_the_sources(project: Path, locale: str, text: str, message: str):
    line = set_translation(project, locale, "ui.item_heading", text)
    with pytest.raises(InvalidData) as caught:
        load_site(project)
    assert re.search(rf"data/locales/{locale}.po:{line}: 'ui.item_heading': .*{message}", str(caught.value)), str(caught.value)


def test_template_syntax_in_an_interface_string_is_refused(project: Path):
    line = replace_once(project / "data/ui.yaml", "home: 首页\n", "home: 首{% if 1 %}页\n")
    with pytest.raises(InvalidData, match=rf"data/ui.yaml:{line}: ui.home: placeholder {{% if 1 %}} is not a plain {{name}}"):
        load_site(project)


def test_a_lone_brace_in_the_source_is_named(project: Path):
    line = replace_once(project / "data/ui.yaml", "home: 首页\n", "home: 首{页\n")
    with pytest.raises(InvalidData, match=rf"data/ui.yaml:{line}: ui.home: broken placeholder"):
        load_site(project)


# --- structure ------------------------------------------------------------------------

PLACE_LOOP = ("  parent: null\n  name: 内地\n", "  parent: guangdong\n  name: 内地\n")

STRUCTURE = [
    # (case, file, old, new, expected message, line offset from the edit)
    ("parent loop", "data/places.yaml", *PLACE_LOOP, r"place mainland: its parents loop back to it \(mainland → guangdong → mainland\)", -1),
    ("self parent", "data/places.yaml", "  parent: null\n  name: 内地\n", "  parent: mainland\n  name: 内地\n", r"place mainland: its parents loop back to it \(mainland → mainland\)", -1),
    ("duplicate place", "data/places.yaml", "- id: pearl-river-delta\n", "- id: guangdong\n", r"place guangdong: duplicate place id 'guangdong' \(also on line \d+\)", 0),
    ("duplicate domain", "data/domains.yaml", "- id: traditional-chinese-medicine\n", "- id: finance\n", r"domain finance: duplicate domain id 'finance'", 0),
    ("duplicate glossary term", "data/glossary.yaml", "- zh-Hans: 横琴\n", "- zh-Hans: 粤港澳大湾区\n", r"glossary term 粤港澳大湾区: listed twice", 0),
    ("alias not text", "data/places.yaml", "  aliases: [广东]\n", "  aliases: [广东, 42]\n", r"place guangdong.aliases\[1\]: expected text, got a number \(42\)", 0),
    ("YAML alias in places", "data/places.yaml", "  aliases: [广东]\n", "  aliases: &a [广东]\n", r"YAML anchors and aliases", 0),
    ("YAML alias in item places", "data/plans/fa2020.yaml", "  places: [hengqin, guangdong-macao-in-depth-cooperation-zone, macao]\n", "  places: *x\n", r"YAML anchors and aliases", 0),
    ("subsections out of order", "data/plans/fa2020.yaml", "  - number: 1\n    title: 金融业服务。\n  - number: 2\n", "  - number: 2\n    title: 金融业服务。\n  - number: 1\n", r"subsection number 2 out of order.*expected 1", 0),
    ("subsections 1, 2, 5", "data/plans/fa2020.yaml", "  - number: 3\n    title: 文化和旅游。\n", "  - number: 5\n    title: 文化和旅游。\n", r"subsection number 5 out of order.*expected 3", 0),
    ("section out of order", "data/plans/br2020.yaml", "- number: 2\n", "- number: 7\n", r"section number 7 out of order", 0),
    ("malformed YAML", "data/places.yaml", "  name: 广东省\n", '  name: "广东省\n', r"malformed YAML: .*a quoted text opened on line \d+ runs on", 0),
]


@pytest.mark.parametrize("case", STRUCTURE, ids=[c[0] for c in STRUCTURE])
def test_structural_mistakes_name_file_and_line(project: Path, case):
    _, name, old, new, message, offset = case
    line = replace_once(project / name, old, new) + offset
    with pytest.raises((InvalidData, DataError)) as caught:
        check_everything(project)
    text = str(caught.value)
    assert re.search(rf"{re.escape(name)}:{line}: .*{message}", text), text


@pytest.mark.parametrize("slug", ["places", "search", "pt", "PT", "zh-hant", "assets", "data", "downloads", "en", "zh-mo"])
def test_reserved_slugs_are_refused(project: Path, slug: str):
    line = replace_once(project / "data/plans/br2020.yaml", "slug: belt-and-road-2020\n", f"slug: {slug}\n")
    with pytest.raises(InvalidData) as caught:
        check_everything(project)
    text = str(caught.value)
    assert f"data/plans/br2020.yaml:{line}: " in text
    assert "is a path the site uses for something else" in text or "is not a valid slug" in text, text


@pytest.mark.parametrize("source", ["/feed.xml/", "/pt/feed.xml/", "/assets/old/", "/data/items.json/", "/search/x/"])
def test_redirects_cannot_collide_with_generated_files(project: Path, source: str):
    (project / "data/redirects.yaml").write_text(
        f"redirects:\n  - from: {source}\n    to: /framework-agreement-2020/1/\n", encoding="utf-8"
    )
    with pytest.raises(InvalidData, match=rf"data/redirects.yaml:2: redirects\[0\].from: {re.escape(source)} is inside"):
        check_everything(project)


def test_billion_laughs_is_refused_at_once(project: Path):
    laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(9)
    )
    path = project / "data/glossary.yaml"
    path.write_text(laughs, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(DataError, match=r"data/glossary.yaml:1: YAML anchors and aliases"):
        load_glossary(project, ("zh-Hans", "zh-Hant", "pt"))
    assert time.monotonic() - started < 30  # a guard against a hang, not a speed target


# --- through mkdocs: exit codes, messages, and the previous site ----------------------


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory: pytest.TempPathFactory, built_site: Path) -> Path:
    """A copy of the project with a good site/ in it."""
    project = copy_project(tmp_path_factory.mktemp("atomic"))
    shutil.copytree(built_site, project / "site")
    return project


FAILURES = [
    # (case, how to break the copy, what the one-line error must say)
    ("parent loop", lambda p: replace_once(p / "data/places.yaml", *PLACE_LOOP), r"data/places.yaml:\d+: place mainland: its parents loop"),
    ("control character in a translation", lambda p: set_translation(p, "pt", "item.fa2020-01.title", "A\u0007"), r"data/locales/pt.po:\d+: 'item.fa2020-01.title': control character U\+0007"),
    ("redirect onto a feed", lambda p: (p / "data/redirects.yaml").write_text("redirects:\n  - from: /feed.xml/\n    to: /framework-agreement-2020/1/\n", encoding="utf-8"), r"data/redirects.yaml:2: "),
    ("template error while rendering", lambda p: replace_once(p / "overrides/pages/item.html", "{{ parts.item_heading(item) }}", "{{ item.no_such_field.x }}"), r"/[\w-]+/\d+/: cannot render the item page '\w+-\d+' \(zh-Hans\) from data/plans/\w+.yaml:\d+: UndefinedError"),
]


@pytest.mark.parametrize("case", FAILURES, ids=[c[0] for c in FAILURES])
def test_a_failed_build_says_why_and_keeps_the_previous_site(built_copy: Path, tmp_path: Path, built_site: Path, case):
    _, breaks, message = case
    project = copy_project(tmp_path / "p", source=built_copy)
    shutil.copytree(built_copy / "site", project / "site")
    before = tree_digest(project / "site")
    breaks(project)
    result = mkdocs(project, "build", "--strict", env={"PLANSITE_CACHE_DIR": str(built_site.parent / ".cache")})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(message, output), output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert tree_digest(project / "site") == before
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site-")]


def test_a_good_build_replaces_the_site_whole(tmp_path: Path, built_site: Path):
    project = fixture_project(tmp_path / "p")  # a tiny site: what is tested is the swap, not the pages
    (project / "site").mkdir()
    (project / "site" / "stale.html").write_text("left from an old build", encoding="utf-8")
    result = mkdocs(project, "build", "--strict", env={"PLANSITE_CACHE_DIR": str(built_site.parent / ".cache")})
    assert result.returncode == 0, result.stderr[-2000:]
    assert not (project / "site" / "stale.html").exists()
    assert (project / "site" / "index.html").exists() and (project / "site" / "pt" / "index.html").exists()
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site-")]


def test_serve_reports_a_bad_edit_and_recovers(tmp_path: Path, built_site: Path):
    """A lone brace in an interface string used to end `mkdocs serve`."""
    import os
    import socket

    project = fixture_project(tmp_path / "p")  # a tiny site, so that each rebuild takes a moment
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PLANSITE_CACHE_DIR=str(built_site.parent / ".cache"))
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env,
        )
    try:
        def wait_for(pattern: str, after: int = 0, timeout: float = 120) -> int:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                text = log.read_text(encoding="utf-8")
                found = re.search(pattern, text[after:])
                if found:
                    return after + found.end()
                assert server.poll() is None, text[-3000:]
                time.sleep(0.3)
            raise AssertionError(f"no {pattern!r} in:\n{log.read_text(encoding='utf-8')[-3000:]}")

        position = wait_for(r"Serving on")
        ui = project / "data" / "ui.yaml"
        good = ui.read_text(encoding="utf-8")
        time.sleep(1)
        ui.write_text(good.replace("home: 首页\n", "home: 首{页\n"), encoding="utf-8")
        position = wait_for(r"data/ui.yaml:\d+: ui.home: broken placeholder", position)
        time.sleep(1)
        assert server.poll() is None
        ui.write_text(good, encoding="utf-8")
        wait_for(r"Documentation built|Serving on|Reloading browsers|Building documentation", position)
        time.sleep(1)
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)

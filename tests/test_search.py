"""Search in real Chromium, typed as a person types, in each language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import PREFIXES, ROOT, expected_postings, index_documents

from plansite.catalogs import to_traditional

pytestmark = pytest.mark.browser

QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text(encoding="utf-8"))
PREFIX = dict(PREFIXES)
SLUGS = {"framework-agreement-2020": "fa2020", "belt-and-road-2020": "br2020"}
ITEM_URL = re.compile(r"(?:^|/)(?:zh-Hant/|pt/)?(framework-agreement-2020|belt-and-road-2020)/(\d+)/(?:\?h=[^#]*)?$")  # ?h= marks the query there


def queries_for(locale: str) -> list[dict]:
    if locale == "zh-Hant":
        converted = [dict(q, q=to_traditional(q["q"])) for q in QUERIES["zh-Hans"]]
        return converted + QUERIES["zh-Hant-extra"]
    return QUERIES[locale]


def type_query(page, text: str) -> list[str]:
    """Type as a person does (an IME commits the text, then a key), wait for results."""
    box = page.locator("#plan-search-input")
    box.fill("")
    box.fill(text)
    box.press("End")
    page.wait_for_function(
        "(q) => document.querySelector('[data-plan-search]').getAttribute('data-rendered-query') === q",
        arg=text.strip(),
    )
    return page.eval_on_selector_all(".plan-search__results a", "els => els.map(e => e.href)")


@pytest.fixture(scope="module")
def pages(browser, site_server):
    opened = {}
    for locale, prefix in PREFIX.items():
        page = browser.new_page()
        page.goto(f"{site_server}/{prefix}framework-agreement-2020/1/")
        opened[locale] = page
    yield opened
    for page in opened.values():
        page.close()


def item_ids(hrefs: list[str]) -> list[str]:
    out = []
    for href in hrefs:
        m = ITEM_URL.search(href)
        if m:
            out.append(f"{SLUGS[m[1]]}-{int(m[2]):02d}")
    return out


@pytest.mark.parametrize("locale", list(PREFIX))
def test_recall_at_10(pages, site_server, locale, request):
    page = pages[locale]
    queries = queries_for(locale)
    assert len(queries) >= (60 if locale == "pt" else 40)
    scores, misses = [], []
    for query in queries:
        hrefs = type_query(page, query["q"])
        # Every result is a page of this language.
        for href in hrefs:
            path = href.removeprefix(site_server + "/")
            assert (locale == "zh-Hans" and not path.startswith(("zh-Hant/", "pt/"))) or path.startswith(PREFIX[locale]), href
        found = item_ids(hrefs[:10])
        hit = [e for e in query["expect"] if e in found]
        scores.append(len(hit) / len(query["expect"]))
        if len(hit) < len(query["expect"]):
            misses.append(f"{query['q']} ({query['kind']}): expected {query['expect']}, top 10 {found}")
    recall = sum(scores) / len(scores)
    print(f"\n{locale} recall@10 {recall:.3f}; misses:\n" + "\n".join(misses))
    request.config.stash.setdefault("search_recall", {})[locale] = (recall, len(queries))
    assert recall == 1.0, f"recall@10 {recall:.3f}\n" + "\n".join(misses)


def test_the_portuguese_set_covers_every_kind_of_query():
    kinds = {q["kind"] for q in QUERIES["pt"]}
    assert {"stem", "alias", "typo", "chinese", "accents", "form", "name"} <= kinds
    assert sum(q["kind"] == "typo" for q in QUERIES["pt"]) >= 6 and sum(q["kind"] == "chinese" for q in QUERIES["pt"]) >= 6


def results_of(page) -> list[dict]:
    return page.eval_on_selector_all(
        ".plan-search__results li",
        """els => els.map(li => ({href: li.querySelector('a').href,
            snippetLang: (li.querySelector('.plan-search__snippet') || {getAttribute: () => null}).getAttribute('lang'),
            marks: [...li.querySelectorAll('mark')].map(m => m.textContent)}))""",
    )


def test_chinese_on_the_portuguese_site_comes_after_portuguese_matches(pages):
    page = pages["pt"]
    hrefs = type_query(page, "iates 横琴")
    assert item_ids(hrefs[:1]) == ["fa2020-21"]  # iates: the page's own language first
    found = results_of(page)[1:]
    assert found and all(r["href"].split("?")[0].startswith(page.url.split("/pt/")[0] + "/pt/") for r in found)
    assert {"fa2020-01", "fa2020-02"} <= set(item_ids([r["href"] for r in found]))
    # Found through the Chinese text: that text is shown, marked, in its language.
    item = next(r for r in found if item_ids([r["href"]]) == ["fa2020-01"])
    assert item["snippetLang"] == "zh-Hans" and "横琴" in item["marks"]


def test_a_typo_ranks_below_the_word_spelt_right_and_never_applies_to_chinese(pages):
    page = pages["pt"]
    scores = page.evaluate(
        """async () => {
            const right = await window.__planSearch("pt", "Hengqin", 50);
            const wrong = await window.__planSearch("pt", "Hengquin", 50);
            const score = (found, n) => (found.results.find(r => r.n === n) || {}).score;
            return right.results.filter(r => r.doc.k === "item").map(r => [score(right, r.n), score(wrong, r.n)]);
        }"""
    )
    assert scores and all(w is not None and w < r for r, w in scores)
    for locale in ("pt", "zh-Hans"):
        assert type_query(pages[locale], "横芩") == []  # one character wrong: Chinese is not guessed at
    assert type_query(page, "Heng") != [] and type_query(page, "Hengqim") != []
    assert type_query(page, "Hqngquin") == []  # two edits


# (language, another name, the canonical name): the other name finds at least the
# items the canonical one finds (search_names in data/places.yaml and data/glossary.yaml).
ALIASES = [
    ("pt", "Guangzhou", "Cantão"),
    ("pt", "Ilha da Montanha", "Hengqin"),
    ("pt", "Macao", "Macau"),
    ("pt", "HZMB", "Ponte Hong Kong-Zhuhai-Macau"),
    ("pt", "Faixa e Rota", "Uma Faixa, Uma Rota"),
    ("zh-Hans", "Hengqin", "横琴"),
    ("zh-Hans", "HZMB", "港珠澳大桥"),
    ("zh-Hans", "Macau", "澳门"),
    ("zh-Hant", "Hengqin", "橫琴"),
    ("zh-Hant", "大灣區", "粵港澳大灣區"),
    ("zh-Hant", "HZMB", "港珠澳大橋"),
]


@pytest.mark.parametrize("locale,alias,canonical", ALIASES)
def test_another_name_finds_what_the_name_finds(pages, locale, alias, canonical):
    found = pages[locale].evaluate(
        """async ([code, a, b]) => {
            const items = async (q) => (await window.__planSearch(code, q, 1000)).results
                .filter(r => r.doc.k === "item").map(r => r.doc.u);
            return [await items(a), await items(b)];
        }""",
        [locale, alias, canonical],
    )
    by_alias, by_name = set(found[0]), set(found[1])
    assert by_name and by_name <= by_alias, sorted(by_name - by_alias)


def written_index(built_site: Path, locale: str) -> tuple[dict, list[dict]]:
    """A language's index as the build wrote it: its meta and its documents."""
    from plansite.search import read_index_file

    folder = built_site / "search" / locale
    meta = read_index_file(folder / "meta.json.gz")
    return meta, index_documents(meta, lambda number: read_index_file(folder / f"d{number}.json.gz"))


def test_python_and_the_browser_read_text_alike(pages, built_site: Path):
    """The index's terms (search.py) and the query's (30-search.js) come from the same
    normalising and word splitting: compared on every field of every document."""
    import snowballstemmer

    from plansite.search import latin_terms, normalise

    stemmer = snowballstemmer.stemmer("portuguese")
    for locale in PREFIX:
        meta, documents = written_index(built_site, locale)
        texts = [*meta["plans"], *(doc[f] for doc in documents for f in ("t", "x", "g") if doc.get(f))]
        if meta["script"] == "han":
            t2s = dict(zip(meta["t2s"][::2], meta["t2s"][1::2]))
            in_browser = pages[locale].evaluate(
                "async ([texts, code]) => Promise.all(texts.map(t => window.__planNormalise(t, code)))", [texts, locale]
            )
            assert in_browser == [normalise(t, t2s) for t in texts]
        else:
            in_browser = pages[locale].evaluate("(texts) => texts.map(t => window.__planWords(t, true))", texts)
            assert [set(w) for w in in_browser] == [latin_terms(t, stemmer) for t in texts]


def test_the_browser_reads_every_posting_the_build_wrote(pages, built_site: Path):
    """Every term's documents and fields, as 30-search.js decodes them, are what
    search.py posted: every Portuguese stem, every Chinese character, and every
    Chinese pair whose second character is ASCII or a field's end, with as many
    other pairs."""
    for locale in PREFIX:
        meta, documents = written_index(built_site, locale)
        expected = expected_postings(documents, meta)
        if meta["script"] == "han":
            singles = [t for t in expected if len(t) == 1]
            ascii_pairs = [t for t in expected if len(t) == 2 and t[1].isascii()]
            others = sorted(t for t in expected if len(t) == 2 and not t[1].isascii())[:: max(1, len(expected) // 400)]
            terms = singles + ascii_pairs + others
            assert singles and ascii_pairs and others
        else:
            terms = sorted(expected)
        in_browser = pages[locale].evaluate(
            "async ([code, terms]) => Promise.all(terms.map(t => window.__planPostings(code, t)))", [locale, terms]
        )
        for term, got in zip(terms, in_browser):
            assert {n: bits for n, bits in got} == expected[term], (locale, term)
        assert pages[locale].evaluate("async (code) => window.__planPostings(code, 'qqqq')", locale) == []


def test_an_items_own_page_ranks_first_and_is_highlighted(pages):
    page = pages["zh-Hans"]
    hrefs = type_query(page, "一试三证")
    assert item_ids(hrefs[:1]) == ["fa2020-54"]
    first = page.locator(".plan-search__results li").first
    assert first.locator("mark").first.inner_text() == "一试三证"
    assert "粤澳合作框架协议" in first.locator(".plan-search__meta").inner_text()
    assert "第54项" in first.locator(".plan-search__meta").inner_text()
    page_pt = pages["pt"]
    hrefs = type_query(page_pt, "branqueamento de capitais")
    assert item_ids(hrefs[:1]) == ["br2020-12"]
    assert "Item 12" in page_pt.locator(".plan-search__results li .plan-search__meta").first.inner_text()


def test_search_all_languages_option(pages):
    page = pages["pt"]
    page.locator("input[name=all]").check()
    try:
        hrefs = type_query(page, "医药")
        assert item_ids(hrefs) and all("/pt/" not in h for h in hrefs[:3])
        hrefs = type_query(page, "medicina")
        assert any("/pt/" in h for h in hrefs)
    finally:
        page.locator("input[name=all]").uncheck()


def test_index_loads_lazily_and_in_parts(browser, site_server, built_site: Path):
    """Nothing before the box is used; then this language's meta; then, for a query,
    only the shards of its terms and the documents of its best candidates."""
    page = browser.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url.removeprefix(site_server)))
    page.goto(f"{site_server}/pt/belt-and-road-2020/3/")
    page.wait_for_timeout(300)
    assert not [u for u in requested if u.startswith("/search/")]
    page.locator("#plan-search-input").focus()
    page.wait_for_timeout(300)
    assert [u for u in requested if u.startswith("/search/")] == ["/search/pt/meta.json.gz"]
    type_query(page, "branqueamento de capitais")
    loaded = [u for u in requested if u.startswith("/search/")]
    assert all(u.startswith("/search/pt/") for u in loaded), loaded
    shards = [u for u in loaded if u.rsplit("/", 1)[1].startswith("s")]
    documents = [u for u in loaded if u.rsplit("/", 1)[1].startswith("d")]
    on_disk = list((built_site / "search" / "pt").glob("*.json.gz"))
    assert 1 <= len(shards) <= 4 and 1 <= len(documents) <= 12, loaded
    assert len(loaded) < len(on_disk) / 3
    page.close()
    for locale in PREFIX:
        files = list((built_site / "search" / locale).glob("*.json.gz"))
        assert files and max(f.stat().st_size for f in files) < 20_000


def test_search_works_where_the_host_decodes_the_gzipped_index(browser, site_server, built_site: Path):
    """Some hosts send a .gz file with Content-Encoding: gzip (Apache's AddEncoding),
    so the browser inflates it before the script sees it: same results as a host
    that sends the bytes as they are."""
    import functools
    import http.server
    import threading

    class Decoding(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # noqa: ANN002
            pass

        def guess_type(self, path):  # noqa: ANN001, ANN202
            return "application/json" if str(path).endswith(".json.gz") else super().guess_type(path)

        def end_headers(self):  # noqa: ANN202
            if self.path.endswith(".gz"):
                self.send_header("Content-Encoding", "gzip")
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Decoding, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    decoding_host = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        found = {}
        for origin in (site_server, decoding_host):
            page = browser.new_page()
            encodings = []
            page.on("response", lambda r: encodings.append(r.headers.get("content-encoding")) if "/search/" in r.url else None)
            page.goto(f"{origin}/pt/belt-and-road-2020/3/")
            found[origin] = [[h.removeprefix(origin) for h in type_query(page, q)] for q in ("medicina tradicional", "横琴", "Hengquin")]
            assert encodings and set(encodings) == ({"gzip"} if origin == decoding_host else {None}), encodings
            page.close()
        assert found[decoding_host] == found[site_server] and all(found[site_server]), found
    finally:
        server.shutdown()


def test_a_browser_that_cannot_inflate_the_index_is_sent_to_the_indexes(browser, site_server):
    """Without DecompressionStream (before Safari 16.4, Firefox 113) the index cannot
    be read: the form works as it does without JavaScript, and the search page says
    why and links to the plan indexes, instead of a failed search."""
    context = browser.new_context()
    context.add_init_script("delete window.DecompressionStream")
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url.removeprefix(site_server)))
    page.goto(f"{site_server}/pt/belt-and-road-2020/3/")
    box = page.locator("#plan-search-input")
    box.fill("medicina")
    box.press("Enter")
    page.wait_for_url("**/pt/search/?q=medicina*")
    page.wait_for_load_state("load")
    assert page.locator("[data-search-unsupported]").is_visible()
    assert "demasiado antigo" in page.locator("[data-search-unsupported]").inner_text()
    assert not page.locator("[data-search-intro]").is_visible()
    assert page.locator(".plan-page--search a[href*='framework-agreement-2020']").count() == 1
    assert not [u for u in requested if u.startswith("/search/")]
    assert page.locator(".plan-search__status").inner_text() == ""
    context.close()
    # With it, the message stays hidden.
    page = browser.new_page()
    page.goto(f"{site_server}/pt/search/")
    assert not page.locator("[data-search-unsupported]").is_visible() and page.locator("[data-search-intro]").is_visible()
    page.close()


def test_keyboard_only(browser, site_server):
    page = browser.new_page()
    page.goto(f"{site_server}/zh-Hant/places/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "plan-search-input"
    page.keyboard.type("鴨涌河")
    page.locator(".plan-search__results li").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.plan-search__results') !== null")
    target = page.evaluate("document.activeElement.href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == target.split("?h=")[0]  # the page drops ?h= from the address once it has marked the words
    # Tab reaches the search box from the top of the page.
    page.goto(f"{site_server}/zh-Hant/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "plan-search-input":
            break
    assert page.evaluate("document.activeElement.type") == "search"
    page.close()


def test_without_javascript_the_form_leads_to_the_plan_indexes(browser, site_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_server}/pt/framework-agreement-2020/5/")
    page.fill("input[type=search]", "medicina")
    page.press("input[type=search]", "Enter")
    page.wait_for_load_state()
    assert page.url.startswith(f"{site_server}/pt/search/?q=medicina")
    links = page.eval_on_selector_all("article a", "els => els.map(e => e.getAttribute('href'))")
    assert "../framework-agreement-2020/" in links and "../belt-and-road-2020/" in links
    context.close()


def test_the_vendored_stemmer_is_the_pinned_package_cut_unchanged():
    """docs/assets/js/25-snowball-portuguese.js is the shared runtime and Portuguese
    stemmer of npm snowball-stemmers (package-lock.json), cut out by assets.py."""
    from plansite.assets import STEMMER_SOURCE, STEMMER_TARGET, portuguese_stemmer

    source = (ROOT / STEMMER_SOURCE).read_text(encoding="utf-8")
    assert (ROOT / STEMMER_TARGET).read_text(encoding="utf-8") == portuguese_stemmer(source)


def test_browser_and_python_stem_every_portuguese_word_alike(pages):
    """Every word of the Portuguese texts, stemmed in Chromium by the search script and
    in Python by the reference Snowball implementation (snowballstemmer), alike."""
    import polib
    import snowballstemmer

    from plansite.search import stem_portuguese

    words: set[str] = set()
    for entry in polib.pofile(str(ROOT / "data" / "locales" / "pt.po")):
        if not entry.obsolete:
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                words |= {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}
    words_list = sorted(words)
    page = pages["pt"]
    in_browser = page.evaluate("(ws) => ws.map(w => window.__planStem(w.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '')))", words_list)
    stemmer = snowballstemmer.stemmer("portuguese")
    in_python = [stem_portuguese(w, stemmer) for w in words_list]
    different = [(w, b, p) for w, b, p in zip(words_list, in_browser, in_python) if b != p]
    assert len(words_list) > 1500 and different == []
    assert stem_portuguese("seguradoras", stemmer) == stem_portuguese("seguros", stemmer)  # derivations meet
    assert stem_portuguese("pensões", stemmer) == stem_portuguese("pensao", stemmer)  # typed without accents

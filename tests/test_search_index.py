"""The search index's files, read back by an independent decoder (no browser)."""

from __future__ import annotations

import gzip
import json

import pytest

from plansite import bench, search
from plansite.site import Site, configured_locales
from conftest import ROOT, expected_postings, index_documents

FINAL = "0123456789abcdefghijklmnopqrstuv"
MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~*+"


def decode(coded: str) -> dict[int, int]:
    """document -> field bits, from a posting string (layout in search.py)."""
    out, value, doc = {}, 0, 0
    for ch in coded:
        if ch in MORE:
            value = value * 32 + MORE.index(ch)
            continue
        value = value * 32 + FINAL.index(ch)
        doc += value >> 4
        out[doc] = value & 15
        value = 0
    return out


@pytest.fixture(scope="module")
def site() -> Site:
    locales, default = configured_locales(ROOT)
    return Site(ROOT, locales, default)


@pytest.fixture(scope="module")
def indexes(site: Site) -> dict[str, tuple[list[dict], dict[str, str]]]:
    t2s = search.t2s_map(site)
    han = search.han_locale_for(site)
    docs = search.all_documents(site)
    return {loc.code: (docs[loc.code], search.index_files(docs[loc.code], loc.code, loc.search, t2s, han)) for loc in site.locales}


def han_strings(shard: list[str]) -> dict[str, dict[str, dict[int, int]]]:
    """A Chinese shard: first character -> following character ("" at a field's end)
    -> document -> field bits."""
    out = {}
    for coded in shard:
        first, rest = coded[0], coded[1:]
        assert first not in out, f"{first} twice in a shard"
        pairs, following, i = {}, None, 0
        while i < len(rest):
            ch = rest[i]
            if ch in FINAL or ch in MORE:
                pairs[following] += ch
            else:
                if ch == "!":
                    i += 1
                    following = rest[i]
                else:
                    following = "" if ch == "$" else ch
                assert following == "" or ch == "!" or not following.isascii()
                pairs[following] = ""
            i += 1
        out[first] = {following: decode(coded) for following, coded in pairs.items()}
    return out


def posted_terms(meta: dict, files: dict[str, str]) -> dict[str, dict[int, int]]:
    """term -> document -> field bits, as the index's shards say; a Chinese
    character's documents are the union of the pairs it begins."""
    posted: dict[str, dict[int, int]] = {}
    for name, text in files.items():
        if not name.startswith("s"):
            continue
        if meta["script"] == "latin":
            for term, coded in json.loads(text).items():
                assert term not in posted, f"{term} in two shards"
                posted[term] = decode(coded)
            continue
        for first, pairs in han_strings(json.loads(text)).items():
            assert first not in posted, f"{first} in two shards"
            posted[first] = {}
            for following, by_doc in pairs.items():
                if following:
                    posted[first + following] = by_doc
                for number, bits in by_doc.items():
                    posted[first][number] = posted[first].get(number, 0) | bits
    return posted


def test_every_term_of_every_document_is_posted_to_it_and_nothing_else(site: Site, indexes):
    for code, (docs, files) in indexes.items():
        meta = json.loads(files["meta.json"])
        assert meta["docs"] == len(docs)
        assert posted_terms(meta, files) == expected_postings(docs, meta), code
        # Every document can be read back from its file, in order, as it was.
        read_back = index_documents(meta, lambda number, files=files: json.loads(files[f"d{number}.json"]))
        assert read_back == [{k: v for k, v in d.items() if v not in ("", None)} for d in docs], code


def test_an_ascii_character_after_a_chinese_one_is_not_read_as_a_posting():
    """Latin letters and digits inside Chinese text (COVID-19, 2020) are pairs too;
    the shard string marks them so the browser does not read them as digits."""
    docs = [{"k": "item", "u": "/1/", "p": "", "t": "新冠covid19疫情", "x": "a$b"}, {"k": "item", "u": "/2/", "p": "", "t": "冠v"}]
    files = search.index_files(docs, "zh-Hans", "chinese", {}, None)
    meta = json.loads(files["meta.json"])
    posted = posted_terms(meta, files)
    assert posted["冠c"] == {0: 1} and posted["冠v"] == {1: 1} and posted["19"] == {0: 1} and posted["9疫"] == {0: 1}
    assert posted["冠"] == {0: 1, 1: 1} and posted["情"] == {0: 1} and posted["a$"] == {0: 2} and posted["$b"] == {0: 2}
    assert "!c" in "".join(files[name] for name in files if name.startswith("s"))


def test_terms_sit_in_the_shard_the_browser_looks_in(indexes):
    for code, (_, files) in indexes.items():
        meta = json.loads(files["meta.json"])
        shards = {int(name[1:-5]): json.loads(text) for name, text in files.items() if name.startswith("s")}
        if meta["script"] == "han":
            assert len(shards) == meta["shards"] > 1
            for number, shard in shards.items():
                # A pair and a single character are looked up by their first character.
                assert all(search.term_hash(first) % meta["shards"] == number for first in han_strings(shard))
        else:
            vocabulary = meta["terms"].split(" ")
            assert vocabulary == sorted(vocabulary) and len(shards) == len(meta["shards"]) > 1
            bounds = [*[vocabulary[start] for start in meta["shards"]], "\U0010ffff"]
            for number, shard in shards.items():
                assert all(bounds[number] <= term < bounds[number + 1] for term in shard)
                assert sorted(shard) == vocabulary[meta["shards"][number] : meta["shards"][number] + len(shard)]


def test_the_index_is_written_gzipped_and_byte_stable(indexes, tmp_path):
    files = indexes["zh-Hans"][1]
    search.write_index(files, tmp_path / "a")
    search.write_index(files, tmp_path / "b")
    written = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert written == sorted(f"{name}.gz" for name in files)
    for name in written:
        data = (tmp_path / "a" / name).read_bytes()
        assert data[:2] == b"\x1f\x8b" and data == (tmp_path / "b" / name).read_bytes()
        assert gzip.decompress(data).decode("utf-8") == files[name.removesuffix(".gz")]
        assert search.read_index_file(tmp_path / "a" / name) == json.loads(files[name.removesuffix(".gz")])


def test_a_document_is_the_same_page_in_every_language(indexes):
    """Chinese typed on the Portuguese site is looked up by document number."""
    layouts = {code: [(d["k"], d.get("n")) for d in docs] for code, (docs, _) in indexes.items()}
    first = next(iter(layouts.values()))
    assert all(layout == first for layout in layouts.values())
    pt_meta = json.loads(indexes["pt"][1]["meta.json"])
    assert pt_meta["han"] == "zh-Hans"


def test_the_benchmark_multiplies_the_documents_and_their_vocabulary(indexes):
    docs = {code: d for code, (d, _) in indexes.items()}
    items = sum(1 for d in docs["pt"] if d["k"] == "item")
    scaled = bench.synthetic_documents(docs, 3)
    for code, original in docs.items():
        assert sum(1 for d in scaled[code] if d["k"] == "item") == 3 * items
        assert len(scaled[code]) == len(original) + 2 * sum(1 for d in original if d["k"] in ("item", "plan", "section"))
    assert [(d["k"], d.get("n")) for d in scaled["pt"]] == [(d["k"], d.get("n")) for d in scaled["zh-Hans"]]
    copies = [d for d in scaled["pt"] if d["k"] == "item"][items:]
    invented = {d["x"].rsplit(" ", 1)[1] for d in copies}
    assert len(invented) > 0.9 * len(copies)  # one new word per copy: the vocabulary grows too


@pytest.mark.browser
def test_the_benchmark_measures_search_at_each_scale(built_site, browser, tmp_path, monkeypatch):
    """bench's search figures on a copy of the test build, at 1x and 3x: every
    scale and language reported, the index rewritten from the multiplied documents,
    and the real index put back afterwards."""
    import shutil

    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "data"):
        (project / name).symlink_to(built_site.parent / name)
    shutil.copytree(built_site, project / "site")
    before = {p.name: p.read_bytes() for p in (project / "site" / "search" / "pt").iterdir()}
    seen_sizes = {}
    real_write = bench.ScaledIndexes.write

    def write_and_note(indexes, site_dir, factor):
        real_write(indexes, site_dir, factor)
        seen_sizes[factor] = sum(p.stat().st_size for p in (site_dir / "search" / "pt").iterdir())

    monkeypatch.setattr(bench, "SCALES", {"real": 1, "3x": 3})
    monkeypatch.setattr(bench.ScaledIndexes, "write", write_and_note)
    facts = bench.search_scale_facts(project / "site", browser)
    for key in ("search_first_query_kb", "search_ms_p95", "search_index_total_kb"):
        assert set(facts[key]) == {"real", "3x"} and all(set(by) == {"zh-Hans", "zh-Hant", "pt"} for by in facts[key].values()), key
        assert all(v > 0 for by in facts[key].values() for v in by.values()), key
    assert seen_sizes[3] > 2 * seen_sizes[1]
    assert facts["search_index_total_kb"]["3x"]["pt"] > 2 * facts["search_index_total_kb"]["real"]["pt"]
    assert {p.name: p.read_bytes() for p in (project / "site" / "search" / "pt").iterdir()} == before
    report = {"ratio_to_plain": 1, **facts}
    report["search_ms_p95"]["3x"]["pt"] = 51
    report["search_first_query_kb"]["3x"]["zh-Hans"] = 301
    assert sorted(bench.missed_targets(report)) == ["first query at 3x, zh-Hans: 301 KB (at most 300)", "search p95 at 3x, pt: 51 ms (at most 50)"]

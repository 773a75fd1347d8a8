"""Per-language search indexes, written at build time for docs/assets/search.js.

Why our own index (see README, "Search"): stock Material search mixed the
languages and found neither `医药` inside `中医药` nor Portuguese `medicina`;
Pagefind segmented Chinese with a dictionary and also missed `医药`. Chinese is
matched as character pairs, then substrings (no dictionary, so parts of words,
names and phrases are all found), Portuguese as accent-folded, Snowball-stemmed
words (see stem_portuguese). Traditional and Simplified are folded to one script,
so a query in either finds the same items on either Chinese site. The index is
split (see "the index, split" below): a query loads only what it needs.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any, Iterator

from .catalogs import Converters
from .site import Site


# Portuguese stems, as the browser makes them (docs/assets/js/30-search.js): the
# accent-folded word, nasal plurals put in the singular (Snowball expects accents
# for them), then the Snowball Portuguese algorithm. A test requires identical stems
# from both for every Portuguese word of the site.
NASAL_PLURALS = (("oes", "ao"), ("aes", "ao"), ("ns", "m"))


def stem_portuguese(word: str, stemmer) -> str:  # noqa: ANN001  (a snowballstemmer stemmer)
    word = fold_latin(word)
    if len(word) <= 3:
        return word
    for ending, singular in NASAL_PLURALS:
        if word.endswith(ending):
            word = word[: -len(ending)] + singular
            break
    return stemmer.stemWord(word)


def fold_latin(text: str) -> str:
    """Lower case without accents, what people type on any keyboard; as the browser
    folds (foldLatin in 30-search.js: NFD, marks dropped, toLowerCase)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def traditional_to_simplified_map(pairs: list[tuple[str, str]], converters: Converters) -> dict[str, str]:
    """Per-character map from every Traditional form readers may type to Simplified.

    From the corpus itself: each zh-Hant text against its zh-Hans source (so
    context-dependent forms such as 颱 in 颱風 are known), plus each Simplified
    character's standard and Taiwan forms (so 閱 and 閲 both fold to 阅).
    Shipped inside each Chinese index.
    """
    mapping: dict[str, str] = {}
    # Short windows of the texts in each convention too: word context picks forms
    # such as 颱 in 颱風 (typed alone) that neither single characters nor the
    # whole sentence (…應對台風…) yield.
    windows = sorted({src[i : i + n] for src, _ in pairs for n in (2, 3) for i in range(len(src) - n + 1)})
    converted = []
    for config in ("s2t", "s2tw", "s2hk"):
        # One call per convention: line breaks keep the windows apart.
        out = converters(config).convert("\n".join(windows)).split("\n")
        converted += list(zip(windows, out))
    for simplified, traditional in [*pairs, *converted]:
        if len(simplified) == len(traditional):
            for s_ch, t_ch in zip(simplified, traditional):
                if s_ch != t_ch:
                    mapping.setdefault(t_ch, s_ch)
    simplified_chars = {ch for text, _ in pairs for ch in text if "\u3400" <= ch <= "\u9fff"}
    for config in ("s2hk", "s2t", "s2tw"):
        convert = converters(config)
        for ch in sorted(simplified_chars):
            trad = convert.convert(ch)
            if len(trad) == 1 and trad != ch:
                mapping.setdefault(trad, ch)
    return dict(sorted(mapping.items()))


def _documents(site: Site, locale: str) -> list[dict[str, Any]]:
    """What a search can land on: items first; plans, sections, places, domains."""
    catalog = site.catalogs[locale]
    text = catalog.text
    data = site.data
    docs: list[dict[str, Any]] = []
    plan_labels = {p.id: text(p.key("short_title")) for p in data.plans}
    for item in data.items:
        tags = [text(site.tags.places[p].key("name")) for p in item.places] + [text(site.tags.domains[d].key("name")) for d in item.domains]
        # The other names readers type for its places and the places containing them.
        for pid in item.places:
            for place in [site.tags.places[pid], *site.tags.ancestors(pid)]:
                tags += place.search_names.get(locale, ())
        # And those of the glossary terms its source text uses.
        source = site.sources[item.key("title")].text + site.sources[item.key("text")].text
        for term in site.glossary:
            if term.zh_hans in source:
                tags += term.search_names.get(locale, ())
        docs.append(
            {
                "k": "item",
                "u": site.url("item", item.id, locale),
                "p": plan_labels[item.plan_id],
                "n": item.number,
                "t": text(item.key("title")),
                "x": text(item.key("text")),
                "g": " ".join(dict.fromkeys(tags)),  # each name once
            }
        )
    for plan in data.plans:
        docs.append({"k": "plan", "u": site.url("plan", plan.id, locale), "p": "", "t": text(plan.key("title"))})
        for section in plan.sections:
            docs.append(
                {
                    "k": "section",
                    "u": site.url("section", section.id, locale),
                    "p": plan_labels[plan.id],
                    "n": section.number,
                    "t": text(section.key("title")),
                }
            )
    for place in data.places:
        docs.append(
            {
                "k": "place",
                "u": site.url("place", place.id, locale),
                "p": "",
                "t": text(place.key("name")),
                "x": text(place.key("description")),
            }
        )
    for domain in data.domains:
        docs.append(
            {
                "k": "domain",
                "u": site.url("domain", domain.id, locale),
                "p": "",
                "t": text(domain.key("name")),
                "x": text(domain.key("description")),
            }
        )
    return docs


# --- the index, split so that a query loads what it needs ------------------------
#
# Per language, in search/<locale>/, each file gzipped JSON (see write_index):
#   meta.json.gz  how the language is searched, the shard layout, the plans' labels,
#                 and the Latin vocabulary (for prefixes and typos) or the
#                 Traditional-to-Simplified map;
#   s<N>.json.gz  postings: which documents hold a term, and in which fields;
#   d<N>.json.gz  the documents themselves, a few per file, in reading order, for the
#                 final ranking (phrases, whole titles), the result list and highlights.
# A query loads meta, the shards of its terms and the documents of its best
# candidates: what it downloads grows with the query, not with the site.
#
# Latin terms are Snowball stems; a shard maps each to its posting string.
# Chinese terms are the characters and character pairs of the folded text (any part
# of a word is found without a dictionary). A shard holds, per first character, one
# string: the character, then each character that follows it somewhere, each with
# its posting string ("$" stands for the end of a field). A pair's documents are
# its entry; a character's are the union of its string's entries, so single
# characters cost nothing beyond the pairs they begin.

FIELDS = ("t", "x", "g", "p")  # title, text, tags and other names, plan: bit 1, 2, 4, 8
SHARD_BYTES = 1_500  # postings per shard file, before gzip
CHUNK_BYTES = 500  # documents per document file, before gzip: two Chinese ones, one Portuguese

# What 30-search.js drops before matching (SEPARATORS there) and what it counts as a
# word ([\p{L}\p{N}]+). A test checks both sides give the same terms for every text.
SEPARATORS = re.compile("[\\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2014\u2026\u00b7\u201c\u201d\u2018\u2019\u00ab\u00bb.,;:!?()\"'\\-/]")
WORD = re.compile(r"[^\W_]+")


def normalise(text: str, t2s: dict[str, str] | None) -> str:
    out = []
    for ch in text:
        if SEPARATORS.match(ch):
            continue
        out.append(fold_latin(t2s.get(ch, ch) if t2s else ch))
    return "".join(out)


def han_terms(text: str, t2s: dict[str, str]) -> set[str]:
    norm = normalise(text, t2s)
    return set(norm) | {norm[i : i + 2] for i in range(len(norm) - 1)}


def latin_terms(text: str, stemmer) -> set[str]:  # noqa: ANN001  (a snowballstemmer stemmer, or None)
    words = [m.group(0) for m in WORD.finditer(text)]
    return {stem_portuguese(w, stemmer) if stemmer else fold_latin(w) for w in words}


def term_hash(term: str) -> int:
    """FNV-1a over UTF-16 code units, as 30-search.js computes it (shard of a Chinese term)."""
    h = 0x811C9DC5
    data = term.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | data[i + 1] << 8
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


# Postings are strings: per document, (document - previous document) * 16 + field
# bits, each number in base 32, most significant digit first, the last digit from
# FINAL and the others from MORE, so no separators are needed. Short strings, and
# gzip still finds their repeats.
FINAL = "0123456789abcdefghijklmnopqrstuv"
MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~*+"
# In a Chinese shard's strings: the end of a field, and the mark before a following
# character that is ASCII (it could be read as a digit of a posting).
FIELD_END = "$"
LITERAL = "!"


def encode_number(value: int) -> str:
    digits = [FINAL[value % 32]]
    value //= 32
    while value:
        digits.append(MORE[value % 32])
        value //= 32
    return "".join(reversed(digits))


def encode_posting(by_doc: dict[int, int]) -> str:
    encoded, previous = [], 0
    for number in sorted(by_doc):
        encoded.append(encode_number((number - previous) * 16 + by_doc[number]))
        previous = number
    return "".join(encoded)


def _field_texts(docs: list[dict[str, Any]]) -> Iterator[tuple[int, int, str]]:
    for number, doc in enumerate(docs):
        for bit, field in enumerate(FIELDS):
            yield number, 1 << bit, doc.get(field) or ""


def _latin_postings(docs: list[dict[str, Any]], stemmer) -> dict[str, str]:  # noqa: ANN001
    """stem -> the documents holding it (ascending) and in which fields, encoded."""
    held: dict[str, dict[int, int]] = {}
    for number, bit, text in _field_texts(docs):
        for term in latin_terms(text, stemmer):
            by_doc = held.setdefault(term, {})
            by_doc[number] = by_doc.get(number, 0) | bit
    return {term: encode_posting(by_doc) for term, by_doc in held.items()}


def _han_strings(docs: list[dict[str, Any]], t2s: dict[str, str]) -> dict[str, str]:
    """character -> its shard string: the character, then per following character
    (or FIELD_END) the documents where the pair occurs and in which fields."""
    held: dict[str, dict[str, dict[int, int]]] = {}
    for number, bit, text in _field_texts(docs):
        norm = normalise(text, t2s)
        for i, ch in enumerate(norm):
            following = norm[i + 1] if i + 1 < len(norm) else ""  # "": the end of the field
            by_doc = held.setdefault(ch, {}).setdefault(following, {})
            by_doc[number] = by_doc.get(number, 0) | bit
    strings = {}
    for ch, pairs in held.items():
        parts = [ch]
        for following in sorted(pairs):
            mark = FIELD_END if not following else LITERAL + following if following.isascii() else following
            parts.append(mark + encode_posting(pairs[following]))
        strings[ch] = "".join(parts)
    return strings


# kind, URL, plan, number (of the item or section), title, text, tags and other names
DOCUMENT_FIELDS = ("k", "u", "p", "n", "t", "x", "g")


def _record(doc: dict[str, Any], plan_number: dict[str, int]) -> list[Any]:
    values = {**doc, "p": plan_number.get(doc.get("p") or "")}
    record = [None if values.get(field) in (None, "") else values[field] for field in DOCUMENT_FIELDS]
    while record and record[-1] is None:
        record.pop()
    return record


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def index_files(docs: list[dict[str, Any]], locale: str, analyser: str, t2s: dict[str, str], han_locale: str | None) -> dict[str, str]:
    """The files of one language's index, by name, as JSON text (see the layout above)."""
    meta: dict[str, Any] = {"v": 3, "locale": locale, "docs": len(docs)}
    files: dict[str, str] = {}
    shards: list[Any]
    if analyser == "chinese":
        meta["script"] = "han"
        meta["t2s"] = "".join(f"{t}{s}" for t, s in t2s.items())
        strings = _han_strings(docs, t2s)
        count = max(1, -(-sum(len(s.encode()) + 3 for s in strings.values()) // SHARD_BYTES))
        shards = [[] for _ in range(count)]
        for ch in sorted(strings):
            shards[term_hash(ch) % count].append(strings[ch])
        meta["shards"] = count
    else:
        import snowballstemmer

        stemmer = snowballstemmer.stemmer("portuguese") if analyser == "portuguese" else None
        meta["script"] = "latin"
        meta["stem"] = stemmer is not None
        if han_locale:
            meta["han"] = han_locale  # Chinese typed here is looked up in that index
        postings = _latin_postings(docs, stemmer)
        vocabulary = sorted(postings)
        # Sorted terms cut into runs of about SHARD_BYTES: the terms a prefix
        # expands to sit side by side, so a prefix costs one or two shards.
        starts, shards, size = [], [], SHARD_BYTES
        for number, term in enumerate(vocabulary):
            cost = len(term) + len(postings[term]) + 6  # "term":"posting",
            if size + cost > SHARD_BYTES:
                starts.append(number)
                shards.append({})
                size = 0
            shards[-1][term] = postings[term]
            size += cost
        meta["terms"] = " ".join(vocabulary)
        meta["shards"] = starts
    for number, shard in enumerate(shards):
        files[f"s{number}.json"] = _dump(shard)
    # A document is a list of its fields' values, in the order meta names them; a
    # plan's label, in every item and section of it, is written once, in meta.
    meta["fields"] = DOCUMENT_FIELDS
    meta["plans"] = sorted({d["p"] for d in docs if d.get("p")})
    plan_number = {label: number for number, label in enumerate(meta["plans"])}
    dumped = [_dump(_record(d, plan_number)) for d in docs]
    average = sum(len(d.encode()) for d in dumped) / max(1, len(docs))
    chunk = max(1, round(CHUNK_BYTES / max(1.0, average)))
    meta["chunk"] = chunk
    for start in range(0, len(docs), chunk):
        files[f"d{start // chunk}.json"] = "[" + ",".join(dumped[start : start + chunk]) + "]"
    files["meta.json"] = _dump(meta)
    return files


def t2s_map(site: Site) -> dict[str, str]:
    # Each Chinese text beside its Simplified source, from every Chinese language that is not the source.
    others = [site.catalogs[loc.code] for loc in site.locales if loc.chinese and not loc.is_source]
    pairs = [(source.text, catalog.text(key)) for key, source in site.sources.items() for catalog in others] or [(s.text, s.text) for s in site.sources.values()]
    return traditional_to_simplified_map(pairs, site.traditional.converters)


def han_locale_for(site: Site) -> str | None:
    """Where Chinese typed on a Latin-script site is looked up: the source language's index."""
    source = next((loc for loc in site.locales if loc.is_source), None)
    return source.code if source and source.search == "chinese" else None


def all_documents(site: Site) -> dict[str, list[dict[str, Any]]]:
    """Each language's documents; document N is the same page in every language."""
    return {loc.code: _documents(site, loc.code) for loc in site.locales}


def write_index(files: dict[str, str], out_dir: Path) -> None:
    """Each file gzipped, as name.gz: readers get small files from any static host,
    compressing or not, and the index on disk is that size too. The browser
    inflates them (DecompressionStream); a host that sends them with
    Content-Encoding: gzip has already done so, which the browser also handles.
    No timestamp, so a build is byte-identical to the last."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    for name, text in files.items():
        (out_dir / f"{name}.gz").write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def read_index_file(path: Path) -> Any:
    """One index file, as written by write_index."""
    return json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))


def write_indexes(site: Site, site_dir: Path) -> list[Path]:
    out_dir = site_dir / "search"
    t2s = t2s_map(site)
    han_locale = han_locale_for(site)
    documents = all_documents(site)
    paths = []
    for loc in site.locales:
        write_index(index_files(documents[loc.code], loc.code, loc.search, t2s, han_locale), out_dir / loc.code)
        paths.append(out_dir / loc.code)
    return paths

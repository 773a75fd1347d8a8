"""Per-language search indexes, written at build time for docs/assets/search.js.

Why our own index (see README, "Search"): stock Material search mixed the
languages and found neither `医药` inside `中医药` nor Portuguese `medicina`;
Pagefind segmented Chinese with a dictionary and also missed `医药`. With about
a hundred items per language, the browser can afford to scan every document's
text: Chinese is matched as substrings and character bigrams (no dictionary, so
parts of words, names and phrases are all found), Portuguese as accent-folded,
Snowball-stemmed words (see stem_portuguese). Traditional and Simplified are folded to one script, so a
query in either finds the same items on either Chinese site.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

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
    """Lower case without accents: what people type on any keyboard."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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
        docs.append(
            {
                "k": "item",
                "u": site.url("item", item.id, locale),
                "p": plan_labels[item.plan_id],
                "n": item.number,
                "t": text(item.key("title")),
                "x": text(item.key("text")),
                "g": " ".join(tags),
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


def build_index(site: Site, locale: str, t2s: dict[str, str]) -> dict[str, Any]:
    docs = _documents(site, locale)
    index: dict[str, Any] = {"locale": locale, "docs": docs}
    analyser = site.locale(locale).search  # the locale record says how its text is searched
    if analyser == "chinese":
        index["script"] = "han"
        index["t2s"] = "".join(f"{t}{s}" for t, s in t2s.items())
    else:
        index["script"] = "latin"
        index["stem"] = analyser == "portuguese"
    return index


def write_indexes(site: Site, site_dir: Path) -> list[Path]:
    out_dir = site_dir / "search"
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    # Each Chinese text beside its Simplified source, from every Chinese language that is not the source.
    others = [site.catalogs[loc.code] for loc in site.locales if loc.chinese and not loc.is_source]
    pairs = [(source.text, catalog.text(key)) for key, source in site.sources.items() for catalog in others] or [(s.text, s.text) for s in site.sources.values()]
    t2s = traditional_to_simplified_map(pairs, site.traditional.converters)
    for loc in site.locales:
        path = out_dir / f"{loc.code}.json"
        payload = json.dumps(build_index(site, loc.code, t2s), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        path.write_text(payload, encoding="utf-8")
        paths.append(path)
    return paths


"""One stylesheet and one script per page: the sources in docs/assets/css/ and
docs/assets/js/ are joined into assets/site.css and assets/site.js at build time.

Every request costs a reader on a slow connection more than the bytes; a page
loads Material's stylesheet, ours and our script, nothing else.
"""

from __future__ import annotations

from pathlib import Path

BUNDLES = {"css": "site.css", "js": "site.js"}


def bundle(docs_dir: Path, site_dir: Path) -> list[Path]:
    written = []
    for kind, name in BUNDLES.items():
        sources = sorted((docs_dir / "assets" / kind).glob(f"*.{kind}"))
        parts = [f"/* {src.name} */\n{src.read_text(encoding='utf-8').strip()}\n" for src in sources]
        target = site_dir / "assets" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(parts), encoding="utf-8")
        written.append(target)
    return written


# --- the Portuguese stemmer, vendored ------------------------------------------------
#
# Search stems Portuguese words with the Snowball algorithm, in the browser, from
# npm `snowball-stemmers` 0.6.0 (ISC licence; a port of snowballstem.org's code).
# Its single file carries 24 languages (870 KB); the page gets only the shared
# runtime and the Portuguese stemmer, cut out by line, unchanged. The tests check that
# docs/assets/js/25-snowball-portuguese.js is exactly this cut of the pinned package
# (package-lock.json) and that it stems every Portuguese word of the site as Python's
# `snowballstemmer` does.

STEMMER_SOURCE = "node_modules/snowball-stemmers/snowball-stemmers.js"
STEMMER_TARGET = "docs/assets/js/25-snowball-portuguese.js"


def portuguese_stemmer(source: str) -> str:
    lines = source.splitlines(keepends=True)

    def find(text: str, start: int = 0) -> int:
        return next(i for i in range(start, len(lines)) if lines[i].startswith(text))

    runtime_end = find("    var arabicStemmer = function")
    start = find("    var portugueseStemmer = function")
    end = find("    var romanianStemmer = function", start)
    header = (
        "// Snowball Portuguese stemmer: npm snowball-stemmers 0.6.0 (ISC licence,\n"
        "// https://github.com/mazko/jssnowball), its shared runtime and Portuguese stemmer\n"
        "// only, unchanged (scripts/plansite/assets.py cuts it out). Defines window.snowballFactory.\n"
    )
    tail = (
        "    function newStemmer(lng) {\n"
        "        var stemmer = new portugueseStemmer();\n"
        "        return {\n"
        "            stem: function stem(word) {\n"
        "                stemmer.setCurrent(word);\n"
        "                stemmer.stem();\n"
        "                return stemmer.getCurrent();\n"
        "            }\n"
        "        };\n"
        "    }\n\n"
        "    function algorithms() {\n"
        "        return ['portuguese'];\n"
        "    }\n"
        "});\n"
    )
    return header + "".join(lines[:runtime_end]) + "".join(lines[start:end]) + tail

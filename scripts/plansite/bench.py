"""Benchmark: build time and memory (real data and ten times the data), site size,
search index sizes and latency, and what an item page costs a reader.

    python -m plansite bench            a table
    python -m plansite bench --json     one JSON line
    python -m plansite bench --quick    skip the 10x build and the browser measurements
                                        (search at 1x/10x/100x and Lighthouse too)

Exits 1 when a target is missed. Lighthouse (npm, pinned in scripts/lighthouse/)
is installed there with npm on first use and runs with the Debian chromium.

Targets (issues 8 and 14): real build <= 1.5x a plain Material build of as many
pages; 10x data <= 11x the time and <= 2 GB; an item page <= 400 KB in <= 6
requests before search is used; search, at the real data and at 10x and 100x
the items: a first query downloads <= 300 KB (gzip) and results come within
50 ms of a keystroke (p95, warm), in every language.
Everything is built in temporary folders; data/ is never touched.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["mkdocs.yml", "data", "overrides", "scripts", "docs/assets"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Runs one build in a fresh interpreter and reports its own peak memory.
BUILD_PROBE = """
import json, resource, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
start = time.perf_counter()
build(load_config(sys.argv[1]))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def copy_sources(target: Path) -> Path:
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.md"))
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / name)
    return target


def timed_build(project: Path, config: str = "mkdocs.yml") -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-c", BUILD_PROBE, str(project / config)],
        cwd=project, capture_output=True, text=True, env=env,
    )
    if result.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def best_of(runs: int, project: Path, config: str = "mkdocs.yml") -> dict:
    """Fastest of a few builds (the first warms the disk cache and bytecode)."""
    results = [timed_build(project, config) for _ in range(runs)]
    return min(results, key=lambda r: r["seconds"]) | {"peak_rss_mb": max(r["peak_rss_mb"] for r in results)}


def site_facts(site: Path) -> dict:
    pages = sum(1 for _ in site.rglob("index.html"))
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {"pages": pages, "site_bytes": size}


def _prefixes() -> list[tuple[str, str]]:
    """Each language and its URL prefix, from the language records in mkdocs.yml."""
    from .locales import configured_locales

    locales, default = configured_locales(ROOT)
    return [(loc.code, "" if loc.code == default else f"{loc.code}/") for loc in locales]


def multiply_data(project: Path, factor: int) -> None:
    """Repeat every plan under new ids and slugs, with its translations."""
    import polib

    plans = sorted((project / "data" / "plans").glob("*.yaml"))
    catalogs = {p: polib.pofile(str(p)) for p in sorted((project / "data" / "locales").glob("*.po"))}
    for copy in range(2, factor + 1):
        for plan_file in plans:
            text = plan_file.read_text(encoding="utf-8")
            plan_id = re.search(r"^id: (\w+)$", text, re.M)[1]
            slug = re.search(r"^slug: ([\w-]+)$", text, re.M)[1]
            new_id = f"{plan_id}c{copy}"
            text = re.sub(rf"\b{plan_id}-(\d+)\b", rf"{new_id}-\1", text)
            text = text.replace(f"id: {plan_id}\n", f"id: {new_id}\n", 1)
            text = text.replace(f"slug: {slug}\n", f"slug: {slug}-copy-{copy}\n", 1)
            text = re.sub(r"^order: (\d+)$", lambda m: f"order: {int(m[1]) + 10 * copy}", text, flags=re.M)
            (plan_file.parent / f"{new_id}.yaml").write_text(text, encoding="utf-8")
            pattern = re.compile(rf"^(plan|section|subsection|item)\.{plan_id}(?=[.-])")
            for po in catalogs.values():
                for entry in [e for e in po if not e.obsolete and e.msgctxt and pattern.match(e.msgctxt)]:
                    po.append(polib.POEntry(msgctxt=pattern.sub(rf"\1.{new_id}", entry.msgctxt), msgid=entry.msgid, msgstr=entry.msgstr))
    for path, po in catalogs.items():
        po.save(str(path))


def plain_material_project(target: Path, pages: int, words_per_page: int = 120) -> Path:
    """The baseline: Material alone, no macros, no i18n, no extras, as many pages."""
    docs = target / "docs"
    docs.mkdir(parents=True)
    sample = "Guangdong Macau cooperação 粤澳合作重点工作 " * (words_per_page // 4)
    for n in range(pages):
        folder = docs / f"p{n:05d}"
        folder.mkdir()
        (folder / "index.md").write_text(f"# Page {n}\n\n{sample}\n", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (target / "mkdocs.yml").write_text(
        "site_name: baseline\nsite_url: https://example.org/\ntheme:\n  name: material\n  font: false\nplugins: []\n",
        encoding="utf-8",
    )
    return target


def serve(directory: Path):
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # noqa: ANN002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def browser_facts(site: Path) -> dict:
    """What an item page costs a reader before search is used, per language."""
    from playwright.sync_api import sync_playwright

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for locale, prefix in _prefixes():
            page = browser.new_page()
            sizes: list[int] = []
            page.on("requestfinished", lambda r: sizes.append(len(r.response().body()) if r.response() else 0))
            page.goto(f"{base}/{prefix}framework-agreement-2020/8/", wait_until="networkidle")
            out[f"item_page_bytes_{locale}"] = sum(sizes)
            out[f"item_page_requests_{locale}"] = len(sizes)
            page.close()
        browser.close()
    server.shutdown()
    return out


# --- search at 1x, 10x and 100x the data (issue 14) -----------------------------------

SCALES = {"real": 1, "10x": 10, "100x": 100}
# A reader's first query, typed a key at a time; then more, for the keystroke timings.
FIRST_QUERY = {"chinese": "中医药合作", "portuguese": "medicina tradicional"}
MORE_QUERIES = {
    "chinese": ["横琴口岸", "澳门", "港珠澳大桥", "金融合作", "一带一路", "医药"],
    "portuguese": ["cooperacao financeira", "Hengqin", "Ilha da Montanha", "seguros", "Hengquin", "横琴", "ponte"],
}


def synthetic_documents(documents: dict[str, list[dict]], factor: int) -> dict[str, list[dict]]:
    """Every language's documents with items, plans and sections repeated `factor` times.

    Each copy of an item gets one invented word (the same in every language, as
    names are), so the vocabulary grows with the data as new plans would make it.
    Document N stays the same page in every language.
    """
    import random

    rng = random.Random(factor)
    copies = range(1, factor)
    inventions = [
        ("".join(rng.choice("bcdfghjklmnpqrstvz") + rng.choice("aeiou") for _ in range(4)), "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(2)))
        for _ in range(len(documents[next(iter(documents))]) * factor)
    ]
    out = {}
    for locale, docs in documents.items():
        chinese = any("\u4e00" <= ch <= "\u9fff" for d in docs[:5] for ch in d.get("t", ""))
        repeated, used = [], 0
        for kinds in (("item",), ("plan", "section")):
            originals = [d for d in docs if d["k"] in kinds]
            repeated += originals
            for copy in copies:
                for doc in originals:
                    word = inventions[used][1 if chinese else 0]
                    used += 1
                    repeated.append(dict(doc, x=f"{doc.get('x', '')} {word}" if doc["k"] == "item" else doc.get("x", "")))
        repeated += [d for d in docs if d["k"] not in ("item", "plan", "section")]
        out[locale] = repeated
    return out


class ScaledIndexes:
    """A project's search documents, read once, written as the index of any multiple
    of the items into a built site (its search/ folder only)."""

    def __init__(self, project: Path):
        from . import search
        from .__main__ import _site

        site = _site(project)
        self.locales = site.locales
        self.documents = search.all_documents(site)
        self.t2s = search.t2s_map(site)
        self.han_locale = search.han_locale_for(site)

    def write(self, site_dir: Path, factor: int) -> None:
        from . import search

        documents = synthetic_documents(self.documents, factor) if factor > 1 else self.documents
        for loc in self.locales:
            files = search.index_files(documents[loc.code], loc.code, loc.search, self.t2s, self.han_locale)
            search.write_index(files, site_dir / "search" / loc.code)


def _queries(analyser: str, locale: str) -> tuple[str, list[str]]:
    from .catalogs import to_traditional

    kind = "chinese" if analyser == "chinese" else "portuguese"
    first, more = FIRST_QUERY[kind], MORE_QUERIES[kind]
    if locale == "zh-Hant":
        first, more = to_traditional(first), [to_traditional(q) for q in more]
    return first, more


def _served_bytes(body: bytes) -> int:
    """What a static host sends for a file: a gzipped one as it is, any other gzipped."""
    return len(body) if body[:2] == b"\x1f\x8b" else len(gzip.compress(body, 6))


def search_scale_facts(site: Path, browser=None) -> dict:  # noqa: ANN001  (a Playwright browser, or None to start one)
    """Per scale and language: what a first query downloads (gzip, as a static host
    serves it, from a cold cache), keystroke-to-results p95 once the index is warm,
    and the index's total size. The site's own index is rewritten for each scale
    from the (multiplied) documents; nothing else of the site changes."""
    from playwright.sync_api import sync_playwright

    if browser is None:
        with sync_playwright() as playwright:
            own = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return search_scale_facts(site, own)
            finally:
                own.close()
    indexes = ScaledIndexes(site.parent)
    analysers = {loc.code: loc.search for loc in indexes.locales}
    first_kb: dict = {}
    p95: dict = {}
    p95_cold: dict = {}
    total_kb: dict = {}
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        for scale, factor in SCALES.items():
            indexes.write(site, factor)
            first_kb[scale], p95[scale], p95_cold[scale], total_kb[scale] = {}, {}, {}, {}
            for locale, prefix in _prefixes():
                folder = site / "search" / locale
                total_kb[scale][locale] = round(sum(f.stat().st_size for f in folder.iterdir()) / 1024, 1)
                first, more = _queries(analysers[locale], locale)
                context = browser.new_context()  # a cold cache
                page = context.new_page()
                loaded: list[int] = []
                page.on("response", lambda r: loaded.append(_served_bytes(r.body())) if "/search/" in r.url and ".json" in r.url else None)
                page.goto(f"{base}/{prefix}framework-agreement-2020/8/", wait_until="networkidle")
                box = page.locator("#plan-search-input")

                def type_all(queries: list[str]) -> list[float]:
                    timings = []
                    for query in queries:
                        page.evaluate("() => { window.__planSearchTimings = []; }")
                        box.fill("")
                        box.press_sequentially(query, delay=40)
                        page.wait_for_function(
                            "(q) => document.querySelector('[data-plan-search]').getAttribute('data-rendered-query') === q", arg=query.strip(),
                        )
                        page.wait_for_load_state("networkidle")
                        timings += page.evaluate("window.__planSearchTimings")
                    return sorted(timings)

                type_all([first])
                first_kb[scale][locale] = round(sum(loaded) / 1024, 1)
                # Keystroke to results: first with the files each keystroke needs still
                # to fetch (a local server, so no network delay), then warm.
                cold = type_all(more)
                warm = type_all([first, *more])
                p95_cold[scale][locale] = round(cold[max(0, int(len(cold) * 0.95) - 1)], 1)
                p95[scale][locale] = round(warm[max(0, int(len(warm) * 0.95) - 1)], 1)
                context.close()
    finally:
        server.shutdown()
        indexes.write(site, 1)
    return {"search_first_query_kb": first_kb, "search_ms_p95": p95, "search_ms_p95_fetching": p95_cold, "search_index_total_kb": total_kb}


LIGHTHOUSE_DIR = ROOT / "scripts" / "lighthouse"
LIGHTHOUSE_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"


# Chromium reports prefers-color-scheme: dark with this flag (Lighthouse emulates the
# device, not the colour scheme), so the dark run sees what a dark system's reader sees.
LIGHTHOUSE_DARK = "--force-dark-mode"


def lighthouse_install() -> Path:
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        # npm ci rejects this lock file (an optional peer of lighthouse); install honours it.
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, check=True, capture_output=True)
    return binary


def lighthouse_run(url: str, categories: str, dark: bool = False) -> dict:
    """One Lighthouse run (mobile preset): its JSON report."""
    flags = LIGHTHOUSE_FLAGS + (" " + LIGHTHOUSE_DARK if dark else "")
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
            [str(lighthouse_install()), url, "--quiet", "--output=json", f"--output-path={report.name}",
             f"--chrome-flags={flags}", f"--only-categories={categories}"],
            check=True, capture_output=True, env=dict(os.environ, CHROME_PATH=CHROMIUM), timeout=300,
        )
        return json.loads(Path(report.name).read_text())


def lighthouse_scores(site: Path) -> dict:
    """Lighthouse's four category scores (0-100) for an item page in each locale, and
    accessibility again in the dark scheme (lighthouse_accessibility_dark_<locale>)."""
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out = {}
    try:
        for locale, prefix in _prefixes():
            url = f"{base}/{prefix}framework-agreement-2020/8/"
            categories = lighthouse_run(url, "performance,accessibility,best-practices,seo")["categories"]
            for name, category in categories.items():
                out[f"lighthouse_{name}_{locale}"] = round(category["score"] * 100)
            dark = lighthouse_run(url, "accessibility", dark=True)["categories"]["accessibility"]
            out[f"lighthouse_accessibility_dark_{locale}"] = round(dark["score"] * 100)
    finally:
        server.shutdown()
    return out


def missed_targets(report: dict) -> list[str]:
    missed = []
    if report["ratio_to_plain"] > 1.5:
        missed.append(f"build takes {report['ratio_to_plain']}x a plain Material build (at most 1.5x)")
    if "ratio_10x" in report:
        if report["ratio_10x"] > 11:
            missed.append(f"10x data takes {report['ratio_10x']}x the time (at most 11x)")
        if report["peak_rss_mb_10x"] > 2048:
            missed.append(f"10x data peaks at {report['peak_rss_mb_10x']} MB (at most 2 GB)")
    for key, value in report.items():
        if key.startswith("item_page_bytes_") and value > 400_000:
            missed.append(f"{key} = {value} (at most 400 KB)")
        if key.startswith("item_page_requests_") and value > 6:
            missed.append(f"{key} = {value} (at most 6)")
        if key == "search_first_query_kb":
            missed += [f"first query at {s}, {loc}: {kb} KB (at most 300)" for s, by in value.items() for loc, kb in by.items() if kb > 300]
        if key == "search_ms_p95":
            missed += [f"search p95 at {s}, {loc}: {ms} ms (at most 50)" for s, by in value.items() for loc, ms in by.items() if ms > 50]
        if key.startswith("lighthouse_performance_") and value < 95:
            missed.append(f"{key} = {value} (at least 95)")
        if key.startswith("lighthouse_") and not key.startswith("lighthouse_performance_") and value < 100:
            missed.append(f"{key} = {value} (100)")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    report: dict = {"machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        real = copy_sources(Path(tmp) / "real")
        build = best_of(args.runs, real)
        facts = site_facts(real / "site")
        report.update(build_seconds=round(build["seconds"], 2), peak_rss_mb=round(build["peak_rss_mb"]), **facts)
        baseline = plain_material_project(Path(tmp) / "plain", facts["pages"])
        plain = best_of(args.runs, baseline)
        report["plain_material_seconds"] = round(plain["seconds"], 2)
        report["ratio_to_plain"] = round(build["seconds"] / plain["seconds"], 2)
        if not args.quick:
            big = copy_sources(Path(tmp) / "big")
            multiply_data(big, 10)
            build10 = best_of(args.runs, big)  # like the real build: the second run has the card cache warm
            report.update(
                build_seconds_10x=round(build10["seconds"], 2),
                pages_10x=site_facts(big / "site")["pages"],
                peak_rss_mb_10x=round(build10["peak_rss_mb"]),
                ratio_10x=round(build10["seconds"] / build["seconds"], 2),
            )
            report.update(browser_facts(real / "site"))
            report.update(search_scale_facts(real / "site"))
            report.update(lighthouse_scores(real / "site"))
    missed = missed_targets(report)
    report["targets_met"] = not missed
    if args.json:
        print(json.dumps(report, sort_keys=True))
    else:
        width = max(len(k) for k in report)
        for key, value in report.items():
            print(f"{key:<{width}}  {value}")
        for line in missed:
            print(f"MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: build time and memory (real data and ten times the data), site size,
search index sizes and latency, and what an item page costs a reader.

    python -m plansite bench            a table
    python -m plansite bench --json     one JSON line
    python -m plansite bench --quick    skip the 10x build and the browser measurements

Exits 1 when a target is missed. Lighthouse (npm, pinned in scripts/lighthouse/)
is installed there with npm on first use and runs with the Debian chromium.

Targets (issue 8): real build <= 1.5x a plain Material build of as many pages;
10x data <= 11x the time and <= 2 GB; an item page <= 400 KB in <= 6 requests
before search is used; search results within 100 ms of a keystroke.
Everything is built in temporary folders; data/ is never touched.
"""

from __future__ import annotations

import argparse
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
    indexes = {p.stem: p.stat().st_size for p in sorted((site / "search").glob("*.json"))}
    return {"pages": pages, "site_bytes": size, "search_index_bytes": indexes}


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
    from playwright.sync_api import sync_playwright

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out: dict = {}
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        for locale, prefix in _prefixes():
            page = browser.new_page()
            sizes: list[int] = []
            page.on("requestfinished", lambda r: sizes.append(len(r.response().body()) if r.response() else 0))
            page.goto(f"{base}/{prefix}framework-agreement-2020/8/", wait_until="networkidle")
            out[f"item_page_bytes_{locale}"] = sum(sizes)
            out[f"item_page_requests_{locale}"] = len(sizes)
            box = page.locator("#plan-search-input")
            box.focus()
            page.wait_for_function("() => true")
            timings = []
            for query in ("中医药", "横琴口岸", "medicina", "cooperacao financeira", "澳门", "港珠澳大桥"):
                page.evaluate("() => { window.__planSearchTimings = []; }")
                box.fill("")
                box.type(query, delay=20)
                page.wait_for_function("(n) => window.__planSearchTimings.length >= n", arg=len(query))
                timings += page.evaluate("window.__planSearchTimings")[1:]  # warm keystrokes only
            timings.sort()
            out[f"search_ms_p95_{locale}"] = round(timings[int(len(timings) * 0.95) - 1], 1)
            out[f"search_ms_max_{locale}"] = round(timings[-1], 1)
            page.close()
        browser.close()
    server.shutdown()
    return out


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
        if key.startswith("search_ms_p95_") and value > 100:
            missed.append(f"{key} = {value} (at most 100 ms)")
        if key.startswith("search_index_bytes"):
            missed += [f"search index {k} is {v} bytes (at most 600 KB)" for k, v in value.items() if v > 600_000]
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

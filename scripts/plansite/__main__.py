"""Maintainers' and translators' commands, one entry point:

    python -m plansite <command> [options]      (from the repository, in .venv)

Commands that keep a file up to date follow one rule: without --check they
rewrite the file and exit 1 if it changed (so CI and a person run the same
command); with --check they write nothing and exit 1 if the file is out of date.
"""

from __future__ import annotations

import argparse
import re
import os
import sys
from pathlib import Path

from .l10n import SOURCE_LOCALE
from .model import InvalidData
from .yamlio import DataError

ROOT = Path(__file__).resolve().parents[2]


def _site(root: Path, strict: bool = True):  # noqa: ANN202
    from .site import Site, configured_locales

    locales, default = configured_locales(root)
    return Site(root, locales, default, strict)


def _refresh(path: Path, name: str, wanted: str, check: bool, command: str, change: str) -> bool:
    """The fixing commands' rule for a generated file: rewrite it when stale (or, with
    --check, only say so); True when it was stale, so the command exits 1."""
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current == wanted:
        print(f"{name}: up to date")
        return False
    if check:
        print(f"{name} is out of date ({change}): run python -m plansite {command}", file=sys.stderr)
    else:
        path.write_text(wanted, encoding="utf-8")
        print(f"{name}: rewritten ({change})")
    return True


def cmd_sync(args: argparse.Namespace) -> int:
    """Update every PO file in data/locales/ from the zh-Hans data, with msgmerge's rules:
    a changed source marks its entry fuzzy (old translation kept, old source as #| msgid),
    a new source gets an empty entry, a removed one becomes obsolete (#~). zh-Hant
    entries made by OpenCC are regenerated; a translator's correction is kept."""
    from .catalogs import sync_po

    # Not strict: entries whose source is gone are what sync makes obsolete.
    site = _site(args.root, strict=False)
    changed = False
    for loc in site.locales:
        if loc.code == SOURCE_LOCALE:
            continue
        traditional = site.traditional if loc.generated else None
        result = sync_po(args.root, loc.code, loc.name, site.sources, site.describe, traditional, check=args.check)
        what = f"{result.new} new, {result.fuzzy} newly fuzzy, {result.obsolete} newly obsolete" + (f", {result.regenerated} regenerated" if traditional else "")
        state = ("out of date" if args.check else "updated") if result.changed else "up to date"
        print(f"data/locales/{loc.code}.po: {state} ({what})")
        changed |= result.changed
    return 1 if changed else 0


def cmd_status(args: argparse.Namespace) -> int:
    """Per locale: how many entries are translated, fuzzy (the zh-Hans text changed since)
    and untranslated, then each fuzzy or untranslated key. Exit 1 if any."""
    site = _site(args.root)
    print(f"{'locale':<8} {'translated':>10} {'fuzzy':>6} {'untranslated':>12}")
    reports = {loc.code: site.catalogs[loc.code].status() for loc in site.locales}
    for code, report in reports.items():
        print(f"{code:<8} {len(report['done']):>10} {len(report['fuzzy']):>6} {len(report['missing']):>12}")
    bad = 0
    for code, report in reports.items():
        for state, label in (("missing", "untranslated"), ("fuzzy", "fuzzy")):
            for key in report[state]:
                print(f"{code}: {label}: {key}")
                bad += 1
    return 1 if bad else 0


def cmd_urls(args: argparse.Namespace) -> int:
    """Keep data/published-urls.txt, the list of every URL ever published: add the pages
    the data now calls for (lines are never removed). A listed URL that is neither a page
    nor redirected in data/redirects.yaml is an error (exit 1) until a redirect is added."""
    from .manifest import MANIFEST, REDIRECTS, current_urls, load_redirects, read_manifest, updated_manifest

    site = _site(args.root)
    redirects = {r.source for r in load_redirects(args.root, site)}
    path = args.root / MANIFEST
    wanted = updated_manifest(args.root, site)
    pages = set(current_urls(site))
    # A twin (…/index.json) of a redirected page is served at the old address too.
    lost = [url for url in read_manifest(args.root) if url not in pages and url not in redirects and url.removesuffix("index.json") not in redirects]
    for url in lost:
        print(f"{MANIFEST}: {url} is no longer a page: add a redirect for it to {REDIRECTS}", file=sys.stderr)
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    added = len(set(wanted.splitlines()) - set(current.splitlines()))
    stale = _refresh(path, MANIFEST, wanted, args.check, "urls", f"{added} new URL(s)")
    return 1 if stale or lost else 0


def cmd_import(args: argparse.Namespace) -> int:
    """Write draft YAML for one plan from its PDF-to-text extraction (for review; after
    review it goes to data/plans/). Example: python -m plansite import
    data/sources/fa2020.txt --id fa2021 --slug framework-agreement-2021 --year 2021 -o draft.yaml"""
    from . import yamlio
    from .importer import ImportError_, import_file

    try:
        document, artefacts = import_file(args.seed, args.id, args.slug, args.year)
    except (ImportError_, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = yamlio.dump(document)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(artefacts.items()))
    print(f"{args.seed}: {len(document['items'])} items in {len(document['sections'])} sections; artefacts cleaned: {summary}", file=sys.stderr)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Benchmark: build time and memory (real data and ten times the data), site size,
    search index sizes and latency, what an item page costs a reader, Lighthouse.
    Builds in temporary folders; exits 1 when a target is missed."""
    from . import bench

    return bench.main([*(["--json"] if args.json else []), *(["--quick"] if args.quick else []), "--runs", str(args.runs)])


def cmd_cards(args: argparse.Namespace) -> int:
    """Prune the share-card cache: delete cached cards that the current data, fonts and
    drawing code would not use (the cache only grows otherwise). With --check, list them."""
    from .cards import prune_cache

    from mkdocs.config import load_config

    cache = args.cache or Path(os.environ.get("PLANSITE_CACHE_DIR") or args.root / ".cache") / "cards"
    # The cards name the site's address, as the build would (SITE_URL, or mkdocs.yml's default).
    site_url = load_config(str(args.root / "mkdocs.yml")).site_url or ""
    removed = prune_cache(_site(args.root), site_url, cache, dry_run=args.check)
    print(f"{cache}: {len(removed)} stale card(s) {'to remove' if args.check else 'removed'}")
    return 1 if removed else 0


def cmd_basemap(args: argparse.Namespace) -> int:
    """Keep data/basemap.json, the maps' land, water and boundaries: cut the installed
    GSHHG and OpenStreetMap datasets (see plansite/basemap.py) to the map views again.
    Takes half a minute; run it after changing a view or a dataset's version."""
    from .basemap import BASEMAP, generate

    try:
        wanted = generate(args.root, args.osm_source)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 1 if _refresh(args.root / BASEMAP, BASEMAP, wanted, args.check, "basemap", f"{len(wanted.encode())} bytes") else 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m plansite", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--root", type=Path, default=ROOT, help="the repository (default: the one this package is in)")
    commands = top.add_subparsers(dest="command", required=True, metavar="command")

    def add(name: str, func, **kwargs):  # noqa: ANN001, ANN202
        doc = func.__doc__ or ""
        sub = commands.add_parser(name, help=re.split(r"\.(?:\s|$)", doc)[0].strip().replace("\n", " "), description=doc, **kwargs)
        sub.set_defaults(func=func)
        return sub

    add("sync", cmd_sync).add_argument("--check", action="store_true", help="write nothing; exit 1 if a PO file is out of date")
    add("status", cmd_status)
    add("urls", cmd_urls).add_argument("--check", action="store_true", help="write nothing; exit 1 if the manifest is out of date")
    imp = add("import", cmd_import)
    imp.add_argument("seed", type=Path, help="the text extracted from the published PDF")
    imp.add_argument("--id", required=True, help="short stable plan id, e.g. fa2021")
    imp.add_argument("--slug", required=True, help="URL segment, e.g. framework-agreement-2021")
    imp.add_argument("--year", required=True, type=int)
    imp.add_argument("-o", "--output", type=Path, help="draft file (default: standard output)")
    bench = add("bench", cmd_bench)
    bench.add_argument("--json", action="store_true", help="one JSON line instead of a table")
    bench.add_argument("--quick", action="store_true", help="skip the 10x build and the browser measurements")
    bench.add_argument("--runs", type=int, default=2, help="builds per measurement (the fastest counts)")
    cards = add("cards", cmd_cards)
    cards.add_argument("--check", action="store_true", help="delete nothing; exit 1 if stale cards are cached")
    cards.add_argument("--cache", type=Path, help="the cache folder (default: $PLANSITE_CACHE_DIR/cards or .cache/cards, as the build)")
    basemap = add("basemap", cmd_basemap)
    basemap.add_argument("--check", action="store_true", help="write nothing; exit 1 if data/basemap.json is out of date")
    basemap.add_argument("--osm-source", type=Path, help="the OSM outlines' map.geo.json (default: the npm package in node_modules)")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (InvalidData, DataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

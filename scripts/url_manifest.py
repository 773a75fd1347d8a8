"""The manifest of published URLs, data/published-urls.txt.

    python scripts/url_manifest.py           add every page the data now calls for (lines are never removed)
    python scripts/url_manifest.py --check   exit 1 when the manifest lacks a page, or lists a URL that is
                                             neither a page nor redirected in data/redirects.yaml

A published URL must keep working: when a page moves, leave its old URL in the
manifest and add {from: old, to: new} to data/redirects.yaml.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from plansite.manifest import MANIFEST, REDIRECTS, current_urls, load_redirects, read_manifest, updated_manifest  # noqa: E402
from plansite.model import InvalidData  # noqa: E402
from plansite.site import Site, configured_locales  # noqa: E402
from plansite.yamlio import DataError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the manifest is stale")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root
    try:
        locales, default = configured_locales(root)
        site = Site(root, locales, default)
        redirects = {r.source for r in load_redirects(root, site)}
    except (InvalidData, DataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    path = root / MANIFEST
    wanted = updated_manifest(root, site)
    pages = set(current_urls(site))
    lost = [url for url in read_manifest(root) if url not in pages and url not in redirects]
    for url in lost:
        print(f"{MANIFEST}: {url} is no longer a page: add a redirect for it to {REDIRECTS}", file=sys.stderr)
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if args.check:
        if current != wanted:
            added = len(set(wanted.splitlines()) - set(current.splitlines()))
            print(f"{MANIFEST} is stale ({added} new URL(s)): run python scripts/url_manifest.py", file=sys.stderr)
            return 1
        return 1 if lost else 0
    if current != wanted:
        path.write_text(wanted, encoding="utf-8")
        print(f"{MANIFEST}: {len(read_manifest(root))} URLs")
    else:
        print(f"{MANIFEST}: up to date")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())

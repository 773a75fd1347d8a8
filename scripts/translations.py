"""Translation workflow.

    python scripts/translations.py status            what is missing, stale or done per locale (exit 1 if anything is missing or stale)
    python scripts/translations.py sync [--check]    regenerate zh-Hant from zh-Hans with OpenCC (s2hk), keeping corrections;
                                                     with --check, exit 1 when the file was out of date
    python scripts/translations.py import pt FILE    merge a flat YAML of key: translation (e.g. from a translation tool)
    python scripts/translations.py export pt         print a flat YAML of key: text for the locale (missing entries empty)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from plansite import yamlio  # noqa: E402
from plansite.catalogs import import_translations, sync_traditional, write_catalog  # noqa: E402
from plansite.l10n import SOURCE_LOCALE  # noqa: E402
from plansite.model import InvalidData  # noqa: E402
from plansite.site import Site, configured_locales  # noqa: E402
from plansite.yamlio import DataError  # noqa: E402


def _site(root: Path, strict: bool = True) -> Site:
    locales, default = configured_locales(root)
    return Site(root, locales, default, strict)


def status(site: Site, verbose: bool = True) -> int:
    bad = 0
    print(f"{'locale':<8} {'done':>5} {'stale':>6} {'missing':>8}")
    reports = {}
    for loc in site.locales:
        report = site.catalogs[loc.code].status()
        reports[loc.code] = report
        print(f"{loc.code:<8} {len(report['done']):>5} {len(report['stale']):>6} {len(report['missing']):>8}")
        bad += len(report["stale"]) + len(report["missing"])
    if verbose:
        for code, report in reports.items():
            for state in ("missing", "stale"):
                for key in report[state]:
                    print(f"{code}: {state}: {key}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status")
    sync = sub.add_parser("sync")
    sync.add_argument("--check", action="store_true")
    imp = sub.add_parser("import")
    imp.add_argument("locale")
    imp.add_argument("file", type=Path)
    exp = sub.add_parser("export")
    exp.add_argument("locale")
    args = parser.parse_args(argv)
    root = args.root
    try:
        # Syncing regenerates zh-Hant and may drop entries whose source is gone.
        site = _site(root, strict=args.command != "sync")
        if args.command == "status":
            return status(site)
        if args.command == "sync":
            catalog = site.catalogs["zh-Hant"]
            entries, changed = sync_traditional(catalog, site.traditional)
            path = root / "data" / "locales" / "zh-Hant.yaml"
            rewritten = write_catalog(path, "zh-Hant", list(catalog.sources), entries)
            print(f"zh-Hant: {changed} entries regenerated" if rewritten else "zh-Hant: up to date")
            return 1 if (args.check and rewritten) else 0
        if args.command == "import":
            if args.locale == SOURCE_LOCALE:
                print("error: zh-Hans is the source; edit data/ instead", file=sys.stderr)
                return 2
            catalog = site.catalogs[args.locale]
            translations = yamlio.load(args.file)
            entries = import_translations(catalog, dict(translations))
            write_catalog(root / "data" / "locales" / f"{args.locale}.yaml", args.locale, list(catalog.sources), entries)
            print(f"{args.locale}: {len(translations)} entries imported")
            return 0
        if args.command == "export":
            catalog = site.catalogs[args.locale]
            flat = {key: (catalog.entries[key].text if key in catalog.entries else "") for key in catalog.sources}
            sys.stdout.write(yamlio.dump(flat))
            return 0
    except (InvalidData, DataError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())

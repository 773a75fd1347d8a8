"""Write draft YAML for one plan from its PDF-to-text extraction.

    python scripts/import_seed.py SEED.txt --id fa2020 --slug framework-agreement-2020 --year 2020 -o draft.yaml

The draft is for review; after review it goes to data/plans/, which is the source of truth.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plansite import yamlio  # noqa: E402
from plansite.importer import ImportError_, import_file  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("seed", type=Path)
    parser.add_argument("--id", required=True, help="short stable plan id, e.g. fa2020")
    parser.add_argument("--slug", required=True, help="URL segment, e.g. framework-agreement-2020")
    parser.add_argument("--year", required=True, type=int)
    parser.add_argument("-o", "--output", type=Path, help="draft file (default: standard output)")
    args = parser.parse_args(argv)
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
    print(
        f"{args.seed}: {len(document['items'])} items in {len(document['sections'])} sections; "
        f"artefacts cleaned: {summary}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

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

"""Permanent URLs: the manifest of published pages, and redirects for pages that moved.

data/published-urls.txt lists every page URL the site has ever published (one
site-relative URL per line, sorted; JSON twins end in index.json). `python -m plansite urls` adds the
pages the data now calls for; it never removes a line, because a published URL
must keep working. When a page moves, data/redirects.yaml sends its old URL to
the new one: the build writes a small page there (meta refresh, canonical link and
a plain link) for every redirect.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import yamlio
from .model import RESERVED_PATHS, InvalidData
from .yamlio import DataError, Mapping, Sequence

if TYPE_CHECKING:
    from .site import Site

MANIFEST = "data/published-urls.txt"
REDIRECTS = "data/redirects.yaml"
HEADER = (
    "# Every page URL the site has published, in every locale, relative to site_url.\n"
    "# Written by `python -m plansite urls`; never edit by hand, never remove a line:\n"
    "# when a page moves, add a redirect in data/redirects.yaml. The tests fail when a\n"
    "# URL here does not resolve in the built site.\n"
)
URL = re.compile(r"^/([a-z0-9][A-Za-z0-9._-]*/)*$")


def current_urls(site: "Site") -> list[str]:
    """Every page the data calls for, in every locale, and the JSON twins of those that have one."""
    from .opendata import TWIN, TWIN_KINDS

    pages = [(spec, spec.url(loc.code, site.default_locale)) for spec in site.specs for loc in site.locales]
    return sorted([url for _, url in pages] + [url + TWIN for spec, url in pages if spec.kind in TWIN_KINDS])


def read_manifest(root: Path) -> list[str]:
    path = root / MANIFEST
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def manifest_text(urls: list[str]) -> str:
    return HEADER + "".join(f"{url}\n" for url in sorted(set(urls)))


def updated_manifest(root: Path, site: "Site") -> str:
    """The manifest as it should be: what was published before, plus every page now."""
    return manifest_text(read_manifest(root) + current_urls(site))


# --- redirects -------------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    source: str  # the old URL, site-relative
    target: str  # the page it now lives at, site-relative


def load_redirects(root: Path, site: "Site") -> list[Redirect]:
    """data/redirects.yaml: a list of {from, to}; `to` must be a page of the site,
    `from` must not be one (a redirect must never hide a page)."""
    path = root / REDIRECTS
    if not path.exists():
        return []
    doc = yamlio.load(path, REDIRECTS)
    if doc is None:
        return []
    if not isinstance(doc, Mapping) or set(doc) != {"redirects"}:
        raise InvalidData([DataError(REDIRECTS, 1, "expected one key, 'redirects', holding a list of {from, to}")])
    raw = doc["redirects"] or Sequence()
    if not isinstance(raw, Sequence):
        raise InvalidData([DataError(REDIRECTS, doc.line_of("redirects"), "redirects: expected a list of {from, to}")])
    pages = set(current_urls(site))
    errors: list[DataError] = []
    out: list[Redirect] = []
    seen: set[str] = set()

    def error(line: int, message: str) -> None:
        errors.append(DataError(REDIRECTS, line, message))

    for n, entry in enumerate(raw):
        if not isinstance(entry, Mapping) or set(entry) != {"from", "to"}:
            error(raw.item_lines[n], f"redirects[{n}]: expected exactly 'from' and 'to'")
            continue
        source, target = entry["from"], entry["to"]
        bad = [(k, v) for k, v in (("from", source), ("to", target)) if not isinstance(v, str) or not URL.match(v)]
        for key, value in bad:
            example = "/pt/framework-agreement-2020/7/"
            error(
                entry.line_of(key), f"redirects[{n}].{key}: expected a site-relative URL like {example}, got {value!r}"
            )
        if bad:
            continue
        if source in pages:
            error(
                entry.line_of("from"), f"redirects[{n}].from: {source} is a page of the site; a redirect would hide it"
            )
        elif generated := _generated_path(source, site):
            error(
                entry.line_of("from"),
                f"redirects[{n}].from: {source} is inside {generated}, which the build writes itself; a redirect cannot live there",
            )
        elif target not in pages:
            error(entry.line_of("to"), f"redirects[{n}].to: {target} is not a page of the site")
        elif source in seen:
            error(entry.line_of("from"), f"redirects[{n}].from: {source} is redirected twice")
        else:
            seen.add(source)
            out.append(Redirect(source, target))
    if errors:
        raise InvalidData(errors)
    return out


def _generated_path(url: str, site: "Site") -> str | None:
    """The folder or file the build writes that a site-relative URL falls inside
    (assets, downloads, search indexes, feeds…), or None."""
    parts = url.strip("/").split("/")
    if parts[0] in site.locale_codes and len(parts) > 1:
        parts = parts[1:]
    return parts[0] if parts[0].casefold() in RESERVED_PATHS - PAGE_FOLDERS else None


# Top-level folders that hold pages: a page there can move, and its old URL redirect.
PAGE_FOLDERS = frozenset({"places", "domains"})


def redirect_page(site: "Site", redirect: Redirect, site_url: str) -> str:
    """A page that sends readers and crawlers on: relative refresh (works on any host),
    absolute canonical (tells search engines where the page lives now)."""
    relative = posixpath.relpath(redirect.target, redirect.source)
    relative = "./" if relative == "." else relative.rstrip("/") + "/"
    absolute = site_url.rstrip("/") + redirect.target
    return site.templates.get_template("redirect.html").render(relative=relative, absolute=absolute)


def write_redirects(site: "Site", redirects: list[Redirect], site_dir: Path, site_url: str) -> list[Path]:
    written = []
    for redirect in redirects:
        target = site_dir / redirect.source.lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(redirect_page(site, redirect, site_url), encoding="utf-8")
        written.append(target)
        # Data cannot redirect on a static host: the moved page's twin is served at the old address too.
        twin = site_dir / redirect.target.lstrip("/") / "index.json"
        if twin.is_file():
            (target.parent / "index.json").write_bytes(twin.read_bytes())
            written.append(target.parent / "index.json")
    return written


# --- checking a built site ---------------------------------------------------------

_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


def resolve(site_dir: Path, url: str, hops: int = 3) -> str | None:
    """The URL of the page a site-relative URL ends up at in a built site, following
    redirect pages; None when nothing is there."""
    if url.endswith("/index.json"):  # a JSON twin: there or not (moved twins are copied)
        return url if (site_dir / url.lstrip("/")).is_file() else None
    for _ in range(hops + 1):
        page = site_dir / url.lstrip("/") / "index.html"
        if not page.is_file():
            return None
        found = _REFRESH.search(page.read_text(encoding="utf-8"))
        if not found:
            return url
        url = posixpath.normpath(posixpath.join(url, html.unescape(found[1]))) + "/"
        url = url if url != "//" else "/"
    return None


def unresolved(site_dir: Path, urls: list[str]) -> list[str]:
    """The URLs that lead nowhere in a built site."""
    return [url for url in urls if resolve(site_dir, url) is None]

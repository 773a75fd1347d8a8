"""MkDocs hooks: load and validate data/, write the page stubs, build the nav.

mkdocs-static-i18n reruns the whole build for each language with the same config:
the build's context (its Site, and what the passes share) lives on that config
(`plansite.site.build_context`), and the file work below (stubs, changelog and
redirect checks) is done on the first language's pass only.

Builds are atomic: see scripts/atomic_build.py.
"""

from __future__ import annotations

import gzip
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import jinja2  # noqa: E402
from markupsafe import Markup  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from plansite.model import InvalidData  # noqa: E402
from plansite import cards, feed, manifest, structured  # noqa: E402
from plansite.opendata import write_downloads  # noqa: E402
from plansite.assets import bundle as bundle_assets  # noqa: E402
from plansite.search import write_indexes as write_search_indexes  # noqa: E402
from plansite.pages import write_stubs  # noqa: E402
from plansite.site import Site, build_context, site_for_config  # noqa: E402
from plansite.yamlio import DataError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.plansite")


def on_env(env: jinja2.Environment, config: MkDocsConfig, files) -> jinja2.Environment:  # type: ignore[no-untyped-def]
    """Every theme template escapes what it prints: site names, page titles and
    descriptions come from data and translations (one escaping rule: in templates).
    Page bodies are already HTML and reach the theme as Markup (on_page_content)."""
    env.autoescape = True
    env.loader = ValidBaseLoader(env.loader)
    return env


class ValidBaseLoader(jinja2.BaseLoader):
    """Material's base.html writes `autocomplete="off"` on its two checkbox toggles
    (drawer and search), outside any block an override could replace; HTML allows
    autocomplete only on text-like inputs (the W3C checker's first error on every
    page). This loader serves base.html without it, and fails loudly if a Material
    upgrade changes those lines, so the fix is never silently lost."""

    TOGGLE = 'type="checkbox" id="__{name}" autocomplete="off">'

    def __init__(self, inner: jinja2.BaseLoader):
        self.inner = inner

    def get_source(self, environment: jinja2.Environment, template: str):  # type: ignore[no-untyped-def]
        source, filename, uptodate = self.inner.get_source(environment, template)
        if template == "base.html":
            for name in ("drawer", "search"):
                toggle = self.TOGGLE.format(name=name)
                if source.count(toggle) != 1:
                    raise PluginError(f"{filename}: the {name} toggle has changed; check scripts/mkdocs_hooks.py ValidBaseLoader")
                source = source.replace(toggle, toggle.replace(' autocomplete="off"', ""))
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


@event_priority(-50)  # after mkdocs-macros (priority 0), which renders any title holding "{{" as a template
def on_page_markdown(markdown: str, page, config: MkDocsConfig, files) -> str:  # type: ignore[no-untyped-def]
    meta = page.meta
    if "render_error" in meta:
        raise PluginError(meta.pop("render_error"))
    if "kind" in meta:
        site = site_for_config(config)
        page.title = site.page_title(meta["kind"], meta["ref"], meta["locale"])
        meta["description"] = site.page_description(meta["kind"], meta["ref"], meta["locale"])
        doc = structured.document(site, meta["kind"], meta["ref"], meta["locale"])
        if doc:
            meta["jsonld"] = structured.script_text(doc)  # JSON with <, >, & escaped: printed as it is
    return markdown


@event_priority(-100)  # last: whatever ran before, the body is HTML the theme must not escape again
def on_page_content(html: str, page, config: MkDocsConfig, files) -> Markup:  # type: ignore[no-untyped-def]
    return Markup(html)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        context = build_context(config)
        site = context.site
        first_pass = not context.prepared  # mkdocs-static-i18n's later language passes reuse the config
        if first_pass:
            write_stubs(Path(config.docs_dir), site.stubs())  # the stubs' dates need the changelog: checked here
    except (InvalidData, DataError, ValueError) as exc:
        raise PluginError(f"invalid data, nothing was built:\n{exc}") from None
    config.nav = site.nav()
    config.extra["default_locale"] = site.default_locale
    config.extra["language_offer"] = site.language_offer()
    config.extra.update(site.search_config())
    i18n = config.plugins["i18n"].config
    for language in i18n.languages:
        if language.locale not in site.catalogs:
            continue
        catalog = site.catalogs[language.locale]
        language.site_name = catalog.text("ui.site_name")
        language.site_description = catalog.text("ui.site_description")
    config.extra["not_found"] = site.not_found_strings()
    config.extra["chrome"] = site.chrome_strings()
    _configure_sharing(config, site, check_inputs=first_pass)
    context.prepared = True
    return config


def _configure_sharing(config: MkDocsConfig, site: Site, check_inputs: bool) -> None:
    """Check what the share cards, feeds and redirects need before building anything,
    and give the templates what they need to link to them."""
    if not config.site_url:
        raise PluginError("site_url is not set: canonical links, share cards and feeds need absolute URLs")
    root = Path(config.config_file_path).parent
    if check_inputs:
        try:
            cards.font_files()
        except cards.FontMissing as exc:
            raise PluginError(f"cannot draw the share cards: {exc}") from None
        try:
            manifest.load_redirects(root, site)
        except (InvalidData, DataError) as exc:
            raise PluginError(f"invalid data, nothing was built:\n{exc}") from None
    config.extra["share"] = {
        loc.code: {
            "og_locale": loc.og_locale,
            "card_dir": cards.card_path(loc.code, "x").removesuffix("x.png"),
            "card_width": cards.WIDTH,
            "card_height": cards.HEIGHT,
            "feed": feed.feed_path(site, loc.code),
            "feed_title": feed.feed_title(site, loc.code),
        }
        for loc in site.locales
    }


def _write_journalist_files(config: MkDocsConfig, site: Site) -> None:
    """Downloads, share cards, feeds and redirect pages: language-neutral, written once."""
    root = Path(config.config_file_path).parent
    site_dir = Path(config.site_dir)
    write_downloads(site, site_dir, config.site_url)
    cache = Path(os.environ.get("PLANSITE_CACHE_DIR") or root / ".cache") / "cards"
    try:
        report = cards.write_cards(site, config.site_url, site_dir, cache)
    except cards.FontMissing as exc:
        raise PluginError(f"cannot draw the share cards: {exc}") from None
    log.info(f"share cards: {report.drawn} drawn, {report.reused} unchanged (cache: {cache})")
    feed.write_feeds(site, site.changelog, site_dir, config.site_url)
    # Crawlers: everything may be read; the sitemap (every page, its languages, its date).
    (site_dir / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {config.site_url}sitemap.xml\n", encoding="utf-8")
    manifest.write_redirects(site, manifest.load_redirects(root, site), site_dir, config.site_url)


def _keep_not_found_page_per_language(config: MkDocsConfig) -> None:
    """mkdocs-static-i18n renders overrides/404.html once per language, each time to
    <site>/404.html, so the last language built would win: move each language's copy
    to <site>/<locale>/404.html and put the default language's back at the root."""
    context = build_context(config)
    # mkdocs-static-i18n sets the theme's language to the language being built
    # (its documented reconfigure_material behaviour).
    current = config.theme["language"]
    site_dir = Path(config.site_dir)
    not_found = site_dir / "404.html"
    if not not_found.exists():
        return
    if current == context.site.default_locale:
        context.not_found = not_found.read_bytes()
    elif context.not_found is not None:
        (site_dir / current / "404.html").write_bytes(not_found.read_bytes())
        not_found.write_bytes(context.not_found)


def _sitemap_gz_without_date(config: MkDocsConfig) -> None:
    """MkDocs stamps the build date into sitemap.xml.gz's gzip header: write it without."""
    sitemap = Path(config.site_dir) / "sitemap.xml"
    if sitemap.exists():
        with open(f"{sitemap}.gz", "wb") as raw:
            with gzip.GzipFile(filename="sitemap.xml", mode="wb", fileobj=raw, mtime=0) as gz:
                gz.write(sitemap.read_bytes())


@event_priority(-50)  # after each language's build, before mkdocs-static-i18n (-100) starts the next
def on_post_build(config: MkDocsConfig) -> None:
    _keep_not_found_page_per_language(config)
    _sitemap_gz_without_date(config)
    # mkdocs-static-i18n builds the other languages from inside its own post-build,
    # so the first post-build of a build is the default language's, and the downloads,
    # cards, feeds and indexes (language-neutral) are written then, once.
    context = build_context(config)
    context.post_builds += 1
    if context.post_builds == 1:
        _write_journalist_files(config, context.site)
        write_search_indexes(context.site, Path(config.site_dir))
        bundle_assets(Path(config.docs_dir), Path(config.site_dir))

"""The site as one object: data, catalogs, pages and the page renderer.

mkdocs-static-i18n runs the whole build once per language with the same config,
so the Site of a build lives on that config (`site_for_config`), not in module
state: hooks and macros share it, and the next build (or `mkdocs serve`'s next
rebuild, which makes a new config) loads data/ afresh.
"""

from __future__ import annotations

import posixpath
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import l10n
from .catalogs import Traditional, load_traditional
from .feed import Changelog, load_changelog
from .history import as_of, item_history
from . import basemap
from .tags import MAP_LABELS, Tags
from .l10n import SOURCE_LOCALE, Catalog
from .locales import Locale, configured_locales, locales_from_entries
from .outcomes import status_of, tally
from .model import GlossaryTerm, Item, SiteData, load_glossary, load_site_data
from .pages import (
    PageSpec,
    chinese_numeral,
    page_description,
    page_specs,
    page_title,
    plan_path,
    stub_text,
)


class Site:
    def __init__(self, root: Path, locales: list[Locale], default_locale: str = SOURCE_LOCALE, strict: bool = True, site_url: str = ""):
        self.root = root
        self.site_url = site_url  # the public address, for absolute links (canonical, citations); "" outside a build
        self.locales = locales
        self.default_locale = default_locale
        self.data: SiteData = load_site_data(root, tuple(loc.code for loc in locales))
        self.ui = l10n.load_ui(root)
        self.sources: dict[str, l10n.SourceText] = l10n.source_texts(self.data, self.ui)
        self.catalogs: dict[str, Catalog] = {
            loc.code: l10n.load_catalog(root, loc.code, self.sources, strict) for loc in locales
        }
        self.glossary = load_glossary(root, self.locale_codes)
        self.traditional: Traditional = load_traditional(root)
        self.tags = Tags(self.data)
        self.basemap = basemap.load(root)  # cut from the datasets once, by `python -m plansite basemap`
        self.specs: list[PageSpec] = page_specs(self.data)
        self.specs_by_ref = {(s.kind, s.ref): s for s in self.specs}
        self._stubs: dict[str, str] | None = None

    @property
    def locale_codes(self) -> tuple[str, ...]:
        return tuple(loc.code for loc in self.locales)

    def locale(self, code: str) -> Locale:
        return next(loc for loc in self.locales if loc.code == code)

    def glossary_text(self, term: GlossaryTerm, locale: Locale) -> str:
        """A glossary term in a language: the source, its translation, or for a
        generated language (zh-Hant) the generated form unless one is given."""
        if locale.is_source:
            return term.zh_hans
        if locale.code in term.translations:
            return term.translations[locale.code]
        return self.traditional.convert(term.zh_hans) if locale.generated else ""

    # --- pages ---------------------------------------------------------------

    def stubs(self) -> dict[str, str]:
        """Stub files by name; computed once per Site, though on_config runs per language."""
        if self._stubs is None:
            self._stubs = self._make_stubs()
        return self._stubs

    def _make_stubs(self) -> dict[str, str]:
        out = {}
        for spec in self.specs:
            # Paths relative to site_url, so hreflang links are absolute under any sub-path.
            alternates = {loc.code: spec.url(loc.code, self.default_locale).lstrip("/") for loc in self.locales}
            lastmod = self.lastmod(spec.kind, spec.ref)
            for loc in self.locales:
                out[spec.stub_name(loc.code, self.default_locale)] = stub_text(spec, loc.code, alternates, lastmod)
        return out

    @cached_property
    def changelog(self) -> Changelog:
        """data/changelog.yaml, checked (the feeds and the sitemap's dates come from it)."""
        return load_changelog(self.root, self.data, self.locale_codes)

    def lastmod(self, kind: str, ref: str) -> str:
        """When a page's content last changed, from data only (never the build clock):
        the latest change in the changelog that touched its items, or an outcome entry
        recorded for them; pages about everything take the latest of all."""
        if kind == "item":
            items = [self.data.item(ref)]
        elif kind in ("section", "parallel"):
            section = self.data.section(ref)
            items = self.data.plan(section.plan_id).items_in(section)
        elif kind == "plan":
            items = list(self.data.plan(ref).items)
        elif kind == "place":
            items = self.tags.items_for_place(ref)
        elif kind == "domain":
            items = self.tags.items_for_domain(ref)
        else:
            items = self.data.items
        ids = {item.id for item in items}
        dates = [c.date for c in self.changelog.changes if ids & set(c.items)]
        dates += [note.source.read for item in items for note in item.progress]
        return max(dates) if dates else self.changelog.updated

    def page_title(self, kind: str, ref: str, locale: str) -> str:
        """Plain text; templates escape it."""
        return page_title(self.specs_by_ref[(kind, ref)], self.catalogs[locale], self.data)

    def page_description(self, kind: str, ref: str, locale: str) -> str:
        """Plain text; templates escape it."""
        return page_description(self.specs_by_ref[(kind, ref)], self.catalogs[locale], self.data)

    def search_config(self) -> dict[str, Any]:
        """What the search bar needs from data, per locale (see overrides/partials/plan-search.html)."""

        def labels(code: str) -> dict[str, str]:
            text = self.catalogs[code].text
            keys = ("label", "placeholder", "button", "all", "results", "none", "failed", "highlight_off")
            out = {k: text(f"ui.search_{k}") for k in keys}
            out.update(
                item=text("ui.item_label"),
                section=text("ui.section_label_short"),
                plan=text("ui.search_kind_plan"),
                place=text("ui.search_kind_place"),
                domain=text("ui.search_kind_domain"),
            )
            return out

        return {
            "search_labels": {loc.code: labels(loc.code) for loc in self.locales},
            "search_locales": {loc.code: loc.name for loc in self.locales},
            "search_pages": {loc.code: self.url("search", "search", loc.code).lstrip("/") for loc in self.locales},
        }

    def chrome_strings(self) -> dict[str, dict[str, str]]:
        """The header's and page frame's words per locale (overrides/partials/header.html,
        nav.html, main.html: theme templates, so they get them through config.extra)."""
        keys = ("home", "search_toggle", "scheme_dark", "back_to_top")
        return {loc.code: {k: self.catalogs[loc.code].text(f"ui.{k}") for k in keys} for loc in self.locales}

    def not_found_strings(self) -> dict[str, dict[str, str]]:
        """The 404 page's words per locale (overrides/404.html is a theme template,
        rendered by MkDocs, so it gets them through config.extra)."""
        keys = ("title", "text", "home", "other", "home_in")
        return {loc.code: {k: self.catalogs[loc.code].text(f"ui.not_found_{k}") for k in keys} for loc in self.locales}

    def language_offer(self) -> dict[str, dict[str, str]]:
        """Per locale, in that locale's words, the offer to read the site in it."""
        keys = ("label", "text", "go", "stay")
        return {
            loc.code: {k: self.catalogs[loc.code].text(f"ui.offer_{k}").format(language=loc.name) for k in keys}
            for loc in self.locales
        }

    def url(self, kind: str, ref: str, locale: str) -> str:
        return self.specs_by_ref[(kind, ref)].url(locale, self.default_locale)

    def item_url(self, item: Item, locale: str) -> str:
        return self.url("item", item.id, locale)

    def absolute_url(self, kind: str, ref: str, locale: str) -> str:
        """The page's public address (canonical, citations, structured data)."""
        return self.site_url + self.url(kind, ref, locale).lstrip("/")

    def nav(self) -> list:
        """Home, the plans, the ways to browse. Sections and items are reached from the
        plan pages: the nav is drawn on every page, so it must not grow with the data."""
        nav: list = ["index.md"]
        nav += [f"{plan_path(plan.slug)}/index.md" for plan in self.data.plans]
        nav += ["places/index.md", "domains/index.md", "glossary/index.md", "downloads/index.md", "translation-status/index.md"]
        return nav

    # --- rendering -----------------------------------------------------------

    @cached_property
    def templates(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.root / "overrides" / "pages"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        return env

    def render(self, kind: str, ref: str, locale: str) -> str:
        from .opendata import resources  # opendata builds on Site
        spec = self.specs_by_ref[(kind, ref)]
        catalog = self.catalogs[locale]
        here = spec.url(locale, self.default_locale)

        def link(target_kind: str, target_ref: str) -> str:
            """Relative link, so the site works under any sub-path."""
            target = self.url(target_kind, target_ref, locale)
            return relative_url(here, target)

        def t(key: str, **values: Any) -> Markup:
            # Markup.format escapes plain values and keeps already-rendered parts.
            # A string with a {count} takes the locale's plural form for it.
            text = catalog.plural(f"ui.{key}", values["count"]) if "count" in values else catalog.text(f"ui.{key}")
            return Markup.escape(text).format(**values)

        context = {
            "data": self.data,
            "locale": locale,
            "spec": spec,
            "tr": catalog.lookup,
            "t": t,
            "link": link,
            "numeral": chinese_numeral,
            "locales": self.locales,
            "catalogs": self.catalogs,
            "glossary": self.glossary,
            "glossary_text": self.glossary_text,
            "status_of": status_of,
            "tally": tally,
            "tags": self.tags,
            "basemap_layers": self.basemap,
            "map_labels": MAP_LABELS,
            "root": relative_url(here, self.url("home", "home", locale)),
            # The same page in zh-Hans, for "the Chinese text has changed since" notices.
            "source_page": relative_url(here, spec.url(SOURCE_LOCALE, self.default_locale)),
            "link_in": lambda target_kind, target_ref, target_locale: relative_url(here, self.url(target_kind, target_ref, target_locale)),
            "page_of": self.page_of,
            "absolute_url": self.absolute_url,
            "download_resources": lambda: resources(self),
        }
        if kind == "item":
            item = self.data.item(ref)
            context.update(item=item, plan=self.data.plan(item.plan_id), history=item_history(self, item), as_of=as_of(self, item, locale),
                           summary_of=lambda change: change.summary_in(self.locale(locale), self.traditional))
        elif kind in ("section", "parallel"):
            section = self.data.section(ref)
            context.update(plan=self.data.plan(section.plan_id), section=section)
        elif kind == "plan":
            context.update(plan=self.data.plan(ref))
        elif kind == "place":
            context.update(place=self.tags.places[ref], items=self.tags.items_for_place(ref))
        elif kind == "domain":
            context.update(domain=self.tags.domains[ref], items=self.tags.items_for_domain(ref))
        try:
            html = self.templates.get_template(f"{kind}.html").render(context)
        except Exception as exc:  # any failure: say which page and which data it came from
            raise RenderError(f"{here}: cannot render the {kind} page '{ref}' ({locale}) from {self.origin(kind, ref)}: {type(exc).__name__}: {exc}") from exc
        return Markup(html)

    def page_of(self, key: str) -> tuple[str, str] | None:
        """The page (kind, ref) that shows a translatable text; None for interface text."""
        owner = self.sources[key].owner
        if owner is None:
            return None
        if owner.KIND == "subsection":
            return "section", owner.section_id  # type: ignore[attr-defined]
        if owner.KIND == "progress":
            return "item", owner.item_id  # type: ignore[attr-defined]
        return owner.KIND, owner.id  # type: ignore[attr-defined]

    def describe(self, source: l10n.SourceText) -> str:
        """Where a text appears, for the translator (the PO file's extracted comment)."""
        owner = source.owner
        field = source.key.rsplit(".", 1)[1]
        if owner is None:
            names = sorted(l10n.placeholders(source.text))
            out = "Interface text."
            if names:
                out += " Keep the placeholders " + ", ".join("{" + n + "}" for n in names) + " (filled in by the site)."
            if source.plural:
                out += " Plural: one msgstr per plural form; {count} is the number."
            return out
        what = {
            "plan": lambda o: f"Plan {o.id}",
            "section": lambda o: f"Plan {o.plan_id}, section {o.number}",
            "subsection": lambda o: f"Plan {o.section_id.split('-s')[0]}, section {o.section_id.split('-s')[1]}, subsection {o.number}",
            "item": lambda o: f"Plan {o.plan_id}, section {o.section}, item {o.number}",
            "progress": lambda o: f"Plan {self.data.item(o.item_id).plan_id}, item {self.data.item(o.item_id).number}, outcome entry {o.number} ({o.date}; source: {o.source.publisher})",
            "place": lambda o: f"Place {o.id}",
            "domain": lambda o: f"Domain {o.id}",
        }[owner.KIND](owner)
        page = self.page_of(source.key)
        return f"{what}: {field.replace('_', ' ')}. Page: {self.url(*page, self.default_locale)}" if page else f"{what}: {field}."

    def origin(self, kind: str, ref: str) -> str:
        """The data a page is made from, as file:line where there is one."""
        if kind == "item":
            item = self.data.item(ref)
            return f"{self.data.plan(item.plan_id).file}:{item.source_line}"
        if kind in ("section", "parallel", "plan"):
            return next(p.file for p in self.data.plans if p.id == ref or any(s.id == ref for s in p.sections))
        if kind in ("place", "domain"):
            return f"data/{kind}s.yaml ({kind} {ref})"
        return f"overrides/pages/{kind}.html"


class RenderError(Exception):
    """A page could not be rendered; the message names the page and its data."""


def relative_url(here: str, target: str) -> str:
    rel = posixpath.relpath(target, here)
    if rel == ".":
        return "./"
    return rel + "/" if target.endswith("/") and not rel.endswith("/") else rel


__all__ = ["Locale", "RenderError", "Site", "relative_url", "configured_locales", "site_for_config"]

CONTEXT = "plansite-build"  # the name of the build's context among config.plugins


class BuildContext:
    """What the language passes of one build share: its Site, whether the files
    every language needs (stubs) are written, and each language's 404 page. Kept
    on the build's own config (beside its plugins, which MkDocs keeps for the whole
    build), so nothing outlives the build."""

    def __init__(self, site: Site):
        self.site = site
        self.prepared = False
        self.post_builds = 0  # language passes finished so far (one per built language)
        self.not_found: bytes | None = None


def build_context(config: Any) -> BuildContext:
    """The context of the build an MkDocs config belongs to; made on first use.
    Languages come from mkdocs-static-i18n's `languages` (its documented config)."""
    context = config.plugins.get(CONTEXT)
    if context is None:
        locales, default = locales_from_entries(config.plugins["i18n"].config.languages)
        context = BuildContext(Site(Path(config.config_file_path).parent, locales, default, site_url=config.site_url or ""))
        config.plugins[CONTEXT] = context
    return context


def site_for_config(config: Any) -> Site:
    return build_context(config).site

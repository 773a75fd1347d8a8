"""The site as one object: data, catalogs, pages and the page renderer.

mkdocs-static-i18n runs the whole build once per language, so hooks and macros
ask `Site.load()` for a cached instance instead of loading data again.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import l10n
from .catalogs import Traditional, load_traditional
from .tags import Tags
from .l10n import SOURCE_LOCALE, Catalog
from .model import Item, Plan, SiteData, load_glossary, load_site_data
from .pages import (
    PageSpec,
    chinese_numeral,
    item_path,
    page_description,
    page_specs,
    page_title,
    plan_path,
    section_path,
    stub_text,
)


@dataclass(frozen=True)
class Locale:
    code: str  # as in the URL and the locale file name: zh-Hans, zh-Hant, pt
    name: str  # its own name, for the language switcher


class Site:
    _cache: dict[tuple, "Site"] = {}

    def __init__(self, root: Path, locales: list[Locale], default_locale: str = SOURCE_LOCALE, strict: bool = True):
        self.root = root
        self.locales = locales
        self.default_locale = default_locale
        self.data: SiteData = load_site_data(root, tuple(loc.code for loc in locales))
        self.ui = l10n.load_ui(root)
        self.sources: dict[str, l10n.SourceText] = l10n.source_texts(self.data, self.ui)
        self.catalogs: dict[str, Catalog] = {
            loc.code: l10n.load_catalog(root, loc.code, self.sources, strict) for loc in locales
        }
        self.glossary = load_glossary(root)
        self.traditional: Traditional = load_traditional(root)
        self.tags = Tags(self.data)
        self.specs: list[PageSpec] = page_specs(self.data)
        self.specs_by_ref = {(s.kind, s.ref): s for s in self.specs}
        self._stubs: dict[str, str] | None = None

    @property
    def locale_codes(self) -> tuple[str, ...]:
        return tuple(loc.code for loc in self.locales)

    @classmethod
    def load(cls, root: Path, locales: list[Locale], default_locale: str = SOURCE_LOCALE) -> "Site":
        """A Site per state of the inputs: rebuilt when any file under data/ changes."""
        stamp = tuple(
            (p.as_posix(), p.stat().st_mtime_ns) for p in sorted((root / "data").rglob("*")) if p.is_file()
        )
        key = (root.resolve(), tuple(locales), default_locale, stamp)
        if key not in cls._cache:
            cls._cache.clear()
            cls._cache[key] = cls(root, locales, default_locale)
        return cls._cache[key]

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
            for loc in self.locales:
                out[spec.stub_name(loc.code, self.default_locale)] = stub_text(spec, loc.code, alternates)
        return out

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
            keys = ("label", "placeholder", "button", "all", "results", "none", "failed")
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
            "to_traditional": self.traditional.convert,
            "tags": self.tags,
            "root": relative_url(here, self.url("home", "home", locale)),
            # The same page in zh-Hans, for "the Chinese text has changed since" notices.
            "source_page": relative_url(here, spec.url(SOURCE_LOCALE, self.default_locale)),
            "link_in": lambda target_kind, target_ref, target_locale: relative_url(here, self.url(target_kind, target_ref, target_locale)),
            "page_of": self.page_of,
        }
        if kind == "item":
            item = self.data.item(ref)
            context.update(item=item, plan=self.data.plan(item.plan_id))
        elif kind in ("section", "parallel"):
            plan = next(p for p in self.data.plans if any(s.id == ref for s in p.sections))
            context.update(plan=plan, section=next(s for s in plan.sections if s.id == ref))
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
        kind = {"subsection": "section"}.get(owner.KIND, owner.KIND)
        ref = owner.section_id if owner.KIND == "subsection" else owner.id  # type: ignore[attr-defined]
        return kind, ref

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


__all__ = ["Locale", "RenderError", "Site", "relative_url", "Plan", "item_path", "plan_path", "section_path"]


_last: tuple[Any, Site] | None = None


def site_for_config(config: Any) -> Site:
    """The Site for an MkDocs config: locales come from the i18n plugin's languages.

    Every page asks for it, so the answer is kept for the config it was made for:
    one build (all its languages) shares one config, and `mkdocs serve` makes a new
    config for each rebuild, which then checks data/ for changes.
    """
    global _last
    if _last is not None and _last[0] is config:
        return _last[1]
    i18n = config.plugins["i18n"].config
    locales = [Locale(lang.locale, lang.name) for lang in i18n.languages if lang.build]
    default = next(lang.locale for lang in i18n.languages if lang.default)
    site = Site.load(Path(config.config_file_path).parent, locales, default)
    _last = (config, site)
    return site


def configured_locales(root: Path) -> tuple[list[Locale], str]:
    """Locales as mkdocs.yml declares them, for commands that run outside MkDocs."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml uses tags such as !ENV that only MkDocs resolves; they do not matter here.
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            languages = [lang for lang in plugin["i18n"]["languages"] if lang.get("build", True)]
            default = next(lang["locale"] for lang in languages if lang.get("default"))
            return [Locale(lang["locale"], lang["name"]) for lang in languages], default
    raise ValueError("mkdocs.yml has no i18n plugin with languages")

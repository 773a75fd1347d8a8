"""Which pages the site has, where they live, and the thin stub file for each.

mkdocs-static-i18n only localises pages that exist as files under docs_dir, so
every page is written as a small stub (front matter naming the page kind, the
data it shows and its locale, and one macro call); the macro fills it in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .l10n import SOURCE_LOCALE, Catalog
from .model import Item, Section, SiteData

STUB_MARKER = "generated from data/ by scripts/plansite"


@dataclass(frozen=True)
class PageSpec:
    kind: str  # one template per kind: overrides/pages/<kind>.html
    path: str  # directory of the page relative to the site root, "" for home
    ref: str  # the id of what the page shows
    title_key: str  # catalog key of the page title

    def url(self, locale: str, default_locale: str = SOURCE_LOCALE) -> str:
        """Site-relative URL, e.g. '/zh-Hant/framework-agreement-2020/7/'."""
        prefix = "" if locale == default_locale else f"{locale}/"
        return "/" + prefix + (f"{self.path}/" if self.path else "")

    def stub_name(self, locale: str, default_locale: str = SOURCE_LOCALE) -> str:
        base = f"{self.path}/index" if self.path else "index"
        return f"{base}.md" if locale == default_locale else f"{base}.{locale}.md"


def plan_path(plan_slug: str) -> str:
    return plan_slug


def section_path(plan_slug: str, number: int) -> str:
    return f"{plan_slug}/section-{number}"


def item_path(plan_slug: str, number: int) -> str:
    return f"{plan_slug}/{number}"


def page_specs(data: SiteData) -> list[PageSpec]:
    specs = [
        PageSpec("home", "", "home", "ui.site_name"),
        PageSpec("glossary", "glossary", "glossary", "ui.glossary_title"),
        PageSpec("status", "translation-status", "status", "ui.status_title"),
        PageSpec("search", "search", "search", "ui.search_title"),
        PageSpec("places", "places", "places", "ui.places_title"),
        PageSpec("domains", "domains", "domains", "ui.domains_title"),
        PageSpec("downloads", "downloads", "downloads", "ui.downloads_title"),
    ]
    specs += [PageSpec("place", f"places/{p.id}", p.id, p.key("name")) for p in data.places]
    specs += [PageSpec("domain", f"domains/{d.id}", d.id, d.key("name")) for d in data.domains]
    for plan in data.plans:
        specs.append(PageSpec("plan", plan_path(plan.slug), plan.id, plan.key("short_title")))
        for section in plan.sections:
            specs.append(PageSpec("section", section_path(plan.slug, section.number), section.id, section.key("title")))
            specs.append(
                PageSpec("parallel", f"{section_path(plan.slug, section.number)}/parallel", section.id, section.key("title"))
            )
        for item in plan.items:
            specs.append(PageSpec("item", item_path(plan.slug, item.number), item.id, item.key("title")))
    return specs


def item_heading(catalog: Catalog, item: Item) -> str:
    """"7. title" as the language writes it (plain text; the templates' item_heading
    macro is the same in HTML, marking an untranslated title's language)."""
    return catalog.text("ui.item_heading").format(number=item.number, title=catalog.text(item.key("title")))


def section_heading(catalog: Catalog, section: Section) -> str:
    number = section.number
    return catalog.text("ui.section_heading").format(numeral=chinese_numeral(number), number=number, title=catalog.text(section.key("title")))


def page_title(spec: PageSpec, catalog: Catalog, data: SiteData) -> str:
    """Plain-text title of a page (not escaped)."""
    if spec.kind == "item":
        return item_heading(catalog, data.item(spec.ref))
    if spec.kind in ("section", "parallel"):
        heading = section_heading(catalog, data.section(spec.ref))
        return heading if spec.kind == "section" else catalog.text("ui.parallel_title").format(section=heading)
    return catalog.text(spec.title_key)


def page_description(spec: PageSpec, catalog: Catalog, data: SiteData) -> str:
    """A plain-text summary for search engines and link previews."""
    if spec.kind == "item":
        text = catalog.text(data.item(spec.ref).key("text"))
    elif spec.kind == "plan":
        text = catalog.text(data.plan(spec.ref).key("title"))
    elif spec.kind in ("place", "domain"):
        text = catalog.text(f"{spec.kind}.{spec.ref}.description")
    elif spec.kind == "downloads":
        text = catalog.text("ui.downloads_intro")
    else:
        text = catalog.text("ui.site_description")
    return text if len(text) <= 160 else text[:157] + "…"


def chinese_numeral(number: int) -> str:
    """1..99 as the document numbers its sections: 一, 十, 十一, 二十三."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(number, 10)
    if not 0 < number < 100:
        return str(number)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones else "")


def stub_text(spec: PageSpec, locale: str, alternates: dict[str, str], lastmod: str) -> str:
    # No text from data goes into a stub: mkdocs-macros would render a front-matter
    # title holding "{{" as a template. The hooks give each page its title and
    # description after mkdocs-macros has run (scripts/mkdocs_hooks.py).
    front = {
        "kind": spec.kind,
        "ref": spec.ref,
        "locale": locale,
        "alternates": alternates,
        "lastmod": lastmod,  # from data (changelog, outcome entries), for the sitemap
    }
    # One JSON value per key: valid YAML, and far quicker to write than a YAML dump
    # (thousands of stubs at ten times today's data).
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in front.items())
    return f"---\n# {STUB_MARKER}; edit the data, not this file\n{lines}---\n\n{{{{ render_page() }}}}\n"


def write_stubs(docs_dir: Path, stubs: dict[str, str]) -> list[str]:
    """Make docs_dir hold exactly these stubs; returns the names that changed.

    Files are only rewritten when their content changes, so `mkdocs serve` does not
    see its own output as an edit and rebuild forever.
    """
    changed = []
    for name, text in stubs.items():
        target = docs_dir / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            changed.append(name)
    for existing in docs_dir.rglob("*.md"):
        name = existing.relative_to(docs_dir).as_posix()
        if name not in stubs and STUB_MARKER in existing.read_text(encoding="utf-8"):
            existing.unlink()
            changed.append(name)
    for folder in sorted((p for p in docs_dir.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changed

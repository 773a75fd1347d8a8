"""The changelog (data/changelog.yaml) and the Atom feeds made from it.

One feed per locale, at the locale's root (`/feed.xml`, `/zh-Hant/feed.xml`,
`/pt/feed.xml`), with one entry per item per change, linking to the item's page.
Every date comes from the changelog, never from the clock, so two builds of the
same data write the same feeds.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import yamlio
from .l10n import SOURCE_LOCALE
from .model import InvalidData, SiteData
from .pages import item_heading
from .textclean import artefacts_in
from .yamlio import DataError, Mapping, Sequence

if TYPE_CHECKING:
    from .catalogs import Traditional
    from .locales import Locale
    from .site import Site

CHANGELOG = "data/changelog.yaml"
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_NAME = "feed.xml"
# Changes are dated in Macao time; a date means the start of that day there.
TIME_OF_DAY = "T00:00:00+08:00"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Change:
    date: str  # YYYY-MM-DD
    items: tuple[str, ...]  # item ids, in plan order
    summary: str  # zh-Hans
    translations: dict[str, str]  # locale -> summary
    ordinal: int  # position among the changes of the same date, for stable entry ids
    previous: dict[str, str] = field(default_factory=dict)  # item id -> its zh-Hans text before this change
    languages: tuple[str, ...] = ()  # the translations it changed, when only some: none listed means all

    def summary_in(self, locale: Locale, traditional: Traditional) -> tuple[str, str]:
        """The summary for a locale and the language it is actually in."""
        if locale.code in self.translations:
            return self.translations[locale.code], locale.code
        if locale.generated:
            return traditional.convert(self.summary), locale.code
        return self.summary, SOURCE_LOCALE


@dataclass(frozen=True)
class Changelog:
    feed_id: uuid.UUID
    changes: tuple[Change, ...]  # oldest first

    @property
    def updated(self) -> str:
        return max(change.date for change in self.changes)


def load_changelog(root: Path, data: SiteData, locales: tuple[str, ...] = ()) -> Changelog:
    """Read and check data/changelog.yaml; every problem names its line."""
    doc = yamlio.load(root / CHANGELOG, CHANGELOG)
    errors: list[DataError] = []

    def error(line: int | None, message: str) -> None:
        errors.append(DataError(CHANGELOG, line, message))

    if not isinstance(doc, Mapping) or set(doc) != {"feed_id", "changes"}:
        raise InvalidData([DataError(CHANGELOG, 1, "expected exactly the keys 'feed_id' and 'changes'")])
    try:
        feed_id = uuid.UUID(str(doc["feed_id"]).removeprefix("urn:uuid:"))
    except ValueError:
        feed_id = uuid.NAMESPACE_URL
        error(doc.line_of("feed_id"), f"feed_id: expected a UUID (urn:uuid:…), got {doc['feed_id']!r}")
    raw_changes = doc["changes"]
    if not isinstance(raw_changes, Sequence) or not raw_changes:
        raise InvalidData(
            [DataError(CHANGELOG, doc.line_of("changes"), "changes: expected a list of at least one change")]
        )
    all_ids = [item.id for item in data.items]
    changes: list[Change] = []
    per_date: dict[str, int] = {}
    previous = ""
    for n, raw in enumerate(raw_changes):
        line = raw_changes.item_lines[n]
        where = f"changes[{n}]"
        if not isinstance(raw, Mapping):
            error(line, f"{where}: expected a mapping with date, items and summary")
            continue
        unknown = set(raw) - {"date", "items", "summary", "translations", "previous", "languages"}
        missing = {"date", "items", "summary"} - set(raw)
        if unknown or missing:
            error(
                line,
                f"{where}: "
                + "; ".join(
                    ([f"unknown key(s) {', '.join(sorted(unknown))}"] if unknown else [])
                    + ([f"missing {', '.join(sorted(missing))}"] if missing else [])
                ),
            )
            continue
        when = raw["date"]
        if not isinstance(when, str) or not DATE.match(when):
            error(raw.line_of("date"), f"{where}.date: expected a date like 2026-11-22, got {when!r}")
            continue
        try:
            date.fromisoformat(when)
        except ValueError:
            error(raw.line_of("date"), f"{where}.date: {when} is not a date")
            continue
        if when < previous:
            error(
                raw.line_of("date"),
                f"{where}.date: {when} is before the change above it ({previous}); keep the oldest first",
            )
        previous = max(previous, when)
        items = raw["items"]
        if items == "all":
            ids = tuple(all_ids)
        elif isinstance(items, Sequence) and items and all(isinstance(i, str) for i in items):
            unknown_ids = [i for i in items if i not in all_ids]
            if unknown_ids:
                error(raw.line_of("items"), f"{where}.items: no such item(s): {', '.join(unknown_ids)}")
                continue
            ids = tuple(i for i in all_ids if i in items)
        else:
            error(raw.line_of("items"), f"{where}.items: expected 'all' or a list of item ids like fa2020-07")
            continue
        summary = raw["summary"]
        if not isinstance(summary, str) or not summary.strip():
            error(raw.line_of("summary"), f"{where}.summary: expected text (zh-Hans)")
            continue
        if problems := artefacts_in(summary.strip()):
            error(raw.line_of("summary"), f"{where}.summary: contains " + ", ".join(problems))
            continue
        translations = raw.get("translations") or Mapping()
        if not isinstance(translations, Mapping) or not all(
            isinstance(v, str) and v.strip() for v in translations.values()
        ):
            error(raw.line_of("translations"), f"{where}.translations: expected a mapping of locale to text")
            continue
        bad = [
            (locale, problems)
            for locale, text in translations.items()
            if (problems := artefacts_in(text.strip(), chinese_source=False))
            or (locales and locale not in locales)
        ]
        for locale, problems in bad:
            what = "contains " + ", ".join(problems) if problems else f"'{locale}' is not a language of the site"
            error(translations.line_of(locale), f"{where}.translations.{locale}: {what}")
        if bad:
            continue
        earlier = raw.get("previous") or Mapping()
        if not isinstance(earlier, Mapping) or not all(isinstance(v, str) and v.strip() for v in earlier.values()):
            error(raw.line_of("previous"), f"{where}.previous: expected a mapping of item id to its earlier text (zh-Hans)")
            continue
        wrong = [(k, ("not one of this change's items" if k not in ids else "contains " + ", ".join(artefacts_in(v.strip())))) for k, v in earlier.items() if k not in ids or artefacts_in(v.strip())]
        for item_id, what in wrong:
            error(earlier.line_of(item_id), f"{where}.previous.{item_id}: {what}")
        if wrong:
            continue
        languages = raw.get("languages") or []
        if not isinstance(languages, list) or not all(isinstance(code, str) and (not locales or code in locales) for code in languages):
            error(raw.line_of("languages"), f"{where}.languages: expected a list of the site's languages ({', '.join(locales)})")
            continue
        changes.append(
            Change(when, ids, summary.strip(), {k: v.strip() for k, v in translations.items()}, per_date.get(when, 0),
                   {k: v.strip() for k, v in earlier.items()}, tuple(languages))
        )
        per_date[when] = per_date.get(when, 0) + 1
    if changes and set(changes[0].items) != set(all_ids):
        error(
            raw_changes.item_lines[0], "changes[0]: the first change must be the initial publication, with items: all"
        )
    if errors:
        raise InvalidData(errors)
    return Changelog(feed_id, tuple(changes))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def feed_path(site: "Site", locale: str) -> str:
    """Site-relative path of a locale's feed, e.g. 'zh-Hant/feed.xml'."""
    return site.url("home", "home", locale).lstrip("/") + FEED_NAME


def feed_title(site: Site, locale: str) -> str:
    catalog = site.catalogs[locale]
    return f"{catalog.text('ui.site_name')} · {catalog.text('ui.feed_title')}"


def feed_xml(site: "Site", changelog: Changelog, locale: str, site_url: str) -> bytes:
    catalog = site.catalogs[locale]
    base = site_url.rstrip("/")
    feed_uuid = uuid.uuid5(changelog.feed_id, locale)
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: locale})
    _sub(root, "id", feed_uuid.urn)
    _sub(root, "title", feed_title(site, locale))
    _sub(root, "subtitle", catalog.text("ui.feed_subtitle"))
    recorded = [note.source.read for item in site.data.items for note in item.progress]
    _sub(root, "updated", max([changelog.updated, *recorded]) + TIME_OF_DAY)
    _sub(root, "link", rel="self", type="application/atom+xml", href=f"{base}/{feed_path(site, locale)}")
    _sub(root, "link", rel="alternate", type="text/html", hreflang=locale, href=base + site.url("home", "home", locale))
    author = _sub(root, "author")
    _sub(author, "name", catalog.text("ui.site_name"))
    _sub(author, "uri", base + site.url("home", "home", locale))
    for change in reversed(changelog.changes):
        summary, summary_lang = change.summary_in(site.locale(locale), site.traditional)
        for item_id in change.items:
            item = site.data.item(item_id)
            plan_title = catalog.text(site.data.plan(item.plan_id).key("short_title"))
            entry = _sub(root, "entry")
            _sub(entry, "id", uuid.uuid5(changelog.feed_id, f"{locale}/{change.date}/{change.ordinal}/{item_id}").urn)
            title = item_heading(catalog, item)
            _sub(entry, "title", f"{title} · {plan_title}")
            _sub(entry, "updated", change.date + TIME_OF_DAY)
            _sub(
                entry,
                "link",
                rel="alternate",
                type="text/html",
                hreflang=locale,
                href=base + site.item_url(item, locale),
            )
            attrs = {} if summary_lang == locale else {XML_LANG: summary_lang}
            _sub(entry, "summary", summary, type="text", **attrs)
    # Outcome entries (what became of an item): each appears when it is recorded.
    for item in site.data.items:
        for note in item.progress:
            entry = _sub(root, "entry")
            _sub(entry, "id", uuid.uuid5(changelog.feed_id, f"{locale}/outcome/{item.id}/{note.source.url}/{note.date}").urn)
            heading_text = item_heading(catalog, item)
            plan_title = catalog.text(site.data.plan(item.plan_id).key("short_title"))
            _sub(entry, "title", f"{catalog.text('ui.outcome_' + note.outcome)} · {heading_text} · {plan_title}")
            _sub(entry, "updated", note.source.read + TIME_OF_DAY)
            _sub(entry, "link", rel="alternate", type="text/html", hreflang=locale, href=base + site.item_url(item, locale) + "#outcome")
            _sub(entry, "link", rel="related", href=note.source.url)
            text = catalog.lookup(note.key("text"))
            attrs = {XML_LANG: SOURCE_LOCALE} if text.status == "missing" else {}
            _sub(entry, "summary", f"{note.date}: {text.text}", type="text", **attrs)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_feeds(site: "Site", changelog: Changelog, site_dir: Path, site_url: str) -> list[Path]:
    written = []
    for loc in site.locales:
        target = site_dir / feed_path(site, loc.code)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(feed_xml(site, changelog, loc.code, site_url))
        written.append(target)
    return written

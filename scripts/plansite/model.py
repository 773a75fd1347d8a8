"""Typed model of the site's data and its validation.

`load_site_data(root)` reads everything under `data/`, checks it against the
schema described in docs/editing.md and returns a `SiteData`; any problem raises
`InvalidData` listing every error with its file and line.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, ClassVar

from . import yamlio
from .textclean import artefacts_in
from .yamlio import DataError, Mapping, Sequence

PLAN_ID = re.compile(r"^[a-z][a-z0-9]{1,15}$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ITEM_ID = re.compile(r"^[a-z][a-z0-9]{1,15}-\d{2,3}$")
TAG_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The one limit on a headline: an item's title and a plan's short title, in characters
# (the importer's drafts respect it too; the README states it).
TITLE_LIMIT = 40
# language[-script][-region], as a locale folder would be named
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?")


class InvalidData(Exception):
    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class Translatable:
    """Data that has text to translate owns the keys of its texts (`item.key("title")`
    is "item.fa2020-07.title"): nothing else spells a translation key."""

    KIND: ClassVar[str]
    TEXT_FIELDS: ClassVar[tuple[str, ...]]

    @property
    def key_id(self) -> str:
        return self.id  # type: ignore[attr-defined]

    def key(self, text_field: str) -> str:
        if text_field not in self.TEXT_FIELDS:
            raise KeyError(f"{self.KIND} has no text field '{text_field}' (it has {', '.join(self.TEXT_FIELDS)})")
        return f"{self.KIND}.{self.key_id}.{text_field}"


@dataclass(frozen=True)
class Subsection(Translatable):
    KIND = "subsection"
    TEXT_FIELDS = ("title",)

    section_id: str
    number: int
    title: str
    line: int = field(default=0, compare=False)

    @property
    def key_id(self) -> str:
        return f"{self.section_id}-{self.number}"


@dataclass(frozen=True)
class Section(Translatable):
    KIND = "section"
    TEXT_FIELDS = ("title",)

    plan_id: str
    number: int
    title: str
    subsections: tuple[Subsection, ...] = ()
    line: int = field(default=0, compare=False)

    @property
    def id(self) -> str:
        return f"{self.plan_id}-s{self.number}"

    @property
    def slug(self) -> str:
        return f"section-{self.number}"

    def subsection(self, number: int) -> Subsection:
        """By its number, never by its position in the list."""
        return next(s for s in self.subsections if s.number == number)


OUTCOMES = ("done", "step", "background")  # what an entry reports; see outcomes.py for an item's status


@dataclass(frozen=True)
class Source:
    """Where an outcome entry comes from, as it was read."""

    url: str
    title: str  # in the source's own language
    publisher: str  # "site（转 original）" for a copy
    published: str | None  # YYYY[-MM[-DD]], when the source gives it
    language: str  # of the title: zh, pt, en…
    read: str  # YYYY-MM-DD, when it was read: the date the entry was recorded
    copy: bool = False  # a repost of another publisher's article
    title_given: bool = True  # False: the page shows no title; this one describes it


@dataclass(frozen=True)
class ProgressNote(Translatable):
    """What became of an item: one dated, sourced entry (outcome research)."""

    KIND = "progress"
    TEXT_FIELDS = ("text",)

    item_id: str
    number: int  # 1, 2… in the order listed: the key of its translations
    date: str  # of the event, YYYY[-MM[-DD]]
    outcome: str  # done: the promised thing happened; step: a step toward it; background: before 2020
    text: str  # zh-Hans, in our own words
    source: Source
    line: int = field(default=0, compare=False)

    @property
    def key_id(self) -> str:
        return f"{self.item_id}-{self.number}"


@dataclass(frozen=True)
class Item(Translatable):
    KIND = "item"
    TEXT_FIELDS = ("title", "text")

    id: str
    plan_id: str
    number: int
    section: int
    subsection: int | None
    title: str
    text: str
    places: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    progress: tuple[ProgressNote, ...] = ()
    source_line: int = field(default=0, compare=False)
    researched: str | None = None  # YYYY-MM-DD: when outcomes were last looked for (see outcomes.py)

    @property
    def anchor(self) -> str:
        return f"item-{self.number}"


@dataclass(frozen=True)
class Plan(Translatable):
    KIND = "plan"
    TEXT_FIELDS = ("title", "short_title")

    id: str
    slug: str
    year: int
    title: str
    short_title: str
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    file: str  # the plan file, as error messages name it: data/plans/fa2020.yaml
    order: int = 100
    publishers: tuple[str, ...] = ()  # the issuers, by their official names, where the document names them

    def section(self, number: int) -> Section:
        return next(s for s in self.sections if s.number == number)

    def items_in(self, section: Section) -> list[Item]:
        return [i for i in self.items if i.section == section.number]


@dataclass(frozen=True)
class Place(Translatable):
    KIND = "place"
    TEXT_FIELDS = ("name", "description")

    id: str
    parent: str | None
    name: str
    aliases: tuple[str, ...]
    description: str
    coordinates: tuple[float, float] | None
    line: int = field(default=0, compare=False)
    # Other names a reader may type, per language (Guangzhou for Cantão, Ilha da
    # Montanha for Hengqin): search finds the place's items under them too.
    search_names: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Domain(Translatable):
    KIND = "domain"
    TEXT_FIELDS = ("name", "description")

    id: str
    name: str
    description: str
    line: int = field(default=0, compare=False)


@dataclass
class SiteData:
    root: Path
    plans: list[Plan]
    places: list[Place] = field(default_factory=list)
    domains: list[Domain] = field(default_factory=list)

    @cached_property
    def items(self) -> list[Item]:
        return [item for plan in self.plans for item in plan.items]

    @cached_property
    def _plans_by_id(self) -> dict[str, Plan]:
        return {p.id: p for p in self.plans}

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    def plan(self, plan_id: str) -> Plan:
        return self._plans_by_id[plan_id]

    def section(self, section_id: str) -> Section:
        return next(s for plan in self.plans for s in plan.sections if s.id == section_id)

    def item(self, item_id: str) -> Item:
        return self._items_by_id[item_id]


# --- field checking -------------------------------------------------------------


class _Checker:
    """Collects errors for one file instead of stopping at the first."""

    def __init__(self, path: str):
        self.path = path
        self.errors: list[DataError] = []

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(DataError(self.path, line, message))

    def mapping(self, value: Any, where: str, line: int) -> Mapping | None:
        if not isinstance(value, Mapping):
            self.error(line, f"{where}: expected a mapping of keys to values, got {_kind(value)}")
            return None
        return value

    def keys(self, m: Mapping, where: str, required: set[str], optional: set[str]) -> bool:
        ok = True
        for key in sorted(required - m.keys()):
            self.error(m.line, f"{where}: missing required field '{key}'")
            ok = False
        for key in sorted(m.keys() - required - optional):
            self.error(m.line_of(key), f"{where}: unknown field '{key}'")
        return ok

    def field(self, m: Mapping, key: str, where: str, kind: type, check: Callable[[Any], str | None] | None = None) -> Any:
        value = m.get(key)
        line = m.line_of(key)
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.error(line, f"{where}.{key}: expected a whole number, got {_kind(value)}")
            return None
        if kind is not int and not isinstance(value, kind):
            self.error(line, f"{where}.{key}: expected {_KIND_NAMES[kind]}, got {_kind(value)}")
            return None
        problem = check(value) if check else None
        if problem:
            self.error(line, f"{where}.{key}: {problem}")
            return None
        return value

    def text(self, m: Mapping, key: str, where: str, limit: int | None = None, chinese_source: bool = True, as_printed: bool = False) -> str | None:
        def check(value: str) -> str | None:
            if not value.strip():
                return "must not be empty"
            found = artefacts_in(value, chinese_source, as_printed)
            if found:
                return "contains " + ", ".join(sorted(set(found)))
            if limit and len(value) > limit:
                return f"is {len(value)} characters long; at most {limit}"
            return None

        return self.field(m, key, where, str, check)

    def search_names(self, m: Mapping, where: str) -> dict[str, tuple[str, ...]]:
        """`search_names: {<language>: [other names readers type], …}` (optional)."""
        names: dict[str, tuple[str, ...]] = {}
        if m.get("search_names") is None:
            return names
        raw_names = self.field(m, "search_names", where, dict)
        for code in raw_names or {}:
            if not isinstance(code, str) or not LANGUAGE_TAG.fullmatch(code.lower()):
                self.error(raw_names.line_of(code), f"{where}.search_names: '{code}' is not a language code")
                continue
            listed = self.text_list(raw_names, code, f"{where}.search_names", chinese_source=False)
            if listed is not None:
                names[code] = listed
        return names

    def text_list(self, m: Mapping, key: str, where: str, chinese_source: bool = True) -> tuple[str, ...] | None:
        """An optional list of texts, each checked like any other text."""
        if key not in m:
            return ()
        value = self.field(m, key, where, list)
        if value is None:
            return None
        out = []
        for n, entry in enumerate(value):
            line = value.item_lines[n]
            if not isinstance(entry, str) or not entry.strip():
                self.error(line, f"{where}.{key}[{n}]: expected text, got {_kind(entry)}")
            elif problems := artefacts_in(entry, chinese_source):
                self.error(line, f"{where}.{key}[{n}]: contains " + ", ".join(problems))
            else:
                out.append(entry)
        return tuple(out) if len(out) == len(value) else None

    def id_list(self, m: Mapping, key: str, where: str) -> tuple[str, ...]:
        if key not in m:
            return ()
        value = self.field(m, key, where, list)
        if value is None:
            return ()
        out = []
        for n, entry in enumerate(value):
            if not isinstance(entry, str) or not TAG_ID.match(entry):
                self.error(value.item_lines[n], f"{where}.{key}[{n}]: expected an id like 'hengqin', got {entry!r}")
            elif entry in out:
                self.error(value.item_lines[n], f"{where}.{key}: '{entry}' listed twice")
            else:
                out.append(entry)
        return tuple(out)


_KIND_NAMES = {str: "text", list: "a list", float: "a number", dict: "a mapping", bool: "true or false"}


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value[:20]!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _pattern(regex: re.Pattern[str], example: str) -> Callable[[str], str | None]:
    return lambda value: None if regex.match(value) else f"{value!r} is not a valid id (like '{example}')"


# --- plans ------------------------------------------------------------------------

# Top-level paths the site writes besides the plans: page folders, assets, downloads,
# search indexes, feeds, the sitemap, the 404 page, and the folders of the locales
# (in any letter case: a case-insensitive host would serve /PT/ as /pt/).
RESERVED_PATHS = frozenset(
    {
        "index.html", "404.html", "assets", "data", "search", "places", "domains", "glossary",
        "downloads", "translation-status", "feed.xml", "sitemap.xml", "sitemap.xml.gz", "robots.txt",
        "zh-hans", "zh-hant", "pt", "en", "zh", "zh-cn", "zh-tw", "zh-hk", "zh-mo", "pt-pt", "pt-br",
    }
)


def _slug_check(reserved: frozenset[str]) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if not SLUG.match(value):
            return f"{value!r} is not a valid slug (like 'framework-agreement-2020')"
        if value.casefold() in RESERVED_PATHS | reserved or LANGUAGE_TAG.fullmatch(value):
            return f"'{value}' is a path the site uses for something else (or a language code); choose another slug"
        return None

    return check



def _load_plan(path: Path, display: str, reserved: frozenset[str]) -> tuple[Plan | None, list[DataError]]:
    doc = yamlio.load(path, display)
    c = _Checker(display)
    top = c.mapping(doc, "plan", 1)
    if top is None:
        return None, c.errors
    c.keys(top, "plan", {"id", "slug", "year", "title", "sections", "items"}, {"short_title", "order", "publishers"})
    plan_id = c.field(top, "id", "plan", str, _pattern(PLAN_ID, "fa2020")) if "id" in top else None
    slug = c.field(top, "slug", "plan", str, _slug_check(reserved)) if "slug" in top else None
    year = c.field(top, "year", "plan", int) if "year" in top else None
    title = c.text(top, "title", "plan") if "title" in top else None
    short_title = c.text(top, "short_title", "plan", TITLE_LIMIT) if "short_title" in top else title
    order = c.field(top, "order", "plan", int) if "order" in top else 100
    publishers = c.text_list(top, "publishers", "plan") if "publishers" in top else ()

    sections: list[Section] = []
    raw_sections = c.field(top, "sections", "plan", list) if "sections" in top else None
    for n, raw in enumerate(raw_sections or []):
        where = f"sections[{n}]"
        m = c.mapping(raw, where, raw_sections.item_lines[n])
        if m is None or not c.keys(m, where, {"number", "title"}, {"subsections"}):
            continue
        number = c.field(m, "number", where, int)
        sec_title = c.text(m, "title", where)
        subs: list[Subsection] = []
        raw_subs = c.field(m, "subsections", where, list) if "subsections" in m else []
        for k, raw_sub in enumerate(raw_subs or []):
            sub_where = f"{where}.subsections[{k}]"
            sm = c.mapping(raw_sub, sub_where, raw_subs.item_lines[k])
            if sm is None or not c.keys(sm, sub_where, {"number", "title"}, set()):
                continue
            sub_number = c.field(sm, "number", sub_where, int)
            sub_title = c.text(sm, "title", sub_where)
            if sub_number is not None and any(s.number == sub_number for s in subs):
                c.error(sm.line_of("number"), f"{sub_where}: duplicate subsection number {sub_number}")
            elif sub_number is not None and sub_number != len(subs) + 1:
                c.error(sm.line_of("number"), f"{sub_where}: subsection number {sub_number} out of order; the subsections of a section are numbered 1, 2, 3… in the order listed (expected {len(subs) + 1})")
            elif sub_title is not None:
                subs.append(Subsection(f"{plan_id}-s{number}", sub_number, sub_title, raw_subs.item_lines[k]))
        if number is not None and any(s.number == number for s in sections):
            c.error(m.line_of("number"), f"{where}: duplicate section number {number}")
        elif number is not None and number != len(sections) + 1:
            c.error(m.line_of("number"), f"{where}: section number {number} out of order; sections are numbered 1, 2, 3… in the order listed (expected {len(sections) + 1})")
        elif sec_title is not None:
            sections.append(Section(plan_id or "", number, sec_title, tuple(subs), raw_sections.item_lines[n]))

    items: list[Item] = []
    raw_items = c.field(top, "items", "plan", list) if "items" in top else None
    seen_numbers: dict[int, int] = {}
    seen_ids: dict[str, int] = {}
    for n, raw in enumerate(raw_items or []):
        item = _load_item(c, raw, f"items[{n}]", raw_items.item_lines[n], plan_id or "", year, sections, seen_numbers, seen_ids)
        if item:
            items.append(item)
    if raw_items is not None and not raw_items:
        c.error(top.line_of("items"), "plan.items: a plan needs at least one item")

    if c.errors or None in (plan_id, slug, year, title):
        return None, c.errors
    plan = Plan(plan_id, slug, year, title, short_title or title, tuple(sections), tuple(items), display, order or 100, publishers or ())
    return plan, c.errors


def _load_item(
    c: _Checker,
    raw: Any,
    where: str,
    line: int,
    plan_id: str,
    year: int | None,
    sections: list[Section],
    seen_numbers: dict[int, int],
    seen_ids: dict[str, int],
) -> Item | None:
    m = c.mapping(raw, where, line)
    if m is None:
        return None
    if isinstance(m.get("id"), str):
        where = f"item {m['id']}"
    if not c.keys(m, where, {"id", "number", "section", "title", "text"}, {"subsection", "places", "domains", "progress", "researched"}):
        return None
    item_id = c.field(m, "id", where, str, _pattern(ITEM_ID, f"{plan_id}-07"))
    where = f"item {item_id}" if item_id else where
    number = c.field(m, "number", where, int, lambda v: None if v > 0 else "must be 1 or more")
    section_no = c.field(m, "section", where, int)
    subsection_no = c.field(m, "subsection", where, int) if "subsection" in m else None
    title = c.text(m, "title", where, TITLE_LIMIT)
    text = c.text(m, "text", where)
    places = c.id_list(m, "places", where)
    domains = c.id_list(m, "domains", where)
    progress = _load_progress(c, m, where, item_id or "", year)
    researched = c.field(m, "researched", where, str, _date_check(FULL_DATE, "YYYY-MM-DD")) if "researched" in m else None
    if progress and researched is None:
        c.error(m.line_of("progress"), f"{where}: an item with progress entries says when it was researched (researched: YYYY-MM-DD)")

    if number is not None:
        if number in seen_numbers:
            c.error(m.line_of("number"), f"{where}: duplicate item number {number} (also on line {seen_numbers[number]})")
        seen_numbers.setdefault(number, m.line_of("number"))
    if item_id is not None:
        # Ids and numbers are checked apart so that either mistake is named as such.
        if item_id in seen_ids:
            c.error(m.line_of("id"), f"{where}: duplicate item id '{item_id}' (also on line {seen_ids[item_id]})")
        seen_ids.setdefault(item_id, m.line_of("id"))
    if item_id is not None and number is not None and item_id != f"{plan_id}-{number:02d}":
        c.error(m.line_of("id"), f"{where}: id must be '{plan_id}-{number:02d}' (plan id and number)")
    section = next((s for s in sections if s.number == section_no), None)
    if section_no is not None and section is None:
        known = ", ".join(str(s.number) for s in sections)
        c.error(m.line_of("section"), f"{where}: unknown section {section_no} (this plan has sections {known})")
    if section is not None and subsection_no is not None and not any(s.number == subsection_no for s in section.subsections):
        c.error(m.line_of("subsection"), f"{where}: unknown subsection {subsection_no} of section {section_no}")
    if None in (item_id, number, section, title, text):
        return None
    return Item(item_id, plan_id, number, section_no, subsection_no, title, text, places, domains, progress, line, researched)


DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")  # a year, a month or a day, as precise as the source
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_check(pattern: re.Pattern[str], shape: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if not pattern.match(value):
            return f"expected a date {shape}, got {value!r}"
        parts = [int(p) for p in value.split("-")]
        try:
            date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            return f"{value} is not a date"
        if value > date.today().isoformat()[: len(value)]:
            return f"{value} is after today"
        return None

    return check


def _load_progress(c: _Checker, m: Mapping, where: str, item_id: str, year: int | None) -> tuple[ProgressNote, ...]:
    if "progress" not in m:
        return ()
    raw = c.field(m, "progress", where, list)
    notes = []
    for n, entry in enumerate(raw or []):
        note_where = f"{where}.progress[{n}]"
        pm = c.mapping(entry, note_where, raw.item_lines[n])
        if pm is None or not c.keys(pm, note_where, {"date", "outcome", "text", "source"}, set()):
            continue
        when = c.field(pm, "date", note_where, str, _date_check(DATE, "YYYY, YYYY-MM or YYYY-MM-DD"))
        outcome = c.field(pm, "outcome", note_where, str, lambda v: None if v in OUTCOMES else f"expected one of {', '.join(OUTCOMES)}")
        if when and outcome and year and outcome != "background" and int(when[:4]) < year:
            c.error(pm.line_of("date"), f"{note_where}: {when} is before the plan's year {year}: an earlier event the item builds on is outcome: background")
        text = c.text(pm, "text", note_where)
        source = _load_source(c, pm, note_where)
        if None not in (when, outcome, text, source):
            notes.append(ProgressNote(item_id, n + 1, when, outcome, text, source, raw.item_lines[n]))
    return tuple(notes)


def _load_source(c: _Checker, pm: Mapping, where: str) -> Source | None:
    sm = c.mapping(pm.get("source"), f"{where}.source", pm.line_of("source"))
    if sm is None or not c.keys(sm, f"{where}.source", {"url", "title", "publisher", "language", "read"}, {"published", "copy", "title_given"}):
        return None
    where = f"{where}.source"

    def web_address(value: str) -> str | None:
        parts = urllib.parse.urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in value):
            return "expected an http(s):// address, exactly as the page was read"
        return None

    url = c.field(sm, "url", where, str, web_address)
    title = c.text(sm, "title", where, chinese_source=False, as_printed=True)  # the source's own title
    publisher = c.text(sm, "publisher", where, chinese_source=False)
    language = c.field(sm, "language", where, str, _pattern(re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$"), "zh"))
    read = c.field(sm, "read", where, str, _date_check(FULL_DATE, "YYYY-MM-DD"))
    published = c.field(sm, "published", where, str, _date_check(DATE, "YYYY, YYYY-MM or YYYY-MM-DD")) if "published" in sm else None
    copy = c.field(sm, "copy", where, bool) if "copy" in sm else False
    title_given = c.field(sm, "title_given", where, bool) if "title_given" in sm else True
    if None in (url, title, publisher, language, read, copy, title_given) or ("published" in sm and published is None):
        return None
    return Source(url, title, publisher, published, language, read, copy, title_given)


# --- places and domains -----------------------------------------------------------


def _load_places(path: Path, display: str) -> tuple[list[Place], list[DataError]]:
    doc = yamlio.load(path, display)
    c = _Checker(display)
    places: list[Place] = []
    if not isinstance(doc, Sequence):
        c.error(getattr(doc, "line", 1), f"places: expected a list, got {_kind(doc)}")
        return places, c.errors
    lines: dict[str, int] = {}
    for n, raw in enumerate(doc):
        m = c.mapping(raw, f"places[{n}]", doc.item_lines[n])
        if m is None or not c.keys(m, f"places[{n}]", {"id", "name", "description"}, {"parent", "aliases", "coordinates", "search_names"}):
            continue
        pid = c.field(m, "id", f"places[{n}]", str, _pattern(TAG_ID, "hengqin"))
        where = f"place {pid}"
        if pid in lines:
            c.error(m.line_of("id"), f"{where}: duplicate place id '{pid}' (also on line {lines[pid]})")
            continue
        parent = c.field(m, "parent", where, str) if m.get("parent") is not None else None
        name = c.text(m, "name", where)
        description = c.text(m, "description", where)
        aliases = c.text_list(m, "aliases", where)
        coords = None
        if m.get("coordinates") is not None:
            raw_c = c.field(m, "coordinates", where, list)
            if raw_c is not None and (len(raw_c) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw_c)):
                c.error(m.line_of("coordinates"), f"{where}.coordinates: expected [latitude, longitude]")
            elif raw_c is not None:
                coords = (float(raw_c[0]), float(raw_c[1]))
        if pid:
            lines[pid] = m.line_of("id")
        search_names = c.search_names(m, where)
        if pid and name and description and aliases is not None:
            places.append(Place(pid, parent, name, aliases, description, coords, doc.item_lines[n], search_names))
    by_id = {p.id: p for p in places}
    for p in places:
        if p.parent and p.parent not in by_id:
            c.error(lines[p.id], f"place {p.id}: unknown parent '{p.parent}'")
            continue
        # Follow the parents: a loop would make every page that walks up the tree spin.
        seen = [p.id]
        parent = p.parent
        while parent and parent in by_id and parent not in seen:
            seen.append(parent)
            parent = by_id[parent].parent
        if parent == p.id:  # reported for the places on the loop, not for everything below them
            chain = " → ".join(seen + [parent])
            c.error(lines[p.id], f"place {p.id}: its parents loop back to it ({chain})")
    return places, c.errors


def _load_domains(path: Path, display: str) -> tuple[list[Domain], list[DataError]]:
    doc = yamlio.load(path, display)
    c = _Checker(display)
    domains: list[Domain] = []
    if not isinstance(doc, Sequence):
        c.error(getattr(doc, "line", 1), f"domains: expected a list, got {_kind(doc)}")
        return domains, c.errors
    lines: dict[str, int] = {}
    for n, raw in enumerate(doc):
        m = c.mapping(raw, f"domains[{n}]", doc.item_lines[n])
        if m is None or not c.keys(m, f"domains[{n}]", {"id", "name", "description"}, set()):
            continue
        did = c.field(m, "id", f"domains[{n}]", str, _pattern(TAG_ID, "finance"))
        if did in lines:
            c.error(m.line_of("id"), f"domain {did}: duplicate domain id '{did}' (also on line {lines[did]})")
            continue
        if did:
            lines[did] = m.line_of("id")
        name = c.text(m, "name", f"domain {did}")
        description = c.text(m, "description", f"domain {did}")
        if did and name and description:
            domains.append(Domain(did, name, description, doc.item_lines[n]))
    return domains, c.errors


# --- the whole data folder -------------------------------------------------------


def load_site_data(root: Path, locales: tuple[str, ...] = ()) -> SiteData:
    """Load and cross-check everything under `root/data`. `locales`: the codes of the
    site's languages, whose folders no plan slug may take (in any letter case)."""
    reserved = frozenset(code.casefold() for code in locales)
    data_dir = root / "data"
    errors: list[DataError] = []
    plans: list[Plan] = []
    plan_files = sorted((data_dir / "plans").glob("*.yaml"))
    if not plan_files:
        raise InvalidData([DataError(data_dir / "plans", None, "no plan files (*.yaml) found")])
    origin: dict[str, str] = {}
    plan_files_by_id: dict[str, str] = {}
    for path in plan_files:
        display = path.relative_to(root).as_posix()
        try:
            plan, plan_errors = _load_plan(path, display, reserved)
        except DataError as exc:
            errors.append(exc)
            continue
        errors.extend(plan_errors)
        if plan is None:
            continue
        for key, label in ((plan.id, "plan id"), (plan.slug, "plan slug")):
            if key in origin:
                errors.append(DataError(display, 1, f"{label} '{key}' is also used in {origin[key]}"))
            origin[key] = display
        plans.append(plan)
        plan_files_by_id[plan.id] = display

    places: list[Place] = []
    domains: list[Domain] = []
    for name, loader, target in (("places.yaml", _load_places, places), ("domains.yaml", _load_domains, domains)):
        path = data_dir / name
        if path.exists():
            try:
                loaded, errs = loader(path, path.relative_to(root).as_posix())
            except DataError as exc:
                errors.append(exc)
                continue
            target.extend(loaded)
            errors.extend(errs)

    place_ids, domain_ids = {p.id for p in places}, {d.id for d in domains}
    # References are checked only against files that loaded: one broken line in
    # places.yaml must not be reported as every item's unknown place.
    unreadable = {e.path for e in errors}
    for plan in plans:
        display = plan_files_by_id[plan.id]
        for item in plan.items:
            for pid in item.places:
                if pid not in place_ids and "data/places.yaml" not in unreadable:
                    errors.append(DataError(display, item.source_line, f"item {item.id}: unknown place '{pid}'"))
            for did in item.domains:
                if did not in domain_ids and "data/domains.yaml" not in unreadable:
                    errors.append(DataError(display, item.source_line, f"item {item.id}: unknown domain '{did}'"))
    if errors:
        raise InvalidData(errors)
    plans.sort(key=lambda p: (p.year, p.order, p.id))
    return SiteData(root=root, plans=plans, places=places, domains=domains)


@dataclass(frozen=True)
class GlossaryTerm:
    """A recurring term and its one translation per language (`pt: …`), with other
    accepted forms (`pt_forms: […]`: plural, inflected). A generated language
    (zh-Hant) needs no entry; one given overrides the generated form."""

    zh_hans: str
    translations: dict[str, str] = field(default_factory=dict)  # locale -> the term
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # locale -> other accepted forms
    search_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # locale -> other names readers type

    def used_in(self, locale: str, text: str) -> bool:
        """Whether a translation uses this term (any accepted form, any capitalisation)."""
        folded = text.casefold()
        wanted = (self.translations[locale], *self.forms.get(locale, ()))
        return any(form.casefold() in folded for form in wanted)


def load_glossary(root: Path, locales: tuple[str, ...]) -> list[GlossaryTerm]:
    """Terms with a column per language: `zh-Hans` (required), then `<locale>` and
    `<locale>_forms` for any configured language."""
    path = root / "data" / "glossary.yaml"
    display = "data/glossary.yaml"
    doc = yamlio.load(path, display)
    c = _Checker(display)
    terms: list[GlossaryTerm] = []
    if not isinstance(doc, Sequence):
        raise InvalidData([DataError(display, 1, "expected a list of terms")])
    others = [code for code in locales if code != "zh-Hans"]
    optional = set(others) | {f"{code}_forms" for code in others} | {"search_names"}
    lines: dict[str, int] = {}
    for n, raw in enumerate(doc):
        m = c.mapping(raw, f"glossary[{n}]", doc.item_lines[n])
        if m is None or not c.keys(m, f"glossary[{n}]", {"zh-Hans"}, optional):
            continue
        zh = c.text(m, "zh-Hans", f"glossary[{n}]")
        where = f"glossary term {zh}" if zh else f"glossary[{n}]"
        if zh in lines:
            c.error(m.line_of("zh-Hans"), f"{where}: listed twice (also on line {lines[zh]})")
            continue
        if zh:
            lines[zh] = m.line_of("zh-Hans")
        translations = {code: c.text(m, code, where, chinese_source=False) for code in others if code in m}
        forms = {code: c.text_list(m, f"{code}_forms", where, chinese_source=False) for code in others if f"{code}_forms" in m}
        for code in forms:
            if code not in translations:
                c.error(m.line_of(f"{code}_forms"), f"{where}: {code}_forms without {code}")
        if zh and None not in translations.values() and None not in forms.values():
            terms.append(GlossaryTerm(zh, translations, forms, c.search_names(m, where)))  # type: ignore[arg-type]
    if c.errors:
        raise InvalidData(c.errors)
    return terms

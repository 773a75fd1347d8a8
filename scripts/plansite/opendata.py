"""The open-data downloads in the built site: data/items.json, data/items.csv, one
CSV per plan and locale, and data/datapackage.json describing them all."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .history import as_of, item_history
from .model import ProgressNote
from .outcomes import status_of
from .site import Site


def _localised(site: Site, key: str) -> dict[str, str]:
    """Text per locale; a locale appears once its translation exists."""
    out = {}
    for loc in site.locales:
        entry = site.catalogs[loc.code].lookup(key)
        if entry.status != "missing":
            out[loc.code] = entry.text
    return out


def _urls(site: Site, kind: str, ref: str) -> dict[str, str]:
    return {loc.code: site.url(kind, ref, loc.code) for loc in site.locales}


def items_document(site: Site) -> dict[str, Any]:
    data = site.data
    plans = []
    for plan in data.plans:
        plans.append(
            {
                "id": plan.id,
                "slug": plan.slug,
                "year": plan.year,
                "title": _localised(site, plan.key("title")),
                "short_title": _localised(site, plan.key("short_title")),
                "url": _urls(site, "plan", plan.id),
                "sections": [
                    {
                        "id": section.id,
                        "number": section.number,
                        "title": _localised(site, section.key("title")),
                        "url": _urls(site, "section", section.id),
                        "subsections": [
                            {"number": sub.number, "title": _localised(site, sub.key("title"))}
                            for sub in section.subsections
                        ],
                    }
                    for section in plan.sections
                ],
            }
        )
    items = [
        {
            "id": item.id,
            "plan": item.plan_id,
            "number": item.number,
            "section": f"{item.plan_id}-s{item.section}",
            "subsection": item.subsection,
            "title": _localised(site, item.key("title")),
            "text": _localised(site, item.key("text")),
            "url": _urls(site, "item", item.id),
            "places": list(item.places),
            "domains": list(item.domains),
            "status": status_of(item),
            "researched": item.researched,
            "progress": [progress_record(n, _localised(site, n.key("text"))) for n in item.progress],
        }
        for item in data.items
    ]
    places = [
        {
            "id": place.id,
            "parent": place.parent,
            "name": _localised(site, place.key("name")),
            "url": _urls(site, "place", place.id) if ("place", place.id) in site.specs_by_ref else {},
        }
        for place in data.places
    ]
    domains = [
        {
            "id": domain.id,
            "name": _localised(site, domain.key("name")),
            "url": _urls(site, "domain", domain.id) if ("domain", domain.id) in site.specs_by_ref else {},
        }
        for domain in data.domains
    ]
    return {"plans": plans, "items": items, "places": places, "domains": domains}


# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe, which
    spreadsheets show as text and do not display; numbers are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _SafeWriter:
    """csv.writer whose every cell goes through spreadsheet_safe."""

    def __init__(self, buffer: io.StringIO):
        self._writer = csv.writer(buffer, lineterminator="\r\n")

    def writerow(self, row: list[Any]) -> None:
        self._writer.writerow([spreadsheet_safe(cell) for cell in row])


def progress_record(note: ProgressNote, text: dict[str, str]) -> dict[str, Any]:
    """An outcome entry in items.json: its note per locale, its source as read."""
    source = note.source
    return {
        "date": note.date,
        "outcome": note.outcome,
        "text": text,
        "source": {
            "url": source.url, "title": source.title, "title_language": source.language, "publisher": source.publisher,
            "published": source.published, "copy": source.copy, "read": source.read,
        },
    }


def progress_cell(notes: list[dict[str, Any]], locale: str = "zh-Hans") -> str:
    """Outcome entries in one spreadsheet cell: one line each, date, outcome, note
    (in the locale, else zh-Hans), source."""
    return "\n".join(f"{n['date']} [{n['outcome']}] {n['text'].get(locale, n['text'].get('zh-Hans', ''))} {n['source']['url']}" for n in notes)


def table(fields: tuple["Field", ...], records: list[Any]) -> str:
    """CSV of records, one column per field, each cell read by the field's own getter."""
    buffer = io.StringIO()
    writer = _SafeWriter(buffer)
    writer.writerow([f.name for f in fields])
    for record in records:
        writer.writerow([f.read(record) for f in fields])
    return buffer.getvalue()


def write_open_data(site: Site, site_dir: Path, document: dict[str, Any]) -> list[Path]:
    out_dir = site_dir / "data"
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "items.json"
    json_path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    csv_path = out_dir / "items.csv"
    # A byte-order mark so that spreadsheet programs read the Chinese as UTF-8.
    csv_path.write_text(table(items_csv_fields(site), document["items"]), encoding="utf-8-sig")
    return [json_path, csv_path]


# --- per plan and locale CSVs, and the Frictionless data package ------------------
#
# Every resource and every field is described once, here; datapackage.json and the
# downloads page are both made from these descriptions. Descriptions are interface
# strings (data/ui.yaml, key "ui.<key>"), so the downloads page shows them in its
# language and datapackage.json in zh-Hans, the source language.

DATAPACKAGE = "datapackage.json"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type
    key: str  # ui key of the description
    values: dict[str, Any] = field(default_factory=dict)  # filled into the description
    format: str | None = None
    locale: str | None = None  # the language of a per-language column
    # How a CSV cell is read from a record (an item of items.json, or a plan CSV row);
    # by default the record's value under the field's name.
    get: Callable[[dict[str, Any]], Any] | None = field(default=None, compare=False, repr=False)

    def describe(self, catalog) -> str:  # noqa: ANN001
        return catalog.text(f"ui.{self.key}").format(**self.values)

    def read(self, record: dict[str, Any]) -> Any:
        value = self.get(record) if self.get else record[self.name]
        return "" if value is None else value


@dataclass(frozen=True)
class Resource:
    name: str
    path: str  # relative to the site root
    format: str
    mediatype: str
    key: str  # ui key of the title
    values: dict[str, Any]
    fields: tuple[Field, ...]
    rows: int  # records (CSV: rows below the header)
    tabular: bool = True
    plan_id: str | None = None
    plan_key: str | None = None  # the key of the plan's short title, for the description
    locale: str | None = None

    def describe(self, catalog) -> str:  # noqa: ANN001
        """The title in the catalog's language (the plan's name too; a language by its own name)."""
        values = dict(self.values)
        if self.plan_key:
            values["plan"] = catalog.text(self.plan_key)
        return catalog.plural(f"ui.{self.key}", values["count"]).format(**values)


def plan_csv_path(plan_id: str, locale: str) -> str:
    return f"data/{plan_id}.{locale}.csv"


# Each field is defined once. items.json uses ITEM_FIELDS; items.csv the same ones
# flattened (lists joined with ";", outcome entries one a line, a column per language
# for each text); a plan's CSV (one language) shares the fields it has in common.
ID = Field("id", "string", "field_id")
NUMBER = Field("number", "integer", "field_number")
STATUS = Field("status", "string", "field_status")
ITEM_FIELDS = (
    ID,
    Field("plan", "string", "field_plan"),
    NUMBER,
    Field("section", "string", "field_section"),
    Field("subsection", "integer", "field_subsection_number"),
    Field("title", "object", "field_title_by_locale"),
    Field("text", "object", "field_text_by_locale"),
    Field("url", "object", "field_url_by_locale"),
    Field("places", "array", "field_places_list"),
    Field("domains", "array", "field_domains_list"),
    STATUS,
    Field("researched", "date", "field_researched"),
    Field("progress", "array", "field_progress_list"),
)
FLATTENED = {
    "places": Field("places", "string", "field_places", get=lambda record: ";".join(record["places"])),
    "domains": Field("domains", "string", "field_domains", get=lambda record: ";".join(record["domains"])),
    # A plan CSV's records carry their language; items.csv's notes are in zh-Hans.
    "progress": Field("progress", "string", "field_progress_cell",
                      get=lambda record: progress_cell(record["progress"], record.get("locale", "zh-Hans"))),
}
PER_LOCALE = {"title": "field_title_in", "text": "field_text_in", "url": "field_path_in"}
PLAN_CSV_FIELDS = (
    ID,
    NUMBER,
    Field("section_number", "integer", "field_section_number"),
    Field("section_title", "string", "field_section_title"),
    Field("subsection_number", "integer", "field_subsection_number"),
    Field("subsection_title", "string", "field_subsection_title"),
    Field("title", "string", "field_title"),
    Field("text", "string", "field_text"),
    Field("text_status", "string", "field_text_status"),
    Field("url", "string", "field_url", format="uri"),
    FLATTENED["places"],
    FLATTENED["domains"],
    STATUS,
    FLATTENED["progress"],
)
TEXT_STATUS = {"source": "official", "done": "current", "fuzzy": "stale", "missing": "missing"}  # published vocabulary: fuzzy is "stale"


def items_csv_fields(site: Site) -> tuple[Field, ...]:
    """items.csv's columns, from ITEM_FIELDS: the same fields, flattened."""
    fixed = [FLATTENED.get(f.name, f) for f in ITEM_FIELDS if f.type != "object"]
    per_locale = [
        Field(f"{name}_{loc.code}", "string", key, {"language": loc.name}, locale=loc.code,
              get=lambda item, name=name, code=loc.code: item[name].get(code, ""))
        for loc in site.locales
        for name, key in PER_LOCALE.items()
    ]
    return tuple(fixed + per_locale)


def resources(site: Site) -> list[Resource]:
    """Every download, in the order the downloads page lists them."""
    names = {loc.code: loc.name for loc in site.locales}
    n_items = len(site.data.items)
    out = [
        Resource("items-json", "data/items.json", "json", "application/json", "download_items_json", {"count": n_items},
                 ITEM_FIELDS, n_items, tabular=False),
        Resource("items-csv", "data/items.csv", "csv", "text/csv", "download_items_csv", {"count": n_items},
                 items_csv_fields(site), n_items),
    ]
    for plan in site.data.plans:
        for loc in site.locales:
            out.append(
                Resource(
                    f"{plan.id}-{loc.code.lower()}",
                    plan_csv_path(plan.id, loc.code),
                    "csv",
                    "text/csv",
                    "download_plan_csv",
                    {"language": names[loc.code], "count": len(plan.items)},
                    PLAN_CSV_FIELDS,
                    len(plan.items),
                    plan_id=plan.id,
                    plan_key=plan.key("short_title"),
                    locale=loc.code,
                )
            )
    return out


def plan_csv(site: Site, plan_id: str, locale: str, site_url: str | None) -> str:
    """One row per item of a plan, in one language. URLs are absolute when site_url is known."""
    catalog = site.catalogs[locale]
    plan = site.data.plan(plan_id)
    base = site_url.rstrip("/") if site_url else ""
    rows = []
    for item in plan.items:
        section = plan.section(item.section)
        sub = section.subsection(item.subsection) if item.subsection else None
        text = catalog.lookup(item.key("text"))
        title = catalog.lookup(item.key("title"))
        rows.append({
            "id": item.id,
            "number": item.number,
            "section_number": section.number,
            "section_title": catalog.text(section.key("title")),
            "subsection_number": sub.number if sub else None,
            "subsection_title": catalog.text(sub.key("title")) if sub else "",
            "title": "" if title.status == "missing" else title.text,
            "text": "" if text.status == "missing" else text.text,
            "text_status": TEXT_STATUS[text.status],
            "url": base + site.item_url(item, locale),
            "places": item.places,
            "domains": item.domains,
            "status": status_of(item),
            "progress": [progress_record(n, {locale: catalog.text(n.key("text"))}) for n in item.progress],
            "locale": locale,
        })
    return table(PLAN_CSV_FIELDS, rows)


def datapackage(site: Site, site_dir: Path, site_url: str | None) -> dict[str, Any]:
    """A Frictionless Data Package describing every download, field by field (zh-Hans)."""
    catalog = site.catalogs[site.default_locale]
    out_resources = []
    for res in resources(site):
        raw = (site_dir / res.path).read_bytes()
        entry: dict[str, Any] = {
            "name": res.name,
            "path": res.path.removeprefix("data/"),
            "title": res.describe(catalog),
            "profile": "tabular-data-resource" if res.tabular else "data-resource",
            "format": res.format,
            "mediatype": res.mediatype,
            "encoding": "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8",
            "bytes": len(raw),
            "hash": "sha256:" + hashlib.sha256(raw).hexdigest(),
        }
        if res.tabular:
            entry["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True}
        if res.locale:
            entry["languages"] = [res.locale]
        schema: dict[str, Any] = {
            "fields": [
                {"name": f.name, "type": f.type, "description": f.describe(catalog)}
                | ({"format": f.format} if f.format else {})
                for f in res.fields
            ],
            "primaryKey": ["id"],
        }
        if res.tabular:
            schema["missingValues"] = [""]
        entry["schema"] = schema
        out_resources.append(entry)
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": "gdmo-cooperation-plans-2020",
        "title": catalog.text("ui.site_name"),
        "description": catalog.text("ui.site_description") + " " + catalog.text("ui.downloads_terms_summary"),
        "languages": [loc.code for loc in site.locales],
    }
    if site_url:
        package["homepage"] = site_url
    package["resources"] = out_resources
    return package


# --- JSON twins: every item, section, plan, place and domain page as data ----------
#
# The rule: a page's twin is `index.json` beside its `index.html`
# (/framework-agreement-2020/4/ -> /framework-agreement-2020/4/index.json), in every
# locale. A twin holds the same records as items.json (the same field definitions),
# plus the page in each locale and each locale's twin.

TWIN = "index.json"
TWIN_KINDS = ("item", "section", "plan", "place", "domain")


def twins(site: Site, document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every twin by site-relative path."""
    items = {i["id"]: i for i in document["items"]}
    plans = {p["id"]: p for p in document["plans"]}
    places = {p["id"]: p for p in document["places"]}
    domains = {d["id"]: d for d in document["domains"]}
    out: dict[str, dict[str, Any]] = {}
    for spec in site.specs:
        if spec.kind not in TWIN_KINDS:
            continue
        pages = {loc.code: site.url(spec.kind, spec.ref, loc.code) for loc in site.locales}
        if spec.kind == "item":
            item = site.data.item(spec.ref)
            history = [
                {"date": e.change.date, "summary": e.change.summary, "summary_translations": e.change.translations, "previous_text": e.before}
                for e in item_history(site, item)
            ]
            body: dict[str, Any] = {"item": items[spec.ref], "history": history}
        elif spec.kind == "section":
            section = site.data.section(spec.ref)
            record = next(s for s in plans[section.plan_id]["sections"] if s["id"] == section.id)
            body = {"section": record, "plan": section.plan_id, "items": [items[i.id] for i in site.data.plan(section.plan_id).items_in(section)]}
        elif spec.kind == "plan":
            body = {"plan": plans[spec.ref], "items": [i.id for i in site.data.plan(spec.ref).items]}
        elif spec.kind == "place":
            body = {"place": places[spec.ref], "items": [i.id for i in site.tags.items_for_place(spec.ref)]}
        else:
            body = {"domain": domains[spec.ref], "items": [i.id for i in site.tags.items_for_domain(spec.ref)]}
        for code, page in pages.items():
            out[page.lstrip("/") + TWIN] = {
                "kind": spec.kind,
                "locale": code,
                "page": page,
                "pages": pages,
                "twins": {c: p + TWIN for c, p in pages.items()},
                **body,
                **({"as_of": as_of(site, site.data.item(spec.ref), code)} if spec.kind == "item" else {}),
            }
    return out


def write_twins(site: Site, site_dir: Path, document: dict[str, Any]) -> list[Path]:
    written = []
    for path, body in twins(site, document).items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(target)
    return written


def write_downloads(site: Site, site_dir: Path, site_url: str | None = None) -> list[Path]:
    """items.json, items.csv, a CSV per plan and locale, datapackage.json describing
    them, and the JSON twin of every page that shows an item, section, plan, place or domain."""
    document = items_document(site)  # once: items.json, items.csv and every twin share it
    written = write_open_data(site, site_dir, document)
    written += write_twins(site, site_dir, document)
    for res in resources(site):
        if res.plan_id and res.locale:
            target = site_dir / res.path
            # A byte-order mark, as in items.csv, so that spreadsheets read the Chinese as UTF-8.
            target.write_text(plan_csv(site, res.plan_id, res.locale, site_url), encoding="utf-8-sig")
            written.append(target)
    target = site_dir / "data" / DATAPACKAGE
    package = datapackage(site, site_dir, site_url)
    target.write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    written.append(target)
    return written

"""The open-data downloads: data/items.json and data/items.csv in the built site."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from .site import Site

CSV_FIXED = ["id", "plan", "number", "section", "subsection", "places", "domains"]


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
                "title": _localised(site, f"plan.{plan.id}.title"),
                "short_title": _localised(site, f"plan.{plan.id}.short_title"),
                "url": _urls(site, "plan", plan.id),
                "sections": [
                    {
                        "id": section.id,
                        "number": section.number,
                        "title": _localised(site, f"section.{section.id}.title"),
                        "url": _urls(site, "section", section.id),
                        "subsections": [
                            {"number": sub.number, "title": _localised(site, f"subsection.{section.id}-{sub.number}.title")}
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
            "title": _localised(site, f"item.{item.id}.title"),
            "text": _localised(site, f"item.{item.id}.text"),
            "url": _urls(site, "item", item.id),
            "places": list(item.places),
            "domains": list(item.domains),
        }
        for item in data.items
    ]
    places = [
        {
            "id": place.id,
            "parent": place.parent,
            "name": _localised(site, f"place.{place.id}.name"),
            "url": _urls(site, "place", place.id) if ("place", place.id) in site.specs_by_ref else {},
        }
        for place in data.places
    ]
    domains = [
        {
            "id": domain.id,
            "name": _localised(site, f"domain.{domain.id}.name"),
            "url": _urls(site, "domain", domain.id) if ("domain", domain.id) in site.specs_by_ref else {},
        }
        for domain in data.domains
    ]
    return {"plans": plans, "items": items, "places": places, "domains": domains}


def items_csv(document: dict[str, Any], locales: list[str]) -> str:
    buffer = io.StringIO()
    columns = CSV_FIXED + [f"{field}_{loc}" for loc in locales for field in ("title", "text", "url")]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for item in document["items"]:
        row = {key: item[key] for key in CSV_FIXED[:5]}
        row["subsection"] = "" if item["subsection"] is None else item["subsection"]
        row["places"] = ";".join(item["places"])
        row["domains"] = ";".join(item["domains"])
        for loc in locales:
            row[f"title_{loc}"] = item["title"].get(loc, "")
            row[f"text_{loc}"] = item["text"].get(loc, "")
            row[f"url_{loc}"] = item["url"][loc]
        writer.writerow(row)
    return buffer.getvalue()


def write_open_data(site: Site, site_dir: Path) -> list[Path]:
    document = items_document(site)
    out_dir = site_dir / "data"
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "items.json"
    json_path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    csv_path = out_dir / "items.csv"
    # A byte-order mark so that spreadsheet programs read the Chinese as UTF-8.
    csv_path.write_text(items_csv(document, [loc.code for loc in site.locales]), encoding="utf-8-sig")
    return [json_path, csv_path]

"""Structured data (schema.org JSON-LD) for item, section, plan, place and domain
pages, in the page's language: what the page is, where it belongs (isPartOf up to
the plan), who published it and when, which places and domains it concerns, and
its translations both ways (translationOfWork / workTranslation).

Only facts from data/: publishers only where the plan file names them (the
Arrangement's key-work list does not print its issuer), the plan's year as its date.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .locales import SOURCE_LOCALE
from .pages import item_heading, section_heading

if TYPE_CHECKING:
    from .site import Site

KINDS = ("item", "section", "plan", "place", "domain")


def _translations(site: "Site", kind: str, ref: str, locale: str) -> dict[str, Any]:
    if locale == SOURCE_LOCALE:
        others = [loc.code for loc in site.locales if loc.code != SOURCE_LOCALE]
        return {"workTranslation": [{"@id": site.absolute_url(kind, ref, code), "inLanguage": code} for code in others]}
    return {"translationOfWork": {"@id": site.absolute_url(kind, ref, SOURCE_LOCALE), "inLanguage": SOURCE_LOCALE}}


def _plan_node(site: "Site", plan_id: str, locale: str) -> dict[str, Any]:
    plan = site.data.plan(plan_id)
    node: dict[str, Any] = {
        "@type": "Report",
        "@id": site.absolute_url("plan", plan.id, locale),
        "name": site.catalogs[locale].text(plan.key("title")),
        "datePublished": str(plan.year),
    }
    if plan.publishers:
        node["publisher"] = [{"@type": "GovernmentOrganization", "name": name} for name in plan.publishers]
    return node


def document(site: "Site", kind: str, ref: str, locale: str) -> dict[str, Any] | None:
    """The JSON-LD of a page, or None for kinds that have none."""
    if kind not in KINDS:
        return None
    catalog = site.catalogs[locale]
    url = site.absolute_url(kind, ref, locale)
    doc: dict[str, Any] = {"@context": "https://schema.org", "@id": url, "url": url, "inLanguage": locale}
    if kind == "plan":
        doc.update(_plan_node(site, ref, locale))
        doc["@id"] = url
    elif kind == "section":
        section = site.data.section(ref)
        doc.update({"@type": "CreativeWork", "name": section_heading(catalog, section), "position": section.number,
                    "isPartOf": _plan_node(site, section.plan_id, locale)})
    elif kind == "item":
        item = site.data.item(ref)
        section = site.data.plan(item.plan_id).section(item.section)
        plan = _plan_node(site, item.plan_id, locale)
        doc.update({
            "@type": "CreativeWork",
            "name": item_heading(catalog, item),
            "position": item.number,
            "datePublished": plan["datePublished"],
            "isPartOf": {"@type": "CreativeWork", "@id": site.absolute_url("section", section.id, locale),
                         "name": section_heading(catalog, section), "isPartOf": plan},
        })
        if "publisher" in plan:
            doc["publisher"] = plan["publisher"]
        places = [site.tags.places[pid] for pid in item.places]
        if places:
            doc["spatialCoverage"] = [_place(site, place, locale) for place in places]
        doc["about"] = [{"@type": "Thing", "name": catalog.text(site.tags.domains[did].key("name")),
                         "url": site.absolute_url("domain", did, locale)} for did in item.domains]
    elif kind == "place":
        doc.update(_place(site, site.tags.places[ref], locale))
        doc["@id"] = url
        parent = site.tags.places[ref].parent
        if parent:
            doc["containedInPlace"] = {"@type": "Place", "@id": site.absolute_url("place", parent, locale),
                                       "name": catalog.text(site.tags.places[parent].key("name"))}
    elif kind == "domain":
        domain = site.tags.domains[ref]
        doc.update({"@type": "CollectionPage", "name": catalog.text(domain.key("name")),
                    "about": {"@type": "Thing", "name": catalog.text(domain.key("name"))}})
    doc.update(_translations(site, kind, ref, locale))
    return doc


def _place(site: "Site", place, locale: str) -> dict[str, Any]:  # noqa: ANN001
    node: dict[str, Any] = {"@type": "Place", "name": site.catalogs[locale].text(place.key("name")),
                            "url": site.absolute_url("place", place.id, locale)}
    if place.coordinates:
        node["geo"] = {"@type": "GeoCoordinates", "latitude": place.coordinates[0], "longitude": place.coordinates[1]}
    return node


def script_text(doc: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json"> element: <, > and & as \\u
    escapes, so no text from data can close the element or start a comment."""
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))

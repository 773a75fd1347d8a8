"""Turn a PDF-to-text extraction of a plan into draft YAML for review.

The draft is a starting point: once reviewed, `data/` is the source of truth and
the importer is not run over it again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .model import TITLE_LIMIT
from .textclean import clean_paragraph, normalise_code_points

CHINESE_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
SECTION_RE = re.compile(r"^([一二三四五六七八九十]{1,3})、\s*(\S.*)$")
SUBSECTION_RE = re.compile(r"^（([一二三四五六七八九十]{1,3})）\s*(\S.*)$")
ITEM_RE = re.compile(r"^(\d{1,3})\.\s*(\S.*)$")


def chinese_number(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + CHINESE_NUMERALS[numeral[1]]
    if numeral.endswith("十"):
        return CHINESE_NUMERALS[numeral[0]] * 10
    if "十" in numeral:
        tens, ones = numeral.split("十")
        return CHINESE_NUMERALS[tens] * 10 + CHINESE_NUMERALS[ones]
    return CHINESE_NUMERALS[numeral]


class ImportError_(ValueError):
    """The text does not have the shape of a plan."""


@dataclass
class DraftItem:
    number: int
    section: int
    subsection: int | None
    line: int
    lines: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class DraftPlan:
    title: str
    sections: list[dict]
    items: list[DraftItem]
    artefacts: Counter[str]


def short_title(text: str, limit: int = TITLE_LIMIT) -> str:
    """A headline in the item's own words: its first sentence, else its first clause.

    Clauses are only ever taken whole, so a title never stops inside a word; an
    editor shortens the few that come out longer than the limit.
    """
    sentence = re.split(r"[。；]", text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    clauses = re.split(r"，", sentence)
    title = clauses[0]
    for clause in clauses[1:]:
        if len(title) + 1 + len(clause) > limit:
            break
        title += "，" + clause
    return title


def parse_plan_text(raw: str, source: str = "<text>") -> DraftPlan:
    artefacts: Counter[str] = Counter()
    text = normalise_code_points(raw, artefacts)
    lines = text.splitlines()

    title_lines: list[str] = []
    sections: list[dict] = []
    items: list[DraftItem] = []
    current: DraftItem | None = None
    heading: dict | None = None  # a heading whose title may run onto the next line

    for lineno, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        section_match = SECTION_RE.match(stripped)
        subsection_match = SUBSECTION_RE.match(stripped)
        item_match = ITEM_RE.match(stripped)
        expected = (items[-1].number + 1) if items else 1
        if section_match and chinese_number(section_match[1]) == len(sections) + 1:
            heading = {
                "number": len(sections) + 1,
                "lines": [section_match[2]],
                "subsections": [],
            }
            sections.append(heading)
            current = None
        elif subsection_match and sections:
            subs = sections[-1]["subsections"]
            if chinese_number(subsection_match[1]) != len(subs) + 1:
                raise ImportError_(f"{source}:{lineno}: subsection （{subsection_match[1]}） out of order")
            heading = {"number": len(subs) + 1, "lines": [subsection_match[2]]}
            subs.append(heading)
            current = None
        elif item_match and int(item_match[1]) == expected and sections:
            subs = sections[-1]["subsections"]
            current = DraftItem(
                number=expected,
                section=sections[-1]["number"],
                subsection=subs[-1]["number"] if subs else None,
                line=lineno,
                lines=[item_match[2]],
            )
            items.append(current)
            heading = None
        elif current is not None:
            current.lines.append(line)
        elif heading is not None:
            heading["lines"].append(line)
        elif not sections:
            title_lines.append(line)
        else:
            raise ImportError_(f"{source}:{lineno}: text outside any item: {stripped[:20]!r}")

    if not items:
        raise ImportError_(f"{source}: no numbered items found")
    for item in items:
        item.text = clean_paragraph(item.lines, artefacts)
    for sec in sections:
        sec["title"] = clean_paragraph(sec.pop("lines"), artefacts)
        for sub in sec["subsections"]:
            sub["title"] = clean_paragraph(sub.pop("lines"), artefacts)
    title = clean_paragraph(title_lines, artefacts)
    return DraftPlan(title=title, sections=sections, items=items, artefacts=artefacts)


def draft_yaml_document(plan: DraftPlan, plan_id: str, slug: str, year: int) -> dict:
    """The reviewed-data shape (see docs/editing.md) filled from a parsed plan."""
    sections = []
    for sec in plan.sections:
        entry: dict = {"number": sec["number"], "title": sec["title"]}
        if sec["subsections"]:
            entry["subsections"] = [{"number": s["number"], "title": s["title"]} for s in sec["subsections"]]
        sections.append(entry)
    items = []
    for item in plan.items:
        entry = {
            "id": f"{plan_id}-{item.number:02d}",
            "number": item.number,
            "section": item.section,
        }
        if item.subsection is not None:
            entry["subsection"] = item.subsection
        entry.update(
            {
                "title": short_title(item.text),
                "text": item.text,
                "places": [],
                "domains": [],
            }
        )
        items.append(entry)
    return {
        "id": plan_id,
        "slug": slug,
        "year": year,
        "title": plan.title,
        "sections": sections,
        "items": items,
    }


def import_file(path: Path, plan_id: str, slug: str, year: int) -> tuple[dict, Counter[str]]:
    plan = parse_plan_text(path.read_text(encoding="utf-8"), source=str(path))
    return draft_yaml_document(plan, plan_id, slug, year), plan.artefacts

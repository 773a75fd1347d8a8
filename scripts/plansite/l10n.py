"""Locales, source strings and translation catalogs.

Every translatable string has a stable key (`item.fa2020-07.text`, `ui.home`).
zh-Hans is the source: its strings come from `data/plans/` and `data/ui.yaml`.
Each other locale has `data/locales/<locale>.yaml` mapping keys to
`{source: <fingerprint of the zh-Hans text>, text: <translation>}`.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass
from pathlib import Path

from . import yamlio
from .model import SiteData
from .textclean import artefacts_in
from .yamlio import DataError, Mapping

SOURCE_LOCALE = "zh-Hans"


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def source_strings(data: SiteData, ui: dict[str, str]) -> dict[str, str]:
    """Every translatable zh-Hans string by key, in reading order."""
    out: dict[str, str] = {}
    for plan in data.plans:
        out[f"plan.{plan.id}.title"] = plan.title
        out[f"plan.{plan.id}.short_title"] = plan.short_title
        for section in plan.sections:
            out[f"section.{section.id}.title"] = section.title
            for sub in section.subsections:
                out[f"subsection.{section.id}-{sub.number}.title"] = sub.title
        for item in plan.items:
            out[f"item.{item.id}.title"] = item.title
            out[f"item.{item.id}.text"] = item.text
    for place in data.places:
        out[f"place.{place.id}.name"] = place.name
        out[f"place.{place.id}.description"] = place.description
    for domain in data.domains:
        out[f"domain.{domain.id}.name"] = domain.name
        out[f"domain.{domain.id}.description"] = domain.description
    for key, text in ui.items():
        out[f"ui.{key}"] = text
    return out


_PLACEHOLDER_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def placeholders(text: str) -> set[str]:
    """The {name} placeholders of an interface string; ValueError describes a broken one
    (a lone brace, a format spec, an attribute or index: only plain names are filled in).
    A literal brace is written {{ or }}."""
    names = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(f"broken placeholder ({exc}); write a literal brace as {{{{ or }}}}") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not _PLACEHOLDER_NAME.match(name) or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise ValueError(f"placeholder {shown} is not a plain {{name}}")
        names.add(name)
    return names


def load_ui(root: Path) -> dict[str, str]:
    path = root / "data" / "ui.yaml"
    doc = yamlio.load(path, "data/ui.yaml")
    if not isinstance(doc, Mapping):
        raise DataError("data/ui.yaml", 1, "expected a mapping of interface keys to zh-Hans text")
    errors = []
    for key, value in doc.items():
        line = doc.line_of(key)
        if not isinstance(value, str) or not value.strip():
            errors.append(DataError("data/ui.yaml", line, f"ui.{key}: expected text, got {value!r}"))
            continue
        problems = artefacts_in(value)
        try:
            placeholders(value)
        except ValueError as exc:
            problems.append(str(exc))
        if problems:
            errors.append(DataError("data/ui.yaml", line, f"ui.{key}: " + "; ".join(problems)))
    if errors:
        from .model import InvalidData

        raise InvalidData(errors)
    return dict(doc)


def translation_problems(key: str, source: str, text: str) -> list[str]:
    """What is wrong with a translation of `source`: the text checks every source gets
    (control and invisible characters, look-alikes, stray spaces, unpaired quotes),
    and for interface strings exactly the source's placeholders."""
    problems = artefacts_in(text, chinese_source=False)
    if key.startswith("ui."):
        try:
            wanted, found = placeholders(source), placeholders(text)
        except ValueError as exc:
            return problems + [str(exc)]
        # {numeral} is {number} written in Chinese numerals (一, 二…): a language that
        # numbers sections with digits writes {number} instead.
        if "numeral" in wanted and "number" not in wanted and "number" in found and "numeral" not in found:
            found = (found - {"number"}) | {"numeral"}
        if found - wanted:
            problems.append("unknown placeholder " + ", ".join(f"{{{n}}}" for n in sorted(found - wanted)) + " (the source has " + (", ".join(f"{{{n}}}" for n in sorted(wanted)) or "none") + ")")
        if wanted - found:
            problems.append("missing placeholder " + ", ".join(f"{{{n}}}" for n in sorted(wanted - found)))
    return problems


@dataclass(frozen=True)
class Entry:
    text: str
    source: str  # fingerprint of the zh-Hans text it was translated from
    line: int


@dataclass(frozen=True)
class Lookup:
    text: str
    status: str  # "source", "done", "stale" or "missing"

    @property
    def is_fallback(self) -> bool:
        return self.status == "missing"


class Catalog:
    """One locale's view of the source strings, with fallback to zh-Hans."""

    def __init__(self, locale: str, sources: dict[str, str], entries: dict[str, Entry]):
        self.locale = locale
        self.sources = sources
        self.entries = entries
        # Pages ask for the same strings again and again (headings, interface):
        # each answer, fingerprint included, is worked out once.
        self._lookups: dict[str, Lookup] = {}

    def lookup(self, key: str) -> Lookup:
        found = self._lookups.get(key)
        if found is None:
            found = self._lookups[key] = self._lookup(key)
        return found

    def _lookup(self, key: str) -> Lookup:
        source = self.sources[key]
        if self.locale == SOURCE_LOCALE:
            return Lookup(source, "source")
        entry = self.entries.get(key)
        if entry is None:
            return Lookup(source, "missing")
        return Lookup(entry.text, "done" if entry.source == fingerprint(source) else "stale")

    def text(self, key: str) -> str:
        return self.lookup(key).text

    def status(self) -> dict[str, list[str]]:
        report: dict[str, list[str]] = {"done": [], "stale": [], "missing": []}
        if self.locale == SOURCE_LOCALE:
            report["done"] = list(self.sources)
            return report
        for key in self.sources:
            report[self.lookup(key).status].append(key)
        return report


def load_catalog(root: Path, locale: str, sources: dict[str, str], strict: bool = True) -> Catalog:
    """Read a locale file. Strict: a key with no source text is an error (a typo
    would lose a translation); otherwise such entries are dropped (when syncing)."""
    if locale == SOURCE_LOCALE:
        return Catalog(locale, sources, {})
    path = root / "data" / "locales" / f"{locale}.yaml"
    display = f"data/locales/{locale}.yaml"
    entries: dict[str, Entry] = {}
    if not path.exists():
        return Catalog(locale, sources, entries)
    doc = yamlio.load(path, display) or Mapping()
    if not isinstance(doc, Mapping):
        raise DataError(display, 1, "expected a mapping of string keys to {source, text}")
    errors = []
    for key, value in doc.items():
        line = doc.line_of(key)
        if key not in sources:
            if not strict:
                continue
            errors.append(DataError(display, line, f"'{key}' is not a key of any source text (removed or misspelt?)"))
        elif not isinstance(value, Mapping) or set(value) != {"source", "text"}:
            errors.append(DataError(display, line, f"'{key}': expected exactly the fields 'source' and 'text'"))
        elif not isinstance(value["text"], str) or not value["text"].strip():
            errors.append(DataError(display, value.line_of("text"), f"'{key}'.text: expected text"))
        elif not isinstance(value["source"], str):
            errors.append(DataError(display, value.line_of("source"), f"'{key}'.source: expected a fingerprint"))
        elif problems := translation_problems(key, sources[key], value["text"]):
            errors.append(DataError(display, value.line_of("text"), f"'{key}': " + "; ".join(problems)))
        else:
            entries[key] = Entry(value["text"], value["source"], line)
    if errors:
        from .model import InvalidData

        raise InvalidData(errors)
    return Catalog(locale, sources, entries)

"""Locales, source strings and translation catalogs.

Every translatable string has a stable key (`item.fa2020-07.text`, `ui.home`),
which the data object it belongs to spells (`item.key("text")`). zh-Hans is the
source: its strings come from `data/plans/`, `data/places.yaml`,
`data/domains.yaml` and `data/ui.yaml`. Each other locale has a gettext PO file,
`data/locales/<locale>.po`: `msgctxt` is the key, `msgid` the zh-Hans text it
was translated from, `msgstr` the translation (see catalogs.py for `sync`).
"""

from __future__ import annotations

import gettext
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polib

from . import yamlio
from .model import InvalidData, SiteData, Translatable
from .textclean import artefacts_in
from .yamlio import DataError, Mapping

from .locales import SOURCE_LOCALE  # noqa: E402  (re-exported: the source language)


@dataclass(frozen=True)
class SourceText:
    """One translatable zh-Hans string and where it comes from."""

    key: str
    text: str
    owner: Translatable | None  # the data object, or None for an interface string
    reference: str  # file:line, for the translator's `#:` and for errors
    plural: bool = False  # an interface string with a {count}: one form per plural form


def source_texts(data: SiteData, ui: Mapping) -> dict[str, SourceText]:
    """Every translatable zh-Hans string by key, in reading order."""
    out: dict[str, SourceText] = {}

    def add(owner: Translatable, reference: str) -> None:
        for name in owner.TEXT_FIELDS:
            key = owner.key(name)
            out[key] = SourceText(key, getattr(owner, name), owner, reference)

    for plan in data.plans:
        add(plan, f"{plan.file}:1")
        for section in plan.sections:
            add(section, f"{plan.file}:{section.line}")
            for sub in section.subsections:
                add(sub, f"{plan.file}:{sub.line}")
        for item in plan.items:
            add(item, f"{plan.file}:{item.source_line}")
            for note in item.progress:
                add(note, f"{plan.file}:{note.line}")
    for place in data.places:
        add(place, f"data/places.yaml:{place.line}")
    for domain in data.domains:
        add(domain, f"data/domains.yaml:{domain.line}")
    for name, text in ui.items():
        key = f"ui.{name}"
        out[key] = SourceText(key, text, None, f"data/ui.yaml:{ui.line_of(name)}", "count" in placeholders(text))
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


def load_ui(root: Path) -> Mapping:
    """Interface strings by name (a Mapping, so each keeps its line)."""
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
        raise InvalidData(errors)
    return doc


def translation_problems(key: str, source: str, text: str, plural_form: bool = False) -> list[str]:
    """What is wrong with a translation of `source`: the text checks every source gets
    (control and invisible characters, look-alikes, stray spaces, unpaired quotes),
    and for interface strings exactly the source's placeholders (a plural form may
    leave out {count}: "one item")."""
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
        if plural_form:
            wanted = wanted - {"count"}
        if wanted - found:
            problems.append("missing placeholder " + ", ".join(f"{{{n}}}" for n in sorted(wanted - found)))
    return problems


@dataclass(frozen=True)
class Entry:
    """A translation as the PO file has it."""

    source: str  # msgid: the zh-Hans text it was translated from
    forms: tuple[str, ...]  # msgstr, or msgstr[0], msgstr[1]… for a plural string
    fuzzy: bool
    line: int

    @property
    def text(self) -> str:
        return self.forms[-1]  # the form used where there is no number (the plural: "itens")

    @property
    def translated(self) -> bool:
        return any(self.forms)


@dataclass(frozen=True)
class Lookup:
    text: str
    # "source" (zh-Hans itself), "done", "fuzzy" (the zh-Hans text has changed since
    # it was translated: the old translation is shown, with a notice) or "missing"
    # (not translated: the zh-Hans text is shown, with a notice).
    status: str


def _plural_rule(expression: str) -> Callable[[int], int]:
    # gettext's own parser for the C expression of a Plural-Forms header: the one
    # Python's GNUTranslations uses; it accepts only C operators on n.
    return gettext.c2py(expression)  # type: ignore[attr-defined]


@dataclass
class Catalog:
    """One locale's view of the source strings, with fallback to zh-Hans."""

    locale: str
    sources: dict[str, SourceText]
    entries: dict[str, Entry] = field(default_factory=dict)
    nplurals: int = 1
    plural_rule: Callable[[int], int] = lambda n: 0
    # Pages ask for the same strings again and again: each answer is worked out once.
    _lookups: dict[str, Lookup] = field(default_factory=dict, repr=False)

    def lookup(self, key: str) -> Lookup:
        found = self._lookups.get(key)
        if found is None:
            found = self._lookups[key] = self._lookup(key)
        return found

    def _lookup(self, key: str) -> Lookup:
        source = self.sources[key].text
        if self.locale == SOURCE_LOCALE:
            return Lookup(source, "source")
        entry = self.entries.get(key)
        if entry is None or not entry.translated:
            return Lookup(source, "missing")
        return Lookup(entry.text, "fuzzy" if entry.fuzzy or entry.source != source else "done")

    def text(self, key: str) -> str:
        return self.lookup(key).text

    def plural(self, key: str, n: int) -> str:
        """The form of an interface string with a {count} for the number n."""
        entry = self.entries.get(key)
        if self.locale == SOURCE_LOCALE or entry is None or not entry.translated:
            return self.sources[key].text
        index = self.plural_rule(n) if len(entry.forms) > 1 else 0
        return entry.forms[min(index, len(entry.forms) - 1)]

    def status(self) -> dict[str, list[str]]:
        report: dict[str, list[str]] = {"done": [], "fuzzy": [], "missing": []}
        if self.locale == SOURCE_LOCALE:
            report["done"] = list(self.sources)
            return report
        for key in self.sources:
            report[self.lookup(key).status].append(key)
        return report


PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")


def po_forms(entry: polib.POEntry, nplurals: int) -> tuple[str, ...]:
    """An entry's translation: (msgstr,), or msgstr[0], msgstr[1]… for a plural string."""
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural.get(i, "") for i in range(nplurals))
    return (entry.msgstr,)


def po_path(root: Path, locale: str) -> Path:
    return root / "data" / "locales" / f"{locale}.po"


# Every line of a PO file is blank, a comment, a keyword with a quoted string, or a
# quoted string continuing the one above. polib is lenient (it reads `msgid text`
# without quotes as something else), so lines are checked first.
_PO_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(rf'^(?:|#.*|(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])[ \t]+{_PO_STRING}|{_PO_STRING})[ \t]*$')


def read_po(path: Path, display: str) -> polib.POFile:
    """Parse a PO file; a syntax error names the file and the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(display, None, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not _PO_LINE.match(line):
            raise DataError(display, number, f"not a valid PO line: {line[:60]!r} (text goes in double quotes: msgstr \"…\"; a quote inside is written \\\")")
    try:
        return polib.pofile(text, wrapwidth=78, check_for_duplicates=False)
    except UnicodeDecodeError as exc:
        raise DataError(display, None, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except (OSError, ValueError) as exc:
        found = re.search(r"\(line (\d+)\)(?::\s*(.*))?", str(exc))
        line = int(found.group(1)) if found else None
        detail = (found.group(2) or "").strip() if found else str(exc)
        raise DataError(display, line, "not a valid PO file" + (f": {detail}" if detail else "") + " (a quote or a msgid/msgstr line may be broken)") from None


def parse_plural_forms(header: str, display: str) -> tuple[int, Callable[[int], int]]:
    found = PLURAL_FORMS.match(header or "")
    if not found:
        raise DataError(display, 1, f"header Plural-Forms {header!r}: expected 'nplurals=N; plural=EXPRESSION;'")
    nplurals = int(found.group(1))
    try:
        rule = _plural_rule(found.group(2))
        bad = [n for n in range(1001) if not 0 <= rule(n) < nplurals]
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError) as exc:
        raise DataError(display, 1, f"header Plural-Forms: the plural expression does not work ({exc})") from None
    if nplurals < 1 or bad:
        raise DataError(display, 1, f"header Plural-Forms: the expression gives a form outside 0…{nplurals - 1} (for n = {bad[0] if bad else 0})")
    return nplurals, rule


def load_catalog(root: Path, locale: str, sources: dict[str, SourceText], strict: bool = True) -> Catalog:
    """Read a locale's PO file. Strict: an entry whose key has no source text is an
    error (a typo would lose a translation); otherwise it is skipped (when syncing,
    which makes it obsolete). Obsolete (#~) entries are never read."""
    if locale == SOURCE_LOCALE:
        return Catalog(locale, sources)
    path = po_path(root, locale)
    display = f"data/locales/{locale}.po"
    if not path.exists():
        return Catalog(locale, sources)
    po = read_po(path, display)
    nplurals, rule = parse_plural_forms(po.metadata.get("Plural-Forms", ""), display)
    entries: dict[str, Entry] = {}
    errors = []
    for e in po:
        if e.obsolete:  # kept by sync for the translator's reference only
            continue
        line = e.linenum or None
        key = e.msgctxt
        if key is None:
            errors.append(DataError(display, line, f"entry {e.msgid[:30]!r} has no msgctxt: every entry's msgctxt is its key (such as item.fa2020-07.text)"))
            continue
        if key not in sources:
            if strict:
                errors.append(DataError(display, line, f"'{key}' is not a key of any source text (removed or misspelt?); run `python -m plansite sync`"))
            continue
        if key in entries:
            errors.append(DataError(display, line, f"'{key}' appears twice (also on line {entries[key].line})"))
            continue
        source = sources[key]
        if e.msgid_plural and len(e.msgstr_plural) != nplurals:
            errors.append(DataError(display, line, f"'{key}': {len(e.msgstr_plural)} plural forms, but the header's Plural-Forms says {nplurals}"))
            continue
        forms = po_forms(e, nplurals)
        if any(forms) and not all(forms):
            errors.append(DataError(display, line, f"'{key}': some plural forms are empty"))
            continue
        # Checked against the text it was translated from (msgid): after a change in
        # data/ and before `sync`, that is the old text.
        problems = [p for form in forms if form for p in translation_problems(key, e.msgid, form, plural_form=len(forms) > 1)]
        if problems:
            errors.append(DataError(display, line, f"'{key}': " + "; ".join(dict.fromkeys(problems))))
            continue
        if e.msgid != source.text and any(translation_problems(key, source.text, form, plural_form=len(forms) > 1) for form in forms if form):
            continue  # the source's placeholders changed: the old translation cannot be filled in, so it is untranslated
        entries[key] = Entry(e.msgid, forms, "fuzzy" in e.flags, e.linenum or 0)
    if errors:
        raise InvalidData(errors)
    return Catalog(locale, sources, entries, nplurals, rule)

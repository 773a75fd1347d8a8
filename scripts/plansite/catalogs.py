"""Writing locale files: zh-Hant from OpenCC, imports from translators, status."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import yamlio
from .l10n import Catalog, Entry, fingerprint
from .model import InvalidData
from .textclean import artefacts_in
from .yamlio import DataError, Mapping, Sequence

HEADER = """\
# {locale} translations, keyed by the stable id of each zh-Hans source text.
#   source: fingerprint of the zh-Hans text this entry was translated from
#   text:   the translation; edit freely
# `python scripts/translations.py status` lists what is missing or stale.
"""
# zh-Hant entries made by OpenCC carry `source` and `text` and are redone by
# `translations.py sync`; an entry whose text differs from OpenCC's output is a
# translator's correction and is kept.


@lru_cache(maxsize=2)
def _converter(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    """Hong Kong/Macao character forms (s2hk), character by character: no Taiwan phrasing.
    The bare OpenCC conversion; the site's zh-Hant is `Traditional.convert`."""
    return _converter("s2hk").convert(text)


def to_simplified(text: str) -> str:
    return _converter("hk2s").convert(text)


# Hong Kong and Macao print quotations in corner brackets, nested ones in double corners.
_TO_CORNERS = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
_FROM_CORNERS = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})
PHRASES = "data/zh-Hant-phrases.yaml"


@dataclass(frozen=True)
class Traditional:
    """zh-Hans → zh-Hant as Macao writes it: OpenCC s2hk, then the project's phrase
    table (words s2hk gets wrong, data/zh-Hant-phrases.yaml), then 「」『』 quotes."""

    phrases: tuple[tuple[str, str], ...] = ()  # (zh-Hans phrase, the right zh-Hant)

    def convert(self, text: str) -> str:
        out = to_traditional(text)
        if len(out) == len(text):  # s2hk maps character to character: fix the phrases where they stand
            chars = list(out)
            for hans, hant in self.phrases:
                start = text.find(hans)
                while start != -1:
                    chars[start : start + len(hans)] = hant
                    start = text.find(hans, start + len(hans))
            out = "".join(chars)
        else:
            for hans, hant in self.phrases:
                out = out.replace(to_traditional(hans), hant)
        return out.translate(_TO_CORNERS)

    def back(self, text: str) -> str:
        """zh-Hant → zh-Hans, for checking that a plan text still says what was published."""
        return to_simplified(text.translate(_FROM_CORNERS))


def load_traditional(root: Path) -> Traditional:
    path = root / PHRASES
    if not path.exists():
        return Traditional()
    doc = yamlio.load(path, PHRASES)
    errors = []
    phrases = []
    if not isinstance(doc, Sequence):
        raise InvalidData([DataError(PHRASES, 1, "expected a list of {zh-Hans, zh-Hant} phrases")])
    for n, entry in enumerate(doc):
        line = doc.item_lines[n]
        if not isinstance(entry, Mapping) or set(entry) != {"zh-Hans", "zh-Hant"}:
            errors.append(DataError(PHRASES, line, f"phrases[{n}]: expected exactly 'zh-Hans' and 'zh-Hant'"))
            continue
        hans, hant = entry["zh-Hans"], entry["zh-Hant"]
        bad = [k for k, v in (("zh-Hans", hans), ("zh-Hant", hant)) if not isinstance(v, str) or not v.strip() or artefacts_in(v, k == "zh-Hans")]
        if bad:
            errors.append(DataError(PHRASES, line, f"phrases[{n}]: {', '.join(bad)} must be plain text"))
        elif to_simplified(hant) != hans or len(hant) != len(hans):
            errors.append(DataError(PHRASES, entry.line_of("zh-Hant"), f"phrases[{n}]: {hant} does not convert back to {hans}; a phrase may correct characters, never wording"))
        else:
            phrases.append((hans, hant))
    if errors:
        raise InvalidData(errors)
    return Traditional(tuple(phrases))


def sync_traditional(catalog: Catalog, traditional: Traditional) -> tuple[dict[str, Entry], int]:
    """zh-Hant entries for every source string, keeping corrections by hand.

    An entry is machine-made when its text is what OpenCC makes of *some* source:
    it is then regenerated from the current source.  Anything else was corrected
    by a person and stays, marked stale if its source has changed.
    """
    entries: dict[str, Entry] = {}
    changed = 0
    for key, source in catalog.sources.items():
        machine = traditional.convert(source)
        old = catalog.entries.get(key)
        is_correction = old is not None and old.text != machine and not _is_machine_text(old, traditional)
        if is_correction:
            entries[key] = old
            continue
        entries[key] = Entry(machine, fingerprint(source), 0)
        if old is None or old.text != machine or old.source != fingerprint(source):
            changed += 1
    return entries, changed


def _is_machine_text(entry: Entry, traditional: Traditional) -> bool:
    # A machine entry whose source changed: converting its text back gives the old
    # source, whose fingerprint is recorded in the entry.
    back = traditional.back(entry.text)
    return fingerprint(back) == entry.source and traditional.convert(back) == entry.text


def write_catalog(path: Path, locale: str, order: list[str], entries: dict[str, Entry]) -> bool:
    """Write a locale file in source order; returns whether it changed."""
    doc = {key: {"source": entries[key].source, "text": entries[key].text} for key in order if key in entries}
    text = HEADER.format(locale=locale) + yamlio.dump(doc)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def import_translations(catalog: Catalog, translations: dict[str, str]) -> dict[str, Entry]:
    """Entries from a flat key → text mapping (what translation tools exchange),
    each stamped with the fingerprint of the current source."""
    entries = dict(catalog.entries)
    for key, text in translations.items():
        if key not in catalog.sources:
            raise KeyError(f"'{key}' is not a source key")
        entries[key] = Entry(text, fingerprint(catalog.sources[key]), 0)
    return entries

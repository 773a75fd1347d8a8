"""Writing locale files: zh-Hant from OpenCC, imports from translators, status."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import yamlio
from .l10n import Catalog, Entry, fingerprint

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
    """Hong Kong/Macao character forms (s2hk), character by character: no Taiwan phrasing."""
    return _converter("s2hk").convert(text)


def to_simplified(text: str) -> str:
    return _converter("hk2s").convert(text)


def sync_traditional(catalog: Catalog) -> tuple[dict[str, Entry], int]:
    """zh-Hant entries for every source string, keeping corrections by hand.

    An entry is machine-made when its text is what OpenCC makes of *some* source:
    it is then regenerated from the current source.  Anything else was corrected
    by a person and stays, marked stale if its source has changed.
    """
    entries: dict[str, Entry] = {}
    changed = 0
    for key, source in catalog.sources.items():
        machine = to_traditional(source)
        old = catalog.entries.get(key)
        is_correction = old is not None and old.text != machine and not _is_machine_text(old)
        if is_correction:
            entries[key] = old
            continue
        entries[key] = Entry(machine, fingerprint(source), 0)
        if old is None or old.text != machine or old.source != fingerprint(source):
            changed += 1
    return entries, changed


def _is_machine_text(entry: Entry) -> bool:
    # A machine entry whose source changed: converting its text back gives the old
    # source, whose fingerprint is recorded in the entry.
    return fingerprint(to_simplified(entry.text)) == entry.source and to_traditional(to_simplified(entry.text)) == entry.text


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

"""Writing the PO files: `sync` with gettext's msgmerge rules, and zh-Hant made by
OpenCC plus the project's corrections.

msgmerge rules: an entry whose zh-Hans text changed keeps its translation, is
marked `#, fuzzy` and records the text it was translated from as `#| msgid`; a new
text gets an empty entry; an entry whose text is gone becomes obsolete (`#~`),
kept at the end of the file for reference. zh-Hant is the exception for machine
entries: OpenCC's output is regenerated, never fuzzy; a translator's correction
(any text OpenCC would not have made) is kept and treated like any translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import polib

from . import yamlio
from .l10n import SourceText, parse_plural_forms, po_forms, po_path, read_po
from .model import InvalidData
from .textclean import artefacts_in
from .yamlio import DataError, Mapping, Sequence


class Converters:
    """OpenCC converters by configuration (s2hk, hk2s…), each made on first use:
    loading one takes a moment. Owned by whoever converts (a Traditional), not the module."""

    def __init__(self) -> None:
        self._made: dict[str, object] = {}

    def __call__(self, config: str):  # type: ignore[no-untyped-def]
        if config not in self._made:
            import opencc

            self._made[config] = opencc.OpenCC(config)
        return self._made[config]


def to_traditional(text: str) -> str:
    """Hong Kong/Macao character forms (s2hk), character by character: no Taiwan phrasing.
    The bare OpenCC conversion, for one-off use; the site's zh-Hant is `Traditional.convert`."""
    return Converters()("s2hk").convert(text)


def to_simplified(text: str) -> str:
    return Converters()("hk2s").convert(text)


# Hong Kong and Macao print quotations in corner brackets, nested ones in double corners.
_TO_CORNERS = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
_FROM_CORNERS = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})
PHRASES = "data/zh-Hant-phrases.yaml"


@dataclass(frozen=True)
class Traditional:
    """zh-Hans → zh-Hant as Macao writes it: OpenCC s2hk, then the project's phrase
    table (words s2hk gets wrong, data/zh-Hant-phrases.yaml), then 「」『』 quotes."""

    phrases: tuple[tuple[str, str], ...] = ()  # (zh-Hans phrase, the right zh-Hant)
    converters: Converters = field(default_factory=Converters, compare=False, repr=False)

    def s2hk(self, text: str) -> str:
        return self.converters("s2hk").convert(text)

    def convert(self, text: str) -> str:
        out = self.s2hk(text)
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
                out = out.replace(self.s2hk(hans), hant)
        return out.translate(_TO_CORNERS)

    def could_have_made(self, source: str, text: str) -> bool:
        """Whether `text` is this converter's output for `source`, with or without any
        of the phrase corrections or corner quotes (which may have been added since):
        if so it is machine output and is regenerated, not a translator's correction."""
        made = self.convert(source)
        if text == made:
            return True
        bare = self.s2hk(source)
        if len(made) != len(text) or len(bare) != len(text):
            return text in (bare, bare.translate(_TO_CORNERS))
        cornered = bare.translate(_TO_CORNERS)
        return all(t in (m, b, c) for t, m, b, c in zip(text, made, bare, cornered))

    def back(self, text: str) -> str:
        """zh-Hant → zh-Hans, for checking that a plan text still says what was published."""
        return self.converters("hk2s").convert(text.translate(_FROM_CORNERS))


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


# The header every PO file gets. Plural-Forms is the locale's own rule and is kept
# from the file; a new locale starts with the common one-or-many rule.
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
HEADER_COMMENT = """{locale} ({language}) translations of the Guangdong–Macao cooperation plans site.
msgctxt: the key of the text (do not change it). msgid: the zh-Hans text.
msgstr: your translation. After editing data/, run `python -m plansite sync`;
`python -m plansite status` lists what is untranslated or fuzzy.
A fuzzy entry's zh-Hans text has changed since it was translated (`#|` shows the
old text): check the translation, then remove the fuzzy flag."""


@dataclass
class SyncResult:
    new: int = 0
    fuzzy: int = 0  # entries newly marked fuzzy
    regenerated: int = 0  # zh-Hant machine entries redone
    obsolete: int = 0  # entries newly made obsolete
    changed: bool = False  # whether the file was rewritten


def sync_po(
    root: Path,
    locale: str,
    language: str,
    sources: dict[str, SourceText],
    describe: Callable[[SourceText], str],
    traditional: "Traditional | None" = None,
    check: bool = False,
) -> SyncResult:
    """Bring data/locales/<locale>.po up to date with the zh-Hans sources; with
    `check`, write nothing. `traditional`, for zh-Hant, fills and regenerates
    machine entries."""
    path = po_path(root, locale)
    display = f"data/locales/{locale}.po"
    old = read_po(path, display) if path.exists() else polib.POFile()
    nplurals, _ = parse_plural_forms(old.metadata.get("Plural-Forms", DEFAULT_PLURAL_FORMS), display)
    live = {e.msgctxt: e for e in old if not e.obsolete and e.msgctxt}
    gone = {e.msgctxt: e for e in old if e.obsolete and e.msgctxt}
    result = SyncResult()

    po = polib.POFile(wrapwidth=78)
    po.header = HEADER_COMMENT.format(locale=locale, language=language)
    # What translators' tools maintain (revision date, translator, team) is kept from
    # the file; what the project owns is rewritten.
    kept = {name: old.metadata.get(name) or default for name, default in (
        ("PO-Revision-Date", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")),
        ("Last-Translator", "gdmo-plans translators"),
        ("Language-Team", f"{language} ({locale})"),
    )}
    po.metadata = {
        "Project-Id-Version": "gdmo-plans",
        **kept,
        "Language": locale.replace("-", "_"),  # gettext spells zh_Hant
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": old.metadata.get("Plural-Forms", DEFAULT_PLURAL_FORMS),
    }
    for key, source in sources.items():
        before = live.pop(key, None) or gone.pop(key, None)
        entry = polib.POEntry(msgctxt=key, msgid=source.text, comment=describe(source))
        entry.occurrences = [tuple(source.reference.rsplit(":", 1))]
        if source.plural:
            entry.msgid_plural = source.text  # Chinese has one form; the translation has nplurals
        forms = po_forms(before, nplurals) if before else ()
        if before is not None:
            entry.tcomment = before.tcomment  # a translator's own notes stay
        machine = traditional is not None and (before is None or not any(forms) or traditional.could_have_made(before.msgid, _text(forms)))
        if machine:
            made = traditional.convert(source.text)
            forms = (made,) * (nplurals if source.plural else 1)
            if before is not None and (po_forms(before, nplurals) != forms or before.msgid != source.text or before.obsolete):
                result.regenerated += 1
        elif before is not None and any(forms):
            if before.msgid != source.text or before.obsolete or "fuzzy" in before.flags:
                entry.flags.append("fuzzy")
                # The text it was translated from: kept from an earlier sync if still fuzzy.
                entry.previous_msgid = before.previous_msgid if ("fuzzy" in before.flags and before.previous_msgid) else before.msgid
                if "fuzzy" not in before.flags or before.obsolete:
                    result.fuzzy += 1
            if source.plural and len(forms) == 1:
                forms = forms * nplurals
            elif not source.plural and len(forms) > 1:
                forms = forms[:1]
        else:
            forms = ()
            if before is None:
                result.new += 1
        _set_forms(entry, forms, source.plural, nplurals)
        po.append(entry)
    for key, before in live.items():  # texts that are gone: kept, obsolete, if they held a translation
        if any(po_forms(before, nplurals)):
            before.obsolete = True
            before.comment = ""
            before.occurrences = []
            po.append(before)
            result.obsolete += 1
    for before in gone.values():
        po.append(before)
    text = str(po)  # as polib itself saves it: a file saved by polib needs no rewrite
    result.changed = not path.exists() or path.read_text(encoding="utf-8") != text
    if result.changed and not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return result


def _text(forms: tuple[str, ...]) -> str:
    return forms[-1] if forms else ""


def _set_forms(entry: polib.POEntry, forms: tuple[str, ...], plural: bool, nplurals: int) -> None:
    if plural:
        entry.msgstr_plural = {i: (forms[i] if i < len(forms) else "") for i in range(nplurals)}
    else:
        entry.msgstr = forms[0] if forms else ""

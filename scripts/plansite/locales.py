"""The languages of the site: one record per language, read from one place.

Each language is an entry of mkdocs-static-i18n's `languages` in mkdocs.yml (its
documented configuration: `locale`, `name`, `default`, `build`), and what this
project needs to know about it beyond that sits in the same entry under
`extra: {plansite: {...}}`:

    og_locale   Open Graph locale, language_TERRITORY (zh_HK, pt_PT)
    card_face   face of the Noto Sans CJK collection for share cards: the glyph
                shapes of the script (2 = Simplified Chinese, 4 = Hong Kong)
    search      the search analyser: chinese (substrings and bigrams, either
                script), portuguese (accent folding and plural endings), latin
                (accent folding only)
    generated   how the language is made from zh-Hans when it is not translated
                by hand: `s2hk` (OpenCC plus data/zh-Hant-phrases.yaml), or absent
    direction   ltr (default) or rtl

Its plural rule is the `Plural-Forms` header of its PO file, where gettext keeps
it; its interface strings and texts are in that PO file. A new language is this
record plus data/locales/<code>.po.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

SOURCE_LOCALE = "zh-Hans"
ANALYSERS = ("chinese", "portuguese", "latin")
RECORD_KEY = "plansite"  # under each language's `extra` in mkdocs.yml


@dataclass(frozen=True)
class Locale:
    code: str  # as in the URL and the locale file name: zh-Hans, zh-Hant, pt
    name: str  # its own name, for the language switcher
    default: bool = False
    og_locale: str = ""
    card_face: int = 2
    search: str = "latin"
    generated: str | None = None
    direction: str = "ltr"

    @property
    def is_source(self) -> bool:
        return self.code == SOURCE_LOCALE

    @property
    def chinese(self) -> bool:
        return self.search == "chinese"


class LocaleError(ValueError):
    """A language entry in mkdocs.yml that cannot be used; says which and why."""


def locale_from_entry(entry: dict[str, Any]) -> Locale:
    """One record from one mkdocs.yml language entry (a dict, or the i18n plugin's
    validated config of it, which reads the same)."""
    code = entry["locale"]
    record = dict((entry.get("extra") or {}).get(RECORD_KEY) or {})
    known = {"og_locale", "card_face", "search", "generated", "direction"}
    if set(record) - known:
        raise LocaleError(f"mkdocs.yml: language {code}: unknown field(s) {', '.join(sorted(set(record) - known))} under extra.{RECORD_KEY} (known: {', '.join(sorted(known))})")
    search = record.get("search", "latin")
    if search not in ANALYSERS:
        raise LocaleError(f"mkdocs.yml: language {code}: search must be one of {', '.join(ANALYSERS)}, not {search!r}")
    generated = record.get("generated")
    if generated not in (None, "s2hk"):
        raise LocaleError(f"mkdocs.yml: language {code}: generated must be s2hk or absent, not {generated!r}")
    if record.get("direction", "ltr") not in ("ltr", "rtl"):
        raise LocaleError(f"mkdocs.yml: language {code}: direction must be ltr or rtl")
    face = record.get("card_face", 2)
    if not isinstance(face, int) or not 0 <= face <= 9:
        raise LocaleError(f"mkdocs.yml: language {code}: card_face must be a face number of the Noto Sans CJK collection (0-9)")
    return Locale(
        code=code,
        name=entry["name"],
        default=bool(entry.get("default")),
        og_locale=record.get("og_locale") or code.replace("-", "_"),
        card_face=face,
        search=search,
        generated=generated,
        direction=record.get("direction", "ltr"),
    )


def locales_from_entries(entries: list[Any]) -> tuple[list[Locale], str]:
    """The built languages and the default one's code."""
    locales = [locale_from_entry(_as_dict(e)) for e in entries if _as_dict(e).get("build", True)]
    defaults = [loc.code for loc in locales if loc.default]
    if len(defaults) != 1:
        raise LocaleError(f"mkdocs.yml: exactly one language must be the default (found {len(defaults)})")
    return locales, defaults[0]


def _as_dict(entry: Any) -> dict[str, Any]:
    return entry if isinstance(entry, dict) else {k: entry[k] for k in entry}


def configured_locales(root: Path) -> tuple[list[Locale], str]:
    """Languages as mkdocs.yml declares them, for commands that run outside MkDocs."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml uses tags such as !ENV that only MkDocs resolves; they do not matter here.
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            return locales_from_entries(plugin["i18n"]["languages"])
    raise LocaleError("mkdocs.yml has no i18n plugin with languages")

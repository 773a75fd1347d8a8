"""MkDocs hooks: load and validate data/, write the page stubs, build the nav.

Runs once per language (mkdocs-static-i18n rebuilds per locale); `Site.load`
caches, so the data is read and checked once per change.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

from plansite.model import InvalidData  # noqa: E402
from plansite.opendata import write_open_data  # noqa: E402
from plansite.search import write_indexes as write_search_indexes  # noqa: E402
from plansite.pages import write_stubs  # noqa: E402
from plansite.site import Site, site_for_config  # noqa: E402
from plansite.yamlio import DataError  # noqa: E402


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        site = site_for_config(config)
    except (InvalidData, DataError) as exc:
        raise PluginError(f"invalid data, nothing was built:\n{exc}") from None
    write_stubs(Path(config.docs_dir), site.stubs())
    config.nav = site.nav()
    config.extra["default_locale"] = site.default_locale
    config.extra["language_offer"] = site.language_offer()
    config.extra.update(site.search_config())
    i18n = config.plugins["i18n"].config
    for language in i18n.languages:
        if language.locale not in site.catalogs:
            continue
        catalog = site.catalogs[language.locale]
        language.nav_translations = site.nav_translations(language.locale)
        language.site_name = catalog.text("ui.site_name")
        language.site_description = catalog.text("ui.site_description")
    return config





def on_post_build(config: MkDocsConfig) -> None:
    # mkdocs-static-i18n builds the other languages from inside its own post-build
    # (with `building` set); the downloads are language-neutral, so write them once.
    if not config.plugins["i18n"].building:
        write_open_data(site_for_config(config), Path(config.site_dir))
        write_search_indexes(site_for_config(config), Path(config.site_dir))

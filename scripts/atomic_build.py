"""MkDocs hooks: atomic builds. A failed build leaves the previous site as it was.

MkDocs empties site_dir before it renders anything, so a template or data problem
found while rendering used to leave no site, or half of one. Instead the first
language pass builds into a fresh staging folder beside site_dir, and only when
mkdocs-static-i18n has built every language is the staging folder swapped in (two
renames). On failure the staging folder is removed and site_dir never touched.

MkDocs gives `on_build_error` no config, so the build's folders live on a small
plugin object registered for this one config, not in module state.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority

NAME = "atomic-build"


class AtomicBuild(BasePlugin):
    def __init__(self, target: Path, staging: Path, languages: int):
        super().__init__()
        self.target = target
        self.staging = staging
        self.languages = languages  # the build is whole after this many language passes
        self.passes = 0

    @event_priority(-200)  # after mkdocs-static-i18n's post-build (-100), which builds the other languages
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.passes += 1
        if self.passes < self.languages or not self.staging.exists():
            return
        previous = self.target.with_name(f".{self.target.name}-previous")
        shutil.rmtree(previous, ignore_errors=True)
        if self.target.exists():
            self.target.rename(previous)
        self.staging.rename(self.target)
        shutil.rmtree(previous, ignore_errors=True)
        config.site_dir = str(self.target)

    def on_build_error(self, *, error: Exception) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


@event_priority(-200)  # after every other on_config: nothing is staged for a config that fails its checks
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if NAME in config.plugins:  # a later language pass of the same build
        return config
    target = Path(config.site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    # The languages to build, from mkdocs-static-i18n's documented configuration.
    languages = sum(1 for lang in config.plugins["i18n"].config.languages if lang.build)
    config.plugins[NAME] = AtomicBuild(target, staging, languages)
    config.site_dir = str(staging)
    return config

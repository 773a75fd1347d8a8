"""MkDocs hooks: atomic builds. A failed build leaves the previous site as it was.

MkDocs empties site_dir before it renders anything, so a template or data problem
found while rendering used to leave no site, or half of one. Instead the first
language pass builds into a fresh staging folder beside site_dir, and only when
mkdocs-static-i18n has built every language is the staging folder swapped in (two
renames). A failed build's staging folder is removed when the next build starts.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

STAGING = "atomic_build"  # config.extra key: {"target", "staging"} while a build runs


def _staging_prefix(target: Path) -> str:
    return f".{target.name}-building-"


@event_priority(-200)  # after every other on_config: nothing is staged for a config that fails its checks
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if STAGING in config.extra:  # a later language pass of the same build
        return config
    target = Path(config.site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(_staging_prefix(target) + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent)
    config.extra[STAGING] = {"target": str(target), "staging": staging}
    config.site_dir = staging
    return config


@event_priority(-200)  # after mkdocs-static-i18n's post-build (-100), which builds the other languages
def on_post_build(config: MkDocsConfig) -> None:
    if config.plugins["i18n"].building or STAGING not in config.extra:
        return
    paths = config.extra.pop(STAGING)
    target, staging = Path(paths["target"]), Path(paths["staging"])
    previous = target.with_name(f".{target.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    config.site_dir = str(target)

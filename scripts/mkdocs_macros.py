"""mkdocs-macros entry point: `{{ render_page() }}` fills a stub from data."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plansite.site import site_for_config  # noqa: E402


def define_env(env) -> None:  # type: ignore[no-untyped-def]
    @env.macro
    def render_page() -> str:
        meta = env.page.meta
        return site_for_config(env.conf).render(meta["kind"], meta["ref"], meta["locale"])

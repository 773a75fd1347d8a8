"""mkdocs-macros entry point: `{{ render_page() }}` fills a stub from data.

Only the stub's own text is a template; what the macro returns is HTML in which
every text from data is already escaped, and mkdocs-macros does not render it again.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plansite.site import RenderError, site_for_config  # noqa: E402


def define_env(env) -> None:  # type: ignore[no-untyped-def]
    @env.macro
    def render_page() -> str:
        meta = env.page.meta
        try:
            return site_for_config(env.conf).render(meta["kind"], meta["ref"], meta["locale"])
        except RenderError as exc:
            # mkdocs-macros turns an exception into sys.exit, which would end `mkdocs
            # serve`: the hooks report it as a build error instead (on_page_markdown).
            meta["render_error"] = str(exc)
            return ""

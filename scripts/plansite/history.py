"""An item's history, from data/changelog.yaml: every change that touched it, and
where a change altered the wording (the change records `previous`), what changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .feed import Change
from .model import Item

if TYPE_CHECKING:
    from .site import Site


@dataclass(frozen=True)
class HistoryEntry:
    change: Change
    before: str | None  # the item's zh-Hans text before this change, if the change altered it
    after: str | None  # and after it

    def diff(self) -> list[tuple[str, str]]:
        """("equal" | "delete" | "insert", text) runs, character by character (Chinese
        has no spaces to split words at)."""
        if self.before is None or self.after is None:
            return []
        runs: list[tuple[str, str]] = []
        matcher = difflib.SequenceMatcher(None, self.before, self.after, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op in ("equal", "delete", "replace") and a2 > a1:
                runs.append(("equal" if op == "equal" else "delete", self.before[a1:a2]))
            if op in ("insert", "replace") and b2 > b1:
                runs.append(("insert", self.after[b1:b2]))
        return runs


def item_history(site: "Site", item: Item) -> list[HistoryEntry]:
    """Newest first."""
    changes = [c for c in site.changelog.changes if item.id in c.items]
    entries = []
    after = item.text
    for change in reversed(changes):
        before = change.previous.get(item.id)
        entries.append(HistoryEntry(change, before, after if before is not None else None))
        if before is not None:
            after = before
    return entries


def as_of(site: "Site", item: Item, locale: str) -> dict[str, str]:
    """When the item's text, its translation in a locale and its outcomes last changed, from data."""
    changes = [c for c in site.changelog.changes if item.id in c.items]
    first = changes[0].date if changes else site.changelog.updated
    # The text dates from its first publication, or the last change that reworded it;
    # a translation from the last change that was not limited to other languages.
    reworded = [c.date for c in changes if item.id in c.previous]
    translated = [c.date for c in changes if not c.languages or locale in c.languages]
    out = {"text": max(reworded, default=first), "translation": max(translated, default=first)}
    if item.researched:
        out["outcomes"] = max([item.researched, *(n.source.read for n in item.progress)])
    return out

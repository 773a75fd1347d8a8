"""What became of each item: its status, derived from its progress entries by one rule.

The rule (the editors' guide in the README states the same):

- done            at least one entry reports the promised thing happened (outcome: done);
- under_way       entries report steps toward it, none its completion;
- no_report       the item was researched (`researched:`) and no entry was found;
- not_researched  nobody has looked yet.

Background entries (events before the plan that the item builds on) never count
toward a status. A status is never set by hand: add or correct entries instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Item

STATUSES = ("done", "under_way", "no_report", "not_researched")


def status_of(item: Item) -> str:
    reported = [note for note in item.progress if note.outcome != "background"]
    if any(note.outcome == "done" for note in reported):
        return "done"
    if reported:
        return "under_way"
    return "no_report" if item.researched else "not_researched"


@dataclass(frozen=True)
class Tally:
    """Items per status, in STATUSES order, for a plan, a section or the site."""

    counts: tuple[tuple[str, int], ...]
    total: int

    def count(self, status: str) -> int:
        return dict(self.counts)[status]

    def share(self, status: str) -> float:
        """Percentage of the items, for the width of a bar."""
        return round(100 * self.count(status) / self.total, 1) if self.total else 0.0


def tally(items: list[Item]) -> Tally:
    statuses = [status_of(item) for item in items]
    return Tally(tuple((s, statuses.count(s)) for s in STATUSES), len(items))

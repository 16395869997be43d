"""Duplicate detection against history: the store is the truth, the index finds candidates.

A :class:`DuplicateFinder` keeps a :class:`~screening.dupindex.NearDuplicateIndex` in step with a
:class:`~screening.store.db.Store`: before it answers it applies the changes logged since the
last one it saw (items added or removed by any process or host). A screening asks for them at
most every ``CATCH_UP_EVERY`` seconds, so it sees another worker's items within that time; a
submission always asks first, so the flags stored with an item were judged against every item
stored before it. The index is saved as a snapshot beside the database and
reopened without a rebuild; a lost or stale snapshot only means a longer catch-up.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .draft import Draft
from .dupindex import NearDuplicateIndex
from .similarity import judge
from .store.db import Store, StoredItem

SNAPSHOT_EVERY = 500  # changes applied between automatic snapshots
CATCH_UP_EVERY = 0.1  # seconds: other workers' additions are seen within this, well inside a second


class DuplicateFinder:
    def __init__(self, store: Store, snapshot: Path | None = None, catch_up_every: float = CATCH_UP_EVERY) -> None:
        self.store = store
        self.snapshot = snapshot
        self.catch_up_every = catch_up_every
        self.index = NearDuplicateIndex.load(snapshot) if snapshot and snapshot.exists() else NearDuplicateIndex()
        self._since_snapshot = 0
        self._caught_up_at = 0.0
        self.catch_up()

    @classmethod
    def in_memory(cls, drafts: Iterable[Draft], place: Callable[[int], str] | None = None) -> "DuplicateFinder":
        """A throw-away history (``screening screen --history``): SQLite in memory. With ``place``
        (the i-th draft's place in its file), an id used twice is refused naming both places."""
        store = Store("sqlite://")
        drafts = list(drafts)
        if place is not None:
            store.check_ids(drafts, place=place)
        store.add_many(drafts)
        return cls(store)

    def catch_up(self) -> int:
        """Apply the store's changes since the last one applied; return how many."""
        self._caught_up_at = time.monotonic()
        applied = 0
        while True:
            changes = self.store.changes_since(self.index.last_seq)
            if not changes:
                break
            added = self.store.get([item_id for _seq, item_id, op in changes if op == "add"])
            for seq, item_id, op in changes:
                if op == "add" and item_id in added:
                    item = added[item_id]
                    self.index.add(item_id, item.title, item.body)
                elif op == "remove":
                    self.index.remove(item_id)
                self.index.last_seq = seq
            applied += len(changes)
        self._since_snapshot += applied
        if self.snapshot and self._since_snapshot >= SNAPSHOT_EVERY:
            self.save()
        return applied

    def find(self, title: str, body: str, exclude: str | None = None, limit: int = 5,
             before: dt.datetime | None = None) -> list[dict]:
        """Earlier items this text repeats: id, similarity, title and the kind of match; with
        ``before``, only items submitted by then (a later item cannot be what a draft repeats)."""
        # Asking the store for changes costs more than the rest of a lookup: at most every
        # ``catch_up_every`` seconds (this process's own additions are applied at once).
        if time.monotonic() - self._caught_up_at >= self.catch_up_every:
            self.catch_up()
        candidates = [c for c in self.index.candidates(title, body) if c.id != exclude]
        items = self.store.get([c.id for c in candidates])
        found = []
        for c in candidates:
            item = items.get(c.id)
            if item is None or (before is not None and item.submitted_at > before):
                continue
            days_apart = (before - item.submitted_at).total_seconds() / 86400 if before is not None else None
            match = judge(title, body, item.title, item.body, days_apart)
            if match:
                found.append({"id": c.id, "similarity": match.similarity, "title": item.title, "how": match.how})
        found.sort(key=lambda d: -d["similarity"])
        return found[:limit]

    def add(self, drafts: Iterable[Draft], flags: Iterable[Sequence[str]] | None = None) -> list[StoredItem]:
        stored = self.store.add_many(drafts, flags)
        self.catch_up()
        return stored

    def remove(self, item_id: str) -> bool:
        removed = self.store.remove(item_id)
        self.catch_up()
        return removed

    def rebuild(self) -> int:
        """A fresh index from every live item of the store."""
        index = NearDuplicateIndex()
        index.last_seq = self.store.last_seq()
        for item in self.store.iter_items():
            index.add(item.id, item.title, item.body)
        index.merge()
        self.index = index
        self.catch_up()
        if self.snapshot:
            self.save()
        return len(index)

    def save(self) -> None:
        if self.snapshot:
            self.index.save(self.snapshot)
            self._since_snapshot = 0

"""The near-duplicate index: winnowed character-shingle fingerprints and shared facts.

Candidates come from two inverted indexes kept as sorted numpy arrays (compact: a few bytes a
posting, no Python object per entry):

- text fingerprints: 5-character shingles hashed with a rolling hash and winnowed (the minimum
  hash of every window of 16), so that any shared passage of 20 characters or more shares a
  fingerprint — verbatim copies, light edits, reorderings and excerpts all surface, and the
  share of the shorter text's fingerprints estimates containment;
- facts: figures with units and named places, firms and projects, so that the same facts retold
  in new words surface too.

Candidates are then judged exactly (``similarity.judge``) on the two texts. New additions go to
a small buffer merged into the sorted arrays in bulk; removals are tombstones until the next
merge. Each index remembers the last change sequence of the store it has applied, and catches
up before it answers, so every worker sees every other's additions.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import cues
from .figures import quantities
from .similarity import canonical, figure_value, normalise, value_key

K = 5
WINDOW = 16
TEXT_VERSION = 5  # bumped when the text normalisation or figure keys change: older snapshots are rebuilt
_P = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def text_fingerprints(text: str) -> np.ndarray:
    """Sorted unique winnowed fingerprints of the normalised text (uint64)."""
    t = normalise(text)
    if len(t) < K:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - K + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(K):
            h = h * _P + codes[j:j + n]
        h ^= h >> np.uint64(29)
        h *= _MIX
        h ^= h >> np.uint64(32)
    if n <= WINDOW:
        return np.unique(h.min(keepdims=True))
    windows = sliding_window_view(h, WINDOW)
    positions = windows.argmin(axis=1) + np.arange(len(windows))
    return np.unique(h[np.unique(positions)])


def _rounded_key(value: float, unit: str, digits: int) -> str:
    return "#~" + normalise(f"{value:.{digits}g}{unit}")


def _significant_digits(value: float) -> int:
    """How many digits a figure is written with (410000: 2, 4: 1, 12.6: 3)."""
    mantissa = f"{abs(value):.6g}".split("e")[0]
    return len(mantissa.replace(".", "").strip("0"))


def fact_keys(text: str, filing: bool = False) -> set[str]:
    """Figures (normalised) and named entities: the facts a retelling keeps. A figure written with a
    hedge (近四万元、超过41万项) is looked up at the precision it is written with, and an item being
    filed (``filing``) files each figure at one and two significant digits too: a retelling rounds."""
    text = canonical(text)
    keys = set()
    for f in quantities(text):
        v = figure_value(f.text)
        exact = "#" + normalise(value_key(f.text, v))  # as the judge compares them
        if v is None:
            keys.add(exact)
        elif filing:
            keys.update((exact, _rounded_key(v.value, v.unit, 1), _rounded_key(v.value, v.unit, 2)))
        else:
            digits = _significant_digits(v.value)
            keys.add(_rounded_key(v.value, v.unit, digits) if v.hedge and digits <= 2 else exact)
    for _start, _end, name in cues.named_entities(text):
        if len(name) >= 3:
            keys.add("@" + name)
    return keys


def _hash_keys(keys: Iterable[str]) -> np.ndarray:
    return np.unique(np.fromiter(
        (int.from_bytes(hashlib.blake2b(k.encode("utf-8"), digest_size=8).digest(), "little") for k in keys),
        dtype=np.uint64))


class Postings:
    """An inverted index hash → internal item numbers, as sorted arrays plus a small buffer."""

    MERGE_AT = 50_000  # buffered postings before a merge; grows with the index (amortised cost)

    def __init__(self) -> None:
        self.hashes = np.zeros(0, dtype=np.uint64)
        self.items = np.zeros(0, dtype=np.uint32)
        self._buffer: dict[int, list[int]] = {}
        self._buffered = 0

    def add(self, item: int, hashes: np.ndarray) -> None:
        for h in hashes.tolist():
            self._buffer.setdefault(h, []).append(item)
        self._buffered += len(hashes)
        if self._buffered >= max(self.MERGE_AT, len(self.hashes) // 4):
            self.merge()

    def merge(self, alive: np.ndarray | None = None) -> None:
        """Fold the buffer into the sorted arrays; drop postings of removed items."""
        if self._buffer:
            hs = np.fromiter((h for h, its in self._buffer.items() for _ in its), dtype=np.uint64, count=self._buffered)
            its = np.fromiter((i for _h, its in self._buffer.items() for i in its), dtype=np.uint32, count=self._buffered)
            self.hashes = np.concatenate([self.hashes, hs])
            self.items = np.concatenate([self.items, its])
            self._buffer, self._buffered = {}, 0
        if alive is not None and len(self.items):
            keep = alive[self.items]
            self.hashes, self.items = self.hashes[keep], self.items[keep]
        order = np.argsort(self.hashes, kind="stable")
        self.hashes, self.items = self.hashes[order], self.items[order]

    def lookup(self, hashes: np.ndarray, max_df: int) -> np.ndarray:
        """Internal item numbers posted under the hashes (one entry per shared hash)."""
        left = np.searchsorted(self.hashes, hashes, "left")
        right = np.searchsorted(self.hashes, hashes, "right")
        counts = right - left
        useful = (counts > 0) & (counts <= max_df)
        parts = [self.items[a:b] for a, b in zip(left[useful], right[useful])]
        if self._buffer:
            for h in hashes.tolist():
                posted = self._buffer.get(h)
                if posted and len(posted) <= max_df:
                    parts.append(np.asarray(posted, dtype=np.uint32))
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)

    def nbytes(self) -> int:
        return self.hashes.nbytes + self.items.nbytes


@dataclass(frozen=True)
class Candidate:
    id: str
    text_share: float   # share of the shorter text's fingerprints that the two share
    fact_share: float   # share of the query's facts found in the item


# Candidates found by shared figures alone, after all others (see NearDuplicateIndex.candidates).
FIGURE_ONLY_CANDIDATES = 3


class NearDuplicateIndex:
    MAX_DF = 2_000  # fingerprints posted under more items are boilerplate, not evidence

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.numbers: dict[str, int] = {}
        self._alive = bytearray()          # per item: 1 while not removed
        self._sizes: list[int] = []         # per item: number of text fingerprints
        self._arrays: tuple[np.ndarray, np.ndarray] | None = None
        self.text = Postings()
        self.facts = Postings()
        self.last_seq = 0

    @property
    def alive(self) -> np.ndarray:
        return self._views()[0]

    @property
    def sizes(self) -> np.ndarray:
        return self._views()[1]

    def _views(self) -> tuple[np.ndarray, np.ndarray]:
        if self._arrays is None:
            self._arrays = (np.frombuffer(bytes(self._alive), dtype=np.uint8).astype(bool),
                            np.asarray(self._sizes, dtype=np.uint32))
        return self._arrays

    def __len__(self) -> int:
        return sum(self._alive)

    def __contains__(self, item_id: str) -> bool:
        n = self.numbers.get(item_id)
        return n is not None and bool(self._alive[n])

    def add(self, item_id: str, title: str, body: str) -> None:
        if item_id in self:
            return
        fps = text_fingerprints(title + body)
        facts = _hash_keys(fact_keys(body, filing=True))
        number = len(self.ids)
        self.ids.append(item_id)
        self.numbers[item_id] = number
        self._alive.append(1)
        self._sizes.append(len(fps))
        self._arrays = None
        self.text.add(number, fps)
        self.facts.add(number, facts)

    def remove(self, item_id: str) -> bool:
        number = self.numbers.get(item_id)
        if number is None or not self._alive[number]:
            return False
        self._alive[number] = 0
        self._arrays = None
        return True

    def merge(self) -> None:
        self.text.merge(self.alive)
        self.facts.merge(self.alive)

    def candidates(self, title: str, body: str, limit: int = 8) -> list[Candidate]:
        qf = text_fingerprints(title + body)
        keys = fact_keys(body)
        qfacts = _hash_keys(keys)
        found: dict[int, Candidate] = {}
        hits = self.text.lookup(qf, self.MAX_DF)
        if len(hits):
            numbers, shared = np.unique(hits, return_counts=True)
            smaller = np.minimum(self.sizes[numbers], len(qf)).clip(min=1)
            share = shared / smaller
            keep = (share >= 0.25) & (shared >= 2) & self.alive[numbers]
            for n, s in zip(numbers[keep], share[keep]):
                found[int(n)] = Candidate(self.ids[n], float(s), 0.0)
        for n, s in self._sharing_facts(qfacts):
            prev = found.get(n)
            found[n] = Candidate(self.ids[n], prev.text_share if prev else 0.0, s)
        # The figures alone, as a last resort: a retelling in other words keeps the figures but not
        # the runs of text read as names (道里区将新设20处游客服务驿站 against 道里区将增设游客服务驿站),
        # which dilute its share of all facts below the bar. Bare numbers are common, so these come
        # after every candidate with other evidence, newest first, and only a few of them.
        figures = _hash_keys(k for k in keys if k.startswith("#"))
        by_figures = sorted(((s, n) for n, s in self._sharing_facts(figures) if n not in found), reverse=True)
        ranked = sorted(found.values(), key=lambda c: -max(c.text_share, c.fact_share))[:limit]
        return ranked + [Candidate(self.ids[n], 0.0, share) for share, n in by_figures[:FIGURE_ONLY_CANDIDATES]]

    def _sharing_facts(self, wanted: np.ndarray) -> list[tuple[int, float]]:
        """(item number, share of ``wanted`` it holds) for live items holding three of them and 60%."""
        if len(wanted) < 3:
            return []
        hits = self.facts.lookup(wanted, self.MAX_DF)
        if not len(hits):
            return []
        numbers, shared = np.unique(hits, return_counts=True)
        share = shared / len(wanted)
        keep = (share >= 0.6) & (shared >= 3) & self.alive[numbers]
        return [(int(n), float(s)) for n, s in zip(numbers[keep], share[keep])]

    def nbytes(self) -> int:
        return (self.text.nbytes() + self.facts.nbytes() + len(self._alive) + 28 * len(self._sizes)
                + sum(len(i) + 57 for i in self.ids) + 100 * len(self.numbers))

    # --- persistence -------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write a snapshot atomically (a crash leaves the previous snapshot intact)."""
        self.merge()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        with open(tmp, "wb") as fh:
            np.savez(fh, ids=np.asarray(self.ids, dtype=object), alive=self.alive, sizes=self.sizes,
                     text_h=self.text.hashes, text_i=self.text.items,
                     facts_h=self.facts.hashes, facts_i=self.facts.items, last_seq=np.int64(self.last_seq),
                     text_version=np.int64(TEXT_VERSION))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "NearDuplicateIndex":
        data = np.load(path, allow_pickle=True)  # our own snapshot: ids are a string array
        index = cls()
        if "text_version" not in data or int(data["text_version"]) != TEXT_VERSION:
            return index  # fingerprints of another normalisation: empty, so the finder replays the log
        index.ids = [str(i) for i in data["ids"]]
        index.numbers = {item_id: n for n, item_id in enumerate(index.ids)}
        index._alive = bytearray(data["alive"].astype(np.uint8).tobytes())
        index._sizes = data["sizes"].tolist()
        index.text.hashes, index.text.items = data["text_h"], data["text_i"]
        index.facts.hashes, index.facts.items = data["facts_h"], data["facts_i"]
        index.last_seq = int(data["last_seq"])
        return index


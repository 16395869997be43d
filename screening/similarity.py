"""Exact near-duplicate comparison of two items: shingles, containment and shared figures.

Jaccard alone misses excerpts (a 动态 cut from a long item); containment catches them.
Reordering does not change a shingle set. Figures decide the hard cases: the same wording with
new figures is next month's report, not a duplicate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .figures import quantities

SHINGLE = 5
THRESHOLD = 0.5
_NOISE = re.compile(r"[\s，。、；：！？“”‘’（）《》【】,.;:!?()\"'\-—…·]")


def normalise(text: str) -> str:
    return _NOISE.sub("", text)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    t = normalise(text)
    if len(t) <= k:
        return {t} if t else set()
    return {t[i:i + k] for i in range(len(t) - k + 1)}


def figure_set(text: str) -> set[str]:
    return {re.sub(r"\s", "", f.text) for f in quantities(text)}


@dataclass(frozen=True)
class Match:
    similarity: float
    how: str  # verbatim | near | excerpt


def compare(query: set[str], other: set[str], query_figures: set[str], other_figures: set[str]) -> Match | None:
    """A match when the query repeats ``other``; None when it does not (or brings new figures)."""
    if not query or not other:
        return None
    inter = len(query & other)
    jaccard = inter / len(query | other)
    containment = inter / min(len(query), len(other))
    similarity = max(jaccard, containment)
    if similarity < THRESHOLD:
        return None
    if query_figures and other_figures is not None:
        new = query_figures - other_figures
        # New figures in a text that is not a verbatim copy: a new period or a new phase.
        if len(new) >= max(1, len(query_figures) // 2) and jaccard < 0.9:
            return None
    how = "verbatim" if jaccard >= 0.95 else ("excerpt" if containment - jaccard > 0.25 else "near")
    return Match(round(similarity, 4), how)


class History:
    """A small in-memory history (``screening screen --history``): exact comparison with all items."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, set[str], set[str]]] = {}

    def add(self, item_id: str, title: str, body: str) -> None:
        self._items[item_id] = (title, shingles(title + body), figure_set(body))

    def __len__(self) -> int:
        return len(self._items)

    def find(self, title: str, body: str, limit: int = 5) -> list[dict]:
        q, qf = shingles(title + body), figure_set(body)
        found = []
        for item_id, (other_title, sh, figs) in self._items.items():
            match = compare(q, sh, qf, figs)
            if match:
                found.append({"id": item_id, "similarity": match.similarity, "title": other_title, "how": match.how})
        found.sort(key=lambda d: -d["similarity"])
        return found[:limit]

"""Exact near-duplicate comparison of two items: shingles, containment and shared figures.

Jaccard alone misses excerpts (a 动态 cut from a long item); containment catches them.
Reordering does not change a shingle set. Figures decide the hard cases: the same wording with
new figures is next month's report, not a duplicate.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from .figures import quantities

SHINGLE = 5
THRESHOLD = 0.5
_NOISE = re.compile(r"[\s，。、；：！？“”‘’（）《》【】,.;:!?()\"'\-—…·]")


# Characters that change nothing a reader sees: zero-width and format characters (category Cf),
# and the replacement character drafts carry for a NUL.
_INVISIBLE = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufffd]")


def canonical(text: str) -> str:
    """The text as a reader sees it: NFKC (full-width ２．３万亩 is 2.3万亩) without invisible
    characters, so that a copy typed or pasted differently is still the same text."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def normalise(text: str) -> str:
    return _NOISE.sub("", canonical(text))


def fingerprint(title: str, body: str) -> str:
    """The identity of a text for replays: the same item sent again, however typed or punctuated."""
    return hashlib.sha256(normalise(title + "\n" + body).encode("utf-8")).hexdigest()


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    t = normalise(text)
    if len(t) <= k:
        return {t} if t else set()
    return {t[i:i + k] for i in range(len(t) - k + 1)}


_HEDGES = re.compile(r"^(?:近|约|超过?|逾|达到?|突破|不足|将近|共计?|合计|累计|总计|计)|(?:余|多|以上|左右|来)(?=\D*$)|\s")


# Measure words of a bare count: 18项 and 18个 合作项目, 30名 and 30位 专家 are the same count retold.
_COUNT_WORD = re.compile(r"(?<=\d)(?:个|项|位|名|人|家|户|件|次|场|批)$")


def figure_key(figure: str) -> str:
    """A figure without hedges (超过六成 = 六成以上 = 六成) or a count's measure word (18项 = 18个):
    rewording keeps the figure."""
    return _COUNT_WORD.sub("", _HEDGES.sub("", figure))


def figure_set(text: str) -> set[str]:
    return {figure_key(f.text) for f in quantities(text)}


@dataclass(frozen=True)
class Match:
    similarity: float
    how: str  # verbatim | near | excerpt | retold


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


def names(text: str) -> set[str]:
    from . import cues

    return {name for _start, _end, name in cues.named_entities(text)}


def _bigram_jaccard(a: str, b: str) -> float:
    """Overlap of the character pairs of two strings (names written slightly differently still meet)."""
    x = {a[i:i + 2] for i in range(len(a) - 1)}
    y = {b[i:i + 2] for i in range(len(b) - 1)}
    if not x and not y:
        return 1.0
    return len(x & y) / len(x | y) if x | y else 0.0


def judge(query_title: str, query_body: str, title: str, body: str) -> Match | None:
    """Is the query a repeat of the earlier item? Text overlap first, then the same facts retold."""
    query_title, query_body, title, body = map(canonical, (query_title, query_body, title, body))
    qf, of = figure_set(query_body), figure_set(body)
    match = compare(shingles(query_title + query_body), shingles(title + body), qf, of)
    if match is not None:
        return match
    if len(qf) >= 3 and len(of) >= 3:
        shared = len(qf & of)
        figure_overlap = shared / len(qf | of)
        name_overlap = _bigram_jaccard("".join(sorted(names(query_body))), "".join(sorted(names(body))))
        # The same figures, names and places in other words: the same event retold. Four or more
        # figures all shared are evidence enough on their own. A shortened retelling keeps a part of
        # the figures and adds none: nearly all of its own figures are the earlier item's.
        if figure_overlap >= 0.7 and (name_overlap >= 0.3 or (figure_overlap >= 0.9 and len(qf) >= 4)):
            return Match(round(figure_overlap, 4), "retold")
        if shared / len(qf) >= 0.85 and (shared >= 5 or (shared >= 4 and name_overlap >= 0.3)):
            return Match(round(shared / len(qf), 4), "retold")
    return None

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
from functools import lru_cache

from .figures import CN_DIGITS, Figure, chinese_to_number, quantities
from .timeliness import EVENT_TYPES

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
# Which way a hedged figure may differ from the exact one it rounds: 300余吨 is 300 or more, 近50台
# 50 or less, 约1.2万 either side.
_ABOVE = re.compile(r"^(?:超过?|逾|突破)|(?:余|多|以上)(?=\D*$)")
_BELOW = re.compile(r"^(?:近|将近|不足)")
_ABOUT = re.compile(r"^约|(?:左右|来)(?=\D*$)")
_AMOUNT = re.compile(rf"^(?P<num>\d+(?:[,，]\d{{3}})*(?:\.\d+)?|[{CN_DIGITS}]+(?:点[{CN_DIGITS}]+)?)(?P<rest>.*)$")
# Measure words of a bare count: 18项 and 18个 合作项目, 30名 and 30位 专家 are the same count retold.
_COUNT_WORDS = {"个", "项", "位", "名", "人", "家", "户", "件", "次", "场", "批"}
_SAME_UNIT = {"个小时": "小时", "公斤": "千克", "千米": "公里"}
_MEASURE_WORDS = set("个项位名人家户件次场批所座条台辆套处栋幢部只头间张")
_DURATIONS = ("个月", "个工作日", "个小时", "个百分点", "个季度", "个星期")


@dataclass(frozen=True)
class FigureValue:
    value: float
    unit: str       # "" for a bare count, "%" for a share, "pt" for percentage points
    hedge: str = ""  # "above" (余、多、以上、超过), "below" (近、不足), "about" (约、左右), or "" (exact)

    def matches(self, other: "FigureValue") -> bool:
        """The same fact, allowing for rounding: 3.26亿 and 3.3亿; 312吨 and 300余吨; 56% and 五成以上."""
        return self.unit == other.unit and (self._admits(other.value) or other._admits(self.value))

    def _admits(self, value: float) -> bool:
        x = self.value
        if self.hedge == "above":   # 40余 may be up to 49
            return x <= value <= x * 1.25 + 1e-9
        if self.hedge == "below":
            return x * 0.8 - 1e-9 <= value <= x
        if self.hedge == "about":
            return abs(value - x) <= 0.1 * abs(x)
        return abs(value - x) <= 0.02 * max(abs(x), abs(value))


def figure_value(figure: str) -> FigureValue | None:
    """A figure as a value and a unit, however written: 24.6万亩 = 246000亩, 三千二百万元 =
    3200万元, 八成 = 百分之八十 = 80%, 32000人 = 3.2万人; 12% and 12个百分点 stay different facts.
    None for what cannot be read as one (翻一番)."""
    hedge = ("above" if _ABOVE.search(figure) else "below" if _BELOW.search(figure)
             else "about" if _ABOUT.search(figure) else "")
    text = _HEDGES.sub("", figure)
    if text.startswith("百分之"):
        number = chinese_to_number(text[3:])  # 百分之十五
        return FigureValue(number, "%", hedge) if number is not None else None
    if text.endswith("成") and len(text) <= 3 and (tenths := chinese_to_number(text[:-1])):
        return FigureValue(tenths * 10, "%", hedge)  # 八成, 六成
    if len(text) == 3 and text[1] == "成" and (tenths := chinese_to_number(text[0])) and (rest := chinese_to_number(text[2])):
        return FigureValue(tenths * 10 + rest, "%", hedge)  # 一成四 is 14%, 八成五 85%
    m = _AMOUNT.match(text)
    if m is None:
        return None
    num, rest = m.group("num").replace(",", "").replace("，", ""), m.group("rest")
    number = float(num) if num[0].isdigit() else chinese_to_number(num)  # 三点五万 is left as text
    if number is None:
        return None
    for scale, factor in (("亿", 1e8), ("万", 1e4)):  # 3.2万 and 万元, 万亩
        if rest.startswith(scale):
            number, rest = number * factor, rest[1:]
    if rest.startswith("千元"):
        number, rest = number * 1000, rest[1:]
    rest = "%" if rest in ("%", "％") else "pt" if rest.endswith("百分点") else _SAME_UNIT.get(rest, rest)
    if len(rest) > 1 and rest[0] in _MEASURE_WORDS and not rest.startswith(_DURATIONS):
        rest = rest[0]  # 3所学校 and 三所, 14家企业 and 14家: the measure word, not the noun after it
    return FigureValue(number, "" if rest in _COUNT_WORDS else rest, hedge)


def figure_key(figure: str) -> str:
    """A figure as an exact key (the duplicate index's): its value and unit (see figure_value), or,
    for what cannot be read as one, its text without hedges (超过六成 = 六成以上 = 六成)."""
    return value_key(figure, figure_value(figure))


def value_key(figure: str, value: FigureValue | None) -> str:
    """figure_key of a figure whose value is already read."""
    return f"{value.value:.6g}{value.unit}" if value is not None else _HEDGES.sub("", figure)


_TAIL_HEDGE = re.compile(r"余|多|以上|左右")


@lru_cache(maxsize=256)
def _read_figures(text: str) -> tuple[tuple[Figure, FigureValue], ...]:
    """Each figure of a text with its value; a hedge written after the unit (8公里余、五成以上) counts.
    Cached: the judge reads a text for its values and its measures, and a query once per candidate."""
    out = []
    for f in quantities(text):
        tail = _TAIL_HEDGE.match(text, f.end)
        v = figure_value(f.text + (tail.group() if tail else ""))
        if v is not None:
            out.append((f, v))
    return tuple(out)


def figure_values(text: str) -> list[FigureValue]:
    """The distinct figures of a text that can be read as values."""
    return list({(v.value, v.unit, v.hedge): v for _f, v in _read_figures(text)}.values())


def matched(query: list[FigureValue], other: list[FigureValue]) -> int:
    """How many of the query's figures the other text gives too (allowing for rounding)."""
    return sum(1 for q in query if any(q.matches(o) for o in other))


_LABEL = re.compile(r"[一-龥]{1,4}$")


def measures(text: str) -> dict[tuple[str, str], list[FigureValue]]:
    """Each figure under what it measures: the few characters before it (同比增长、网络销售额) and its unit."""
    out: dict[tuple[str, str], list[FigureValue]] = {}
    for f, v in _read_figures(text):
        label = _LABEL.search(text, max(0, f.start - 4), f.start)
        if label is not None and len(label.group()) >= 2:
            out.setdefault((label.group(), v.unit), []).append(v)
    return out


def conflicting_measures(query: dict, other: dict) -> int:
    """How many measures both texts give with no value in common: the same indicator with another
    value is new data (next month's figures, a final count after an estimate), not a repeat."""
    return sum(1 for key, values in query.items() if key in other
               and not any(a.matches(b) for a in values for b in other[key]))


@dataclass(frozen=True)
class Match:
    similarity: float
    how: str  # verbatim | near | excerpt | retold


def compare(query: set[str], other: set[str], new_figures: int, figures: int) -> Match | None:
    """A match when the query repeats ``other``; None when it does not, or when ``new_figures`` of
    its ``figures`` are not in ``other``."""
    if not query or not other:
        return None
    inter = len(query & other)
    jaccard = inter / len(query | other)
    containment = inter / min(len(query), len(other))
    similarity = max(jaccard, containment)
    if similarity < THRESHOLD:
        return None
    # New figures in a text that is not a verbatim copy: a new period or a new phase — unless the
    # query holds all of the earlier text and only adds to it (a new lead over the same body).
    if figures and new_figures >= max(1, figures // 2) and jaccard < 0.9 and inter / len(other) < 0.85:
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


# A retelling of the same event by another unit (a county office retelling a bureau's item) comes
# within days; the same facts reported weeks later are a later phase or period, however alike.
RETOLD_WITHIN_DAYS = 10


def _event_kinds(title: str) -> set[str]:
    return {name for name, pattern in EVENT_TYPES if pattern.search(title)}


def judge(query_title: str, query_body: str, title: str, body: str, days_apart: float | None = None) -> Match | None:
    """Is the query a repeat of the earlier item (submitted ``days_apart`` days before it, when
    known)? Text overlap first, then the same facts retold."""
    query_title, query_body, title, body = map(canonical, (query_title, query_body, title, body))
    if conflicting_measures(measures(query_body), measures(body)):
        return None  # the same indicator with another value: new data, however alike the wording
    qv, ov = figure_values(query_body), figure_values(body)
    shared = matched(qv, ov)
    match = compare(shingles(query_title + query_body), shingles(title + body), len(qv) - shared, len(qv))
    if match is not None:
        return match
    if len(qv) >= 3 and len(ov) >= 3:
        figure_overlap = shared / (len(qv) + len(ov) - shared)
        name_overlap = _bigram_jaccard("".join(sorted(names(query_body))), "".join(sorted(names(body))))
        # The same figures, names and places in other words: the same event retold. Four or more
        # figures all shared are evidence enough on their own. A shortened retelling keeps a part of
        # the figures and adds none: nearly all of its own figures are the earlier item's.
        if figure_overlap >= 0.7 and (name_overlap >= 0.3 or (figure_overlap >= 0.9 and len(qv) >= 4)):
            return Match(round(figure_overlap, 4), "retold")
        if shared / len(qv) >= 0.85 and (shared >= 5 or (shared >= 4 and name_overlap >= 0.3)):
            return Match(round(shared / len(qv), 4), "retold")
        # Retold within days in other words: most of its figures are the earlier item's, none
        # measures the same thing differently (checked above), and the titles name no other kind of
        # event (签约 five days before 开工 repeats the investment, not the news).
        kinds, earlier_kinds = _event_kinds(query_title), _event_kinds(title)
        if (days_apart is not None and 0 <= days_apart <= RETOLD_WITHIN_DAYS and shared / len(qv) >= 0.6
                and not (kinds and earlier_kinds and not kinds & earlier_kinds)):
            return Match(round(shared / len(qv), 4), "retold")
    return None

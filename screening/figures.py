"""Find figures in text: numbers with units, money, percentages, Chinese-written numbers.

Dates, times, years, document numbers and ordinals are recognised too, so that callers can
tell a quantity (数据) from a date or a numbering (not data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .patterns import starting_with

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
# A number starts where a run of digits starts (the lookbehinds): tried from inside the run too, a
# failing match would rescan the rest of the run from every position, quadratic in its length.
# The decimal point as typed, or full-width as Word's Chinese input often leaves it (１２．５%).
_POINT = "[.．]"
_AT_DIGITS = rf"(?<!\d)(?<!\d{_POINT})"  # not inside a number or after its decimal point; after 完成.300名 it may start
_AT_CN = rf"(?<![{CN_DIGITS}])"
_NUM = rf"(?:{_AT_DIGITS}\d+(?:[,，]\d{{3}})*(?:{_POINT}\d+)?|{_AT_CN}[{CN_DIGITS}]+(?:点[{CN_DIGITS}]+)?)"
# Hedges before a figure belong to it (近三成, 超过1.2万人); matched backwards from the number so
# that the patterns start with a number and the regex engine can skip ahead quickly.
_APPROX_BEFORE = re.compile(r"(?:近|约|超过?|逾|达到?|突破|不足|将近|共计?|合计|累计|总计|计)$")
_SUFFIX = r"(?:余|多|以上|左右|来)?"
_MULT = r"(?:万|亿|千|百|十)?"

# Longest first so that 万元 beats 万 and 平方公里 beats 公里.
UNITS = sorted("""
元 万元 亿元 千元 美元 万美元 亿美元 人 人次 万人次 名 位 户 家 个 项 件 宗 笔 单 例 起 批 次 场 场次
亩 万亩 公顷 平方米 万平方米 平方公里 公里 千米 米 延米 吨 万吨 千克 公斤 斤 克 立方米 方 万方
台 套 辆 架 艘 座 所 间 张 栋 幢 处 条 株 棵 头 只 羽 箱 份 册 篇 部 本 床 千瓦 兆瓦 千瓦时 度 瓦
个百分点 百分点 倍 番 成 天 小时 分钟 年 个月 周 岁 类 种 期 届 支 队 村 镇 乡 社区 所学校 家企业
""".split(), key=len, reverse=True)
# The unit follows every number tried: a lookahead on the units' first characters rejects a
# non-unit at once instead of trying each of the alternatives.
_UNIT = "(?=[{}])(?:{})".format("".join(sorted({u[0] for u in UNITS})), "|".join(map(re.escape, UNITS)))



_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("docno", starting_with(first=r"〔\[［(（第", pattern=r"[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号|第\s*\d+\s*号")),
    ("date", starting_with(first=rf"\d{CN_DIGITS}", pattern=rf"(?:\d{{4}}|[{CN_DIGITS}]{{4}})\s*年(?:\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*[日号])?)?"
                        rf"|\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*[日号])?(?:[—\-－至到~～]\d{{1,2}}\s*[日号])?"
                        rf"|\d{{1,2}}\s*[日号](?=[上中下早晚凌傍午，,至到—\-])"
                        rf"|\d{{1,2}}\s*[时点](?:\s*\d{{1,2}}\s*分)?|\d{{1,2}}:\d{{2}}")),
    ("percent", starting_with(first=rf"\d{CN_DIGITS}翻近超逾约.", pattern=rf"(?:百分之[{CN_DIGITS}]+(?:点[{CN_DIGITS}]+)?|{_AT_DIGITS}\d+(?:{_POINT}\d+)?\s*[%％‰]"
                           rf"|(?<![{CN_DIGITS}\d.．])[{CN_DIGITS}\d.．]+个?百分点|[近超逾约]?[一二三四五六七八九]成[{CN_DIGITS}]?|翻了?[一两二三]番"
                           rf"|{_AT_DIGITS}\d+(?:{_POINT}\d+)?倍|(?<![一二两三四五六七八九十])[一二两三四五六七八九十]+倍)")),
    ("ordinal", starting_with(first=rf"第{CN_DIGITS}（(", pattern=rf"第[{CN_DIGITS}\d]+|(?<![一二三四五六七八九十])[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]")),
    ("quantity", starting_with(first=rf"\d{CN_DIGITS}", pattern=rf"(?P<num>{_NUM}){_SUFFIX}{_MULT}{_SUFFIX}(?P<unit>{_UNIT})")),
]

# What every percent match holds (%, 百分之/百分点, 三成, 翻一番, 两倍): a text without any holds none.
_PERCENT_SIGNS = re.compile(r"[%％‰番倍]|百分|[一二三四五六七八九]成")

_CN_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_CN_SCALE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    text: str
    kind: str  # quantity | percent | date | docno | ordinal
    unit: str = ""

    @property
    def is_quantity(self) -> bool:
        return self.kind in ("quantity", "percent")


def chinese_to_number(text: str) -> float | None:
    """Value of a Chinese-written number such as 两千三百 or 十二; None if it is not one."""
    total, section, digit = 0, 0, 0
    previous_was_digit = False
    for ch in text:
        if ch in _CN_VALUE:
            if previous_was_digit:  # 十四五, 三四: a name or a range, not one number
                return None
            digit = _CN_VALUE[ch]
            previous_was_digit = ch not in "零〇"  # 一百零八: 零 only holds a place
            continue
        previous_was_digit = False
        if ch in _CN_SCALE:
            scale = _CN_SCALE[ch]
            if scale >= 10_000:
                section = (section + digit) * scale
                total += section
                section = 0
            else:
                section += (digit or 1) * scale
            digit = 0
        else:
            return None
    return float(total + section + digit)


@lru_cache(maxsize=256)
def find_figures(text: str) -> tuple[Figure, ...]:
    """All figures in ``text``, non-overlapping, earlier patterns (dates, numbers) winning.

    Cached: the screener, the duplicate index and the exact duplicate check read the same body."""
    taken = bytearray(len(text))  # characters already claimed by an earlier pattern
    found: list[Figure] = []
    for kind, pattern in _PATTERNS:
        if kind == "percent" and not _PERCENT_SIGNS.search(text):
            continue  # most drafts hold no percentage: one quick scan instead of the pattern's
        for m in pattern.finditer(text):
            start, end = m.span()
            if end <= start or taken.find(1, start, end) >= 0:
                continue
            if kind in ("percent", "quantity"):
                hedge = _APPROX_BEFORE.search(text, max(0, start - 3), start)
                if hedge and taken.find(1, hedge.start(), start) < 0:
                    start = hedge.start()
            fig_text = text[start:end]
            unit = ""
            if kind == "quantity":
                unit = m.group("unit")
                if not _plausible_quantity(m.group("num"), fig_text, unit):
                    continue
            taken[start:end] = b"\x01" * (end - start)
            found.append(Figure(start, end, fig_text, kind, unit))
    found.sort(key=lambda f: f.start)
    return tuple(found)


_WEAK_UNITS = {"个", "项", "件", "次", "种", "类", "支", "队", "批", "场", "位", "名",
               "天", "周", "个月", "小时", "分钟", "条", "处", "部", "本", "篇", "份"}
# Units that after a Chinese-written number name a period or a series, not an amount.
_NAME_UNITS = {"期", "届", "年", "成"}


def _plausible_quantity(digits: str, fig_text: str, unit: str) -> bool:
    """Reject number-like words that are not quantities (一个, 两会, 三农, 十四五…)."""
    if digits[0].isdigit():
        return True
    value = chinese_to_number(digits.replace("点", ""))
    if value is None:
        return False
    if unit in _NAME_UNITS:
        return False
    # Small Chinese numbers with weak units are usually phrases (一个重要、两项制度、三次会议).
    if value < 2 or (unit in _WEAK_UNITS and value < 10 and not re.search(r"[余多]", fig_text)):
        return False
    return True


def quantities(text: str) -> list[Figure]:
    return [f for f in find_figures(text) if f.is_quantity]

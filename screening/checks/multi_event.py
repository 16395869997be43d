"""multi_event — 一稿多事

检查什么：一篇稿件里是否写了几件互不相干的事：两个以上段落以日期开头（至少有两个日期不同），
且其中至少有两段没有共同的主题词（地名不算）；或者一段以日期开头、段内又有三个以上句子各以不同日期开头，
且这几件两两没有共同的主题词（同一件事按日期记述进展的，总有共同的主题词）。

为什么：规定一事一报——一篇稿件只写一件事，每件事才能单独判断、单独采用、单独计分；几件事
捆在一起读起来像工作日志。

示例（会提示）：

    10月8日，县里召开…会议。…
    10月12日，某镇组织开展消防演练。…
    10月15日，县农业农村局举办…培训班。…

建议写法：拆成几篇分别报送；或者围绕共同的主题写成一篇，把这几件事作为其中的事例。
"""

from __future__ import annotations

import re

from ..context import Context
from ..report import Finding, Span
from . import register

OPENING_DATE = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]|^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?\d{1,2}[日号][上下]午")
_STOP = set("的 了 和 与 及 在 是 为 对 等 并 将 把 被 于 从 以 中 上 下 一 全 县 区 市 镇 乡 村 工作 开展 推进 进行 活动 同志 相关 有关".split())


_PLACE = re.compile(r"[省市县区镇乡村]$|街道$|社区$")


_VILLAGE = re.compile(r"^(.{2,})(?:村|社区)$")
# kinds of village, not names: any two events may mention them
_VILLAGE_KINDS = set("行政 自然 示范 贫困 脱贫 文明 农村 城市 城中 城郊 重点 先进 试点 美丽 搬迁 移民 安置 边境 "
                     "民族 空心 中心 其他 其余 所在 相邻 周边 附近 全部 部分 集体 软弱 后进 典型 样板".split())


def _content_words(tokens) -> set[str]:
    """Words that carry a topic: not function words, numbers or place names (shared by any two
    events) — except a village's own name (李庄村 → 李庄), which one event's paragraphs share and a
    county's diary of separate events seldom does."""
    words = set()
    for t in tokens:
        if len(t.text) < 2 or t.text in _STOP or re.match(r"[\d\W]", t.text):
            continue
        if not _PLACE.search(t.text):
            words.add(t.text)
        elif (village := _VILLAGE.match(t.text)) and village.group(1) not in _VILLAGE_KINDS:
            words.add(village.group(1))
    return words


def _unrelated_pairs(ctx: Context, runs: list[tuple[int, int]]) -> tuple[int, int]:
    """(pairs of runs sharing no topic word, pairs compared)."""
    words = [_content_words(t for t in ctx.doc.body_tokens if start <= t.start and t.end <= end) for start, end in runs]
    pairs = [(a, b) for i, a in enumerate(words) for b in words[i + 1:] if a and b]
    return sum(1 for a, b in pairs if not a & b), len(pairs)


def _diary_paragraph(ctx: Context, para) -> list[tuple[int, int, Span]] | None:
    """A paragraph that opens with a date and runs three or more dated events together, no two of
    which share a topic word: (start, end, opening) of each, or None."""
    starts = [(i, m.group(0)) for i, s in enumerate(para) if (m := OPENING_DATE.search(s.text))]
    if len(starts) < 3 or starts[0][0] != 0 or len({date for _i, date in starts}) < 3:
        return None
    ends = [i - 1 for i, _date in starts[1:]] + [len(para) - 1]
    runs = [(para[i].start, para[last].end, Span("body", para[i].start, para[i].end))
            for (i, _date), last in zip(starts, ends)]
    unrelated, compared = _unrelated_pairs(ctx, [(start, end) for start, end, _span in runs])
    return runs if compared and unrelated == compared else None


@register("multi_event", {"multi_event": "warning"})
def check_multi_event(ctx: Context) -> list[Finding]:
    dated: list[tuple[int, int, str]] = []
    openings: list[Span] = []  # each event's first sentence: what the officer reads to tell them apart
    for para in ctx.doc.paragraphs:
        first = para[0]
        m = OPENING_DATE.search(first.text)
        if m:
            dated.append((para[0].start, para[-1].end, m.group(0)))
            openings.append(Span("body", first.start, first.end))
    if len(dated) >= 2 and len({d[2] for d in dated}) >= 2 and _unrelated_pairs(ctx, [d[:2] for d in dated])[0]:
        return _several_events(f"本稿有 {len(dated)} 段", openings)
    for para in ctx.doc.paragraphs:  # a diary run together in one paragraph
        runs = _diary_paragraph(ctx, para)
        if runs is not None:
            return _several_events(f"本稿一段之内有 {len(runs)} 句", [span for *_se, span in runs])
    return []


def _several_events(where: str, openings: list[Span]) -> list[Finding]:
    return [Finding("multi_event", "warning", f"{where}分别以日期开头，所写事件互不相关，不符合“一事一报”。",
                    "请拆成多篇分别报送，或围绕一个主题把它们写成事例。", tuple(openings))]

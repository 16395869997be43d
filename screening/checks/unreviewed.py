"""unreviewed — 重要数据未注明审核签发人

检查什么：稿件含有重要数据——金额、增速和占比、经济指标、伤亡人数——却没有写审核签发人
（reviewer）。

为什么：通知要求重要数据报送前须经单位领导审核签发；简报里一个数字出错，代价很大。

示例（会提示）：一篇写明“实现地区生产总值86.4亿元，同比增长6.2%，一般公共预算收入5.1亿元”的
稿件，审核签发人为空（一般三个及以上重要数字才提示，见设置 unreviewed_min_figures；涉及伤亡人数的，一个也提示）；
审核签发人写“无”“暂无”“N/A”之类，等于没写。

建议写法：请单位领导审核数据后签发，并填写“审核签发人”（reviewer）。
"""

from __future__ import annotations

import re

from ..context import Context
from ..report import Finding, Span
from . import register

MONEY_UNITS = {"元", "万元", "亿元", "千元", "美元", "万美元", "亿美元"}
CASUALTY = re.compile(r"死亡|遇难|受伤|伤亡|失联|失踪|重伤")
INDICATOR = re.compile(r"生产总值|GDP|增加值|财政收入|一般公共预算|固定资产投资|社会消费品零售|进出口|居民人均可支配收入|税收")


def important_figures(ctx: Context) -> list:
    out = []
    for role in ctx.roles:
        s = role.sentence
        weighty = CASUALTY.search(s.text) or INDICATOR.search(s.text)
        for f in ctx.figures_in(s.start, s.end):
            if f.kind == "percent" or f.unit in MONEY_UNITS or (weighty and f.is_quantity):
                out.append(f)
    return out


@register("unreviewed", {"unreviewed": "warning"})
def check_unreviewed(ctx: Context) -> list[Finding]:
    if ctx.draft.named_reviewer:  # "无", "暂无", "N/A" … name nobody
        return []
    figures = important_figures(ctx)
    casualties = any(CASUALTY.search(ctx.draft.body[max(0, f.start - 12): f.end + 4]) for f in figures)
    if len(figures) < ctx.settings["unreviewed_min_figures"] and not casualties:
        return []
    spans = tuple(Span("body", f.start, f.end) for f in figures[:10])
    return [Finding("unreviewed", "warning",
                    f"稿件含 {len(figures)} 个重要数据（金额、增幅、伤亡等）"
                    + (f"，已标出前 {len(spans)} 个" if len(figures) > len(spans) else "") + "，但未注明审核签发人。",
                    "请单位领导审核数据后签发，并填写“审核签发人”。", spans)]

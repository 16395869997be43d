"""duplicate — 疑似重复

检查什么：稿件是否与已报送过的信息重复：同一件事或同一内容再报一次，包括原文照搬、略改几句、
调换段落顺序、删节摘编、只换标题，或换一种说法报同一件事。

为什么：重复报送浪费编辑时间，市政府办公室通报曾点名批评；同一主题报了新的事件或新的数字，不算重复，
不作提示。

示例（会提示）：正文是上周已报信息、只对调了两句话的稿件。

建议写法：只报上次之后的新进展、新数字；没有新内容就不再报送。
"""

from __future__ import annotations

from ..context import Context
from ..report import Finding, Span
from . import register


@register("duplicate", {"duplicate": "error"})
def check_duplicate(ctx: Context) -> list[Finding]:
    if not ctx.duplicates:
        return []
    best = ctx.duplicates[0]
    percent = round(best["similarity"] * 100)
    message = (f"与已报送信息《{best.get('title', '')}》（编号 {best['id']}）高度相似（相似度 {percent}%），"
               "疑似重复报送。")
    # The whole draft repeats the earlier item: the title anchors the flag on the page and in Word.
    return [Finding("duplicate", "error", message,
                    "如确有新进展，请只写新情况、新数据，并在标题中体现；否则请勿重复报送。",
                    (Span("title", 0, len(ctx.draft.title)),))]

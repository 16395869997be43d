"""duplicate — 重复信息

What it checks: whether the draft repeats an item already submitted (the same event or the same
content again, verbatim, lightly edited, reordered, cut down or retitled).

Why: duplicates waste editors' time and are named in the notice; a report on the same topic with
a new event or new figures is not a duplicate and is not flagged.

Example (flagged): a draft whose body is last week's item with two sentences swapped.

Use instead: report only what is new since the earlier item, or do not submit it again.
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
    message = (f"与已报送的信息《{best.get('title', '')}》（编号 {best['id']}）内容重复，"
               f"相似度 {percent}%。")
    # The whole draft repeats the earlier item: the title anchors the flag on the page and in Word.
    return [Finding("duplicate", "error", message,
                    "如确有新进展，请只写新情况、新数据，并在标题中体现；否则不要重复报送。",
                    (Span("title", 0, len(ctx.draft.title)),))]

"""missing.<element> — 缺少要素（情况、问题、事例、数据、分析、建议）

What it checks: that the draft carries the elements its kind requires: a solicited piece (约稿)
all six, a single item (单篇) at least data and recommendation, a dynamic item (动态) none by
default. The table is in the settings (``required_elements``); a draft answering a
solicitation is held to that solicitation's own list (all six unless it says otherwise).

Why: the notice asks for information "有情况、有问题、有事例、有数据、有分析、有建议"; drafts that
only narrate are rarely adopted.

Example (flagged for a single item): a body that describes the work but gives no figure
(missing.data) and no proposal or concrete next step (missing.recommendation).

Use instead: add the missing element — a figure about results, a named case, the causes, a
concrete proposal.
"""

from __future__ import annotations

from ..context import Context
from ..elements import vague_next_steps
from ..report import ELEMENT_NAMES, ELEMENTS, Finding
from . import register

HINTS = {
    "situation": "写清做了什么、发生了什么，基本事实要交代清楚。",
    "problem": "点明工作中存在的困难、短板或风险，不要只报喜不报忧。",
    "case": "补充一个具体事例：点出村、企业、项目或人的名字，以及那里发生了什么。",
    "data": "补充反映工作规模或成效的数据（数量、金额、增幅等），会议人数、走访户数不算。",
    "analysis": "分析原因、趋势或影响：成效从何而来、问题因何产生、下一步会怎样，要有依据，不是加上“预计”二字。",
    "recommendation": "提出明确的建议或具体的下一步措施；“继续努力”之类套话不算。",
}


@register("missing_elements", {f"missing.{k}": "warning" for k in ELEMENTS})
def check_missing(ctx: Context) -> list[Finding]:
    if ctx.elements is None:
        return []
    required = ctx.required_elements
    if required is None:
        required = ctx.settings["required_elements"].get(ctx.draft.kind, [])
    kind_name = {"single": "单篇信息", "dynamic": "动态信息", "solicited": "约稿"}[ctx.draft.kind]
    if ctx.draft.solicitation:
        kind_name = f"约稿“{ctx.draft.solicitation}”"
    findings = []
    for key in ELEMENTS:
        if key in required and not ctx.elements[key].present:
            message, spans = f"{kind_name}要求具备“{ELEMENT_NAMES[key]}”要素，本稿未找到。", ()
            if key == "recommendation":
                spans = tuple(vague_next_steps(ctx)[:3])
                if spans:  # the officer wrote one: say why it does not count, where it stands
                    message = (f"{kind_name}要求具备“建议”要素。本稿的下一步打算只写了努力方向，"
                               "没有具体措施（做什么、谁来做、何时完成、做到多少），不算建议。")
            findings.append(Finding(f"missing.{key}", "warning", message, HINTS[key], spans))
    return findings

"""missing.<element> — 缺少要素（情况、问题、事例、数据、分析、建议）

检查什么：稿件是否具备其类别要求的要素：约稿六个要素都要有，单篇信息至少要有数据和建议，
动态信息默认不作要求。要求表在设置里（required_elements）；注明所答约稿的稿件，按该约稿自己
列出的要素检查（约稿未另行说明的，六个都要）。

为什么：通知要求信息“有情况、有问题、有事例、有数据、有分析、有建议”；只叙述过程的稿件很少被采用。

示例（单篇信息会提示）：正文只描述了做了哪些工作，没有一个反映成效的数字（缺少数据），也没有
一条具体建议或下一步举措（缺少建议）。

建议写法：补上缺少的要素——反映成效的数字、有名有姓的具体事例（村、企业、项目或人）、原因分析、具体可行的建议。
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
    "analysis": "分析原因、趋势或影响：成效从何而来、问题因何产生、下一步会怎样，要有依据，不能只加上“预计”二字。",
    "recommendation": "提出明确的建议或具体的下一步措施；“继续努力”之类套话不算。",
}


# What `screening rule missing.<element>` adds to the explanation shared by the six codes.
CODE_NOTES = {f"missing.{k}": f"本要素（{ELEMENT_NAMES[k]}）：{hint}" for k, hint in HINTS.items()}


@register("missing_elements", {f"missing.{k}": "warning" for k in ELEMENTS})
def check_missing(ctx: Context) -> list[Finding]:
    if ctx.elements is None:
        return []
    required = ctx.required_elements
    if required is None:
        required = ctx.settings["required_elements"].get(ctx.draft.kind, [])
    kind_name = {"single": "单篇信息", "dynamic": "动态信息", "solicited": "约稿"}[ctx.draft.kind]
    if ctx.draft.solicitation and ctx.required_elements is not None:
        # named only when its own requirements were looked up (screened without the office's store,
        # a reply is held to the solicited kind's defaults, and the message must not say otherwise)
        kind_name = f"约稿（编号 {ctx.draft.solicitation}）"
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

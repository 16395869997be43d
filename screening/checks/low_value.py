"""low_value.meeting / low_value.visit — 会议学习类、领导调研类低价值信息

检查什么：稿件是否主要在报“开了一次会、组织了一次学习”，或“领导到基层调研、检查、走访了一趟”，
却没有写出工作的具体成效。会议或调研只作由头、正文写明了做成的事、数字和变化的，不算低价值。

为什么：市里通报把这两类列为最常见的低价值信息：简报用不上“谁参加了、强调了什么”，要的是工作
取得了什么结果。

示例（会提示）：

    标题：县财政局召开理论学习中心组学习会
    正文：…局党组书记主持会议并讲话。会议强调，要…要…

建议写法：写工作带来了什么——数字、落实了的决定、产生的效果；会议或调研最多作为引子。
"""

from __future__ import annotations

from ..context import Context
from ..report import Finding
from . import register

MESSAGES = {
    "meeting": ("本稿主要报道召开会议、集中学习或培训本身（谁参加、强调了什么），"
                "缺少工作的具体成效，属于会议学习类低价值信息。",
                "改写为工作进展和成效，写清做了什么、取得了哪些可量化的结果、解决了什么问题，会议只作背景一笔带过。"),
    "visit": ("本稿主要报道领导调研、检查、走访的行程和讲话，缺少具体成效，属于领导调研类低价值信息。",
              "改写为调研发现的问题、推动解决的事项和结果（数据、事例），行程和讲话内容压缩或删去。"),
}


@register("low_value", {"low_value.meeting": "error", "low_value.visit": "error"})
def check_low_value(ctx: Context) -> list[Finding]:
    result = ctx.low_value
    if result is None or result.label == "none":
        return []
    if result.probabilities[result.label] < ctx.settings["low_value_min_probability"]:
        return []
    message, suggestion = MESSAGES[result.label]
    percent = round(result.probabilities[result.label] * 100)
    evidence = tuple(f"权重较高的词：{w}" for w in result.top_terms[:6])
    return [Finding(f"low_value.{result.label}", "error", f"{message}（置信度 {percent}%）",
                    suggestion, result.cues, evidence)]

"""title.too_long / title.too_short / title.vague — 标题问题

检查什么：标题超过 40 个字（设置项 title_max_chars）、少于 8 个字（设置项 title_min_chars），或标题
空泛：只是“工作动态”“情况汇报”之类的栏目名，公文式标题（“关于…的报告”），或是既没写主体（单位、
地方）也没写结果的口号。

为什么：编辑首先看标题；简报要的标题是一句话说清谁做了什么、结果如何。

示例（会提示）：

    标题：强化责任 狠抓落实            → title.vague
    标题：关于我县2026年前三季度…（50字） → title.too_long

建议写法：主体 + 做法 + 结果，如“某县‘一窗通办’让企业开办时间压缩至1天”。
"""

from __future__ import annotations

import re

from .. import cues
from ..context import Context
from ..report import Finding, Span
from . import register

GENERIC_TITLE = re.compile(r"^(?:工作)?(?:动态|简报|信息|快讯|情况汇报|工作情况|有关情况|工作汇报|工作总结|信息一则)"
                           r"|(?:工作)?(?:简报|动态|信息)(?:第[\d一二三四五六七八九十]+期)?$|^关于.{0,12}(?:情况|工作)(?:的)?(?:汇报|报告)?$")
PROVINCES = ("北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|"
             "贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门")
# One character of a unit's name is enough (红土乡、县农业农村局), except in words that name no one:
# 县域经济、市场主体、区域协调、社会治理.
SUBJECT = re.compile(r"[省州盟旗镇乡村局委办厅院所站队园司厂校企]|[市县区](?![域场])|社(?!会)|我[省市县区镇乡局]|全[省市县区镇乡]|[一-龥]{2,}(?:公司|集团|中心|街道|社区|合作社|基地|景区)"
                     rf"|{PROVINCES}|^[一-龥]{{2,6}}\s*[：:]")
# What a title reports: a figure, or a step that happened. Words of momentum (推进、提升、持续、新、有序、
# 助力) are slogans' words: 凝心聚力谋发展 砥砺奋进新征程 reports nothing.
RESULT = re.compile(r"\d|[一二两三四五六七八九十百千万亿]+[个项家户人亩吨元倍成%]|突破|实现|"
                    r"完成|增长|下降|增收|落地|开工|投产|竣工|签约|解决|打通|化解|破解|带动|做法|经验|问题|建议|启示|调查|思考|"
                    r"出台|启动|开通|建成|上线|获批|入选|荣获|举办|召开|开展|实施|发布|为例|如何|怎样|难|不足|隐患|"
                    r"短板|亟待|亟需|滞后|缺口|不佳|混乱")


@register("title", {"title.too_long": "warning", "title.too_short": "warning", "title.vague": "warning"})
def check_title(ctx: Context) -> list[Finding]:
    title = ctx.draft.title
    whole = (Span("title", 0, len(title)),)
    settings = ctx.settings
    findings = []
    if len(title) > settings["title_max_chars"]:
        findings.append(Finding(
            "title.too_long", "warning",
            f"标题 {len(title)} 字，超过 {settings['title_max_chars']} 字，读者难以一眼抓住要点。",
            "压缩为一句话：主体 + 做法 + 结果，删去背景、修饰和会议名称。",
            (Span("title", settings["title_max_chars"], len(title)),)))
    elif len(title) < settings["title_min_chars"]:
        findings.append(Finding(
            "title.too_short", "warning",
            f"标题只有 {len(title)} 字，信息量不足，看不出是谁、做了什么、有何结果。",
            "补全主体和结果，如“某县‘一窗通办’让企业开办时间压缩至1天”。", whole))
    if findings and findings[-1].code == "title.too_short":
        return findings  # a two-word title is short first; calling it vague too adds nothing
    generic = GENERIC_TITLE.search(title)
    who = SUBJECT.search(title) or cues.LEADER.search(title) or cues.named_entities(title)
    if generic or not who and not RESULT.search(title):
        reason = ("是公文式标题（关于…的报告），只写了事由，没有写出结果" if generic and title.startswith("关于")
                  else "是泛泛的栏目名" if generic else "既没有点明主体（单位或地方），也没有写出结果")
        findings.append(Finding(
            "title.vague", "warning", f"标题{reason}，编辑难以判断稿件价值。",
            "标题应写明谁、做了什么、结果如何，避免口号式、栏目式标题。", whole))
    return findings

"""late / emergency.late / event_date.after_submission — 时效性信息迟报、突发事件迟报、事件日期晚于报送时间

检查什么：时效性事件（展会、博览会、签约、开工、竣工、投产、节会）在发生后超过 3 个日历日
（设置项 late_days）才报送（跨几天的活动从最后一天算起）；突发事件的首报晚于发生后 4 小时（设置项
emergency_late_hours）。事件日期取自填写的事件日期（event_date），或从正文读出（11月5日、5日上午、
昨日、上周）；正文只有“近日”“日前”这类模糊说法的，不作判断。进展类、综述类信息不因日期而判为
迟报。填写的事件日期晚于报送时间（晚一天以上，或写了钟点且晚半小时以上）的，提示“事件日期晚于
报送时间”：两个日期必有一个写错了，不再判断是否迟报。

为什么：通知要求时效性信息在事件发生后及时报送，突发事件 4 小时内首报；错过时效的信息难以采用。

示例（会提示）：11月2日开工的项目，11月9日才报送。

建议写法：事件发生后及时报送，最迟不超过 3 天；突发事件 4 小时内首报，之后续报进展。
"""

from __future__ import annotations

from ..context import Context
from ..report import Finding
from . import register

EVENT_NAMES = {"exhibition": "展会", "signing": "签约", "groundbreaking": "开工", "production": "投产",
               "completion": "竣工", "festival": "节会", "emergency": "突发事件"}


@register("late", {"late": "warning", "emergency.late": "error", "event_date.after_submission": "warning"})
def check_late(ctx: Context) -> list[Finding]:
    t = ctx.timeliness
    if t is not None and t.source == "event_date" and _after_submission(t):
        # a typo in event_date or submitted_at: lateness computed from it would mean nothing
        return [Finding("event_date.after_submission", "warning",
                        "填写的事件日期或时刻晚于报送时间，两者必有一个填错，无法判断是否迟报。",
                        "请核对事件日期、时刻和报送时间；预告尚未发生的活动时不要填写事件日期。",
                        (t.moment.span,) if t.moment.span else ())]
    if t is None or not t.late:
        return []
    spans = tuple(s for s in (t.cue, t.moment.span if t.moment else None) if s is not None)
    name = EVENT_NAMES.get(t.event_type, "事件")
    if t.event_type == "emergency":
        return [Finding("emergency.late", "error",
                        f"突发事件发生{_how_long(t)}后才首报，超过 {ctx.settings['emergency_late_hours']:g} 小时的时限。",
                        f"突发事件应在 {ctx.settings['emergency_late_hours']:g} 小时内首报，先报基本情况，后续再续报进展。",
                        spans)]
    # decided by calendar days, so said in calendar days (not 3.4 days rounded to "3")
    return [Finding("late", "warning",
                    f"{name}类时效性信息在事件发生后第 {t.delay_days} 天才报送，超过 {ctx.settings['late_days']:g} 天，属迟报。",
                    "时效性信息应在事件发生后及时报送；已迟报的可改写为阶段成效类信息。", spans)]


def _after_submission(t) -> bool:
    """The given event date is later than the submission: a later day, or, with an hour, more than
    half an hour later (clocks differ a little)."""
    if t.delay_days is not None and t.delay_days < 0:
        return True
    return bool(t.moment.has_time and t.delay_hours is not None and t.delay_hours < -0.5)


def _how_long(t) -> str:
    """The delay as an officer would say it: to the minute where the hour of the incident is known
    (4 小时 1 分钟, not "约 4.0 小时", which reads as within the limit)."""
    minutes = int((t.delay_hours or 0) * 60)
    if minutes >= 48 * 60:
        return f"约 {minutes / 1440:.1f} 天"
    hours, rest = divmod(minutes, 60)
    said = f"{hours} 小时" + (f" {rest} 分钟" if rest else "")
    return f" {said}" if t.moment is not None and t.moment.has_time else f"至少 {said}"

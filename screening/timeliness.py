"""When did the reported event happen, is it time-sensitive, and how long after was it reported?

The event date comes from the draft's ``event_date`` or from the body (11月5日、5日上午、昨日、
上周、10月22日至25日), the year and month inferred from ``submitted_at``. Ranges count from their
last day (an exhibition is reported from its closing day). Vague dates (近日、日前) give no date,
and then nothing is said: better silent than wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .draft import CHINA_TZ
from .patterns import starting_with
from .report import Span

EVENT_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("exhibition", re.compile(r"博览会|展览会|展销会|交易会|洽谈会|推介会|招商会|农博会|文博会|进博会|广交会|糖酒会|展会|会展|参展|布展")),
    ("signing", re.compile(r"签约|签订|签署|集中签|合作协议|框架协议")),
    ("groundbreaking", re.compile(r"开工|奠基|动工|开建|破土")),
    ("production", re.compile(r"投产|投运|试生产|并网|点火|达产|首台|下线")),
    ("completion", re.compile(r"竣工|完工|建成通车|正式通车|交付使用|落成|启用|通水|通电仪式")),
    ("festival", re.compile(r"节会|(?:文化|旅游|艺术|美食|采摘|音乐|丰收|啤酒|民俗|电影|读书|冰雪|体育|农民|灯|花|茶|果|梨花|桃花|杏花|"
                            r"油菜花|芦笙|火把|泼水|葡萄|西瓜|樱桃)节|开幕式|开幕|马拉松|运动会|庙会|灯会|赛事|音乐会|那达慕|花儿会|"
                            r"首届(?!入选|获评|评选)|第[一二三四五六七八九十\d]+届(?![^，。；]{0,12}(?:人民代表大会|人大|政协|党代会|代表大会|委员会|常委会))")),
]
EMERGENCY = re.compile(r"突发|火灾|起火|失火|爆炸|坍塌|塌方|滑坡|泥石流|山洪|洪水|内涝|地震|交通事故|车祸|侧翻|溺水|中毒|泄漏|"
                       r"险情|遇险|被困|伤亡|死亡|受伤|遇难|失联|冰雹|暴雪|雪灾|疫情|爆管|停电")
PREVENTION = re.compile(r"排查|防范|演练|预防|宣传|培训|整治|检查|督导|预案")
# Items that report progress or totals, where a date is a cut-off, not an event.
ROUTINE_TITLE = re.compile(r"截至|截止|以来|前[一二三四五六七八九十\d]+个?月|前[一二三]季度|上半年|下半年|全年|[\d一二三四五六七八九十]+月份|"
                           r"\d{1,2}[-—－~至]\d{1,2}月|[一二三四五六七八九十]+至[一二三四五六七八九十]+月|月度|季度[^。]{0,12}情况|"
                           r"进展|进度|成效|情况$|运行|已有|已[一-龥]{0,2}\d+个|过半|见效")
# In the lead, a cut-off date makes the item a progress report as of that date.
ROUTINE_LEAD = re.compile(r"截至|截止")
# A follow-up report (续报): the 4-hour rule is about the first report, which came before it.
FOLLOW_UP = re.compile(r"续报|再报|后续报道|（[二三四五]报）|第[二三四五]报")
VAGUE = re.compile(r"近日|日前|近期|前不久|最近|前段时间|此前|近来|年初|月初|月中|月底|年底|上旬|中旬|下旬")

_DAY_PART = r"(?:凌晨|早上|早晨|清晨|上午|中午|下午|傍晚|晚上|晚间|夜间|深夜|晚)?"
_TIME = rf"{_DAY_PART}\s*(?P<hour>\d{{1,2}})\s*[时点:：](?:\s*(?P<minute>\d{{1,2}})\s*分?)?"
# Each starts with a digit or a relative-day word: the lookahead skips other positions fast.
DATE_PATTERNS = [
    starting_with(first=r"\d", pattern=rf"(?:(?P<year>\d{{4}})\s*年\s*)?(?P<month>\d{{1,2}})\s*月\s*(?P<day>\d{{1,2}})\s*[日号]"
               rf"(?:\s*(?:[至到—\-－~～]|—)\s*(?:(?P<month2>\d{{1,2}})\s*月\s*)?(?P<day2>\d{{1,2}})\s*[日号])?"
               rf"(?P<part>{_DAY_PART})(?:\s*(?P<hour>\d{{1,2}})\s*[时点:：](?:\s*(?P<minute>\d{{1,2}})\s*分?)?)?"),
    starting_with(first=r"\d", pattern=rf"(?<![月\d])(?P<day>\d{{1,2}})\s*[日号](?P<part>{_DAY_PART})(?:\s*(?P<hour>\d{{1,2}})\s*[时点:：](?:\s*(?P<minute>\d{{1,2}})\s*分?)?)?"
               rf"(?=[上下中早晚凌傍午，,至到—\-\d时点许左]|(?:在|召开|举行|举办|开幕|开工|签约|投产|竣工|发生))"),
    starting_with(first="本上", pattern=rf"(?P<relmonth>本月|上月|上个月)\s*(?P<day>\d{{1,2}})\s*[日号]"
               rf"(?P<part>{_DAY_PART})(?:\s*(?P<hour>\d{{1,2}})\s*[时点:：](?:\s*(?P<minute>\d{{1,2}})\s*分?)?)?"),
    starting_with(first="昨前今当上本", pattern=rf"(?P<relative>昨日|昨天|昨晚|昨夜|前天|前日|今日|今天|今晨|今早|当日|当天|上周[一二三四五六日天]?|本周[一二三四五六日天]?)"
               rf"(?P<part>{_DAY_PART})(?:\s*(?P<hour>\d{{1,2}})\s*[时点:：](?:\s*(?P<minute>\d{{1,2}})\s*分?)?)?"),
]
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


@dataclass(frozen=True)
class EventMoment:
    start: dt.datetime
    end: dt.datetime          # last moment the event may have happened (closing day of a range)
    has_time: bool
    span: Span | None         # where in the body the date was read; None if from event_date
    text: str


def _hour(part: str | None, hour: int) -> int:
    if part in ("下午", "傍晚", "晚上", "晚间", "夜间", "深夜", "晚") and hour < 12:
        return hour + 12
    return hour


def _infer_year(month: int, day: int, submitted: dt.datetime) -> dt.date | None:
    year = submitted.year
    try:
        candidate = dt.date(year, month, day)
    except ValueError:
        return None
    if candidate > submitted.date() + dt.timedelta(days=31):
        try:
            candidate = dt.date(year - 1, month, day)
        except ValueError:
            return None
    return candidate


def _day_before_submission(day: int, submitted: dt.datetime) -> dt.date | None:
    """A bare 5日 means the latest 5th on or before the submission day."""
    date = submitted.date()
    for back in range(0, 62):
        candidate = date - dt.timedelta(days=back)
        if candidate.day == day:
            return candidate
    return None


def parse_moment(m: re.Match[str], submitted: dt.datetime) -> tuple[dt.date, dt.date, bool, dt.datetime | None] | None:
    """(first day, last day, has time, exact moment) for one date match, or None."""
    g = m.groupdict()
    exact = None
    if g.get("relative"):
        rel = g["relative"]
        today = submitted.date()
        if rel in ("今日", "今天", "今晨", "今早", "当日", "当天"):
            first = last = today
        elif rel in ("昨日", "昨天", "昨晚", "昨夜"):
            first = last = today - dt.timedelta(days=1)
        elif rel in ("前天", "前日"):
            first = last = today - dt.timedelta(days=2)
        else:
            monday = today - dt.timedelta(days=today.weekday())
            if rel.startswith("上周"):
                monday -= dt.timedelta(days=7)
            if len(rel) == 3:
                first = last = monday + dt.timedelta(days=_WEEKDAY[rel[2]])
            else:
                first, last = monday, monday + dt.timedelta(days=6)
    elif g.get("relmonth"):  # 本月5日, 上月28日: the month of the submission, or the one before
        month_start = submitted.date().replace(day=1)
        if g["relmonth"] != "本月":
            month_start = (month_start - dt.timedelta(days=1)).replace(day=1)
        try:
            first = last = month_start.replace(day=int(g["day"]))
        except ValueError:
            return None
    elif g.get("month"):
        month, day = int(g["month"]), int(g["day"])
        if g.get("year"):
            try:
                first = dt.date(int(g["year"]), month, day)
            except ValueError:
                return None
        else:
            first = _infer_year(month, day, submitted)
        if first is None:
            return None
        last = first
        if g.get("day2"):
            month2 = int(g["month2"]) if g.get("month2") else month
            try:
                last = dt.date(first.year + (1 if month2 < month else 0), month2, int(g["day2"]))
            except ValueError:
                last = first
    else:
        first = _day_before_submission(int(g["day"]), submitted)
        if first is None:
            return None
        last = first
    has_time = bool(g.get("hour"))
    if has_time:
        # 昨晚11时 is 23:00: the word carries the part of the day
        part = g.get("part") or {"昨晚": "晚上", "昨夜": "夜间"}.get(g.get("relative") or "")
        hour = _hour(part, int(g["hour"]))
        minute = int(g["minute"]) if g.get("minute") else 0
        if hour > 23 or minute > 59:
            has_time = False
        else:
            exact = dt.datetime.combine(first, dt.time(hour, minute), CHINA_TZ)
    return first, last, has_time, exact


def find_event_moment(title: str, body: str, submitted: dt.datetime, cue: re.Pattern[str] | None) -> EventMoment | None:
    """The date of the reported event from the body: the date nearest an event cue in the lead."""
    candidates = []
    offset, read = 0, 0
    for para in body.split("\n"):
        if not para.strip():  # a blank line between paragraphs is not one of the two read
            offset += len(para) + 1
            continue
        read += 1
        if read > 2:
            break
        for pattern in DATE_PATTERNS:
            for m in pattern.finditer(para):
                parsed = parse_moment(m, submitted)
                if parsed is None:
                    continue
                first, last, has_time, exact = parsed
                if first > submitted.date():
                    continue
                # A following 至/到 date range is handled in the pattern.
                after = para[m.end(): m.end() + 60]
                clause = re.split(r"[，,。；;]", after, maxsplit=1)[0]
                if "以来" in clause:  # 自5月12日开工以来…: where a progress count starts, not the event
                    continue
                # Prefer the date nearest before a cue; a cue used as an attribute (签约的15个项目) is
                # background to the item, not its event.
                found = cue.search(after) if cue is not None else None
                if found and "的" in after[found.end(): found.end() + 2]:
                    continue
                near = (1, -found.start()) if found else (0, 0)
                candidates.append((near, -(offset + m.start()), first, last, has_time, exact, offset + m.start(), offset + m.end()))
        offset += len(para) + 1
        if candidates:
            break
    if not candidates:
        return None
    near, _neg, first, last, has_time, exact, start, end = max(candidates)
    start_dt = exact or dt.datetime.combine(first, dt.time(0, 0), CHINA_TZ)
    end_dt = exact if (exact and last == first) else dt.datetime.combine(last, dt.time(23, 59), CHINA_TZ)
    return EventMoment(start_dt, end_dt, has_time, Span("body", start, end), body[start:end])


def classify_event(title: str, lead: str, emergency: bool) -> tuple[str, Span | None]:
    """The event type and the cue that decided it (in the title when possible)."""
    if emergency:
        return "emergency", None
    m = EMERGENCY.search(title)
    if m and not PREVENTION.search(title) and re.search(r"发生|突发|遇险|被困|伤亡|死亡|受伤|起火", title + lead[:80]):
        return "emergency", Span("title", m.start(), m.end())
    if ROUTINE_TITLE.search(title) or ROUTINE_LEAD.search(lead):
        return "routine", None
    for name, pattern in EVENT_TYPES:
        m = pattern.search(title)
        if m:
            return name, Span("title", m.start(), m.end())
    for name, pattern in EVENT_TYPES:
        m = pattern.search(lead)
        if m:
            return name, Span("body", m.start(), m.end())
    return "routine", None


@dataclass(frozen=True)
class Timeliness:
    event_type: str
    moment: EventMoment | None
    source: str | None            # "event_date" | "body" | None
    delay_hours: float | None     # from the event (its last day for ranges) to submission
    late: bool | None             # None: not time-sensitive, or the date is uncertain
    cue: Span | None
    delay_days: int | None = None  # China calendar days from the event's last day to submission

    def to_dict(self) -> dict:
        out = {"event_type": self.event_type, "late": self.late, "date_source": self.source}
        if self.moment is not None:
            out["event_date"] = (self.moment.end if self.moment.has_time else self.moment.end.date()).isoformat()
        if self.delay_hours is not None:
            out["delay_hours"] = round(self.delay_hours, 1)
        return out


def assess(title: str, body: str, lead: str, event_date, submitted: dt.datetime, emergency: bool,
           late_days: float, emergency_hours: float) -> Timeliness:
    """Classify the event and decide lateness by the settings' limits."""
    # Days are China days: 01:00 on the 29th in Beijing is the 29th, however the time was written.
    submitted = submitted.astimezone(CHINA_TZ)
    event_type, cue = classify_event(title, lead, emergency)
    pattern = EMERGENCY if event_type == "emergency" else dict(EVENT_TYPES).get(event_type)
    from_body = find_event_moment(title, body, submitted, pattern)
    if from_body is not None and VAGUE.search(lead[:60]) and from_body.span and from_body.span.start > 60:
        from_body = None  # 近日… with a date only further down: that date is not the event's
    if event_date is not None:
        day = event_date.moment.astimezone(CHINA_TZ).date()
        if not event_date.has_time and from_body and from_body.has_time and from_body.start.date() == day:
            moment = from_body  # the body gives the hour of the same day
        else:
            end = event_date.moment if event_date.has_time else dt.datetime.combine(day, dt.time(23, 59), CHINA_TZ)
            moment = EventMoment(event_date.moment, end, event_date.has_time, None, "")
        source = "event_date"
    else:
        moment = from_body
        source = "body" if moment else None
    if moment is None:
        return Timeliness(event_type, None, None, None, None, cue)

    delay_hours = (submitted - moment.end).total_seconds() / 3600
    delay_days = (submitted.date() - moment.end.astimezone(CHINA_TZ).date()).days
    late: bool | None = None
    if event_type == "emergency" and FOLLOW_UP.search(title + lead[:60]):
        late = None
    elif event_type == "emergency":
        if moment.has_time:
            late = delay_hours > emergency_hours
        else:
            # A bare date: only certain when even midnight at the day's end is too long ago.
            late = True if delay_hours > emergency_hours else None
    elif event_type != "routine":
        if moment.has_time:
            late = delay_hours > late_days * 24
        else:
            late = delay_days > late_days
    return Timeliness(event_type, moment, source, delay_hours, late, cue, delay_days)

"""When did the reported event happen, is it time-sensitive, and how long after was it reported?

The event date comes from the draft's ``event_date`` or from the body (11月5日、5日上午、昨日、
上周、10月22日至25日、十一月五日、3月中旬、中秋节当晚), or from the title when the body gives none;
the year and month are inferred from ``submitted_at``. Ranges count from their last day (an
exhibition is reported from its closing day). Vague dates (近日、日前) give no date, and then
nothing is said: better silent than wrong. Dates in a background frame (继…后、在…的基础上、
自…以来) are earlier steps, not the event. Summaries, progress reports, problem pieces, drills and
tallies of incidents are not time-sensitive, whatever dated example they hold.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterator

from lunardate import LunarDate

from .draft import CHINA_TZ
from .figures import chinese_to_number
from .patterns import starting_with
from .report import Span

EVENT_TYPES: list[tuple[str, re.Pattern[str]]] = [
    ("exhibition", re.compile(r"博览会|展览会|展销会|交易会|洽谈会|推介会|招商会|农博会|文博会|进博会|广交会|糖酒会|展会|会展|参展|布展")),
    ("signing", re.compile(r"集中签(?:约|订|署)?|签约|签订|签署|合作协议|框架协议")),
    ("groundbreaking", re.compile(r"开工|奠基|动工|开建|破土")),
    ("production", re.compile(r"投产|投运|试生产|并网|点火|达产|首台|下线")),
    ("completion", re.compile(r"竣工|完工|(?:建成|正式|全线|顺利)通车|交付使用|落成|启用|通水|通电仪式")),
    ("festival", re.compile(r"节会|(?:文化|旅游|艺术|美食|采摘|音乐|丰收|啤酒|民俗|电影|读书|冰雪|体育|农民|灯|花|茶|果|梨花|桃花|杏花|"
                            r"油菜花|芦笙|火把|泼水|葡萄|西瓜|樱桃|冬捕|开镰|开海|开渔|稻|冰|雪|椒|菊|荷|梅|橘|桔|栗|枣|鱼|蟹)节|开幕式|开幕|马拉松|运动会|庙会|灯会|赛事|龙舟|大赛|邀请赛|锦标赛|音乐会|晚会|文艺演出|社火|游园会|民俗(?:文化)?活动|"
                            r"那达慕|花儿会|巡游|展演|(?:元宵|端午|七夕|中秋|重阳|春节|除夕|守岁|国庆|五一)"
                            r"(?:(?!慰问|走访|座谈|团拜|调研|检查)[^，。；]){0,10}(?:活动|晚会|游园|巡游|演出|展演)")),
    # 首届/第N届 only before the name of an event (第三届理事会 is a board's term, 第十八届人大 a congress)
    ("festival", re.compile(r"(?:首届|第[一二三四五六七八九十\d]+届)(?=[^，。；]{0,12}(?:节|博览|展|运动会|赛|论坛|峰会|文化周|旅游季|"
                            r"艺术季|会演|汇演|晚会|庙会|灯会|花会|交流会|洽谈会|推介会|交易会|大集|市集))")),
]
_HAZARDS = (r"突发|火灾|火情|火警|起火|失火|爆炸|爆燃|燃爆|坍塌|垮塌|倒塌|塌方|滑坡|泥石流|山洪|洪水|内涝|地震|交通事故|车祸|侧翻|"
            r"溺水|中毒|泄漏|险情|冰雹|暴雪|雪灾|疫情|爆管|停电|踩踏|决口|溃坝")
EMERGENCY = re.compile(_HAZARDS + r"|遇险|被困|伤亡|死亡|受伤|遇难|失联")
# The incident itself, not its consequences: its date is the one before these words (5日22时许发生
#山体滑坡), not the one before 未造成人员伤亡.
EMERGENCY_CUE = re.compile(r"发生|" + _HAZARDS)
# Words of an incident happening (in the title or the lead's first sentence), not of a topic.
INCIDENT = re.compile(r"发生|突发|遇险|被困|伤亡|死亡|受伤|起火|一起|导致|引发|造成|滞留|冲毁|损毁|掩埋|中断")
# Work about emergencies that is not one: drills, plans, building defences. Always decisive.
PREVENTION = re.compile(r"演练|模拟|预案|防御|治理|宣传|培训|科普|应急能力")
# Checks and campaigns: decisive unless an incident is being handled (排查处置一起滑坡险情).
PREVENTION_WORK = re.compile(r"排查|防范|预防|整治|检查|督导")
HANDLING = re.compile(r"一起|处置|抢险|救援|扑救|扑灭|转移")
# A tally of incidents (扑救森林火灾3起、累计发生): a summary, not a first report.
INCIDENT_TALLY = re.compile(r"(?:\d+|[两三四五六七八九十]+)\s*起(?!火|草|诉|步|点)|累计|共(?:发生|处置|扑救|接报|出警)")
# Problem pieces and reviews (…的问题与对策、…启示、…综述): never the news of an event.
_PROBLEM_OR_REVIEW = r"问题|亟待|难题|瓶颈|短板|对策|思考|启示|综述|回顾|盘点"
# Progress reports, summaries, tallies, problem and experience pieces: a date in them is a cut-off
# or an example, not the news.
ROUTINE_TITLE = re.compile(r"截至|截止|以来|前[一二三四五六七八九十\d]+个?月|前[一二三]季度|上半年|下半年|全年|[\d一二三四五六七八九十]+月份|"
                           r"\d{1,2}[-—－~至]\d{1,2}月|[一二三四五六七八九十]+至[一二三四五六七八九十]+月|月度|季度[^。]{0,12}情况|"
                           r"进展|进度|成效|情况$|运行|已有|已[一-龥]{0,2}\d+个|过半|见效|同比|环比|累计|假期|黄金周|"
                           rf"经验|做法|{_PROBLEM_OR_REVIEW}")
# Titles of what is not an event, even over a dated opening: a meeting to prepare one, a review,
# what followed an event (签约项目后续落实情况), a plan of events to come (春节期间活动安排).
NOT_EVENT_TITLE = re.compile(rf"{_PROBLEM_OR_REVIEW}|筹备|后续|(?:安排|计划|方案|预告)$|"
                             r"(?:召开|举行)[^，。]{0,30}(?:工作会|推进会|调度会|部署会|协调会|座谈会|联席会|专题会|对接会|筹备会|会议)$")
# In the lead, a cut-off date (截至11月15日、截至目前) makes the item a progress report as of that
# date (截至闭幕 does not: it counts within the event); in its first sentence, a period does too
# (今年以来).
ROUTINE_LEAD = re.compile(r"(?:截至|截止)到?\s*(?:\d|[一二三四五六七八九十]+月|目前|今年|本月|上月|去年|年底|发稿|当前|现在)")
ROUTINE_PERIOD = re.compile(r"以来")
# A follow-up report (续报): the 4-hour rule is about the first report, which came before it.
FOLLOW_UP = re.compile(r"续报|再报|终报|后续报道|（[二三四五]报）|第[二三四五]报")
# A title about what came after an incident (its investigation, its sanctions): not a first report.
AFTERMATH = re.compile(r"调查报告|结案|追责|问责|处理结果|处理决定|出院|善后|妥善处置|处置完毕|全部(?:得到)?(?:妥善)?安置")
# 截至11月27日，伤员已全部出院: a cut-off days after the incident, and before the day of the report,
# under a title that does not announce the incident (…发生…), makes the item a report of how it ended,
# not its first report (a first report counts up to its own day: 截至3月6日17时).
_CUT_OFF = re.compile(r"(?:截至|截止)到?\s*")
VAGUE = re.compile(r"近日|日前|近期|前不久|最近|前段时间|此前|近来|年初|月初|月中|月底|年底|上旬|中旬|下旬")

_DAY_PART = r"(?:凌晨|早上|早晨|清晨|上午|中午|下午|傍晚|晚上|晚间|夜间|深夜|晚)?"
_CN_NUMBER = "一二三四五六七八九十"
_RANGE = r"\s*(?:[至到—\-－~～]|—)\s*"
# Each date form: what it needs somewhere in a text before it is worth scanning for (a paragraph
# without 月 holds no month-day date, few hold a festival's name: scanning costs a pass per form),
# and the pattern. Each pattern starts with a digit, a Chinese numeral, a relative-day word or a
# festival: the lookahead skips other positions fast.
_DATE_FORMS = [
    # 11月5日, 2025年6月3日, 10月22日至25日, 11月6—8日, 10月30日至11月2日, with a part of the day and an hour
    (('月',),
     starting_with(first=r"\d", pattern=rf"(?:(?P<year>\d{{4}})\s*年\s*)?(?P<month>\d{{1,2}})\s*月\s*(?P<day>\d{{1,2}})\s*"
                   rf"(?:[日号]|(?={_RANGE}\d{{1,2}}\s*[日号]))"
                   rf"(?:{_RANGE}(?:(?P<month2>\d{{1,2}})\s*月\s*)?(?P<day2>\d{{1,2}})\s*[日号])?"
                   rf"(?:\s*[（(][^（）()，。]{{1,8}}[）)])?"  # 2月24日（星期六）下午、（正月初九）
                   rf"(?P<part>{_DAY_PART})(?:\s*(?P<hour>\d{{1,2}})\s*[时点:：](?:\s*(?P<minute>\d{{1,2}})\s*分?)?)?")),
    # 5日, 5日下午, 5日22时40分: a bare day only where a date is plainly meant (not 5日内)
    (('日', '号'),
     starting_with(first=r"\d", pattern=rf"(?<![月\d])(?P<day>\d{{1,2}})\s*[日号](?:(?P<part>{_DAY_PART[3:-2]})|"
                   rf"(?=[，,至到—\-\d时点许左]|(?:在|召开|举行|举办|开幕|开工|签约|投产|竣工|发生)))"
                   rf"(?:\s*(?P<hour>\d{{1,2}})\s*[时点:：](?:\s*(?P<minute>\d{{1,2}})\s*分?)?)?")),
    # 十一月五日至七日: dates written in Chinese numerals
    (('月',),
     starting_with(first=_CN_NUMBER, pattern=rf"(?<![{_CN_NUMBER}〇零百千万])(?P<month>[{_CN_NUMBER}]{{1,2}})月(?P<day>[{_CN_NUMBER}]{{1,3}})[日号]"
                   rf"(?:{_RANGE}(?P<day2>[{_CN_NUMBER}]{{1,3}})[日号])?(?P<part>{_DAY_PART})")),
    # 3月上旬, 10月底: a part of a month is a range of days; 月初 and 上旬 alone are this month's
    (('月',),
     starting_with(first=r"\d", pattern=r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月(?:份)?(?P<period>上旬|中旬|下旬|初|底|末)")),
    (('上旬', '中旬', '下旬', '月初', '月中', '月底', '月末', '本月', '上月', '上个月'),
     starting_with(first="本上月", pattern=r"(?<![\d月])(?:(?P<relmonth>本月|上月|上个月)(?P<period>上旬|中旬|下旬|初|底|末)|(?<![下正腊冬年一二三四五六七八九十])(?:本月)?(?P<period2>上旬|月初|月中))")),
    # 正月初八, 腊月二十三, 农历三月初三, 正月初一至初三: the lunar calendar
    (('月初', '月廿', '月十', '月二十', '月三十', '大年'),
     starting_with(first="农正腊冬大一二三四五六七八九十", pattern=rf"(?P<lunar>农历)?(?P<lmonth>正|腊|冬|大年|[{_CN_NUMBER}]{{1,2}})月?(?<=月|年)(?P<lday>初[{_CN_NUMBER}]|廿[{_CN_NUMBER}]|[二三]?十[{_CN_NUMBER}]?)"
                   rf"(?:{_RANGE}(?P<lday2>初[{_CN_NUMBER}]|廿[{_CN_NUMBER}]|[二三]?十[{_CN_NUMBER}]?))?(?![日号{_CN_NUMBER}])(?P<part>{_DAY_PART})")),
    (('本月', '上月', '上个月'),
     starting_with(first="本上", pattern=rf"(?P<relmonth>本月|上月|上个月)\s*(?P<day>\d{{1,2}})\s*[日号]"
                   rf"(?P<part>{_DAY_PART})(?:\s*(?P<hour>\d{{1,2}})\s*[时点:：](?:\s*(?P<minute>\d{{1,2}})\s*分?)?)?")),
    # (当天、当日 name the day of a date already given, not a date of their own)
    (('昨', '前天', '前日', '今日', '今天', '今晨', '今早', '上周', '本周'),
     starting_with(first="昨前今上本", pattern=rf"(?P<relative>昨日|昨天|昨晚|昨夜|前天|前日|今日|今天|今晨|今早|上周[一二三四五六日天]?|本周[一二三四五六日天]?)"
                   rf"(?:{_RANGE}(?:周|星期)?(?P<weekday2>[一二三四五六日天]))?"
                   rf"(?P<part>{_DAY_PART})(?:\s*(?P<hour>\d{{1,2}})\s*[时点:：](?:\s*(?P<minute>\d{{1,2}})\s*分?)?)?")),
    # 正月十五元宵节当晚, 中秋节当天, 国庆假期: a festival names its day (lunar ones by the calendar)
    (('元宵', '春节', '端午', '七夕', '中秋', '重阳', '国庆', '元旦', '五一', '劳动节', '除夕', '小年', '二月二', '龙抬头',
      '清明', '立春', '春分', '立夏', '夏至', '立秋', '秋分', '立冬', '冬至'),
     starting_with(first="正农元春端七中重国五劳除小二龙清立夏秋冬", pattern=rf"(?:农历)?(?:正月十五)?(?P<festival>元宵节?|春节|端午节?|七夕节?|中秋节?|重阳节?|国庆节?|元旦|五一|劳动节|除夕|小年|二月二|龙抬头|"
                   rf"清明(?=节|当天|当日|期间|假期)节?|立春|春分|立夏|夏至|立秋|秋分|立冬|冬至)"
                   rf"[”\"’]?(?P<when>当天|当日|当晚|期间|假期)?(?P<part>{_DAY_PART})")),
]
DATE_PATTERNS = [pattern for _needles, pattern in _DATE_FORMS]


def _dates_at(text: str, at: int = 0) -> Iterator[re.Match[str]]:
    """Each date form that matches ``text`` exactly at ``at``."""
    return (m for pattern in DATE_PATTERNS if (m := pattern.match(text, at)))

_SCANS = [(re.compile("|".join(needles)), pattern) for needles, pattern in _DATE_FORMS]
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# Festivals: (lunar?, month, day, days of the holiday when 期间/假期 is said).
_FESTIVALS = {"元宵": (True, 1, 15, 1), "春节": (True, 1, 1, 8), "端午": (True, 5, 5, 3), "七夕": (True, 7, 7, 1),
              "中秋": (True, 8, 15, 3), "重阳": (True, 9, 9, 1), "国庆": (False, 10, 1, 7), "元旦": (False, 1, 1, 3),
              "二月": (True, 2, 2, 1), "龙抬": (True, 2, 2, 1),
              "五一": (False, 5, 1, 5), "劳动": (False, 5, 1, 5), "小年": (True, 12, 23, 1),
              "除夕": (True, 1, 1, 1)}  # 除夕: the day before the lunar new year (see _festival_days)
# The latest hour a part of the day reaches: an emergency "今日上午" reported at 17:00 is at least 5 hours late.
_PART_END = {"凌晨": 6, "早上": 9, "早晨": 9, "清晨": 8, "上午": 12, "中午": 14, "下午": 18, "傍晚": 20}


@dataclass(frozen=True)
class EventMoment:
    start: dt.datetime
    end: dt.datetime          # last moment the event may have happened (closing day of a range, end of a day part)
    has_time: bool
    span: Span | None         # where the date was read (body, or title when the body has none); from
                              # event_date: where the body names that day, if it does
    text: str


@dataclass(frozen=True)
class ParsedDate:
    first: dt.date
    last: dt.date
    exact: dt.datetime | None     # the hour was given
    latest: dt.datetime | None    # no hour, but a part of the day bounds it

    @property
    def has_time(self) -> bool:
        return self.exact is not None


def _hour(part: str | None, hour: int) -> int:
    if part in ("下午", "傍晚", "晚上", "晚间", "夜间", "深夜", "晚") and hour < 12:
        return hour + 12
    return hour


def _number(text: str) -> int:
    """A month or day written in digits or Chinese numerals (十一、二十八)."""
    if text.isdigit():
        return int(text)
    value = chinese_to_number(text)
    return int(value) if value is not None else 0


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day) if 1900 <= year <= 2099 else None
    except ValueError:
        return None


def _infer_year(month: int, day: int, submitted: dt.datetime) -> dt.date | None:
    """The year of a date given without one: this year's, unless that is over a month ahead."""
    candidate = _date(submitted.year, month, day)
    if candidate is not None and candidate > submitted.date() + dt.timedelta(days=31):
        candidate = _date(submitted.year - 1, month, day)
    return candidate


def _day_before_submission(day: int, submitted: dt.datetime) -> dt.date | None:
    """A bare 5日 means the latest 5th on or before the submission day."""
    date = submitted.date()
    for back in range(0, 62):
        candidate = date - dt.timedelta(days=back)
        if candidate.day == day:
            return candidate
    return None


# Solar terms fall on one of two days (秋分: 22 or 23 September): (month, earliest, latest, holiday).
_SOLAR_TERMS = {"立春": (2, 3, 5, 1), "春分": (3, 20, 21, 1), "清明": (4, 4, 5, 3), "立夏": (5, 5, 6, 1),
                "夏至": (6, 21, 22, 1), "立秋": (8, 7, 8, 1), "秋分": (9, 22, 23, 1), "立冬": (11, 7, 8, 1),
                "冬至": (12, 21, 22, 1)}


def _festival_in(name: str, year: int) -> tuple[dt.date, dt.date, int]:
    """The first and last day a festival may fall on in ``year``, and its holiday's length."""
    if name[:2] in _SOLAR_TERMS:
        month, earliest, latest, holiday = _SOLAR_TERMS[name[:2]]
        return dt.date(year, month, earliest), dt.date(year, month, latest), holiday
    lunar, month, day, holiday = _FESTIVALS[name[:2]]
    first = LunarDate(year, month, day).to_solar_date() if lunar else dt.date(year, month, day)
    if name == "除夕":
        first -= dt.timedelta(days=1)
    return first, first, holiday


def _festival_days(name: str, when: str | None, submitted: dt.datetime) -> tuple[dt.date, dt.date] | None:
    """The day (or the holiday, for 期间/假期) of the latest such festival on or before submission;
    for a solar term, the two days it may fall on (lateness is then counted from the later)."""
    for year in (submitted.year, submitted.year - 1):
        try:
            first, last, holiday = _festival_in(name, year)
        except ValueError:  # outside the lunar calendar's table
            return None
        if first <= submitted.date():
            return first, last + dt.timedelta(days=holiday - 1) if when in ("期间", "假期") else last
    return None


_LUNAR_MONTHS = {"正": 1, "大年": 1, "冬": 11, "腊": 12}


def _lunar_day(text: str) -> int:
    return _number(text[1:]) if text[0] == "初" else 20 + _number(text[1:]) if text[0] == "廿" else _number(text)


def _lunar_days(g: dict, submitted: dt.datetime) -> tuple[dt.date, dt.date] | None:
    """The solar days of a lunar date, in the latest lunar year that puts them on or before
    submission. 三月十五 without 农历 may be a solar date written loosely: only 正/腊/冬月, 初X and
    廿X, or 农历 make it lunar."""
    month_text, day_text = g["lmonth"], g["lday"]
    if not (g.get("lunar") or month_text in _LUNAR_MONTHS or day_text[0] in "初廿"):
        return None
    if month_text == "大年" and day_text[0] != "初":  # 大年三十 is the new year's eve, 除夕
        return _festival_days("除夕", None, submitted)
    month = _LUNAR_MONTHS.get(month_text) or _number(month_text)
    day, day2 = _lunar_day(day_text), _lunar_day(g["lday2"]) if g.get("lday2") else None
    for year in (submitted.year, submitted.year - 1, submitted.year - 2):
        try:
            first = LunarDate(year, month, day).to_solar_date()
            last = LunarDate(year, month, day2).to_solar_date() if day2 else first
        except ValueError:  # no such day that year (a short month), or outside the table
            continue
        if first <= submitted.date():
            return first, last
    return None


def _month_part(year: int, month: int, period: str) -> tuple[dt.date, dt.date] | None:
    # wide enough to be certain: 月初 may mean the 8th
    start_day, end_day = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31), "初": (1, 10), "月初": (1, 10),
                          "月中": (11, 20), "底": (21, 31), "末": (21, 31)}[period]
    first = _date(year, month, start_day)
    if first is None:
        return None
    days_in_month = ((first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)).day
    return first, first.replace(day=min(end_day, days_in_month))


def parse_moment(m: re.Match[str], submitted: dt.datetime) -> ParsedDate | None:
    """The days (first, last) one date match names, and its hour or part of the day; None if it names none."""
    g = m.groupdict()
    today = submitted.date()
    if g.get("relative"):
        rel = g["relative"]
        if rel in ("今日", "今天", "今晨", "今早"):
            first = last = today
        elif rel in ("昨日", "昨天", "昨晚", "昨夜"):
            first = last = today - dt.timedelta(days=1)
        elif rel in ("前天", "前日"):
            first = last = today - dt.timedelta(days=2)
        else:
            monday = today - dt.timedelta(days=today.weekday())
            if rel.startswith("上周"):
                monday -= dt.timedelta(days=7)
            if len(rel) == 3:  # 上周四, and 上周四至周六 to its last day
                first = last = monday + dt.timedelta(days=_WEEKDAY[rel[2]])
                if g.get("weekday2"):
                    last = monday + dt.timedelta(days=_WEEKDAY[g["weekday2"]])
            else:  # the week so far: 本周 written on a Friday has no Sunday behind it yet
                first, last = monday, min(monday + dt.timedelta(days=6), today)
    elif g.get("relmonth") and g.get("day"):  # 本月5日, 上月28日: the month of the submission, or the one before
        month_start = today.replace(day=1)
        if g["relmonth"] != "本月":
            month_start = (month_start - dt.timedelta(days=1)).replace(day=1)
        first = last = _date(month_start.year, month_start.month, int(g["day"]))
    elif g.get("festival"):
        days = _festival_days(g["festival"], g.get("when"), submitted)
        if days is None:
            return None
        first, last = days
    elif g.get("period") or g.get("period2"):
        if g.get("month"):
            month, year = int(g["month"]), int(g["year"]) if g.get("year") else today.year
        else:  # this month's, or (上月中旬) the one before
            start = today.replace(day=1) if g.get("relmonth") in (None, "本月") else (today.replace(day=1) - dt.timedelta(days=1))
            month, year = start.month, start.year
        if not g.get("year") and dt.date(year, month, 1) > today:
            year -= 1
        days = _month_part(year, month, g.get("period") or g["period2"])
        if days is None:
            return None
        first, last = days
    elif g.get("lmonth"):
        days = _lunar_days(g, submitted)
        if days is None:
            return None
        first, last = days
    elif g.get("month"):
        month, day = _number(g["month"]), _number(g["day"])
        first = _date(int(g["year"]), month, day) if g.get("year") else _infer_year(month, day, submitted)
        last = first
        if first is not None and g.get("day2"):
            month2 = int(g["month2"]) if g.get("month2") else month
            last = _date(first.year + (1 if month2 < month else 0), month2, _number(g["day2"])) or first
    else:
        first = last = _day_before_submission(int(g["day"]), submitted)
    if first is None:
        return None
    # 昨晚11时 is 23:00: the word carries the part of the day
    part = g.get("part") or {"昨晚": "晚上", "昨夜": "夜间", "今晨": "清晨", "今早": "早上"}.get(g.get("relative") or "")
    exact = latest = None
    if g.get("hour"):
        hour, minute = _hour(part, int(g["hour"])), int(g["minute"]) if g.get("minute") else 0
        if hour <= 23 and minute <= 59:
            exact = dt.datetime.combine(first, dt.time(hour, minute), CHINA_TZ)
    elif part in _PART_END and last == first:
        latest = dt.datetime.combine(first, dt.time(_PART_END[part] - 1, 59), CHINA_TZ)
    return ParsedDate(first, last, exact, latest)


# A date in a background frame (继11月5日签约后、在3月12日签订框架协议的基础上) is an earlier step, and
# one in a plan (预计6月底试生产、力争10月前开工) a later one: neither is the event.
_BACKGROUND_BEFORE = re.compile(r"(?:继|自|从|早在|此前|曾于|曾在|预计|计划|将于|力争|争取|拟于?|确保|预定|定于)\s*$")
# 11月12日，记者从市投资促进局获悉: the day the news was told, not the day of the event.
_REPORTING_DAY = re.compile(r"^[，,]?\s*(?:记者|笔者|从)[^。；]{0,16}(?:获悉|了解到|得知)")
_LASTING = re.compile(r"为期([一二三四五六七八九十\d]{1,3})天")
_BACKGROUND_AFTER = re.compile(r"基础上|之后|以后|以来|后[，,]")
# 上周五，为期三天的博览会闭幕: the date is the closing day, the duration reaches back from it.
_CLOSING = re.compile(r"闭幕|落幕|帷幕|闭展|收官|圆满结束")
# The hour of a dated day given further on: in the date's own sentence (5月1日，…中午12时许开席)
# or tied to it in its paragraph (当日14时20分许). 点 is an hour only with a part of the day, minutes
# or 许/左右 (提出3点要求 is not); a time after 截至/到 is a cut-off, one before 前 a deadline.
_LATER_HOUR = re.compile(rf"(?P<anchor>当日|当天|当晚|当夜|同日)?(?P<part>{_DAY_PART})\s*(?<![\d.])(?P<hour>\d{{1,2}})\s*"
                         r"(?P<unit>[时点:：])(?:\s*(?P<minute>\d{1,2})\s*分?)?(?P<after>[许左多半钟前]?)")
_CUT_OFF_BEFORE = re.compile(r"(?:截至|截止|至|到)\s*$")


def _later_hour(text: str, at: int, day: dt.date) -> dt.datetime | None:
    """The moment of ``day`` that the text after a date without an hour gives, if it gives one."""
    sentence_end = min((i for i in (text.find(mark, at) for mark in "。！？；\n") if i >= 0), default=len(text))
    for m in _LATER_HOUR.finditer(text, at):
        if m.start() >= sentence_end and not m.group("anchor"):
            continue
        unit, after = m.group("unit"), m.group("after")
        if after == "前" or _CUT_OFF_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            continue
        if (unit == "点" and not (m.group("part") or m.group("minute") or after)) or (unit in ":：" and not m.group("minute")):
            continue
        part = m.group("part") or {"当晚": "晚上", "当夜": "夜间"}.get(m.group("anchor") or "")
        hour, minute = _hour(part, int(m.group("hour"))), int(m.group("minute") or 0)
        if hour <= 23 and minute <= 59:
            return dt.datetime.combine(day, dt.time(hour, minute), CHINA_TZ)
    return None


def _date_candidates(text: str, field: str, offset: int, submitted: dt.datetime,
                     cue: re.Pattern[str] | None, opens_at: int) -> list[tuple]:
    out = []
    for needed, pattern in _SCANS:
        if not needed.search(text):
            continue
        for m in pattern.finditer(text):
            parsed = parse_moment(m, submitted)
            if parsed is None or parsed.first > submitted.date():
                continue
            after = text[m.end(): m.end() + 60]
            clause = re.split(r"[，,。；;]", after, maxsplit=1)[0]
            # 自5月12日开工以来…: where a progress count starts; 继…后, 在…的基础上: an earlier step
            if (_BACKGROUND_AFTER.search(clause) or clause.startswith(("前", "曾")) or _REPORTING_DAY.match(after)
                    or _BACKGROUND_BEFORE.search(text[max(0, m.start() - 4): m.start()])):
                continue
            # A date of an earlier year inside a sentence (于2023年9月12日竣工) is history the item
            # builds on; at the opening of a paragraph it is the item's own, however late.
            if (m.group("year") if "year" in m.re.groupindex else None) and parsed.first.year < submitted.year \
                    and m.start() > opens_at and (submitted.date() - parsed.last).days > 60:
                continue
            # Prefer the date nearest before a cue; a cue used as an attribute (签约的15个项目) is
            # background to the item, not its event.
            found = cue.search(after) if cue is not None else None
            if found and "的" in after[found.end(): found.end() + 2]:
                continue
            near = (1, -found.start()) if found else (0, 0)
            if parsed.exact is None and parsed.first == parsed.last:
                exact = _later_hour(text, m.end(), parsed.first)
                if exact is not None:
                    parsed = ParsedDate(parsed.first, parsed.last, exact, None)
            lasting = _LASTING.search(text, m.end(), m.end() + 80)
            closing = _CLOSING.search(re.split(r"[。！？；]", after, maxsplit=1)[0])
            if lasting and parsed.last == parsed.first and not closing:  # 6月29日开幕…为期三天: it ends on 7月1日
                days = _number(lasting.group(1))
                if 1 < days <= 31:
                    parsed = ParsedDate(parsed.first, parsed.first + dt.timedelta(days=days - 1), None, None)
            out.append((near, -(offset + m.start()), parsed, field, offset + m.start(), offset + m.end()))
    return out


def find_event_moment(title: str, body: str, submitted: dt.datetime, cue: re.Pattern[str] | None,
                      latest: bool = True) -> EventMoment | None:
    """The date of the reported event: of the dates before an event cue in the first two paragraphs
    of the body, the latest (``latest``: 4月9日、4月11日先后签约 is reported from the 11th; an
    emergency is dated by the nearest, since what follows it comes later), or the title's date when
    the body gives none."""
    candidates = []
    offset, read = 0, 0
    for para in body.split("\n"):
        if not para.strip():  # a blank line between paragraphs is not one of the two read
            offset += len(para) + 1
            continue
        read += 1
        if read > 2:
            break
        opens_at = len(para) - len(para.lstrip())
        candidates += _date_candidates(para, "body", offset, submitted, cue, opens_at)
        offset += len(para) + 1
        # a date before the event's word settles it; a first paragraph of background dates
        # (9月上旬赴苏州洽谈) gives way to the paragraph that names the event
        if any(c[0][0] for c in candidates) or (cue is None and candidates):
            break
    if cue is not None and not any(c[0][0] for c in candidates):
        # further down, only a date before the event's word (文末：双方于7月2日正式签署协议)
        rest = body[offset:]
        candidates += [c for c in _date_candidates(rest, "body", offset, submitted, cue, -1) if c[0][0]]
    if not candidates:
        candidates = _date_candidates(title, "title", 0, submitted, cue, 0)
    if not candidates:
        return None
    _near, _neg, parsed, field, start, end = max(
        candidates, key=lambda c: (c[0][0], c[2].last if latest and c[0][0] else dt.date.min, c[0][1], c[1]))
    start_dt = parsed.exact or dt.datetime.combine(parsed.first, dt.time(0, 0), CHINA_TZ)
    if parsed.exact and parsed.last == parsed.first:
        end_dt = parsed.exact
    else:
        end_dt = parsed.latest or dt.datetime.combine(parsed.last, dt.time(23, 59), CHINA_TZ)
    text = body if field == "body" else title
    return EventMoment(start_dt, end_dt, parsed.has_time, Span(field, start, end), text[start:end])


def _first_sentence(lead: str) -> str:
    return re.split(r"[。！？!?\n]", lead.lstrip(), maxsplit=1)[0]


def _dated_opening(first: str) -> tuple[str, Span] | None:
    """(event type, cue) when a first sentence (from _first_sentence, so without leading blanks)
    opens with a date and names an event in it (10月26日，二期工程全面开工): the item reports that
    event, whatever words of progress its title has."""
    if next(_dates_at(first), None) is None:
        return None
    return _event_named(first, "body")


# After an event word in a title: it is an attribute (签约的项目) or the subject of a meeting about
# the work (签约推进会、开工动员会), not the event reported.
_ABOUT_THE_EVENT = re.compile(r"的|工作|推进|动员|部署|调度|筹备|准备|前|座谈")
# Before an event word: it is still ahead (确保按期开工、计划于下月初举行开工仪式、加快推进签约).
_AHEAD_OF_THE_EVENT = re.compile(r"(?:确保|按期|计划|拟|将|力争|争取|准备|推动|加快|尽快|即将)[^，。；]{0,6}$")
# After the name of a fair or festival: it is still ahead (第三届环湖马拉松赛将于下月举办). Only names:
# after a verb (签约，将于年底开工) what is ahead is the next step, not the event.
_AHEAD_AFTER_THE_NAME = re.compile(r"[^，。；]{0,12}?(?:将于|将在|即将|拟于|拟在|定于|计划于|预计于)")
_NAMED_EVENTS = ("exhibition", "festival")


def _event_named(text: str, field: str, skip: int = 0) -> tuple[str, Span] | None:
    """The first event ``text`` names as news (not 签约的项目 or 签约推进会), with its cue."""
    for name, pattern in EVENT_TYPES:
        for m in pattern.finditer(text):
            if _ABOUT_THE_EVENT.match(text, m.end()) or _AHEAD_OF_THE_EVENT.search(text, max(0, m.start() - 8), m.start()):
                continue
            if name in _NAMED_EVENTS and _AHEAD_AFTER_THE_NAME.match(text, m.end()):
                break  # the fair is still ahead, and so is what the text says of it after (设全程马拉松…)
            return name, Span(field, skip + m.start(), skip + m.end())
    return None


def _title_event(title: str) -> tuple[str, Span] | None:
    return _event_named(title, "title")


def _later_dated_opening(body: str) -> tuple[str, Span] | None:
    """A dated event opening the second or third paragraph, after a paragraph of background."""
    offset = 0
    for number, para in enumerate(body.split("\n")):
        if 1 <= number <= 2 and para.strip():
            found = _dated_opening(_first_sentence(para))
            if found is not None:
                name, span = found
                skip = len(para) - len(para.lstrip())
                return name, Span("body", offset + skip + span.start, offset + skip + span.end)
        offset += len(para) + 1
    return None


def _is_incident(title: str, first: str) -> Span | None:
    """The emergency cue when title and first sentence report an incident happening, not work about
    emergencies (演练、治理、排查) or a tally of them (扑救森林火灾3起)."""
    text = title + "\n" + first
    m = EMERGENCY.search(title)
    span = Span("title", m.start(), m.end()) if m else None
    if span is None:
        m = EMERGENCY.search(first)
        span = Span("body", m.start(), m.end()) if m else None
    if span is None or INCIDENT_TALLY.search(text) or not INCIDENT.search(text):
        return None
    # a title that reports an incident (某县发生一起山体滑坡) is one, whatever its first sentence
    # mentions (按预案撤离); otherwise drills and defences are not
    if PREVENTION.search(title) or (PREVENTION.search(first) and not (m and INCIDENT.search(title))):
        return None
    if PREVENTION_WORK.search(text) and not HANDLING.search(text):
        return None
    return span


def classify_event(title: str, lead: str, emergency: bool, body: str = "") -> tuple[str, Span | None]:
    """The event type and the cue that decided it (in the title when possible)."""
    if emergency:
        return "emergency", None
    first = _first_sentence(lead)
    incident = _is_incident(title, first)
    if incident is not None:
        return "emergency", incident
    # the event the title names as its news (二期工程全面开工), not as an attribute (9月签约的5个项目)
    in_title = _title_event(title)
    if ROUTINE_LEAD.search(lead) or ROUTINE_PERIOD.search(first):
        # a background paragraph (今年以来…) before a paragraph that opens with the dated event
        later = _later_dated_opening(body)
        if later is None:
            return "routine", None
        return in_title or later
    dated = _dated_opening(first)
    names_dated = dated is not None and in_title is not None and in_title[0] == dated[0]
    if NOT_EVENT_TITLE.search(title) or (ROUTINE_TITLE.search(title) and not names_dated):
        return "routine", None
    if in_title is not None:
        return in_title
    if dated is not None:
        return dated
    # the lead's first sentence says what happened; a later one may speak of the work ahead (确保按期签约)
    return (_event_named(first, "body", len(lead) - len(lead.lstrip())) or _later_dated_opening(body)
            or ("routine", None))


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
    event_type, cue = classify_event(title, lead, emergency, body)
    pattern = EMERGENCY_CUE if event_type == "emergency" else dict(EVENT_TYPES).get(event_type)
    from_body = find_event_moment(title, body, submitted, pattern, latest=event_type != "emergency")
    if (from_body is not None and VAGUE.search(lead[:60]) and from_body.span and from_body.span.field == "body"
            and from_body.span.start > 60 and not _refers_back(body, from_body.span.start, pattern)):
        from_body = None  # 近日… with a date only further down: that date is not the event's
    if event_date is not None:
        day = event_date.moment.astimezone(CHINA_TZ).date()
        if not event_date.has_time and from_body and from_body.start.date() == day and (
                from_body.has_time or from_body.end.date() > day):
            moment = from_body  # the body gives the hour of that day, or the range it opens (5日至10日)
        else:
            end = event_date.moment if event_date.has_time else dt.datetime.combine(day, dt.time(23, 59), CHINA_TZ)
            # where the body tells the same day, a flag can point at it (the officer sees which date counted)
            same_day = from_body is not None and from_body.start.astimezone(CHINA_TZ).date() == day
            moment = EventMoment(event_date.moment, end, event_date.has_time,
                                 from_body.span if same_day else None, "")
        source = "event_date"
    else:
        moment = from_body
        source = "body" if moment else None
    if moment is None:
        return Timeliness(event_type, None, None, None, None, cue)

    delay_hours = (submitted - moment.end).total_seconds() / 3600
    delay_days = (submitted.date() - moment.end.astimezone(CHINA_TZ).date()).days
    late: bool | None = None
    if event_type == "emergency" and (FOLLOW_UP.search(title + lead[:60]) or AFTERMATH.search(title)
                                      or ("发生" not in title
                                          and _cut_off_after(body, moment.end.astimezone(CHINA_TZ).date(), submitted))):
        late = None
    elif event_type == "emergency":
        if moment.has_time:
            late = delay_hours > emergency_hours
        else:
            # A date without an hour: only certain when even the end of the day (or of the part of
            # the day it names: 上午 ends at noon) is too long ago.
            late = True if delay_hours > emergency_hours else None
    elif event_type != "routine":
        # "More than 3 days after" counts calendar days, with or without an hour: a signing at 10:00
        # on the 2nd reported at 15:00 on the 5th is on the third day, as one without an hour is.
        late = delay_days > late_days
    return Timeliness(event_type, moment, source, delay_hours, late, cue, delay_days)


def _cut_off_after(body: str, day: dt.date, submitted: dt.datetime) -> bool:
    """Whether the body counts results up to a day after ``day`` and before the submission's."""
    for cut in _CUT_OFF.finditer(body):
        for m in _dates_at(body, cut.end()):
            parsed = parse_moment(m, submitted)
            if parsed is not None and day < parsed.first < submitted.date():
                return True
    return False


def _refers_back(body: str, at: int, cue: re.Pattern[str] | None) -> bool:
    """Whether the sentence holding ``at`` names the item's own event: by pointing back (本次推介会
    于11月2日…), or by opening with that date and naming the kind of event in the clause it heads
    (6月18日，工程举行竣工仪式; not 3月18日集中开工的项目中，5个已完工)."""
    start = max(body.rfind(mark, 0, at) for mark in "。！？\n") + 1
    if re.match(r"\s*(?:本次|此次|这次|本届|该次)", body[start:at + 1]):
        return True
    if cue is None or body[start:at].strip():
        return False
    date = next(_dates_at(body, at), None)
    clause = re.split(r"[，,。！？；\n]", body[date.end() if date else at:].lstrip("，, "), maxsplit=1)[0]
    return bool(cue.search(clause))

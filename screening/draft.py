"""The draft: what is screened, validated from a dict exactly as the contract describes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .errors import DraftError, field_label, field_subject

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")
# Trimmed whitespace: the JSON Schema (ECMA-262) \s set, so that "blank" means the same to a
# client validating against the OpenAPI document and to us (Python's isspace adds \x1c-\x1f).
WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# Characters a reader does not see: a title or body made of them (and whitespace) alone is as
# empty as a blank one. They only decide blankness; the text keeps them (trimming stays WHITESPACE).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
KINDS = ("single", "dynamic", "solicited")
# What officers write in the reviewer box to mean "nobody" (compared trimmed, Latin letters in any
# case): such a draft names no reviewer. The one list; :attr:`Draft.named_reviewer` reads it.
NO_REVIEWER = frozenset({"无", "-", "—", "/", "暂无", "没有", "未", "空", "无人", "待定", "待签", "未定", "待审", "待审核",
                         "未签发", "未审核", "不详", "略", "none", "n/a", "na", "null", "tbd"})
# Punctuation an officer types after a placeholder (无。、待定；) does not make it a name.
_REVIEWER_TRAILING = "。.，,；;、！!？?…"
# Control characters (C0, DEL, C1; NUL among them): an id is echoed and stored exactly as sent,
# so one that cannot be printed, typed back or stored by PostgreSQL (NUL) is refused instead.
ID_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# (name, min length, max length) for the string fields; lengths after trimming (an id is not trimmed).
_STRING_LIMITS = {
    "id": (1, 64),
    "title": (1, 200),
    "body": (1, 50_000),
    "unit": (0, 200),
    "reviewer": (0, 100),
    "solicitation": (0, 64),
}


@dataclass(frozen=True)
class EventDate:
    """When the reported event happened; ``has_time`` is False for a bare date."""

    moment: dt.datetime
    has_time: bool


@dataclass(frozen=True)
class Draft:
    title: str
    body: str
    id: str | None = None
    unit: str | None = None
    kind: str = "single"
    event_date: EventDate | None = None
    submitted_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(CHINA_TZ))
    emergency: bool = False
    reviewer: str | None = None
    solicitation: str | None = None  # the 约稿 this draft answers (its id)
    # Leading whitespace trimmed from the title and body as sent: spans are reported in the
    # client's coordinates.
    title_offset: int = 0
    body_offset: int = 0
    # Whether submitted_at was sent or defaulted to the moment of receipt: a retry without one is
    # the same item, a retry that names another time is not.
    submitted_at_given: bool = field(default=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any, now: dt.datetime | None = None) -> "Draft":
        """Validate a decoded JSON object; raise :class:`DraftError` naming the first bad field."""
        if not isinstance(data, Mapping):
            raise DraftError("draft", "草稿必须是 JSON 对象（{...}）")
        values: dict[str, Any] = {}
        for name, (low, high) in _STRING_LIMITS.items():
            text = _identifier(data, name, low, high) if name == "id" else _string(data, name, low, high)
            if text is not None:
                values[name] = text
        for required in ("title", "body"):
            if required not in values:
                raise DraftError(required, f"缺少必填字段 {field_label(required)}，或内容为空", 400)
            sent = data[required]
            values[f"{required}_offset"] = len(sent) - len(sent.lstrip(WHITESPACE))
        kind = data.get("kind")
        if kind is not None:
            if not isinstance(kind, str) or kind.strip() not in KINDS:
                raise DraftError("kind", f"{field_label('kind')}只能是 single（单篇）、dynamic（动态）或 solicited（约稿）", 422)
            values["kind"] = kind.strip()
        if "solicitation" in values:
            # Answering a solicitation makes the draft a solicited piece (约稿).
            if values.setdefault("kind", "solicited") != "solicited":
                raise DraftError("kind", f"回复约稿的信息{field_label('kind')}应为 solicited（约稿）", 422)
        emergency = data.get("emergency")
        if emergency is not None:
            if not isinstance(emergency, bool):
                raise DraftError("emergency", f"{field_label('emergency')}必须是 true 或 false", 400)
            values["emergency"] = emergency
        if data.get("event_date") is not None:
            values["event_date"] = parse_event_date(data["event_date"])
        if data.get("submitted_at") is not None:
            values["submitted_at"] = parse_datetime(data["submitted_at"], "submitted_at")
            values["submitted_at_given"] = True
        elif now is not None:
            values["submitted_at"] = now
        return cls(**values)

    @property
    def named_reviewer(self) -> str | None:
        """The reviewer (审核签发人) if one is named: None when left out or a placeholder for
        "nobody" (无, 暂无, N/A …: :data:`NO_REVIEWER`)."""
        if self.reviewer is None or self.reviewer.strip(WHITESPACE).rstrip(_REVIEWER_TRAILING).casefold() in NO_REVIEWER:
            return None
        return self.reviewer

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "body": self.body, "kind": self.kind,
                               "submitted_at": self.submitted_at.isoformat(),
                               "emergency": self.emergency}
        for name in ("id", "unit", "reviewer", "solicitation"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.event_date is not None:
            ev = self.event_date
            out["event_date"] = ev.moment.isoformat() if ev.has_time else ev.moment.date().isoformat()
        return out


def _given_string(data: Mapping, name: str, high: int, clean: Callable[[str], str]) -> str | None:
    """The field's string as ``clean`` leaves it, None when absent: 400 for another type, 413 when
    longer than ``high``."""
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DraftError(name, f"{field_subject(name)}必须是字符串", 400)
    value = clean(value)
    if len(value) > high:
        raise DraftError(name, f"{field_subject(name)}过长：{len(value)} 字，上限 {high} 字", 413)
    return value


def clean_text(text: str) -> str:
    """A text field as stored: trimmed, NUL replaced (it means nothing in a draft and PostgreSQL
    cannot store it: one replacement character for one, so that offsets (spans) stay as sent)."""
    return text.strip(WHITESPACE).replace("\x00", "\ufffd")


def unit_name(text: str) -> str:
    """A unit's name as the registry matches it: :func:`clean_text` without zero-width characters,
    which a name copied from a web page or a chat carries invisibly (乐都区\u200b is 乐都区)."""
    return clean_text(text.translate(NO_ZERO_WIDTH))


NO_ZERO_WIDTH = str.maketrans("", "", ZERO_WIDTH)


def _string(data: Mapping, name: str, low: int, high: int) -> str | None:
    value = _given_string(data, name, high, unit_name if name == "unit" else clean_text)
    # Zero-width characters alone (pasted from a web page) are no text: blank like "" or "  ".
    if value is None or not value.strip(WHITESPACE + ZERO_WIDTH):
        if value is not None and low:
            raise DraftError(name, f"{field_subject(name)}不能为空", 400)
        return None
    return value


def _identifier(data: Mapping, name: str, low: int, high: int) -> str | None:
    """A client's id, exactly as sent (not trimmed, nothing replaced): the report echoes it and
    /items stores it, so the caller must find the id it sent."""
    value = _given_string(data, name, high, str)
    if value is None:
        return None
    if len(value) < low or not value.strip(WHITESPACE):
        raise DraftError(name, f"{field_subject(name)}不能为空或只有空白", 422)
    bad = ID_CONTROL.search(value)
    if bad:
        raise DraftError(name, f"{field_subject(name)}含有控制字符 U+{ord(bad.group()):04X}（第 {bad.start() + 1} 个字符），"
                               "编号只能由可见字符组成", 422)
    return value


def parse_datetime(value: Any, name: str, stored: bool = True) -> dt.datetime:
    """ISO 8601 date-time; a time without an offset is taken as China time (UTC+8). A moment that
    is ``stored`` (or compared with stored ones) must have a UTC equivalent (not year 1 or 9999)."""
    if not isinstance(value, str):
        raise DraftError(name, f"{field_subject(name)}必须是 ISO 8601 日期时间字符串", 400)
    # An unescaped "+08:00" typed into a URL arrives as " 08:00".
    text = re.sub(r" (\d\d:?\d\d)$", r"+\1", value.strip()).replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(text)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)
        if stored:
            moment.astimezone(dt.timezone.utc)  # stored as UTC: year 1 or 9999 may not convert
    except (ValueError, OverflowError):
        raise DraftError(name, f"{field_subject(name)}不是有效的 ISO 8601 日期时间：{value[:40]}", 422) from None
    return _plausible(moment, name)


def _plausible(moment: dt.datetime, name: str) -> dt.datetime:
    """A typo such as 0202 or 2206 is refused rather than reported as a delay of centuries."""
    if not 1900 <= moment.year <= 2099:
        raise DraftError(name, f"{field_subject(name)}的年份应在 1900—2099 之间：{moment.year}", 422)
    return moment


def _day_alone(value: Any, name: str) -> dt.date | None:
    """The day of an ISO 8601 date with no time part (2026-07-01, 20260701); None for anything else."""
    if not isinstance(value, str) or not value.strip() or re.search(r"[T\s:]", value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise DraftError(name, f"{field_subject(name)}不是有效日期：{value[:40]}", 422) from None


def parse_day_end_or_moment(value: Any, name: str) -> dt.datetime:
    """An ISO 8601 date-time, or a date alone meaning the end of that day in China time: a deadline
    or an "as of" given as a day takes in the whole day."""
    day = _day_alone(value, name)
    if day is not None:
        value = dt.datetime.combine(day, dt.time(23, 59, 59, 999_999), CHINA_TZ).isoformat()
    return parse_datetime(value, name)


def parse_event_date(value: Any) -> EventDate:
    """An ISO 8601 date (a day, time unknown) or date-time."""
    day = _day_alone(value, "event_date")
    if day is not None:
        return EventDate(_plausible(dt.datetime.combine(day, dt.time(0, 0), CHINA_TZ), "event_date"), has_time=False)
    return EventDate(parse_datetime(value, "event_date", stored=False), has_time=True)

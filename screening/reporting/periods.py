"""Reporting periods: a month (``2026-07``), a quarter (``2026Q3``) or a year (``2026``), in
China time. A period is half-open: [start, end)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..draft import CHINA_TZ
from ..errors import DraftError

_QUARTER_NAMES = "一二三四"
_PATTERNS = (
    (re.compile(r"([0-9]{4})[Qq]([1-4])"), "quarter"),
    (re.compile(r"([0-9]{4})-([0-9]{1,2})"), "month"),
    (re.compile(r"([0-9]{4})"), "year"),
)


@dataclass(frozen=True)
class Period:
    key: str            # 2026Q3 | 2026-07 | 2026
    kind: str           # quarter | month | year
    first_day: dt.date
    end_day: dt.date    # the day after the last

    @classmethod
    def parse(cls, text: str) -> "Period":
        text = (text or "").strip()
        for pattern, kind in _PATTERNS:
            m = pattern.fullmatch(text)
            if not m:
                continue
            year = int(m.group(1))
            if not 2000 <= year <= 2100:
                break
            if kind == "quarter":
                q = int(m.group(2))
                first, months = dt.date(year, 3 * q - 2, 1), 3
                key = f"{year}Q{q}"
            elif kind == "month":
                month = int(m.group(2))
                if not 1 <= month <= 12:
                    break
                first, months = dt.date(year, month, 1), 1
                key = f"{year}-{month:02d}"
            else:
                first, months = dt.date(year, 1, 1), 12
                key = str(year)
            return cls(key, kind, first, _add_months(first, months))
        raise DraftError("period", "period 应为季度（2026Q3）、月份（2026-07）或年份（2026）", 422)

    @classmethod
    def last_complete_quarter(cls, today: dt.date | None = None) -> "Period":
        """The quarter before the one ``today`` (China time) falls in."""
        today = today or dt.datetime.now(CHINA_TZ).date()
        index = today.year * 4 + (today.month - 1) // 3 - 1
        return cls.parse(f"{index // 4}Q{index % 4 + 1}")

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time(0), CHINA_TZ)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.end_day, dt.time(0), CHINA_TZ)

    @property
    def last_day(self) -> dt.date:
        return self.end_day - dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end_day - self.first_day).days

    @property
    def name(self) -> str:
        """The period as a 通报 names it: 2026年第三季度, 2026年7月, 2026年."""
        y = self.first_day.year
        if self.kind == "quarter":
            return f"{y}年第{_QUARTER_NAMES[(self.first_day.month - 1) // 3]}季度"
        if self.kind == "month":
            return f"{y}年{self.first_day.month}月"
        return f"{y}年"

    def months(self) -> list[dt.date]:
        """The first day of each month in the period."""
        out, day = [], self.first_day
        while day < self.end_day:
            out.append(day)
            day = _add_months(day, 1)
        return out

    def __contains__(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def china_day(moment: dt.datetime) -> dt.date:
    """The calendar day of a moment in China time."""
    return moment.astimezone(CHINA_TZ).date()

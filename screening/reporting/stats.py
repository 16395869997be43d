"""Statistics per unit and period: what each unit submitted, what was adopted where and the points
it earned, the flags its items drew, its answers to solicitations, its longest silence and its
bursts (扎堆报送).

The rules, as the 通报 applies them:
- an item belongs to the period in which it was submitted (China time), and so do its outcomes;
- an item adopted by a publication counts once for that publication; its points for that
  publication are those of the latest adoption recorded (a correction replaces, never adds);
  an item's points are the sum over publications (《海东》 + 《青海》 + 国办 +20);
- a rejection recorded after an adoption withdraws it (the latest decision on an item stands, as
  it does for retraining): one naming a publication (国办未采用) withdraws only that publication's
  adoption, one naming none all of them; an adoption recorded after the rejection counts again;
- adoption rate = items adopted anywhere / items submitted;
- flags count items, by family: low_value.* (低价值), duplicate (重复), late / emergency.late (迟报),
  missing.* (缺要素);
- a solicitation belongs to the period of its deadline; each target unit answered on time, late,
  not at all (漏报, once the deadline has passed) or not yet (pending);
- longest silence: the longest run of calendar days in the period (up to ``as_of``) on which the
  unit submitted nothing; a unit that submitted nothing is silent the whole period;
- a burst: at least ``burst_items`` items within ``burst_days`` days, starting on a day preceded
  by at least ``burst_gap_days`` silent days (since the unit's previous item, or since the start of
  the period if it has none);
- ranking by points, highest first; equal points share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import func, select

from ..draft import CHINA_TZ
from ..settings import DEFAULT_SETTINGS, Settings
from ..feedback import PUBLICATIONS, standing_adoptions
from ..solicitations import first_answers, list_solicitations, replies
from ..store import schema
from ..store.db import Store
from ..units import UNIT_TYPES, list_units
from .periods import Period, china_day

FLAG_FAMILIES = {"low_value": "低价值", "duplicate": "重复", "late": "迟报", "missing_elements": "缺要素"}
KIND_NAMES = {"single": "单篇", "dynamic": "动态", "solicited": "约稿"}
UNREGISTERED = "unregistered"
# What the 通报 names units for: (key of PeriodStats.criticised, heading, what the named units did).
CRITICISMS = (
    ("silent", "不报", "本期未报送任何信息。"),
    ("missed", "漏报", "未按要求报送约稿信息。"),
    ("late", "迟报", "存在约稿逾期报送，或时效性信息、突发事件信息迟报的情况。"),
    ("bursts", "扎堆报送", "在长时间未报送后集中报送，日常报送不均衡。"),
    ("missing_roles", "分管领导或信息员未明确", "尚未明确分管领导或信息员，请尽快报备。"),
    ("unregistered", "报送单位未登记", "（报送时所填名称）不在报送单位名单中，请核对名称或补充登记。"),
)
NO_UNIT = "（未填写单位）"


def flag_family(code: str) -> str | None:
    if code.startswith("low_value."):
        return "low_value"
    if code == "duplicate":
        return "duplicate"
    if code in ("late", "emergency.late"):
        return "late"
    if code.startswith("missing."):
        return "missing_elements"
    return None


@dataclass(frozen=True)
class ItemRow:
    id: str
    unit: str
    title: str
    kind: str
    submitted_at: dt.datetime
    flags: tuple[str, ...]
    solicitation_id: str | None


@dataclass(frozen=True)
class Adoption:
    item_id: str
    publication: str
    as_kind: str
    points: float
    decided_at: dt.datetime


@dataclass(frozen=True)
class Burst:
    start: dt.date
    end: dt.date        # the last day of the window
    items: int
    gap_days: int       # silent days before it

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "items": self.items,
                "gap_days": self.gap_days}


@dataclass
class UnitStats:
    unit: str
    type: str
    leader: str | None = None
    officer: str | None = None
    missing_roles: list[str] = field(default_factory=list)
    submitted: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KIND_NAMES, 0))
    monthly: list[int] = field(default_factory=list)
    adopted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PUBLICATIONS, 0))
    adopted_items: int = 0
    points: float = 0.0
    flags: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FLAG_FAMILIES, 0))
    solicitations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("on_time", "late", "missing", "pending"), 0))
    longest_silence_days: int = 0
    bursts: list[Burst] = field(default_factory=list)
    rank: int = 0

    @property
    def adoption_rate(self) -> float:
        return self.adopted_items / self.submitted if self.submitted else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit, "type": self.type, "type_name": UNIT_TYPES.get(self.type, "未登记"),
            "leader": self.leader, "officer": self.officer, "missing_roles": self.missing_roles,
            "rank": self.rank, "submitted": self.submitted, "by_kind": self.by_kind, "monthly": self.monthly,
            "adopted": self.adopted, "adopted_items": self.adopted_items, "points": self.points,
            "adoption_rate": round(self.adoption_rate, 4), "flags": self.flags,
            "solicitations": self.solicitations, "longest_silence_days": self.longest_silence_days,
            "bursts": [b.to_dict() for b in self.bursts],
        }


@dataclass
class PeriodStats:
    period: Period
    as_of: dt.datetime
    units: list[UnitStats]                     # in ranking order
    adopted: list[dict[str, Any]]              # adopted items, most points first
    solicitations: list[dict[str, Any]]        # each with its replies
    months: list[dt.date]

    def unit(self, name: str) -> UnitStats:
        return next(u for u in self.units if u.unit == name)

    @property
    def totals(self) -> dict[str, Any]:
        total_flags: Counter[str] = Counter()
        adopted: Counter[str] = Counter()
        for u in self.units:
            total_flags.update(u.flags)
            adopted.update(u.adopted)
        submitted = sum(u.submitted for u in self.units)
        adopted_items = sum(u.adopted_items for u in self.units)
        return {
            "units": len(self.units), "submitted": submitted, "adopted_items": adopted_items,
            "adopted": {p: adopted[p] for p in PUBLICATIONS},
            "points": sum(u.points for u in self.units),
            "adoption_rate": round(adopted_items / submitted, 4) if submitted else 0.0,
            "flags": {f: total_flags[f] for f in FLAG_FAMILIES},
            "monthly": [sum(u.monthly[i] for u in self.units) for i in range(len(self.months))],
        }

    @property
    def criticised(self) -> dict[str, list[str]]:
        """Units the 通报 names, by the keys of :data:`CRITICISMS`."""
        registered = [u for u in self.units if u.type != UNREGISTERED]
        started = self.as_of >= self.period.start  # before its first day, no unit can have been silent in it
        return {
            "silent": [u.unit for u in registered if u.submitted == 0 and started],
            "missed": [u.unit for u in self.units if u.solicitations["missing"]],
            "late": [u.unit for u in self.units if u.solicitations["late"] or u.flags["late"]],
            "bursts": [u.unit for u in self.units if u.bursts],
            "missing_roles": [u.unit for u in registered if u.missing_roles],
            "unregistered": [u.unit for u in self.units if u.type == UNREGISTERED],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.key, "period_name": self.period.name,
            "start": self.period.first_day.isoformat(), "end": self.period.last_day.isoformat(),
            "as_of": self.as_of.isoformat(), "months": [m.strftime("%Y-%m") for m in self.months],
            "totals": self.totals, "units": [u.to_dict() for u in self.units], "adopted": self.adopted,
            "solicitations": self.solicitations, "criticised": self.criticised,
        }


def longest_silence(days: Iterable[dt.date], first: dt.date, end: dt.date) -> int:
    """The longest run of days in [first, end) that are not in ``days``."""
    longest, previous = 0, first - dt.timedelta(days=1)
    for day in sorted(d for d in set(days) if first <= d < end):
        longest = max(longest, (day - previous).days - 1)
        previous = day
    return max(longest, (end - previous).days - 1) if end > first else 0


def find_bursts(days: list[dt.date], before: dt.date | None, first: dt.date, end: dt.date,
                min_items: int, window: int, min_gap: int) -> list[Burst]:
    """Bursts starting on a day in [first, end), among the submission days (one entry per item, any
    order; days after ``end`` may complete a burst that starts before it); ``before`` is the unit's
    last submission day before the period, if any."""
    ordered = sorted(d for d in days if d >= first)
    bursts: list[Burst] = []
    previous = before
    for i, day in enumerate(ordered):
        if day >= end:
            break
        if i and ordered[i - 1] == day:
            continue
        gap = (day - previous).days - 1 if previous is not None else (day - first).days
        previous = day
        if gap < min_gap:
            continue
        last = day + dt.timedelta(days=window - 1)
        count = sum(1 for d in ordered[i:] if d <= last)
        if count >= min_items:
            bursts.append(Burst(day, last, count, gap))
    return bursts


def _ranked(stats: list[UnitStats]) -> list[UnitStats]:
    stats.sort(key=lambda u: (-u.points, u.unit))
    for i, u in enumerate(stats):
        u.rank = stats[i - 1].rank if i and stats[i - 1].points == u.points else i + 1
    return stats


def _load_items(store: Store, period: Period, cutoff: dt.datetime, window_days: int
                ) -> tuple[list[ItemRow], dict[str, dt.date], dict[str, list[dt.date]]]:
    """Items submitted in the period before ``cutoff``; each unit's last submission day before the
    period; and its submission days in the ``window_days`` after it (a burst may run over the end)."""
    t = schema.items.c
    live = t.removed.is_(False)
    after_end = min(period.end + dt.timedelta(days=window_days), cutoff)  # periods end by 2101: no overflow
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.id, t.unit, t.title, t.kind, t.submitted_at, t.flags, t.solicitation_id)
                            .where(live, t.submitted_at >= period.start, t.submitted_at < min(period.end, cutoff))
                            .order_by(t.submitted_at, t.id)).all()
        earlier = conn.execute(select(t.unit, func.max(t.submitted_at))
                               .where(live, t.submitted_at < period.start).group_by(t.unit)).all()
        later = conn.execute(select(t.unit, t.submitted_at)
                             .where(live, t.submitted_at >= period.end, t.submitted_at < after_end)).all()
    items = [ItemRow(r.id, r.unit or NO_UNIT, r.title, r.kind, r.submitted_at, tuple(r.flags or ()), r.solicitation_id)
             for r in rows]
    following: dict[str, list[dt.date]] = defaultdict(list)
    for unit, at in later:
        following[unit or NO_UNIT].append(china_day(at))
    return items, {(unit or NO_UNIT): china_day(at) for unit, at in earlier}, following


def _load_adoptions(store: Store, item_ids: list[str], until: dt.datetime) -> list[Adoption]:
    """Per (item, publication), the adoption that stands after the decisions recorded by ``until``
    (``feedback.standing_adoptions``)."""
    o = schema.outcomes.c
    decisions: dict[str, list] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(item_ids), 500):
            rows = conn.execute(select(o.item_id, o.result, o.publication, o.as_kind, o.points, o.decided_at)
                                .where(o.item_id.in_(item_ids[start:start + 500]), o.decided_at <= until)
                                .order_by(o.decided_at, o.id)).all()
            for r in rows:
                decisions.setdefault(r.item_id, []).append(r)
    return [Adoption(r.item_id, r.publication, r.as_kind, float(r.points or 0), r.decided_at)
            for rows in decisions.values() for r in standing_adoptions(rows).values()]


def period_stats(store: Store, period: Period, as_of: dt.datetime | None = None,
                 settings: Settings = DEFAULT_SETTINGS) -> PeriodStats:
    """Every figure of the period, per unit, from the store, as it stood at ``as_of`` (default now):
    items, adoptions and answers recorded later are left out."""
    as_of = as_of or dt.datetime.now(CHINA_TZ)
    burst_items, burst_days, burst_gap_days = (settings["burst_items"], settings["burst_days"],
                                               settings["burst_gap_days"])
    units = {u.name: u for u in list_units(store)}
    items, last_before, following = _load_items(store, period, as_of, burst_days)
    adoptions = _load_adoptions(store, [i.id for i in items], as_of)
    months = period.months()
    stats: dict[str, UnitStats] = {}
    for name, u in units.items():
        stats[name] = UnitStats(name, u.type, u.leader, u.officer, u.missing_roles, monthly=[0] * len(months))
    for item in items:
        if item.unit not in stats:
            stats[item.unit] = UnitStats(item.unit, UNREGISTERED, monthly=[0] * len(months))

    by_id = {i.id: i for i in items}
    days: dict[str, list[dt.date]] = defaultdict(list)
    for item in items:
        s = stats[item.unit]
        s.submitted += 1
        s.by_kind[item.kind] = s.by_kind.get(item.kind, 0) + 1
        day = china_day(item.submitted_at)
        days[item.unit].append(day)
        s.monthly[(day.year - period.first_day.year) * 12 + day.month - period.first_day.month] += 1
        for family in {flag_family(code) for code in item.flags} - {None}:
            s.flags[family] += 1

    adopted_list: dict[str, dict[str, Any]] = {}
    for a in adoptions:
        item = by_id[a.item_id]
        s = stats[item.unit]
        s.adopted[a.publication] += 1
        s.points += a.points
        entry = adopted_list.setdefault(a.item_id, {
            "item_id": item.id, "unit": item.unit, "title": item.title,
            "submitted_at": item.submitted_at.astimezone(CHINA_TZ).isoformat(), "publications": [], "points": 0.0})
        entry["publications"].append({"publication": a.publication, "as_kind": a.as_kind, "points": a.points})
        entry["points"] += a.points
    for entry in adopted_list.values():
        stats[entry["unit"]].adopted_items += 1

    due = list_solicitations(store, due_in=(period.start, period.end))
    answers = first_answers(store, [sol.id for sol in due], until=as_of) if due else {}
    solicitation_rows = [{**sol.to_dict(), "replies": [r.to_dict() for r in replies(store, sol, as_of, answers)]}
                         for sol in due]
    for sol in solicitation_rows:
        for reply in sol["replies"]:
            if reply["unit"] in stats:
                stats[reply["unit"]].solicitations[reply["status"]] += 1

    # Silence is counted up to the end of the period, or to the day of ``as_of`` inside it.
    if as_of < period.start:
        window_end = period.first_day
    elif as_of >= period.end:
        window_end = period.end_day
    else:
        window_end = china_day(as_of) + dt.timedelta(days=1)
    for name, s in stats.items():
        s.longest_silence_days = longest_silence(days[name], period.first_day, window_end)
        s.bursts = find_bursts(days[name] + following.get(name, []), last_before.get(name), period.first_day,
                               period.end_day, burst_items, burst_days, burst_gap_days)

    adopted_sorted = sorted(adopted_list.values(), key=lambda e: (-e["points"], e["submitted_at"], e["item_id"]))
    return PeriodStats(period, as_of, _ranked(list(stats.values())), adopted_sorted, solicitation_rows, months)

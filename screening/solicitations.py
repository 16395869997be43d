"""Solicitations (约稿): a topic, the elements it requires, a deadline and the units asked to
answer. A draft names the solicitation it answers; per solicitation we know who answered on
time, late, or not at all."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from sqlalchemy import select

from .draft import CHINA_TZ, clean_text, parse_day_end_or_moment, unit_name
from .errors import DraftError
from .report import ELEMENTS
from .store import schema
from .store.db import Store, retry_on_conflict

ID_PATTERN = re.compile(r"[\w\-][\w.\-]*")  # not starting with a dot: "." and ".." are not path segments
STATUS_NAMES = {"on_time": "按时报送", "late": "迟报", "missing": "漏报", "pending": "未到期"}


def parse_deadline(value: Any) -> dt.datetime:
    """A deadline: an ISO date-time, or a bare date meaning the end of that day (China time)."""
    if value is None:
        raise DraftError("deadline", "缺少截止时间 deadline", 422)
    return parse_day_end_or_moment(value, "deadline")


@dataclass(frozen=True)
class Solicitation:
    id: str
    topic: str
    deadline: dt.datetime
    units: tuple[str, ...]
    required_elements: tuple[str, ...] = ELEMENTS
    note: str | None = None
    created_by: str | None = None

    @classmethod
    def from_dict(cls, data: Any) -> "Solicitation":
        if not isinstance(data, Mapping):
            raise DraftError("solicitation", "约稿必须是 JSON 对象（{...}）")

        def text(name: str, limit: int, required: bool = False) -> str | None:
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                raise DraftError(name, f"{name} 必须是字符串")
            value = clean_text(value or "")
            if len(value) > limit:
                raise DraftError(name, f"{name} 过长：{len(value)} 字，上限 {limit} 字", 413)
            if required and not value:
                raise DraftError(name, f"缺少 {name}，或内容为空")
            return value or None

        units = data.get("units")
        if not isinstance(units, list) or not units or not all(isinstance(u, str) and unit_name(u) for u in units):
            raise DraftError("units", "units 必须是非空的单位名称列表")
        elements = data.get("required_elements", list(ELEMENTS))
        if not isinstance(elements, list) or not elements or not all(e in ELEMENTS for e in elements):
            raise DraftError("required_elements", f"required_elements 必须是非空列表，取值为 {'、'.join(ELEMENTS)}", 422)
        given_id = text("id", 64)
        if given_id and not ID_PATTERN.fullmatch(given_id):
            raise DraftError("id", "约稿编号只能由字母、数字、汉字和 _ . - 组成，且不以 . 开头（它会出现在地址中）", 422)
        return cls(
            id=given_id or "ys-" + uuid.uuid4().hex[:10],
            topic=text("topic", 200, required=True),
            deadline=parse_deadline(data.get("deadline")),
            units=tuple(dict.fromkeys(unit_name(u) for u in units)),
            required_elements=tuple(e for e in ELEMENTS if e in elements),
            note=text("note", 2000),
            created_by=text("created_by", 100),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "topic": self.topic, "deadline": self.deadline.astimezone(CHINA_TZ).isoformat(timespec="seconds"),
                "units": list(self.units), "required_elements": list(self.required_elements),
                "note": self.note, "created_by": self.created_by}


@dataclass(frozen=True)
class Reply:
    unit: str
    status: str                      # on_time | late | missing | pending
    item_id: str | None = None       # the unit's first answer
    submitted_at: dt.datetime | None = None
    answers: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "status": self.status, "status_name": STATUS_NAMES[self.status],
                "item_id": self.item_id,
                "submitted_at": self.submitted_at.astimezone(CHINA_TZ).isoformat() if self.submitted_at else None,
                "answers": self.answers}


def reply_status(deadline: dt.datetime, first_answer: dt.datetime | None, as_of: dt.datetime) -> str:
    """On time if the first answer came by the deadline, late if after it; with no answer,
    missing once the deadline has passed (as of ``as_of``), pending before."""
    if first_answer is not None:
        return "on_time" if first_answer <= deadline else "late"
    return "missing" if as_of > deadline else "pending"


def past_deadline_warning(solicitation: Solicitation, now: dt.datetime | None = None) -> str | None:
    """What to tell whoever publishes a solicitation whose deadline has already passed: it is kept
    (an office may record one after the fact), but every unit that has not replied counts at once as
    漏报 in the statistics and the 通报, and a mistyped year would do that silently."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if solicitation.deadline >= now:
        return None
    return (f"截止时间 {solicitation.deadline.astimezone(CHINA_TZ):%Y-%m-%d %H:%M} 已过：尚未回复的对象单位"
            "已计为漏报。若是补登已结束的约稿，可不理会；若日期写错，请改正后重新发布。")


@retry_on_conflict
def create_solicitation(store: Store, solicitation: Solicitation) -> None:
    """Store a new solicitation; every target unit must be a registered unit."""
    with store.writing() as conn:
        known = set(conn.execute(select(schema.units.c.name).where(schema.units.c.name.in_(solicitation.units))).scalars())
        for i, unit in enumerate(solicitation.units):
            if unit not in known:
                raise DraftError(f"units[{i}]", f"单位“{unit}”未登记，请先导入单位名单", 404)
        if conn.execute(select(schema.solicitations.c.id).where(schema.solicitations.c.id == solicitation.id)).first():
            raise DraftError("id", f"约稿编号 {solicitation.id} 已存在", 409)
        conn.execute(schema.solicitations.insert().values(
            id=solicitation.id, topic=solicitation.topic, required_elements=list(solicitation.required_elements),
            deadline=solicitation.deadline, note=solicitation.note, created_by=solicitation.created_by,
            created_at=dt.datetime.now(dt.timezone.utc)))
        conn.execute(schema.solicitation_units.insert(),
                     [{"solicitation_id": solicitation.id, "unit": u} for u in solicitation.units])


def list_solicitations(store: Store, ids: Sequence[str] | None = None,
                       due_in: tuple[dt.datetime, dt.datetime] | None = None) -> list[Solicitation]:
    """Solicitations (those of ``ids``, or those due in [start, end) of ``due_in``), by deadline."""
    s, su = schema.solicitations.c, schema.solicitation_units.c
    query = select(s.id, s.topic, s.deadline, s.required_elements, s.note, s.created_by).order_by(s.deadline, s.id)
    if ids is not None:
        query = query.where(s.id.in_(list(ids)))
    if due_in is not None:
        query = query.where(s.deadline >= due_in[0], s.deadline < due_in[1])
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
        targets: dict[str, list[str]] = {}
        wanted = [r.id for r in rows]
        for start in range(0, len(wanted), 500):
            for sid, unit in conn.execute(select(su.solicitation_id, su.unit)
                                          .where(su.solicitation_id.in_(wanted[start:start + 500])).order_by(su.unit)):
                targets.setdefault(sid, []).append(unit)
    return [Solicitation(r.id, r.topic, r.deadline, tuple(targets.get(r.id, ())), tuple(r.required_elements),
                         r.note, r.created_by) for r in rows]


def get_solicitation(store: Store, solicitation_id: str) -> Solicitation:
    found = list_solicitations(store, [solicitation_id])
    if not found:
        raise DraftError("solicitation", f"没有编号为 {solicitation_id} 的约稿", 404)
    return found[0]


def first_answers(store: Store, solicitation_ids: Sequence[str], until: dt.datetime | None = None
                  ) -> dict[tuple[str, str], tuple[str, dt.datetime, int]]:
    """(solicitation, unit) → (first item id, its submission time, number of answers), counting the
    answers submitted by ``until`` (all when None)."""
    t = schema.items.c
    query = (select(t.solicitation_id, t.unit, t.id, t.submitted_at)
             .where(t.solicitation_id.in_(list(solicitation_ids)), t.removed.is_(False)).order_by(t.submitted_at, t.id))
    if until is not None:
        query = query.where(t.submitted_at <= until)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    answers: dict[tuple[str, str], tuple[str, dt.datetime, int]] = {}
    for r in rows:
        key = (r.solicitation_id, r.unit)
        if key in answers:
            first_id, first_at, count = answers[key]
            answers[key] = (first_id, first_at, count + 1)
        else:
            answers[key] = (r.id, r.submitted_at, 1)
    return answers


def replies(store: Store, solicitation: Solicitation, as_of: dt.datetime | None = None,
            answers: Mapping[tuple[str, str], tuple[str, dt.datetime, int]] | None = None) -> list[Reply]:
    """Each target unit's answer to the solicitation, as of ``as_of`` (default now); ``answers``
    from :func:`first_answers` when the caller has them for several solicitations at once."""
    as_of = as_of or dt.datetime.now(CHINA_TZ)
    if answers is None:
        answers = first_answers(store, [solicitation.id], until=as_of)
    out = []
    for unit in solicitation.units:
        item_id, at, count = answers.get((solicitation.id, unit), (None, None, 0))
        out.append(Reply(unit, reply_status(solicitation.deadline, at, as_of), item_id, at, count))
    return out


def required_elements_for(store: Store, solicitation_id: str | None) -> tuple[str, ...] | None:
    """The elements a draft answering this solicitation must carry (None: not a solicited answer)."""
    if not solicitation_id:
        return None
    s = schema.solicitations.c
    with store.engine.connect() as conn:
        row = conn.execute(select(s.required_elements).where(s.id == solicitation_id)).first()
    if row is None:
        raise DraftError("solicitation", f"没有编号为 {solicitation_id} 的约稿", 404)
    return tuple(row.required_elements)

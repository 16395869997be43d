"""The reporting units (报送单位): name, type, the leader in charge (分管领导) and the information
officer (信息员) the notice requires each unit to name; imported from a CSV list."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from sqlalchemy import select

from .draft import WHITESPACE, clean_text, unit_name
from .errors import DraftError
from .io import ImportReport, import_rows
from .store import schema
from .store.db import Store, retry_on_conflict

UNIT_TYPES = {"county": "县区", "department": "部门", "park": "园区", "soe": "国有企业"}
# Column names a CSV may use, in English or as an office would write them.
COLUMNS = {
    "name": ("name", "单位", "单位名称"),
    "type": ("type", "类型", "单位类型"),
    "leader": ("leader", "分管领导"),
    "officer": ("officer", "信息员"),
    "phone": ("phone", "电话", "联系电话"),
}
_TYPE_NAMES = {**{k: k for k in UNIT_TYPES}, **{v: k for k, v in UNIT_TYPES.items()}, "县": "county",
               "区": "county", "县（区）": "county", "国企": "soe"}


@dataclass(frozen=True)
class Unit:
    name: str
    type: str
    leader: str | None = None
    officer: str | None = None
    phone: str | None = None

    @classmethod
    def from_dict(cls, row: Mapping[str, Any], headers: bool = False) -> "Unit":
        """A unit from a JSON object (English keys; others are ignored) or, with ``headers``, from a
        list's row, whose columns may carry the Chinese names of :data:`COLUMNS`."""
        values: dict[str, str | None] = {}
        for key, aliases in COLUMNS.items():
            names = aliases if headers else (key,)
            value = next((row[n] for n in names if row.get(n) not in (None, "")), None)
            if value is not None and (not isinstance(value, str) or len(value.strip(WHITESPACE)) > (200 if key == "name" else 100)):
                raise DraftError(key, f"{key} 必须是不超过 {200 if key == 'name' else 100} 字的字符串", 422)
            values[key] = (unit_name if key == "name" else clean_text)(value) if value else None
        if not values["name"]:
            raise DraftError("name", "缺少单位名称（name / 单位）", 422)
        unit_type = _TYPE_NAMES.get(values["type"] or "")
        if unit_type is None:
            raise DraftError("type", "单位类型只能是 " + "、".join(f"{k}（{v}）" for k, v in UNIT_TYPES.items()), 422)
        return cls(values["name"], unit_type, values["leader"], values["officer"], values["phone"])

    @property
    def missing_roles(self) -> list[str]:
        """The roles the notice requires that this unit has not named."""
        return [role for role, value in (("分管领导", self.leader), ("信息员", self.officer)) if not value]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "type_name": UNIT_TYPES[self.type], "missing_roles": self.missing_roles}


@retry_on_conflict
def save_units(store: Store, units: Sequence[Unit]) -> int:
    """Insert or update units in one transaction; returns how many units were new or changed
    (a name listed twice is one unit)."""
    t = schema.units
    changed: set[str] = set()
    with store.writing() as conn:
        now = dt.datetime.now(dt.timezone.utc)
        for unit in units:
            row = conn.execute(select(t.c.type, t.c.leader, t.c.officer, t.c.phone).where(t.c.name == unit.name)).first()
            values = {"type": unit.type, "leader": unit.leader, "officer": unit.officer, "phone": unit.phone}
            if row is not None and dict(row._mapping) == values:
                continue
            if row is None:
                conn.execute(t.insert().values(name=unit.name, updated_at=now, **values))
            else:
                conn.execute(t.update().where(t.c.name == unit.name).values(updated_at=now, **values))
            changed.add(unit.name)
    return len(changed)


def save_unit(store: Store, unit: Unit) -> bool:
    """Insert or update one unit; False when it is already stored exactly so."""
    return save_units(store, [unit]) == 1


def import_units(store: Store, path: str | Path) -> ImportReport:
    """Units from a CSV (or JSONL) list; each row accepted (new or changed), unchanged, or refused.

    A unit listed twice with different details is refused the second time: which row was meant
    is the office's call, not the order of the lines."""
    seen: dict[str, Unit] = {}

    def apply(row: dict[str, Any]) -> bool:
        unit = Unit.from_dict(row, headers=True)
        if seen.setdefault(unit.name, unit) != unit:
            raise DraftError("name", f"单位“{unit.name}”在本文件前面已有一行，内容与这一行不同；"
                                     "请只保留一行（前一行已导入）")
        return save_unit(store, unit)

    return import_rows(path, apply, COLUMNS["name"])


def list_units(store: Store) -> list[Unit]:
    t = schema.units.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.name, t.type, t.leader, t.officer, t.phone).order_by(t.name)).all()
    return [Unit(r.name, r.type, r.leader, r.officer, r.phone) for r in rows]

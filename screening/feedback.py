"""What editors decided: outcomes (adopted where, as what; rejected why), label corrections,
points by the notice's rules, and importing a submission system's export.

Points (the notice): 《青海政务信息》 single 10 / dynamic 5; 《海东政务信息》 single 5 / dynamic 1;
adoption by the State Council adds 20.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .draft import CHINA_TZ, parse_datetime
from .errors import DraftError
from .io import ImportReport, import_rows
from .report import ELEMENTS, LOW_VALUE_LABELS
from .store import schema
from .store.db import Store

PUBLICATIONS = ("haidong", "qinghai", "state_council")
PUBLICATION_NAMES = {"haidong": "《海东政务信息》", "qinghai": "《青海政务信息》", "state_council": "国务院办公厅"}
REASONS = ("low_value", "duplicate", "late", "missing_elements", "quality", "other")
POINTS = {("qinghai", "single"): 10, ("qinghai", "dynamic"): 5,
          ("haidong", "single"): 5, ("haidong", "dynamic"): 1,
          ("state_council", "single"): 20, ("state_council", "dynamic"): 20}


FUTURE_SLACK = dt.timedelta(minutes=10)  # clocks of the office's machines may run a little ahead


def points(publication: str | None, as_kind: str | None) -> float:
    """Points one adoption earns by the notice's rules."""
    return float(POINTS.get((publication or "", as_kind or ""), 0))


@dataclass(frozen=True)
class Outcome:
    item_id: str
    result: str                 # adopted | rejected
    publication: str | None
    as_kind: str | None
    reason: str | None
    note: str | None
    decided_by: str | None
    decided_at: dt.datetime
    decided_at_given: bool = True  # False: "now" was filled in, and is not part of the identity

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], item_id: str | None = None) -> "Outcome":
        def text(name: str, limit: int = 200) -> str | None:
            value = data.get(name)
            if value in (None, ""):
                return None
            if not isinstance(value, str) or len(value) > limit:
                raise DraftError(name, f"{name} 必须是不超过 {limit} 字的字符串")
            return value.strip()

        item_id = item_id or text("item_id", 64)
        if not item_id:
            raise DraftError("item_id", "缺少信息编号 item_id")
        result = text("result")
        if result not in ("adopted", "rejected"):
            raise DraftError("result", "result 只能是 adopted（采用）或 rejected（退回）", 422)
        # Every field given must have its type, also one the result does not use (a CSV row may fill
        # them all): a list as the reason is a mistake to report, not to ignore.
        publication, as_kind, reason = text("publication"), text("as_kind"), text("reason")
        if result == "adopted":
            reason = None
            if publication not in PUBLICATIONS:
                raise DraftError("publication", f"采用时 publication 必须是 {'、'.join(PUBLICATIONS)} 之一", 422)
            if as_kind not in ("single", "dynamic"):
                raise DraftError("as_kind", "采用时 as_kind 必须是 single（单篇）或 dynamic（动态）", 422)
        else:
            # A rejection may name the publication that declined (国办未采用): it withdraws only that
            # publication's adoption. One that names none is the office's decision on the item.
            as_kind = None
            if publication is not None and publication not in PUBLICATIONS:
                raise DraftError("publication", f"退回时 publication 可不填，填写时必须是 {'、'.join(PUBLICATIONS)} 之一", 422)
            if reason not in REASONS:
                raise DraftError("reason", f"退回时 reason 必须是 {'、'.join(REASONS)} 之一", 422)
        decided_at = data.get("decided_at")
        if decided_at == "":  # an empty CSV cell: not given
            decided_at = None
        when = parse_datetime(decided_at, "decided_at") if decided_at is not None else dt.datetime.now(CHINA_TZ)
        return cls(item_id, result, publication, as_kind, reason, text("note", 2000), text("decided_by", 100), when,
                   decided_at is not None)

    @property
    def points(self) -> float:
        return points(self.publication, self.as_kind) if self.result == "adopted" else 0.0

    @property
    def decision(self) -> tuple:
        """What was decided, whenever: a decision sent again without a time repeats the latest one
        only if this is equal to it."""
        return (self.result, self.publication, self.as_kind, self.reason)

    @property
    def dedup_key(self) -> str:
        # with its time, one decision is recorded once however often it is sent (imports, retries)
        when = self.decided_at.astimezone(dt.timezone.utc).isoformat()
        return hashlib.sha256(json.dumps([self.item_id, *self.decision, when]).encode()).hexdigest()


def standing_adoptions(decisions: Iterable[Any]) -> dict[str, Any]:
    """The adoptions that stand after one item's decisions (rows or outcomes, in the order they were
    made), by publication: an adoption replaces an earlier one in its publication (a correction
    never adds); a rejection naming a publication withdraws that publication's adoption, one naming
    none withdraws them all; an adoption after a rejection counts again."""
    standing: dict[str, Any] = {}
    for d in decisions:
        if d.result == "adopted":
            standing[d.publication] = d
        elif d.publication:
            standing.pop(d.publication, None)
        else:
            standing.clear()
    return standing


def _live_item(conn, item_id: str):
    """The stored item a decision or correction is about; 404 for none, or one that was removed
    (it counts in no statistics, so what was recorded about it would count nowhere)."""
    c = schema.items.c
    item = conn.execute(select(c.submitted_at, c.removed).where(c.id == item_id)).first()
    if item is None:
        raise DraftError("item_id", f"没有编号为 {item_id} 的信息", 404)
    if item.removed:
        raise DraftError("item_id", f"编号为 {item_id} 的信息已删除，不能再记录决定或更正标注", 404)
    return item


def record_outcome(store: Store, outcome: Outcome, export_baseline: int | None = None) -> bool:
    """Store an outcome; False when it is already recorded (idempotent): the same decision at the same
    time, or, sent without a time, the same decision as the item's latest. A decision that differs
    from the latest is recorded even if an older one was the same: it reverses a reversal.

    A row of an export without a time is already recorded when a decision stored before this import
    began (outcome ids up to ``export_baseline``) is that decision with the same note and decider:
    read again after a later decision, the export would otherwise reverse it, while a reversal within
    the export itself (adopted, rejected, adopted again) is still three decisions."""
    # exclusive: the same decision sent twice at once would otherwise find itself unrecorded twice
    with store.exclusive(), store.writing() as conn:
        item = _live_item(conn, outcome.item_id)
        # A decision dated before the item was submitted would be counted in a period before the
        # item existed: a typo in a date. 409: it conflicts with the item's record, not the format.
        if outcome.decided_at < item.submitted_at:
            raise DraftError("decided_at", "决定时间早于这条信息的报送时间"
                                           f"（{item.submitted_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}）", 409)
        # A date in the future would change a past period's scores on the day it arrives; 409 as for
        # a date before the submission (a schema-valid date that conflicts with the record).
        if outcome.decided_at > dt.datetime.now(dt.timezone.utc) + FUTURE_SLACK:
            raise DraftError("decided_at", "决定时间晚于现在：只能记录已经作出的决定", 409)
        if not outcome.decided_at_given:
            o = schema.outcomes.c
            decisions = select(o.result, o.publication, o.as_kind, o.reason).where(o.item_id == outcome.item_id)
            if export_baseline is not None:
                same_row = decisions.where(o.id <= export_baseline, o.note.is_not_distinct_from(outcome.note),
                                           o.decided_by.is_not_distinct_from(outcome.decided_by))
                if any(tuple(row) == outcome.decision for row in conn.execute(same_row)):
                    return False  # this export's row, imported before
            latest = conn.execute(decisions.order_by(o.decided_at.desc(), o.id.desc()).limit(1)).first()
            if latest is not None and tuple(latest) == outcome.decision:
                return False  # the latest decision sent again: a retry, not a new decision
        try:
            with conn.begin_nested():
                conn.execute(schema.outcomes.insert().values(
                    item_id=outcome.item_id, result=outcome.result, publication=outcome.publication,
                    as_kind=outcome.as_kind, reason=outcome.reason, note=outcome.note,
                    decided_by=outcome.decided_by, decided_at=outcome.decided_at, points=outcome.points,
                    dedup_key=outcome.dedup_key))
        except IntegrityError:
            return False
    return True


def correct_labels(store: Store, item_id: str, data: Mapping[str, Any], by: str | None = None) -> None:
    """An editor's correction of an item's labels (low_value and/or elements)."""
    low_value = data.get("low_value")
    elements = data.get("elements")
    if low_value is None and elements is None:
        raise DraftError("low_value", "至少给出 low_value 或 elements 之一")
    if low_value is not None and low_value not in LOW_VALUE_LABELS:
        raise DraftError("low_value", "low_value 只能是 none、meeting 或 visit", 422)
    if elements is not None and (not isinstance(elements, list) or not all(isinstance(e, str) for e in elements)
                                 or not set(elements) <= set(ELEMENTS)):
        raise DraftError("elements", f"elements 必须是列表，取值为 {'、'.join(ELEMENTS)}", 422)
    with store.writing() as conn:
        _live_item(conn, item_id)
        conn.execute(schema.label_corrections.insert().values(
            item_id=item_id, low_value=low_value, elements=elements, corrected_by=by,
            corrected_at=dt.datetime.now(dt.timezone.utc)))


def import_feedback(store: Store, path: str | Path) -> ImportReport:
    """Outcomes from a JSONL or CSV export; every row accepted, unchanged (already there) or refused."""
    with store.engine.connect() as conn:  # what was stored before this import: what it may repeat
        baseline = conn.execute(select(func.coalesce(func.max(schema.outcomes.c.id), 0))).scalar_one()
    return import_rows(path, lambda row: record_outcome(store, Outcome.from_dict(row), export_baseline=baseline),
                       ("item_id",))

"""A generated year of submissions, outcomes and solicitations for 20 units (tests/test_reporting.py
works out every figure of its third quarter by hand)."""

import datetime as dt

from screening import Draft
from screening.draft import CHINA_TZ
from screening.feedback import Outcome, record_outcome
from screening.reporting.periods import Period
from screening.solicitations import Solicitation, create_solicitation
from screening.units import Unit, save_unit

# 6 counties/districts, 10 departments, 2 parks, 2 state-owned firms.
UNITS = [
    ("U01乐都区", "county"), ("U02平安区", "county"), ("U03民和县", "county"), ("U04互助县", "county"),
    ("U05化隆县", "county"), ("U06循化县", "county"), ("U07市发展改革委", "department"),
    ("U08市教育局", "department"), ("U09市卫生健康委", "department"), ("U10市应急管理局", "department"),
    ("U11市农业农村局", "department"), ("U12市生态环境局", "department"), ("U13市住房城乡建设局", "department"),
    ("U14市文体旅游广电局", "department"), ("U15市人社局", "department"), ("U16市市场监管局", "department"),
    ("U17海东工业园区", "park"), ("U18河湟新区", "park"), ("U19市城投集团", "soe"), ("U20市交投公司", "soe"),
]
AS_OF = dt.datetime(2026, 10, 15, 12, 0, tzinfo=CHINA_TZ)
Q3 = Period.parse("2026Q3")


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> str:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=CHINA_TZ).isoformat()


def build_year(store) -> None:
    """The generated year. Base rule: unit Uk (k = 1..18) submits one single item on day k of every
    month of 2026. U19 submits on the 19th of Jan–Mar, then nothing until a burst of 4 items on
    Aug 10–12. U20 submits nothing all year. On top of that: answers to solicitations, an item
    from an unregistered unit, flags and outcomes (below)."""
    for i, (name, unit_type) in enumerate(UNITS, start=1):
        save_unit(store, Unit(name, unit_type, leader=f"领导{i}", officer=None if i == 18 else f"信息员{i}"))

    drafts, flags = [], []

    def item(item_id, unit, when, kind="single", codes=(), solicitation=None):
        data = {"id": item_id, "title": f"{unit}报送的信息{item_id}", "body": f"正文{item_id}", "unit": unit,
                "kind": kind, "submitted_at": when}
        if solicitation:
            data["solicitation"] = solicitation
        drafts.append(Draft.from_dict(data))
        flags.append(list(codes))

    names = [n for n, _ in UNITS]
    special = {
        # (unit number, month): (kind, flag codes) for a base item
        (9, 7): ("single", ["low_value.meeting", "missing.data", "missing.recommendation"]),
        (9, 8): ("single", ["duplicate"]),
        (9, 9): ("single", ["late"]),
        (10, 7): ("single", ["emergency.late"]),
        (10, 8): ("single", ["low_value.visit", "title.vague"]),
        (11, 8): ("dynamic", []),
    }
    for k in range(1, 19):
        for month in range(1, 13):
            kind, codes = special.get((k, month), ("single", []))
            day = k
            when = at(month, day)
            if k == 7 and month == 9:
                when = at(9, 30, 23, 30)  # the last half hour of the quarter, China time (15:30 UTC)
            item(f"B{k:02d}-{month:02d}", names[k - 1], when, kind, codes)
    for month in (1, 2, 3):
        item(f"B19-{month:02d}", names[18], at(month, 19))
    for n, day in enumerate((10, 11, 11, 12)):
        item(f"R19-{n}", names[18], at(8, day))
    item("X01", "某街道办事处", at(8, 5))  # a unit that is not on the list

    # Solicitations: S1 due Jul 15 (U01 on time, U02 on the deadline's evening, U03 a day late,
    # U11 never, U12 twice); S2 due Sep 25 (U13 on time, U14 never); S3 due Oct 20 (Q4); S0 due in Q2.
    item("S1-U01", names[0], at(7, 10), "solicited", solicitation="S1")
    item("S1-U02", names[1], at(7, 15, 20), "solicited", solicitation="S1")
    item("S1-U03", names[2], at(7, 16, 9), "solicited", solicitation="S1")
    item("S1-U12a", names[11], at(7, 12, 15), "solicited", solicitation="S1")
    item("S1-U12b", names[11], at(7, 20), "solicited", solicitation="S1")
    item("S2-U13", names[12], at(9, 20), "solicited", solicitation="S2")

    for sid, topic, deadline, targets in [
        ("S0", "一季度经济运行", "2026-04-15", [names[15]]),
        ("S1", "上半年经济运行分析", "2026-07-15", [names[0], names[1], names[2], names[10], names[11]]),
        ("S2", "秋粮收购情况", "2026-09-25", [names[12], names[13]]),
        ("S3", "冬季供暖保障", "2026-10-20", [names[14]]),
    ]:
        create_solicitation(store, Solicitation.from_dict(
            {"id": sid, "topic": topic, "deadline": deadline, "units": targets}))
    store.add_many(drafts, flags)

    def adopt(item_id, publication, as_kind, decided):
        record_outcome(store, Outcome.from_dict({"result": "adopted", "publication": publication, "as_kind": as_kind,
                                                 "decided_at": decided}, item_id))

    def reject(item_id, reason, decided):
        record_outcome(store, Outcome.from_dict({"result": "rejected", "reason": reason, "decided_at": decided}, item_id))

    adopt("B01-07", "haidong", "single", at(7, 5))         # U01: 5
    adopt("B01-07", "qinghai", "single", at(7, 20))        #      + 10
    adopt("B01-08", "state_council", "single", at(8, 20))  #      + 20 = 35
    reject("B01-09", "low_value", at(9, 5))
    adopt("B02-07", "haidong", "dynamic", at(7, 6))        # U02: 1
    adopt("B02-08", "haidong", "single", at(8, 6))         #      + 5
    adopt("B02-09", "qinghai", "dynamic", at(9, 6))        #      + 5 = 11
    adopt("B03-07", "qinghai", "single", at(7, 8))         # U03: 10
    adopt("B04-08", "qinghai", "single", at(8, 8))         # U04: 10
    adopt("B05-07", "haidong", "single", at(7, 9))         # U05: 5
    adopt("B05-09", "haidong", "single", at(9, 9))         #      + 5 = 10
    adopt("B06-07", "haidong", "dynamic", at(7, 10))       # U06: recorded as dynamic (1) ...
    adopt("B06-07", "haidong", "single", at(7, 20))        #      ... corrected to single: 5
    adopt("B07-09", "qinghai", "dynamic", at(10, 5))       # U07: submitted Sep 30, adopted Oct 5: 5 in Q3
    adopt("B08-06", "qinghai", "single", at(7, 3))         # U08: a June item: Q2, not Q3
    reject("B09-07", "low_value", at(7, 12))

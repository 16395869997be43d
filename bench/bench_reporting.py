"""Cost of the office's reporting at a province's scale: a year of submissions and outcomes for
many units in SQLite, then one quarter's statistics, its 通报 as HTML and as PDF.

    .venv/bin/python bench/bench_reporting.py [--units 200] [--items 50000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

from screening import Draft
from screening.draft import CHINA_TZ
from screening.feedback import Outcome, record_outcome
from screening.reporting.bulletin import render_html, write_pdf
from screening.reporting.periods import Period
from screening.reporting.stats import period_stats
from screening.store.db import Store
from screening.units import UNIT_TYPES, Unit, save_unit

FLAG_CHOICES = [[], [], [], ["low_value.meeting"], ["missing.data"], ["duplicate"], ["late"]]


def build(store: Store, units: int, items: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    names = [f"第{i:03d}单位" for i in range(units)]
    for i, name in enumerate(names):
        save_unit(store, Unit(name, list(UNIT_TYPES)[i % 4], f"领导{i}", f"信息员{i}"))
    start = dt.datetime(2026, 1, 1, tzinfo=CHINA_TZ)
    batch, flags, adopted = [], [], []
    for n in tqdm(range(items), desc="items", unit="item"):
        when = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
        batch.append(Draft.from_dict({"id": f"I{n:06d}", "title": f"第{n}条信息的标题", "body": f"正文{n}",
                                      "unit": rng.choice(names), "submitted_at": when.isoformat()}))
        flags.append(rng.choice(FLAG_CHOICES))
        if rng.random() < 0.15:
            adopted.append((f"I{n:06d}", rng.choice(["haidong", "qinghai"]), rng.choice(["single", "dynamic"]), when))
        if len(batch) == 1000:
            store.add_many(batch, flags)
            batch, flags = [], []
    if batch:
        store.add_many(batch, flags)
    for item_id, publication, as_kind, when in tqdm(adopted, desc="outcomes", unit="outcome"):
        record_outcome(store, Outcome.from_dict({"result": "adopted", "publication": publication, "as_kind": as_kind,
                                                 "decided_at": (when + dt.timedelta(days=5)).isoformat()}, item_id))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--items", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.db'}")
        build(store, args.units, args.items)
        period = Period.parse("2026Q3")
        t0 = time.perf_counter()
        stats = period_stats(store, period, dt.datetime(2026, 10, 15, tzinfo=CHINA_TZ))
        t1 = time.perf_counter()
        html = render_html(stats)
        t2 = time.perf_counter()
        pdf = write_pdf(html)
        t3 = time.perf_counter()
        store.close()
    print(f"{args.units} units, {args.items} items in the year; {stats.totals['submitted']} in {period.key}")
    print(f"statistics {t1 - t0:.2f} s, HTML with charts {t2 - t1:.2f} s, PDF {t3 - t2:.2f} s "
          f"({len(pdf) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()

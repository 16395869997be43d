"""The store and the duplicate finder on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

import datetime as dt
import json
import signal
import subprocess
import sys
import time

import pytest

from screening import Draft, DraftError
from screening.duplicates import DuplicateFinder
from screening.store import schema


def draft(item_id, title, body, **extra):
    return Draft.from_dict({"id": item_id, "title": title, "body": body,
                            "submitted_at": "2026-10-01T09:00:00+08:00", **extra})


FARMLAND = ("今年，红土乡投入资金1800万元，在上庄、下滩、马家等5个村建设高标准农田1.2万亩，配套建设机耕路26公里、"
            "灌溉渠道38公里。项目由县农业农村局统一招标，9月底全部完工并通过县级验收。\n项目建成后，亩均粮食产量可提高100公斤以上，"
            "每年为群众增收约600万元。上庄村种粮大户马某流转土地300亩，今年小麦亩产达到520公斤，比去年多收70公斤。\n"
            "下一步，乡里将建立管护台账，落实每亩每年20元的管护资金，确保农田长期发挥效益。")


def test_add_get_remove_and_the_change_log(store):
    a = store.add(draft("A1", "红土乡建成高标准农田1.2万亩", FARMLAND))
    assert a.seq == 1 and store.count() == 1
    assert store.get(["A1"])["A1"].body == FARMLAND
    assert store.add(draft("A1", "红土乡建成高标准农田1.2万亩", FARMLAND)).seq == 1  # idempotent
    with pytest.raises(DraftError) as info:
        store.add(draft("A1", "另一篇", "完全不同的正文内容。"))
    # both differ: the field is the first of them (it used to be "id")
    assert info.value.status == 409 and info.value.field == "title" and "标题和正文都" in info.value.message
    assert store.remove("A1") and not store.remove("A1")
    assert store.changes_since(0) == [(1, "A1", "add"), (2, "A1", "remove")]
    assert store.count() == 0 and store.get(["A1"]) == {}


def test_a_replay_must_carry_what_the_screening_read(store):
    # stored flags come from the first screening; a replay that differs would be answered with others
    title = "红土乡建成高标准农田1.2万亩"
    store.add(draft("P1", title, FARMLAND, event_date="2026-09-30"))
    assert store.add(draft("P1", title, FARMLAND, event_date="2026-09-30")).seq == 1
    for extra, field in (({"event_date": "2026-09-29"}, "event_date"), ({}, "event_date"),
                         ({"event_date": "2026-09-30", "emergency": True}, "emergency"),
                         # the kind differs (it used to be reported as "id")
                         ({"event_date": "2026-09-30", "solicitation": "ys-1", "kind": "solicited"}, "kind")):
        with pytest.raises(DraftError) as info:
            store.add(draft("P1", title, FARMLAND, **extra))
        assert (info.value.status, info.value.field) == (409, field), extra
        if field == "emergency":
            assert "登记的是：否" in info.value.message
    store.add(draft("P2", title + "（约稿）", FARMLAND, solicitation="ys-1"))
    with pytest.raises(DraftError) as info:
        store.add(draft("P2", title + "（约稿）", FARMLAND, solicitation="ys-2"))
    assert (info.value.field, "约稿编号") == ("solicitation", info.value.message.split("但")[1][:4])
    # one moment written with two offsets is one event date, and an odd offset still fits the column
    store.add(draft("P4", title, FARMLAND, event_date="2026-09-30T08:00:00.123456+08:00:30"))
    assert store.add(draft("P4", title, FARMLAND, event_date="2026-09-29T23:59:30.123456Z")).seq
    with pytest.raises(DraftError) as info:
        store.add(draft("P4", title, FARMLAND, event_date="2026-09-30T08:00:00+08:00"))
    assert info.value.field == "event_date" and "2026-09-29T23:59:30.123456+00:00" in info.value.message
    with pytest.raises(DraftError) as info:  # within one batch too
        store.add_many([draft("P3", title, FARMLAND), draft("P3", title, FARMLAND, emergency=True)])
    assert info.value.field == "emergency" and store.get(["P3"]) == {}


def test_a_replay_that_names_a_reviewer_the_registered_item_lacked_is_a_conflict(store):
    # whether a reviewer is named decides the unreviewed flag: a replay answered without it while the
    # stored item keeps it would acknowledge what is not recorded
    title = "红土乡建成高标准农田1.2万亩"
    store.add(draft("R1", title, FARMLAND))
    assert store.add(draft("R1", title, FARMLAND, reviewer="无")).seq  # a placeholder names nobody
    with pytest.raises(DraftError) as info:
        store.add(draft("R1", title, FARMLAND, reviewer="县政府办主任"))
    assert (info.value.status, info.value.field) == (409, "reviewer") and "登记的是：未填写" in info.value.message
    store.add(draft("R2", title, FARMLAND, reviewer="张主任"))
    assert store.add(draft("R2", title, FARMLAND, reviewer="王主任")).seq  # named either way: the same flags
    with pytest.raises(DraftError) as info:
        store.add(draft("R2", title, FARMLAND))
    assert info.value.field == "reviewer" and "登记的是：张主任" in info.value.message
    with pytest.raises(DraftError) as info:  # within one batch too
        store.add_many([draft("R3", title, FARMLAND), draft("R3", title, FARMLAND, reviewer="张主任")])
    assert info.value.field == "reviewer" and store.get(["R3"]) == {}


def test_a_conflicting_replay_names_the_field_that_differs(store):
    """Another title, body, unit or kind under a registered id is a 409 whose field is that one
    (not "id"), stored or earlier in the same batch, so the caller knows what to put right."""
    title = "红土乡建成高标准农田1.2万亩"
    store.add(draft("C1", title, FARMLAND, unit="红土乡人民政府"))
    cases = (({"title": title + "（续）"}, "title", "标题与这次不同"),
             ({"body": FARMLAND + "另有新情况。"}, "body", "正文与这次不同"),
             ({"unit": "平安区"}, "unit", "报送单位与这次不同（登记的是：红土乡人民政府）"),
             ({"kind": "dynamic"}, "kind", "稿件类型与这次不同（登记的是：single）"))
    for change, field, words in cases:
        sent = {"title": title, "body": FARMLAND, "unit": "红土乡人民政府", **change}
        with pytest.raises(DraftError) as info:
            store.add(draft("C1", **sent))
        assert (info.value.status, info.value.field) == (409, field), change
        assert words in info.value.message and "C1" in info.value.message
        with pytest.raises(DraftError) as info:  # within one batch, before anything is stored
            store.check_ids([draft("C2", title, FARMLAND, unit="红土乡人民政府"), draft("C2", **sent)])
        assert (info.value.status, info.value.field) == (409, field), change
    # punctuation and full-width forms are the same text: still a replay
    assert store.add(draft("C1", title.replace("1.2", "１．２"), FARMLAND, unit="红土乡人民政府")).seq == 1


def test_an_id_is_stored_exactly_as_sent(store):
    """Ids are not trimmed: the caller finds the item under the id it sent."""
    stored = store.add(draft(" A 1 ", "红土乡建成高标准农田1.2万亩", FARMLAND))
    assert stored.id == " A 1 " and set(store.get([" A 1 "])) == {" A 1 "} and store.get(["A 1"]) == {}


def test_generated_ids_and_migrations_recorded(store):
    item = store.add(Draft.from_dict({"title": "标题", "body": "正文内容"}))
    assert len(item.id) == 16
    with store.engine.connect() as conn:
        names = set(conn.execute(schema.schema_migrations.select()).scalars())
    assert "001_initial" in names


def test_a_database_from_before_reporting_is_migrated(db_url, open_store):
    """A store made by migrations 001–004 (items without solicitation and flag columns) opens with
    the new columns and tables, and its items keep their times."""
    from sqlalchemy import inspect, text

    from screening.store import migrations
    from screening.store.db import make_engine

    engine = make_engine(db_url)
    with engine.begin() as conn:
        for table in (schema.items, schema.changes, schema.outcomes, schema.model_audit, schema.api_keys,
                      schema.label_corrections, schema.jobs, schema.schema_migrations):
            table.create(conn)
        conn.execute(text("DROP INDEX ix_items_solicitation_id"))
        conn.execute(text("ALTER TABLE items DROP COLUMN solicitation_id"))
        conn.execute(text("ALTER TABLE items DROP COLUMN flags"))
        for name, _ in migrations.MIGRATIONS[:4]:
            conn.execute(schema.schema_migrations.insert().values(name=name, applied_at=dt.datetime.now(dt.timezone.utc)))
        # As the old code stored it: SQLite kept the China wall-clock time, PostgreSQL the moment.
        when = "2026-06-30 20:00:00.000000" if conn.dialect.name == "sqlite" else "2026-06-30 20:00:00+08"
        conn.execute(text("INSERT INTO items (id, title, body, kind, submitted_at, fingerprint, created_at, removed) "
                          "VALUES ('OLD', '旧信息', '正文', 'single', :when, 'x', :when, false)"), {"when": when})
    engine.dispose()
    store = open_store()
    assert store.get(["OLD"])["OLD"].submitted_at == dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.timezone.utc)
    columns = {c["name"] for c in inspect(store.engine).get_columns("items")}
    assert {"solicitation_id", "flags"} <= columns
    assert {"units", "solicitations", "solicitation_units"} <= set(inspect(store.engine).get_table_names())
    stored = store.add(draft("M1", "标题一则", "正文内容", solicitation=None))
    assert store.get(["M1"])["M1"].submitted_at == stored.submitted_at


def test_fingerprints_from_before_nfkc_are_recomputed(open_store):
    """An item stored when fingerprints read the raw text (full-width ％) replays after the upgrade."""
    import hashlib

    from screening.similarity import _NOISE

    store = open_store()
    item = draft("FW", "红土乡春播进度过八成", "全乡完成春播面积２．３万亩，占计划的８５％。")
    store.add(item)
    old = hashlib.sha256(_NOISE.sub("", item.title + "\n" + item.body).encode("utf-8")).hexdigest()
    with store.engine.begin() as conn:
        conn.execute(schema.items.update().where(schema.items.c.id == "FW").values(fingerprint=old))
        conn.execute(schema.schema_migrations.delete().where(
            schema.schema_migrations.c.name == "006_canonical_fingerprints"))
    store.close()
    store = open_store()
    assert store.add(item).id == "FW"  # a replay, not "已被另一条信息使用"


def test_reopening_applies_no_migration_twice(open_store):
    open_store().close()
    assert open_store().last_seq() == 0


@pytest.fixture
def finder(store):
    f = DuplicateFinder(store)
    f.add([draft("H1", "红土乡建成高标准农田1.2万亩", FARMLAND, unit="红土乡人民政府")])
    return f


def codes(finder, title, body):
    return [(d["id"], d["how"]) for d in finder.find(title, body)]


def test_verbatim_light_edit_reordered_excerpt(finder):
    assert codes(finder, "红土乡建成高标准农田1.2万亩", FARMLAND)[0] == ("H1", "verbatim")
    edited = FARMLAND.replace("今年，", "2026年以来，").replace("全部完工", "全面完工").replace("确保", "保证")
    assert codes(finder, "红土乡高标准农田建设完工", edited)[0][0] == "H1"
    paragraphs = FARMLAND.split("\n")
    assert codes(finder, "红土乡高标准农田", "\n".join(reversed(paragraphs)))[0][0] == "H1"
    excerpt = paragraphs[1]
    assert codes(finder, "上庄村种粮大户小麦增产", excerpt)[0] == ("H1", "excerpt")


def test_same_facts_retold_in_new_words_is_a_duplicate(finder):
    retold = ("红土乡的上庄、下滩、马家等5个村新添了1.2万亩高标准农田，总投入1800万元，修了26公里机耕路、38公里灌溉渠道。"
              "农户算了一笔账：亩产能多出100公斤以上，全乡一年增收约600万元。上庄村马某种了300亩小麦，亩产520公斤。")
    found = finder.find("高标准农田让红土乡农民多打粮", retold)
    assert found and found[0]["id"] == "H1"


def test_next_month_with_new_figures_is_not_a_duplicate(finder):
    lazy = (FARMLAND.replace("1800万元", "2300万元").replace("上庄、下滩、马家等5个村", "杨家、石沟、柳湾等4个村")
            .replace("1.2万亩", "1.5万亩").replace("26公里", "31公里").replace("38公里", "42公里")
            .replace("100公斤", "120公斤").replace("600万元", "750万元").replace("300亩", "260亩")
            .replace("520公斤", "540公斤").replace("70公斤", "60公斤").replace("20元", "25元")
            .replace("上庄村种粮大户", "杨家村种粮大户"))
    assert finder.find("红土乡二期高标准农田完工", lazy) == []


def test_unrelated_item_is_not_flagged(finder):
    other = "全县今年新建村级养老服务站12个，为2300名高龄老人提供助餐服务，老人每餐只需付3元。"
    assert finder.find("全县新建村级养老服务站12个", other) == []


def test_removed_item_is_no_longer_found(finder):
    assert finder.remove("H1")
    assert finder.find("红土乡建成高标准农田1.2万亩", FARMLAND) == []


def test_other_workers_see_additions_within_a_second(open_store):
    first = DuplicateFinder(open_store())
    second = DuplicateFinder(open_store())
    first.add([draft("W1", "红土乡建成高标准农田1.2万亩", FARMLAND)])
    assert first.find("红土乡建成高标准农田1.2万亩", FARMLAND)[0]["id"] == "W1"  # its own: at once
    time.sleep(second.catch_up_every)
    assert second.find("红土乡建成高标准农田1.2万亩", FARMLAND)[0]["id"] == "W1"
    first.remove("W1")
    time.sleep(second.catch_up_every)
    assert second.find("红土乡建成高标准农田1.2万亩", FARMLAND) == []


def test_snapshot_reopens_without_rebuild_and_catches_up(open_store, tmp_path):
    snap = tmp_path / "index.npz"
    f = DuplicateFinder(open_store(), snap)
    f.add([draft("S1", "红土乡建成高标准农田1.2万亩", FARMLAND)])
    f.save()
    f.store.add(draft("S2", "全县新建村级养老服务站12个", "全县今年新建村级养老服务站12个，为2300名高龄老人提供助餐服务。"))
    reopened = DuplicateFinder(open_store(), snap)
    assert "S1" in reopened.index and "S2" in reopened.index  # snapshot, then the change log
    assert reopened.index.last_seq == reopened.store.last_seq()


def _cli(*args):
    return [sys.executable, "-m", "screening.cli", *args]


def test_another_process_adds_and_this_one_flags_it(db_url, open_store, tmp_path):
    here = DuplicateFinder(open_store())
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps({"id": "P1", "title": "红土乡建成高标准农田1.2万亩", "body": FARMLAND,
                                "submitted_at": "2026-10-01T09:00:00+08:00"}, ensure_ascii=False) + "\n", "utf-8")
    done = subprocess.run(_cli("items", "add", str(path), "--database", db_url), capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["P1"]
    time.sleep(here.catch_up_every)
    assert here.find("红土乡建成高标准农田1.2万亩", FARMLAND)[0]["id"] == "P1"


def test_killed_during_add_loses_nothing_it_reported(db_url, open_store, tmp_path):
    rows = [{"id": f"K{i:04d}", "title": f"第{i}号信息", "body": f"编号{i}的正文，内容各不相同：{i * 7919}。" * 5,
             "submitted_at": "2026-10-01T09:00:00+08:00"} for i in range(3000)]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    reported = []
    with subprocess.Popen(_cli("items", "add", str(path), "--database", db_url, "--rules"),
                          stdout=subprocess.PIPE, text=True, cwd=tmp_path) as proc:
        for line in proc.stdout:
            reported.append(line.strip())
            if len(reported) >= 200:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=30)
        reported += [l.strip() for l in proc.stdout.read().splitlines() if l.strip()]
    assert proc.returncode == -signal.SIGKILL
    store = open_store()
    assert set(reported) <= set(store.get(reported))
    assert store.count() < 3000
    # Reopening finds the store consistent and the index rebuilt from the change log.
    assert len(DuplicateFinder(store).index) == store.count()


def test_processes_opening_a_new_database_together_all_succeed(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.db'}"
    code = "import sys; from screening.store.db import Store; Store(sys.argv[1]).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE, text=True) for _ in range(6)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stderr.close()
    assert [rc for rc, _err in results] == [0] * 6, results


def test_page_sessions_live_until_signed_out_expired_or_revoked(store):
    import datetime as dt

    key = store.create_key("红土乡信息员", ["screen"])
    other = store.create_key("报送系统", ["submit"])
    assert store.open_session("sk_wrong", dt.timedelta(hours=8)) is None
    token, name, scopes = store.open_session(key, dt.timedelta(hours=8))
    assert (name, scopes) == ("红土乡信息员", frozenset({"screen"})) == store.session_scopes(token)
    expired, *_ = store.open_session(key, dt.timedelta(seconds=-1))
    assert store.session_scopes(expired) is None
    kept, *_ = store.open_session(other, dt.timedelta(hours=8))
    store.close_session(token)
    assert store.session_scopes(token) is None
    token, *_ = store.open_session(key, dt.timedelta(hours=8))
    key_id = next(k["id"] for k in store.list_keys() if k["name"] == "红土乡信息员")
    assert store.revoke_key(key_id) and not store.revoke_key(key_id)
    assert store.session_scopes(token) is None and store.key_scopes(key) is None
    assert store.session_scopes(kept) == ("报送系统", frozenset({"submit"}))  # another key's session stands
    assert store.has_keys() and store.has_keys(revoked_too=True)
    assert [k["revoked"] for k in store.list_keys()] == [True, False]


def test_a_running_job_that_stopped_beating_is_recorded_as_failed(store):
    # a restart or a killed worker ended the job's thread: it must not read "running" for ever
    from sqlalchemy import update

    from screening.store.db import JOB_STALE_SECONDS

    alive, lost = store.create_job("retrain"), store.create_job("retrain")
    long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=JOB_STALE_SECONDS + 60)
    with store.writing() as conn:
        conn.execute(update(schema.jobs).where(schema.jobs.c.id == lost).values(heartbeat_at=long_ago))
    assert store.job(alive)["status"] == "running"
    job = store.job(lost)
    assert job["status"] == "failed" and job["result"]["error"] == "Interrupted" and job["finished_at"]
    store.beat_job(lost)  # a late beat does not bring it back
    assert store.job(lost)["status"] == "failed"


def test_a_worker_whose_clock_runs_ahead_does_not_fail_a_live_job(store, monkeypatch):
    # workers on several hosts share one PostgreSQL: a heartbeat is judged by the server's clock,
    # not by the clock of whichever host happens to read the job
    import types

    from screening.store import db

    if store.engine.dialect.name != "postgresql":
        pytest.skip("an SQLite file has no server clock: its writers share one host")
    job_id = store.create_job("retrain")

    class TenMinutesAhead(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.now(tz) + dt.timedelta(minutes=10)

    monkeypatch.setattr(db, "dt", types.SimpleNamespace(datetime=TenMinutesAhead, timedelta=dt.timedelta,
                                                         timezone=dt.timezone))
    assert store.job(job_id)["status"] == "running"
    store.beat_job(job_id)
    assert store.job(job_id)["status"] == "running"


def test_a_job_beats_while_it_runs_and_stops_when_done(store, monkeypatch):
    import threading

    from sqlalchemy import select

    from service import api

    monkeypatch.setattr(api, "JOB_HEARTBEAT_SECONDS", 0.02)
    job_id = store.create_job("retrain")

    def beat_at():
        with store.engine.connect() as conn:
            return conn.execute(select(schema.jobs.c.heartbeat_at).where(schema.jobs.c.id == job_id)).scalar_one()

    first = beat_at()
    done = threading.Event()
    beating = threading.Thread(target=api._beat, args=(store, job_id, done))
    beating.start()
    time.sleep(0.2)
    assert beat_at() > first
    done.set()
    beating.join(timeout=5)
    assert not beating.is_alive()


def test_a_job_that_finishes_while_being_judged_stale_keeps_its_result(store):
    # the stale marking is one conditional update: a finish that lands first is not overwritten
    from sqlalchemy import update

    from screening.store.db import JOB_STALE_SECONDS

    job_id = store.create_job("retrain")
    long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=JOB_STALE_SECONDS + 60)
    with store.writing() as conn:
        conn.execute(update(schema.jobs).where(schema.jobs.c.id == job_id).values(heartbeat_at=long_ago))
    original_writing = store.writing
    finished = []

    def finish_first():  # the job's own finish slips in between the read and the marking
        if not finished:
            finished.append(True)
            store.finish_job(job_id, "done", {"promoted": True})
        return original_writing()

    store.writing = finish_first
    try:
        job = store.job(job_id)
    finally:
        store.writing = original_writing
    assert job["status"] == "done" and job["result"] == {"promoted": True}


def test_exclusive_is_reentrant_and_released_when_the_work_fails(db_url, open_store):
    import threading

    first, second = open_store(), open_store()  # two workers' stores on one database

    def nested():
        with first.exclusive(), first.exclusive():  # an inner use holds nothing more
            pass

    worker = threading.Thread(target=nested)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive()
    with pytest.raises(KeyError):  # the work's own error comes out, not the lock's
        with first.exclusive():
            raise KeyError("the work failed")
    acquired = threading.Event()

    def other_worker():
        with second.exclusive():
            acquired.set()

    worker = threading.Thread(target=other_worker)
    worker.start()
    assert acquired.wait(timeout=10)  # released: another worker gets it
    worker.join(timeout=10)

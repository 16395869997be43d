"""The store: every submitted item, its outcomes and the model audit, on SQLite or PostgreSQL.

SQLite (in the instance folder) is the embedded default: WAL journal, foreign keys on, one
writer path per process (a lock) and a busy timeout across processes. PostgreSQL is chosen by a
``postgresql://`` URL. Writes commit before they are acknowledged, so an item reported as stored
survives a killed process.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import os
import secrets
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from sqlalchemy import Connection, create_engine, delete, event, func, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import StaticPool

from ..draft import CHINA_TZ, Draft
from ..errors import DraftError
from ..io import DraftFile
from ..similarity import fingerprint, normalise
from . import schema
from .migrations import migrate

T = TypeVar("T")

# The PostgreSQL advisory lock behind Store.exclusive (any fixed number; this one spells "screen"),
# and how long a writer waits for it before answering "busy" rather than hanging.
EXCLUSIVE_LOCK_KEY = 0x73637265656E
EXCLUSIVE_WAIT_SECONDS = 30.0

# A running job writes a heartbeat this often; one silent for JOB_STALE_SECONDS lost its process.
JOB_HEARTBEAT_SECONDS = 30
JOB_STALE_SECONDS = 180


@dataclass(frozen=True)
class StoredItem:
    id: str
    seq: int
    title: str
    body: str
    unit: str | None
    kind: str
    submitted_at: dt.datetime


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(url, connect_args={"check_same_thread": False},
                               poolclass=StaticPool if memory else None, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # hide_parameters: an error's log line must not carry the draft text it was writing
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def retry_on_conflict(write: Callable[..., T]) -> Callable[..., T]:
    """For a write that reads, then inserts a key: when another process inserted the same key in
    between (an IntegrityError), run it once more; the second run sees that row and replays,
    updates or refuses (409) as it would have, instead of failing with a 500."""
    @functools.wraps(write)
    def wrapper(*args, **kwargs):
        try:
            return write(*args, **kwargs)
        except IntegrityError:
            return write(*args, **kwargs)
    return wrapper


def _check_replay(conn: Connection, item_id: str, draft: Draft) -> bool:
    """True when ``item_id`` is stored with this draft's text, unit and kind (a replay); False when
    it is free; a 409 DraftError when it is taken (by another text, or by a removed item)."""
    c = schema.items.c
    existing = conn.execute(select(c.fingerprint, c.removed, c.unit, c.kind, c.submitted_at, c.solicitation_id,
                                   c.emergency, c.event_date, c.title, c.reviewer).where(c.id == item_id)).first()
    if existing is None:
        return False
    if existing.removed:
        raise DraftError("id", f"编号 {item_id} 的信息已删除，这个编号不能再用", 409)
    particulars = ((existing.solicitation_id, existing.emergency, existing.event_date)
                   if existing.emergency is not None else None)  # NULL: stored before they were kept
    _check_same_item(item_id, (existing.fingerprint, existing.unit, existing.kind, existing.title), draft,
                     existing.submitted_at, particulars, existing.reviewer)
    return True


def item_particulars(draft: Draft) -> tuple[str | None, bool, str | None]:
    """What the screening of a stored item read besides its text, unit and kind: the solicitation it
    answers, whether it is an emergency report, its event date — a day as YYYY-MM-DD, a moment as UTC
    to the microsecond (32 characters), so one moment written with two offsets is one date."""
    event = draft.event_date
    if event is None:
        day = None
    elif event.has_time:
        day = event.moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    else:
        day = event.moment.date().isoformat()
    return draft.solicitation, draft.emergency, day


def _check_same_item(item_id: str, earlier: tuple[str, str | None, str, str], draft: Draft,
                     earlier_submitted: dt.datetime | None,
                     earlier_particulars: tuple[str | None, bool, str | None] | None = None,
                     earlier_reviewer: str | None = None) -> None:
    """A 409 unless ``draft`` is the item ``earlier`` (its fingerprint, unit, kind and title) sent
    again; the error's field names what differs. A draft that names its submission time must name
    the one recorded (``earlier_submitted``; None: the moment an earlier copy without a time was
    received). ``earlier_particulars`` (see :func:`item_particulars`; None: not known) must match
    too: a replay answered with other flags than the ones stored would acknowledge what the
    statistics never count; so must whether a reviewer is named (``earlier_reviewer``: "" nobody,
    None not known), which decides the unreviewed flag."""
    recorded_print, recorded_unit, recorded_kind, recorded_title = earlier
    if recorded_print != fingerprint(draft.title, draft.body):
        # The fingerprint covers title and body together: the title, compared as the fingerprint
        # reads it, and the body under the recorded title tell which changed, so that the error
        # points the caller (and the page's input box) at it.
        body_same = fingerprint(recorded_title, draft.body) == recorded_print
        if normalise(recorded_title) == normalise(draft.title):
            field, what = "body", "正文"
        else:
            field, what = "title", "标题" if body_same else "标题和正文都"
        raise DraftError(field, f"编号 {item_id} 已被另一条信息使用：{what}与这次不同", 409)
    for field, name, was, now in (("unit", "报送单位", recorded_unit, draft.unit),
                                  ("kind", "稿件类型", recorded_kind, draft.kind)):
        if was != now:
            raise DraftError(field, f"编号 {item_id} 已登记，但{name}与这次不同（登记的是：{was or '未填写'}）", 409)
    if earlier_particulars is not None:
        for (field, name), was, now in zip((("solicitation", "约稿编号"), ("emergency", "突发事件标记"),
                                            ("event_date", "事件日期")), earlier_particulars, item_particulars(draft)):
            if was != now:
                recorded = {True: "是", False: "否", None: "未填写"}.get(was, was) if field == "emergency" else was or "未填写"
                raise DraftError(field, f"编号 {item_id} 已登记，但{name}与这次不同（登记的是：{recorded}）", 409)
    if earlier_reviewer is not None and bool(earlier_reviewer) != (draft.named_reviewer is not None):
        raise DraftError("reviewer", f"编号 {item_id} 已登记，但审核签发人与这次不同（登记的是：{earlier_reviewer or '未填写'}）"
                                     "：已登记的信息不能补改，请用新的编号报送", 409)
    if draft.submitted_at_given and earlier_submitted != draft.submitted_at:
        if earlier_submitted is None:
            raise DraftError("submitted_at", f"编号 {item_id} 前一篇未写报送时间（按收到的时刻登记），"
                                             "这一篇写了另一个时间", 409)
        recorded = earlier_submitted.astimezone(CHINA_TZ).isoformat()  # to the microsecond, as compared
        raise DraftError("submitted_at", f"编号 {item_id} 已登记，报送时间为 {recorded}，与这次不同", 409)


def _time_recorded_for(draft: Draft) -> dt.datetime | None:
    """The submission time an earlier draft of a batch will be stored with: its own, or (None) the
    moment of receipt, which a later copy that names a time cannot match."""
    return draft.submitted_at if draft.submitted_at_given else None


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._write_lock = threading.Lock()
        self._exclusive_lock = threading.Lock()
        self._exclusive_depth = threading.local()
        database = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        in_memory = not database or database == ":memory:" or "mode=memory" in str(self.engine.url)
        self._lock_file = None if in_memory else os.path.realpath(database) + ".lock"
        self._migrate()

    def _migrate(self, attempts: int = 5) -> None:
        """Apply migrations; when several processes open a new database at once, one wins and
        the others, failing on what it created, retry and find the work done."""
        for attempt in range(attempts):
            try:
                with self.engine.begin() as conn:
                    migrate(conn)
                return
            except DBAPIError:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """The one write path: a transaction under this process's writer lock."""
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Held across a read, a decision and a write that no other process may interleave: two
        workers registering the same text at once would each check the history without the other's
        item, and two sending the same decision would each find it not yet recorded. Re-entrant
        within a thread (an inner use holds nothing more)."""
        depth = getattr(self._exclusive_depth, "value", 0)
        if depth:
            self._exclusive_depth.value = depth + 1
            try:
                yield
            finally:
                self._exclusive_depth.value = depth
            return
        with self._exclusive_lock:  # the threads of this process
            self._exclusive_depth.value = 1
            try:
                with self._across_processes():
                    yield
            finally:
                self._exclusive_depth.value = 0

    @contextmanager
    def _across_processes(self) -> Iterator[None]:
        if self.engine.dialect.name == "postgresql":
            with self._advisory_lock():
                yield
        elif self._lock_file:
            # SQLite: the processes sharing the file are on this machine. Read-only: a lock file
            # another user created (the CLI run by an administrator) still locks for the service.
            fd = os.open(self._lock_file, os.O_RDONLY | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # released by the system if the process dies
                yield
            finally:
                os.close(fd)
        else:  # an in-memory database lives in this process only
            yield

    @contextmanager
    def _advisory_lock(self) -> Iterator[None]:
        """The advisory lock on a connection of its own, outside any transaction (autocommit), tried
        until EXCLUSIVE_WAIT_SECONDS have passed; released however the work ends, and if the unlock
        itself fails the connection is dropped, which ends the lock with the session."""
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            deadline = time.monotonic() + EXCLUSIVE_WAIT_SECONDS
            while not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": EXCLUSIVE_LOCK_KEY}).scalar():
                if time.monotonic() > deadline:
                    raise DraftError("store", f"数据库繁忙：等待其他进程的写入超过 {EXCLUSIVE_WAIT_SECONDS:g} 秒，"
                                              "请稍后重试", 503)
                time.sleep(0.005)
            try:
                yield
            finally:
                try:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": EXCLUSIVE_LOCK_KEY})
                except DBAPIError:  # the session is gone, and its lock with it: the work's outcome stands
                    conn.invalidate()
        finally:
            conn.close()

    # --- items -------------------------------------------------------------------------------
    def add(self, draft: Draft) -> StoredItem:
        """Store one submitted item (idempotent for the same id and text) and log the change."""
        return self.add_many([draft])[0]

    def add_many(self, drafts: Iterable[Draft], flags: Iterable[Sequence[str]] | None = None) -> list[StoredItem]:
        """Store items in one transaction; all or none are stored. ``flags`` (one list of flag
        codes per draft, as screened on submission) feed the statistics."""
        drafts = list(drafts)  # lists: a retried write must see the same items again
        return self._add_many(drafts, list(flags) if flags is not None else [None] * len(drafts))

    def check_ids(self, drafts: Sequence[Draft], place: Callable[[int], str] | None = None) -> None:
        """Raise the 409 that storing ``drafts`` in turn would raise for an id already used, by a
        stored item or by an earlier draft of the same batch; nothing is stored. ``place`` names
        the i-th draft's place in its file (its line)."""
        place = place or DraftFile(list(drafts)).place
        first: dict[str, tuple[int, Draft]] = {}
        with self.engine.connect() as conn:
            for index, draft in enumerate(drafts):
                if not draft.id:
                    continue
                first_index, earlier = first.setdefault(draft.id, (index, draft))
                try:
                    if earlier is not draft:
                        _check_same_item(draft.id, (fingerprint(earlier.title, earlier.body), earlier.unit,
                                                    earlier.kind, earlier.title), draft, _time_recorded_for(earlier),
                                         item_particulars(earlier), earlier.named_reviewer or "")
                    _check_replay(conn, draft.id, draft)
                except DraftError as exc:  # in a file of many drafts, say which one (and which it clashes with)
                    clash = f"（与{place(first_index)}编号相同）" if earlier is not draft else ""
                    raise DraftError(exc.field, f"{place(index)}{clash}：{exc.message}", exc.status) from None

    @retry_on_conflict
    def _add_many(self, drafts: list[Draft], flag_lists: list) -> list[StoredItem]:
        now = dt.datetime.now(dt.timezone.utc)
        stored: list[StoredItem] = []
        with self.writing() as conn:
            for draft, codes in zip(drafts, flag_lists, strict=True):
                item_id = draft.id or uuid.uuid4().hex[:16]
                if _check_replay(conn, item_id, draft):
                    seq = conn.execute(select(func.max(schema.changes.c.seq))
                                       .where(schema.changes.c.item_id == item_id)).scalar_one()
                else:
                    conn.execute(schema.items.insert().values(
                        id=item_id, unit=draft.unit, title=draft.title, body=draft.body, kind=draft.kind,
                        submitted_at=draft.submitted_at, fingerprint=fingerprint(draft.title, draft.body),
                        created_at=now, removed=False,
                        solicitation_id=draft.solicitation, flags=list(codes) if codes is not None else None,
                        emergency=draft.emergency, event_date=item_particulars(draft)[2],
                        reviewer=draft.named_reviewer or ""))
                    seq = conn.execute(schema.changes.insert().values(item_id=item_id, op="add", at=now)
                                       ).inserted_primary_key[0]
                stored.append(StoredItem(item_id, int(seq), draft.title, draft.body, draft.unit, draft.kind,
                                         draft.submitted_at))
        return stored

    def remove(self, item_id: str) -> bool:
        """Mark an item removed (outcomes keep their history) and log the change."""
        now = dt.datetime.now(dt.timezone.utc)
        with self.writing() as conn:
            done = conn.execute(update(schema.items).where(schema.items.c.id == item_id,
                                                           schema.items.c.removed.is_(False))
                                .values(removed=True)).rowcount
            if done:
                conn.execute(schema.changes.insert().values(item_id=item_id, op="remove", at=now))
        return bool(done)

    def get(self, ids: Iterable[str]) -> dict[str, StoredItem]:
        ids = list(ids)
        if not ids:
            return {}
        t = schema.items.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.id, t.title, t.body, t.unit, t.kind, t.submitted_at)
                                .where(t.id.in_(ids), t.removed.is_(False))).all()
        return {r.id: StoredItem(r.id, 0, r.title, r.body, r.unit, r.kind, r.submitted_at) for r in rows}

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(schema.items)
                                .where(schema.items.c.removed.is_(False))).scalar_one()

    def iter_items(self, batch: int = 2000) -> Iterator[StoredItem]:
        """Every live item in change order (id, text), for rebuilding the index."""
        c, t = schema.changes.c, schema.items.c
        last = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(c.seq, t.id, t.title, t.body, t.unit, t.kind, t.submitted_at)
                    .join(schema.items, schema.items.c.id == c.item_id)
                    .where(c.seq > last, c.op == "add", t.removed.is_(False)).order_by(c.seq).limit(batch)).all()
            if not rows:
                return
            for r in rows:
                yield StoredItem(r.id, r.seq, r.title, r.body, r.unit, r.kind, r.submitted_at)
            last = rows[-1].seq

    # --- the change log ----------------------------------------------------------------------
    def last_seq(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.coalesce(func.max(schema.changes.c.seq), 0))).scalar_one()

    def changes_since(self, seq: int, limit: int = 10_000) -> list[tuple[int, str, str]]:
        c = schema.changes.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.seq, c.item_id, c.op).where(c.seq > seq).order_by(c.seq).limit(limit)).all()
        return [(int(r.seq), r.item_id, r.op) for r in rows]

    # --- API keys ----------------------------------------------------------------------------
    SCOPES = ("screen", "submit", "editor", "admin")

    def create_key(self, name: str, scopes: Iterable[str]) -> str:
        """A new API key; only its hash is stored, so the key is shown once, here."""
        name = name.strip()
        if not name or len(name) > 100:
            raise DraftError("name", "密钥名称应为 1 到 100 个字")
        scopes = sorted(set(scopes))
        unknown = set(scopes) - set(self.SCOPES)
        if not scopes or unknown:
            raise DraftError("scopes", f"权限范围只能是 {', '.join(self.SCOPES)}")
        key = "sk_" + secrets.token_urlsafe(24)
        with self.writing() as conn:
            conn.execute(schema.api_keys.insert().values(
                name=name, key_hash=_key_hash(key), scopes=",".join(scopes),
                created_at=dt.datetime.now(dt.timezone.utc), revoked=False))
        return key

    def key_scopes(self, key: str) -> tuple[str, frozenset[str]] | None:
        """(name, scopes) of a valid key, or None."""
        found = self._valid_key(key)
        return (found.name, frozenset(found.scopes.split(","))) if found else None

    def _valid_key(self, key: str):
        t = schema.api_keys.c
        with self.engine.connect() as conn:
            return conn.execute(select(t.id, t.name, t.scopes)
                                .where(t.key_hash == _key_hash(key), t.revoked.is_(False))).first()

    def list_keys(self) -> list[dict[str, Any]]:
        """Every key ever made (never the key itself): id, name, scopes, created, revoked."""
        t = schema.api_keys.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.id, t.name, t.scopes, t.created_at, t.revoked).order_by(t.id)).all()
        return [{"id": int(r.id), "name": r.name, "scopes": r.scopes.split(","),
                 "created_at": r.created_at.isoformat(), "revoked": bool(r.revoked)} for r in rows]

    def revoke_key(self, key_id: int) -> bool:
        """Revoke a key and end its page sessions; False when there is no such key still valid."""
        if not 0 < key_id < 2**63:  # no such id; the driver would raise on it, not find nothing
            return False
        with self.writing() as conn:
            done = conn.execute(update(schema.api_keys).where(schema.api_keys.c.id == key_id,
                                                              schema.api_keys.c.revoked.is_(False))
                                .values(revoked=True)).rowcount
            conn.execute(delete(schema.web_sessions).where(schema.web_sessions.c.key_id == key_id))
        return bool(done)

    # --- page sessions -----------------------------------------------------------------------
    def open_session(self, key: str, lifetime: dt.timedelta) -> tuple[str, str, frozenset[str]] | None:
        """(token, name, scopes) of a new page session signed in with ``key``, or None for a bad key."""
        found = self._valid_key(key)
        if found is None:
            return None
        token = secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.timezone.utc)
        with self.writing() as conn:
            # sessions nobody signed out of would pile up: drop the expired ones on the way
            conn.execute(delete(schema.web_sessions).where(schema.web_sessions.c.expires_at <= now))
            conn.execute(schema.web_sessions.insert().values(token_hash=_key_hash(token), key_id=found.id,
                                                              created_at=now, expires_at=now + lifetime))
        return token, found.name, frozenset(found.scopes.split(","))

    def session_scopes(self, token: str) -> tuple[str, frozenset[str]] | None:
        """(name, scopes) of a live page session: not signed out, not expired, its key not revoked."""
        s, k = schema.web_sessions.c, schema.api_keys.c
        with self.engine.connect() as conn:
            row = conn.execute(select(k.name, k.scopes).join_from(schema.web_sessions, schema.api_keys)
                               .where(s.token_hash == _key_hash(token), s.expires_at > dt.datetime.now(dt.timezone.utc),
                                      k.revoked.is_(False))).first()
        return (row.name, frozenset(row.scopes.split(","))) if row else None

    def close_session(self, token: str) -> None:
        with self.writing() as conn:
            conn.execute(delete(schema.web_sessions).where(schema.web_sessions.c.token_hash == _key_hash(token)))

    def has_keys(self, revoked_too: bool = False) -> bool:
        """Whether a valid key exists (or, with ``revoked_too``, whether any key was ever made)."""
        query = select(func.count()).select_from(schema.api_keys)
        if not revoked_too:
            query = query.where(schema.api_keys.c.revoked.is_(False))
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one() > 0

    # --- background jobs (any worker can report on a job another one runs) ----------------
    @staticmethod
    def _job_clock(conn: Connection) -> dt.datetime:
        """The time a job's heartbeat is written and judged by: the database server's clock where
        there is one, so that workers on hosts whose clocks disagree judge the same heartbeat alike
        (an SQLite file has no server; its writers share one host's clock)."""
        if conn.dialect.name == "postgresql":
            return conn.execute(select(func.clock_timestamp())).scalar_one().astimezone(dt.timezone.utc)
        return dt.datetime.now(dt.timezone.utc)

    def create_job(self, kind: str) -> str:
        job_id = uuid.uuid4().hex[:16]
        with self.writing() as conn:
            now = self._job_clock(conn)
            conn.execute(schema.jobs.insert().values(id=job_id, kind=kind, status="running", result=None,
                                                     created_at=now, heartbeat_at=now))
        return job_id

    def beat_job(self, job_id: str) -> None:
        """The job's process is alive and still working on it."""
        with self.writing() as conn:
            conn.execute(update(schema.jobs).where(schema.jobs.c.id == job_id)
                         .values(heartbeat_at=self._job_clock(conn)))

    def finish_job(self, job_id: str, status: str, result: dict[str, Any]) -> None:
        with self.writing() as conn:
            conn.execute(update(schema.jobs).where(schema.jobs.c.id == job_id).values(
                status=status, result=result, finished_at=dt.datetime.now(dt.timezone.utc)))

    def job(self, job_id: str) -> dict[str, Any] | None:
        """A job's state; a running job that stopped beating (its process was restarted or killed)
        is recorded as failed here, so that no acknowledged job stays "running" for ever."""
        t = schema.jobs.c
        query = select(t.id, t.kind, t.status, t.result, t.created_at, t.finished_at, t.heartbeat_at).where(t.id == job_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
            cutoff = self._job_clock(conn) - dt.timedelta(seconds=JOB_STALE_SECONDS)
        if row is not None and row.status == "running" and (row.heartbeat_at or row.created_at) < cutoff:
            # one conditional update: a job that finished or beat in the meantime keeps its own state
            with self.writing() as conn:
                conn.execute(update(schema.jobs).where(
                    t.id == job_id, t.status == "running", func.coalesce(t.heartbeat_at, t.created_at) < cutoff,
                ).values(status="failed", finished_at=dt.datetime.now(dt.timezone.utc),
                         result={"error": "Interrupted", "message": "任务中断：运行它的服务进程已退出（重启或被终止），请重新发起"}))
                row = conn.execute(query).first()
        if row is None:
            return None
        return {"id": row.id, "kind": row.kind, "status": row.status, "result": row.result,
                "created_at": row.created_at.isoformat(), "finished_at": row.finished_at.isoformat() if row.finished_at else None}

    # --- the model audit ---------------------------------------------------------------------
    def record_model(self, version: str, action: str, details: dict[str, Any] | None = None) -> None:
        with self.writing() as conn:
            conn.execute(schema.model_audit.insert().values(
                version=version, action=action, at=dt.datetime.now(dt.timezone.utc), details=details or {}))

    def model_audit(self, limit: int = 50) -> list[dict[str, Any]]:
        """The latest ``limit`` audit rows, newest first."""
        t = schema.model_audit.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.version, t.action, t.at, t.details).order_by(t.id.desc()).limit(limit)).all()
        return [{"version": r.version, "action": r.action, "at": r.at.isoformat(), "details": r.details or {}}
                for r in rows]

"""Named migrations, applied in order once each and recorded in ``schema_migrations``.

A new migration is appended to ``MIGRATIONS``; applied ones are never edited.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from sqlalchemy import Connection, inspect, select, text

from ..similarity import fingerprint
from . import schema

Migration = Callable[[Connection], None]


def _001_initial(conn: Connection) -> None:
    for table in (schema.items, schema.changes, schema.outcomes, schema.model_audit):
        table.create(conn, checkfirst=True)


def _002_api_keys(conn: Connection) -> None:
    schema.api_keys.create(conn, checkfirst=True)


def _003_feedback(conn: Connection) -> None:
    # Databases made before this migration lack outcomes.dedup_key; newer ones got it from 001.
    columns = {c["name"] for c in inspect(conn).get_columns("outcomes")}
    if "dedup_key" not in columns:
        conn.execute(text("ALTER TABLE outcomes ADD COLUMN dedup_key VARCHAR(64)"))
        conn.execute(text("CREATE UNIQUE INDEX ix_outcomes_dedup_key ON outcomes (dedup_key)"))
    schema.label_corrections.create(conn, checkfirst=True)


def _004_jobs(conn: Connection) -> None:
    schema.jobs.create(conn, checkfirst=True)


def _sqlite_china_times_to_utc(conn: Connection) -> None:
    """Before 005, SQLite kept a moment's wall-clock time without its offset; submission and
    decision times came in China time (the contract's default), the others were already UTC.
    From 005 every moment is stored as UTC, so those two columns are moved back by 8 hours."""
    for table, column, key in (("items", "submitted_at", "id"), ("outcomes", "decided_at", "id")):
        rows = conn.execute(text(f"SELECT {key}, {column} FROM {table}")).all()
        for row_key, stored in rows:
            moment = dt.datetime.fromisoformat(stored) - dt.timedelta(hours=8)
            conn.execute(text(f"UPDATE {table} SET {column} = :value WHERE {key} = :key"),
                         {"value": moment.strftime("%Y-%m-%d %H:%M:%S.%f"), "key": row_key})


def _005_reporting(conn: Connection) -> None:
    # Items made before this migration lack the solicitation and flag columns.
    columns = {c["name"] for c in inspect(conn).get_columns("items")}
    if "solicitation_id" not in columns:
        conn.execute(text("ALTER TABLE items ADD COLUMN solicitation_id VARCHAR(64)"))
        conn.execute(text("CREATE INDEX ix_items_solicitation_id ON items (solicitation_id)"))
    if "flags" not in columns:
        conn.execute(text("ALTER TABLE items ADD COLUMN flags JSON"))
    if conn.dialect.name == "sqlite":
        _sqlite_china_times_to_utc(conn)
    for table in (schema.units, schema.solicitations, schema.solicitation_units):
        table.create(conn, checkfirst=True)


def _006_canonical_fingerprints(conn: Connection) -> None:
    """Fingerprints read NFKC text without invisible characters from here on (a replay typed with
    full-width figures is the same item): recompute the stored ones, or their replays would be 409s."""
    items = schema.items.c
    for item_id, title, body in conn.execute(select(items.id, items.title, items.body)).all():
        conn.execute(schema.items.update().where(items.id == item_id).values(fingerprint=fingerprint(title, body)))


def _007_web_sessions(conn: Connection) -> None:
    schema.web_sessions.create(conn, checkfirst=True)


def _008_item_particulars(conn: Connection) -> None:
    # Items made before this migration keep NULL here: their replays are compared as before.
    columns = {c["name"] for c in inspect(conn).get_columns("items")}
    if "emergency" not in columns:
        conn.execute(text("ALTER TABLE items ADD COLUMN emergency BOOLEAN"))
    if "event_date" not in columns:
        conn.execute(text("ALTER TABLE items ADD COLUMN event_date VARCHAR(40)"))


def _009_job_heartbeats(conn: Connection) -> None:
    # Jobs made before this migration keep NULL here: they are judged by their creation time.
    if "heartbeat_at" not in {c["name"] for c in inspect(conn).get_columns("jobs")}:
        kind = schema.jobs.c.heartbeat_at.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE jobs ADD COLUMN heartbeat_at {kind}"))


def _010_item_reviewer(conn: Connection) -> None:
    # Items made before this migration keep NULL here: their replays are compared as before.
    if "reviewer" not in {c["name"] for c in inspect(conn).get_columns("items")}:
        conn.execute(text("ALTER TABLE items ADD COLUMN reviewer VARCHAR(100)"))


MIGRATIONS: list[tuple[str, Migration]] = [
    ("001_initial", _001_initial),
    ("002_api_keys", _002_api_keys),
    ("003_feedback", _003_feedback),
    ("004_jobs", _004_jobs),
    ("005_reporting", _005_reporting),
    ("006_canonical_fingerprints", _006_canonical_fingerprints),
    ("007_web_sessions", _007_web_sessions),
    ("008_item_particulars", _008_item_particulars),
    ("009_job_heartbeats", _009_job_heartbeats),
    ("010_item_reviewer", _010_item_reviewer),
]


def migrate(conn: Connection) -> list[str]:
    """Apply the migrations this database lacks; return their names."""
    schema.schema_migrations.create(conn, checkfirst=True)
    done = set(conn.execute(select(schema.schema_migrations.c.name)).scalars())
    applied = []
    for name, migration in MIGRATIONS:
        if name in done:
            continue
        migration(conn)
        conn.execute(schema.schema_migrations.insert().values(name=name, applied_at=dt.datetime.now(dt.timezone.utc)))
        applied.append(name)
    return applied


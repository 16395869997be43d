"""Tables of the store (SQLAlchemy Core): items, the change log, outcomes, the model audit,
units and solicitations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (JSON, BigInteger, Boolean, Column, DateTime, Float, ForeignKey, Integer, MetaData,
                        String, Table, Text, TypeDecorator)

metadata = MetaData()


class UTCDateTime(TypeDecorator):
    """Aware date-times stored as UTC and read back aware: SQLite keeps no offset of its own, so
    without this a China-time moment would come back as a naive wall-clock time."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive date-time: give it an offset")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


# Integer primary keys that autoincrement on both SQLite and PostgreSQL.
_SeqInt = BigInteger().with_variant(Integer, "sqlite")

items = Table(
    "items", metadata,
    Column("id", String(64), primary_key=True),
    Column("unit", String(200)),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("kind", String(16), nullable=False, default="single"),
    Column("submitted_at", UTCDateTime(), nullable=False),
    Column("fingerprint", String(64), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("removed", Boolean, nullable=False, default=False),
    Column("solicitation_id", String(64), index=True),  # the 约稿 it answers
    Column("flags", JSON),  # flag codes raised when it was submitted (for the statistics)
    # what else the screening read: a replay that differs here would be answered with other flags
    Column("emergency", Boolean),    # NULL: stored before these were kept
    Column("event_date", String(40)),  # a day, or a moment in UTC (see db.item_particulars); NULL: none given
    Column("reviewer", String(100)),  # the 审核签发人 named ("": nobody); NULL: stored before it was kept
)

# Every add and remove, in order: workers catch up from the last sequence number they applied.
changes = Table(
    "changes", metadata,
    Column("seq", _SeqInt, primary_key=True, autoincrement=True),
    Column("item_id", String(64), ForeignKey("items.id"), nullable=False, index=True),
    Column("op", String(8), nullable=False),  # add | remove
    Column("at", UTCDateTime(), nullable=False),
)

outcomes = Table(
    "outcomes", metadata,
    Column("id", _SeqInt, primary_key=True, autoincrement=True),
    Column("item_id", String(64), ForeignKey("items.id"), nullable=False, index=True),
    Column("result", String(16), nullable=False),          # adopted | rejected
    Column("publication", String(32)),                     # haidong | qinghai | state_council
    Column("as_kind", String(16)),                         # single | dynamic
    Column("reason", String(32)),                          # low_value | duplicate | late | ...
    Column("note", Text),
    Column("decided_by", String(100)),
    Column("decided_at", UTCDateTime(), nullable=False),
    Column("points", Float),
    # Hash of the decision's content: importing the same export twice records it once.
    Column("dedup_key", String(64), unique=True),
)

units = Table(
    "units", metadata,
    Column("name", String(200), primary_key=True),
    Column("type", String(16), nullable=False),            # county | department | park | soe
    Column("leader", String(100)),                         # 分管领导
    Column("officer", String(100)),                        # 信息员
    Column("phone", String(100)),
    Column("updated_at", UTCDateTime(), nullable=False),
)

solicitations = Table(
    "solicitations", metadata,
    Column("id", String(64), primary_key=True),
    Column("topic", String(200), nullable=False),
    Column("required_elements", JSON, nullable=False),
    Column("deadline", UTCDateTime(), nullable=False),
    Column("note", Text),
    Column("created_by", String(100)),
    Column("created_at", UTCDateTime(), nullable=False),
)

solicitation_units = Table(
    "solicitation_units", metadata,
    Column("solicitation_id", String(64), ForeignKey("solicitations.id"), primary_key=True),
    Column("unit", String(200), ForeignKey("units.name"), primary_key=True),
)

label_corrections = Table(
    "label_corrections", metadata,
    Column("id", _SeqInt, primary_key=True, autoincrement=True),
    Column("item_id", String(64), ForeignKey("items.id"), nullable=False, index=True),
    Column("low_value", String(16)),
    Column("elements", JSON),
    Column("corrected_by", String(100)),
    Column("corrected_at", UTCDateTime(), nullable=False),
)

model_audit = Table(
    "model_audit", metadata,
    Column("id", _SeqInt, primary_key=True, autoincrement=True),
    Column("version", String(64), nullable=False),
    Column("action", String(16), nullable=False),          # promoted | refused (retrain), manual_promote | rolled_back (CLI), served | loaded | load_failed (service)
    Column("at", UTCDateTime(), nullable=False),
    Column("details", JSON),
)

api_keys = Table(
    "api_keys", metadata,
    Column("id", _SeqInt, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),  # sha256 of the key; the key itself is never stored
    Column("scopes", String(100), nullable=False),                 # comma-separated: screen, submit, admin
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)

# Signed-in page sessions, kept here rather than only in the cookie so that signing out, or
# revoking the key, ends them at once (a copied cookie would otherwise work until it expired).
web_sessions = Table(
    "web_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 of the cookie's token
    Column("key_id", _SeqInt, ForeignKey("api_keys.id"), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

jobs = Table(
    "jobs", metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False),   # queued | running | done | failed
    Column("result", JSON),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime()),
    # written every JOB_HEARTBEAT_SECONDS while the job runs: a job whose process died stops beating
    Column("heartbeat_at", UTCDateTime()),
)

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("name", String(100), primary_key=True),
    Column("applied_at", UTCDateTime(), nullable=False),
)

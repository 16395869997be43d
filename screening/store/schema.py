"""Tables of the store (SQLAlchemy Core): items, the change log, outcomes, the model audit."""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Boolean, Column, DateTime, Float, ForeignKey, Integer, MetaData,
                        String, Table, Text)

metadata = MetaData()

# Integer primary keys that autoincrement on both SQLite and PostgreSQL.
_SeqInt = BigInteger().with_variant(Integer, "sqlite")

items = Table(
    "items", metadata,
    Column("id", String(64), primary_key=True),
    Column("unit", String(200)),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("kind", String(16), nullable=False, default="single"),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("fingerprint", String(64), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("removed", Boolean, nullable=False, default=False),
)

# Every add and remove, in order: workers catch up from the last sequence number they applied.
changes = Table(
    "changes", metadata,
    Column("seq", _SeqInt, primary_key=True, autoincrement=True),
    Column("item_id", String(64), ForeignKey("items.id"), nullable=False, index=True),
    Column("op", String(8), nullable=False),  # add | remove
    Column("at", DateTime(timezone=True), nullable=False),
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
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("points", Float),
    # Hash of the decision's content: importing the same export twice records it once.
    Column("dedup_key", String(64), unique=True),
)

label_corrections = Table(
    "label_corrections", metadata,
    Column("id", _SeqInt, primary_key=True, autoincrement=True),
    Column("item_id", String(64), ForeignKey("items.id"), nullable=False, index=True),
    Column("low_value", String(16)),
    Column("elements", JSON),
    Column("corrected_by", String(100)),
    Column("corrected_at", DateTime(timezone=True), nullable=False),
)

model_audit = Table(
    "model_audit", metadata,
    Column("id", _SeqInt, primary_key=True, autoincrement=True),
    Column("version", String(64), nullable=False),
    Column("action", String(16), nullable=False),          # loaded | trained | promoted | refused | rolled_back
    Column("at", DateTime(timezone=True), nullable=False),
    Column("details", JSON),
)

api_keys = Table(
    "api_keys", metadata,
    Column("id", _SeqInt, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),  # sha256 of the key; the key itself is never stored
    Column("scopes", String(100), nullable=False),                 # comma-separated: screen, submit, admin
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)

jobs = Table(
    "jobs", metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False),   # queued | running | done | failed
    Column("result", JSON),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
)

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("name", String(100), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

import json
import os
from pathlib import Path

import pytest

from screening import Screener, Settings
from screening import Draft
from screening.duplicates import DuplicateFinder

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


@pytest.fixture(scope="session")
def screener() -> Screener:
    """The rule-based screener with default settings (loading the segmenter once per session)."""
    return Screener(Settings.from_mapping())


def check_fixture(name: str) -> dict:
    return json.loads((FIXTURES / "checks" / f"{name}.json").read_text("utf-8"))


def fixture_screener(fixture: dict) -> Screener:
    history = None
    if "history" in fixture:
        history = DuplicateFinder.in_memory(Draft.from_dict(item) for item in fixture["history"])
    return Screener(Settings.from_mapping(), history=history)


def base_draft(**overrides) -> dict:
    draft = {"title": "红土乡春播进度过八成", "body": "全乡完成春播面积2.3万亩，占计划的85%。",
             "submitted_at": "2026-05-20T10:00:00+08:00"}
    draft.update(overrides)
    return draft


BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _reset_postgres(url: str) -> None:
    from screening.store import schema
    from screening.store.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        schema.metadata.drop_all(conn)
        schema.schema_migrations.drop(conn, checkfirst=True)
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh store database: SQLite in a temporary folder, and PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = os.environ["TEST_DATABASE_URL"]
    _reset_postgres(url)
    return url


@pytest.fixture
def open_store(db_url):
    """Stores on the test database, each closed at the end (no connection left to the GC)."""
    from screening.store.db import Store

    opened = []

    def open_one():
        opened.append(Store(db_url))
        return opened[-1]

    yield open_one
    for s in opened:
        s.close()


@pytest.fixture
def store(open_store):
    return open_store()


@pytest.fixture
def app(tmp_path):
    """A fresh service app per test, on its own instance folder (SQLite store, shipped model)."""
    from service import create_app

    app = create_app({"instance_path": str(tmp_path / "instance")})
    yield app
    app.extensions["screening"].close()


@pytest.fixture
def client(app):
    return app.test_client()

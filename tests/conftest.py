import json
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

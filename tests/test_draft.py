import datetime as dt

import pytest

from screening import Draft, DraftError
from conftest import base_draft


def test_trims_and_defaults():
    d = Draft.from_dict({"title": "  标题文字  ", "body": "\n正文内容。\n", "extra": 1})
    assert d.title == "标题文字" and d.body == "正文内容。"
    assert d.kind == "single" and d.emergency is False and d.reviewer is None
    assert d.submitted_at.tzinfo is not None


@pytest.mark.parametrize("data,field,status", [
    ({"body": "正文"}, "title", 400),
    ({"title": "   ", "body": "正文"}, "title", 400),
    ({"title": "标题", "body": ""}, "body", 400),
    ({"title": 12, "body": "正文"}, "title", 400),
    ({"title": "标题", "body": ["正文"]}, "body", 400),
    ({"title": "标" * 201, "body": "正文"}, "title", 413),
    ({"title": "标题", "body": "字" * 50_001}, "body", 413),
    ({"title": "标题", "body": "正文", "id": "x" * 65}, "id", 413),
    ({"title": "标题", "body": "正文", "kind": "weekly"}, "kind", 422),
    ({"title": "标题", "body": "正文", "emergency": "yes"}, "emergency", 400),
    ({"title": "标题", "body": "正文", "event_date": "2026-13-01"}, "event_date", 422),
    ({"title": "标题", "body": "正文", "event_date": "昨天"}, "event_date", 422),
    ({"title": "标题", "body": "正文", "submitted_at": "2026/11/01 10:00"}, "submitted_at", 422),
    ({"title": "标题", "body": "正文", "submitted_at": 20261101}, "submitted_at", 400),
])
def test_bad_input_names_the_field(data, field, status):
    with pytest.raises(DraftError) as info:
        Draft.from_dict(data)
    assert info.value.field == field
    assert info.value.status == status
    assert info.value.to_dict()["field"] == field
    # the message names the field as an officer calls it, and as the JSON spells it
    label = {"title": "标题", "body": "正文", "id": "编号", "kind": "类型", "emergency": "突发事件",
             "event_date": "事件日期", "submitted_at": "报送时间"}[field]
    assert f"{label}（{field}）" in info.value.message


def test_not_an_object():
    with pytest.raises(DraftError) as info:
        Draft.from_dict(["title", "body"])
    assert info.value.field == "draft"


def test_dates_in_iso_8601():
    d = Draft.from_dict(base_draft(event_date="2026-11-02", submitted_at="2026-11-06T15:20:00"))
    assert d.event_date.has_time is False and d.event_date.moment.date() == dt.date(2026, 11, 2)
    assert d.submitted_at.utcoffset() == dt.timedelta(hours=8)  # naive means China time
    d = Draft.from_dict(base_draft(event_date="2026-11-02T09:00:00+08:00", submitted_at="2026-11-06T07:20:00Z"))
    assert d.event_date.has_time is True
    assert d.submitted_at.utcoffset() == dt.timedelta(0)
    # the basic format is a day too, not midnight with a known time (which made a draft late)
    d = Draft.from_dict(base_draft(event_date="20261102"))
    assert d.event_date.has_time is False and d.event_date.moment.date() == dt.date(2026, 11, 2)


def test_round_trip():
    d = Draft.from_dict(base_draft(id="A1", unit="某县政府办", kind="dynamic", reviewer="张主任", event_date="2026-05-18"))
    again = Draft.from_dict(d.to_dict())
    assert again == d

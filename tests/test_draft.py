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
    # zero-width characters alone are as empty as spaces (they used to pass as a title)
    ({"title": "\u200b\u200b", "body": "正文"}, "title", 400),
    ({"title": " \u200c\u200d\u2060\ufeff ", "body": "正文"}, "title", 400),
    ({"title": "标题", "body": "\u200b\n\u200b"}, "body", 400),
    ({"title": "标题", "body": ""}, "body", 400),
    ({"title": 12, "body": "正文"}, "title", 400),
    ({"title": "标题", "body": ["正文"]}, "body", 400),
    ({"title": "标" * 201, "body": "正文"}, "title", 413),
    ({"title": "标题", "body": "字" * 50_001}, "body", 413),
    ({"title": "标题", "body": "正文", "id": "x" * 65}, "id", 413),
    # an id is kept as sent, so one with a control character or of blanks alone is refused
    ({"title": "标题", "body": "正文", "id": "a\x00b"}, "id", 422),
    ({"title": "标题", "body": "正文", "id": "a\nb"}, "id", 422),
    ({"title": "标题", "body": "正文", "id": "\x9f"}, "id", 422),
    ({"title": "标题", "body": "正文", "id": ""}, "id", 422),
    ({"title": "标题", "body": "正文", "id": " \u3000 "}, "id", 422),
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


def test_messages_have_no_space_after_the_field_label():
    # "标题（title） 不能为空" had a stray space after the full-width parenthesis
    for data, words in (({"title": "", "body": "正文"}, "标题（title）不能为空"),
                        ({"title": "标题", "body": "字" * 50_001}, "正文（body）过长："),
                        ({"title": 1, "body": "正文"}, "标题（title）必须是字符串"),
                        (base_draft(event_date="2026-13-01"), "事件日期（event_date）不是有效日期"),
                        (base_draft(submitted_at="0202-01-01T00:00:00"), "报送时间（submitted_at）的年份")):
        with pytest.raises(DraftError) as info:
            Draft.from_dict(data)
        assert info.value.message.startswith(words), info.value.message
    from screening.solicitations import parse_deadline

    with pytest.raises(DraftError) as info:  # a name without a label keeps its space before the Chinese
        parse_deadline("明天")
    assert info.value.message.startswith("deadline 不是有效")


def test_an_id_is_kept_exactly_as_sent():
    # it used to be trimmed and its NUL replaced, like the text fields
    for item_id in (" a ", "a b", "\u3000编号\u3000", "x" * 64, "编号/2026-001"):
        assert Draft.from_dict(base_draft(id=item_id)).id == item_id
    # the text fields are still trimmed and their NUL replaced (spans stay in the client's coordinates)
    d = Draft.from_dict(base_draft(title=" 标题\x00 ", body="\n正文\x00内容"))
    assert (d.title, d.body, d.title_offset, d.body_offset) == ("标题\ufffd", "正文\ufffd内容", 1, 1)


@pytest.mark.parametrize("reviewer", ["无", " 无 ", "-", "—", "/", "暂无", "没有", "未", "空", "无人",
                                      "none", "None", "n/a", "N/A", "null", "NULL", "待定", "无。", "待审核；", "略", "TBD"])
def test_a_placeholder_reviewer_names_nobody(reviewer):
    d = Draft.from_dict(base_draft(reviewer=reviewer))
    assert d.named_reviewer is None and d.reviewer == reviewer.strip()  # kept as sent, read as nobody


def test_a_reviewer_named_is_a_reviewer():
    for reviewer in ("张主任", "无名氏", "王无", "Nonez", "王待定", "略阳"):
        assert Draft.from_dict(base_draft(reviewer=reviewer)).named_reviewer == reviewer


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

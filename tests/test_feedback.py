"""Outcomes, points, label corrections and importing a submission system's export."""

import json

import pytest

from screening import Draft, DraftError
from screening.cli import main
from screening.feedback import Outcome, import_feedback, points, record_outcome
from screening.store.db import Store
from service import create_app


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'fb.db'}")
    s.add_many([Draft.from_dict({"id": f"I{i}", "title": f"第{i}条信息标题", "body": f"正文{i}",
                                 "submitted_at": "2026-09-01T09:00:00+08:00"}) for i in range(3)])
    yield s
    s.close()


@pytest.mark.parametrize("publication,as_kind,expected", [
    ("qinghai", "single", 10), ("qinghai", "dynamic", 5), ("haidong", "single", 5), ("haidong", "dynamic", 1),
    ("state_council", "single", 20), ("state_council", "dynamic", 20)])
def test_points_follow_the_notice(publication, as_kind, expected):
    assert points(publication, as_kind) == expected
    outcome = Outcome.from_dict({"result": "adopted", "publication": publication, "as_kind": as_kind}, "I0")
    assert outcome.points == expected


def test_rejections_earn_nothing_and_need_a_reason():
    assert Outcome.from_dict({"result": "rejected", "reason": "late"}, "I0").points == 0
    with pytest.raises(DraftError) as info:
        Outcome.from_dict({"result": "rejected"}, "I0")
    assert info.value.field == "reason"
    with pytest.raises(DraftError) as info:
        Outcome.from_dict({"result": "adopted", "publication": "people_daily", "as_kind": "single"}, "I0")
    assert info.value.field == "publication"


def test_record_is_idempotent_and_needs_a_known_item(store):
    outcome = Outcome.from_dict({"result": "adopted", "publication": "qinghai", "as_kind": "single",
                                 "decided_at": "2026-10-01T10:00:00+08:00"}, "I1")
    assert record_outcome(store, outcome) is True
    assert record_outcome(store, outcome) is False
    with pytest.raises(DraftError) as info:  # decided before the item was submitted: a typo in a date
        record_outcome(store, Outcome.from_dict({"result": "rejected", "reason": "late",
                                                 "decided_at": "2026-01-02T10:00:00+08:00"}, "I1"))
    assert (info.value.field, info.value.status) == ("decided_at", 409)
    with pytest.raises(DraftError) as info:
        record_outcome(store, Outcome.from_dict({"result": "rejected", "reason": "late"}, "nope"))
    assert info.value.status == 404


def test_a_decision_sent_without_a_time_can_reverse_a_reversal(store):
    """Adopted, rejected, adopted again, each sent without decided_at: three decisions, and the
    last stands; sending the latest again is a retry, not a fourth."""
    from screening.feedback import standing_adoptions
    from screening.store import schema

    adopt = {"result": "adopted", "publication": "qinghai", "as_kind": "single"}
    reject = {"result": "rejected", "reason": "quality"}
    assert [record_outcome(store, Outcome.from_dict(d, "I1")) for d in (adopt, reject, adopt, adopt)] \
        == [True, True, True, False]
    o = schema.outcomes.c
    with store.engine.connect() as conn:
        rows = conn.execute(schema.outcomes.select().where(o.item_id == "I1").order_by(o.decided_at, o.id)).all()
    assert [r.result for r in rows] == ["adopted", "rejected", "adopted"]
    assert set(standing_adoptions(rows)) == {"qinghai"}


def test_a_rejection_naming_a_publication_withdraws_only_its_adoption():
    """国办未采用 does not take away 《青海》's points; a rejection naming no publication is the
    office's decision on the item and withdraws every adoption."""
    from screening.feedback import standing_adoptions

    def decision(**d):
        return Outcome.from_dict(d, "I0")

    haidong = decision(result="adopted", publication="haidong", as_kind="single")
    qinghai = decision(result="adopted", publication="qinghai", as_kind="dynamic")
    no_state_council = decision(result="rejected", reason="quality", publication="state_council")
    assert standing_adoptions([haidong, qinghai, no_state_council]) == {"haidong": haidong, "qinghai": qinghai}
    no_qinghai = decision(result="rejected", reason="quality", publication="qinghai")
    assert standing_adoptions([haidong, qinghai, no_qinghai]) == {"haidong": haidong}
    assert standing_adoptions([haidong, qinghai, decision(result="rejected", reason="quality")]) == {}
    with pytest.raises(DraftError) as info:
        decision(result="rejected", reason="quality", publication="people_daily")
    assert (info.value.field, info.value.status) == ("publication", 422)


def test_a_decision_dated_in_the_future_is_refused(store):
    """It would change a past period's scores on the day it arrives."""
    with pytest.raises(DraftError) as info:
        record_outcome(store, Outcome.from_dict({"result": "adopted", "publication": "qinghai", "as_kind": "single",
                                                 "decided_at": "2099-10-05T10:00:00+08:00"}, "I1"))
    assert (info.value.field, info.value.status) == ("decided_at", 409)


def test_a_removed_item_takes_no_more_decisions_or_corrections(store):
    # it counts in no statistics: a 201 would acknowledge something that counts nowhere
    from screening.feedback import correct_labels

    assert store.remove("I2")
    with pytest.raises(DraftError) as info:
        record_outcome(store, Outcome.from_dict({"result": "adopted", "publication": "qinghai",
                                                 "as_kind": "single"}, "I2"))
    assert (info.value.field, info.value.status) == ("item_id", 404) and "已删除" in info.value.message
    with pytest.raises(DraftError) as info:
        correct_labels(store, "I2", {"low_value": "none"})
    assert (info.value.field, info.value.status) == ("item_id", 404)


def test_import_reports_accepted_unchanged_and_refused_rows(store, tmp_path, capsys):
    rows = [{"item_id": "I0", "result": "adopted", "publication": "haidong", "as_kind": "dynamic",
             "decided_at": "2026-10-02T09:00:00+08:00"},
            {"item_id": "I1", "result": "rejected", "reason": "low_value", "note": "会议类"},
            {"item_id": "I9", "result": "rejected", "reason": "late"},
            {"item_id": "I2", "result": "adopted", "publication": "qinghai"}]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n", "utf-8")
    first = import_feedback(store, path)
    assert (first.accepted, first.unchanged) == (2, 0)
    assert [(line, field) for line, field, _why in first.refused] == [(3, "item_id"), (4, "as_kind"), (5, "line")]
    again = import_feedback(store, path)
    assert (again.accepted, again.unchanged) == (0, 2)


def test_import_csv_through_the_cli(store, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text("item_id,result,publication,as_kind,reason,decided_at\n"
                    "I0,adopted,state_council,single,,2026-10-03T09:00:00+08:00\n"
                    "I1,rejected,,,duplicate,2026-10-03T09:00:00+08:00\n"
                    "I2,maybe,,,,\n", "utf-8")
    # a refused row makes the exit status 2 (and goes to stderr); the good rows are kept
    assert main(["feedback", "import", str(path), "--database", store.url]) == 2
    captured = capsys.readouterr()
    assert "接受 2" in captured.out and "第 4 行" in captured.err and "result" in captured.err
    assert main(["feedback", "import", str(path), "--database", store.url]) == 2
    assert "接受 0，" not in (out := capsys.readouterr().out) and "接受 0 行，已存在未变 2 行" in out


def test_an_export_read_again_after_a_later_decision_does_not_reverse_it(store, tmp_path):
    # its row has no time: read again, it was taken for a new decision and undid the rejection
    path = tmp_path / "export.csv"
    path.write_text("item_id,result,publication,as_kind,reason,note,decided_by,decided_at\n"
                    "I0,adopted,qinghai,single,,,张编辑,\n", "utf-8")
    assert import_feedback(store, path).accepted == 1
    assert record_outcome(store, Outcome.from_dict({"result": "rejected", "reason": "quality"}, "I0"))
    again = import_feedback(store, path)
    assert (again.accepted, again.unchanged) == (0, 1)
    # sent by a client instead, the same decision after another one is a new decision: it reverses it
    assert record_outcome(store, Outcome.from_dict({"result": "adopted", "publication": "qinghai",
                                                    "as_kind": "single", "decided_by": "张编辑"}, "I0"))


def test_a_reversal_within_one_export_is_kept(store, tmp_path):
    from screening.feedback import standing_adoptions
    from screening.store import schema

    path = tmp_path / "export.csv"
    path.write_text("item_id,result,publication,as_kind,reason,note,decided_by,decided_at\n"
                    "I0,adopted,qinghai,single,,,张编辑,\nI0,rejected,,,quality,,张编辑,\n"
                    "I0,adopted,qinghai,single,,,张编辑,\n", "utf-8")
    assert import_feedback(store, path).accepted == 3
    with store.engine.connect() as conn:
        rows = conn.execute(schema.outcomes.select().order_by(schema.outcomes.c.id)).all()
    assert standing_adoptions(rows)  # adopted again at the end
    again = import_feedback(store, path)
    assert (again.accepted, again.unchanged) == (0, 3)


def test_csv_import_without_a_header_is_refused_whole(store, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text("I0,adopted,state_council,single,,2026-10-03T09:00:00+08:00\n", "utf-8")
    assert main(["feedback", "import", str(path), "--database", store.url]) == 2
    assert "表头" in capsys.readouterr().err


def test_outcome_and_label_endpoints(tmp_path):
    app = create_app({"instance_path": str(tmp_path / "inst")})
    client = app.test_client()
    client.post("/api/v1/items", json={"id": "X1", "title": "红土乡春播进度过八成", "body": "全乡完成春播2.3万亩。",
                                       "submitted_at": "2026-09-30T10:00:00+08:00"})
    r = client.post("/api/v1/items/X1/outcome", json={"result": "adopted", "publication": "qinghai", "as_kind": "single",
                                                      "decided_at": "2026-10-05T10:00:00+08:00"})
    assert r.status_code == 201 and r.get_json()["points"] == 10
    again = client.post("/api/v1/items/X1/outcome", json={"result": "adopted", "publication": "qinghai",
                                                          "as_kind": "single", "decided_at": "2026-10-05T10:00:00+08:00"})
    assert again.status_code == 200 and again.get_json()["recorded"] is False
    assert client.post("/api/v1/items/NOPE/outcome", json={"result": "rejected", "reason": "late"}).status_code == 404
    r = client.post("/api/v1/items/X1/outcome", json={"result": "rejected"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "reason"
    assert client.post("/api/v1/items/X1/labels", json={"low_value": "meeting", "elements": ["situation"]}).status_code == 201
    r = client.post("/api/v1/items/X1/labels", json={"low_value": "boring"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "low_value"
    store = app.extensions["screening"].store
    screen_key = store.create_key("submission", ["screen", "submit"])
    editor_key = store.create_key("office", ["editor"])
    app.extensions["screening"]._keys_checked = (0.0, False)
    body = {"result": "rejected", "reason": "quality"}
    assert client.post("/api/v1/items/X1/outcome", json=body, headers={"X-API-Key": screen_key}).status_code == 403
    assert client.post("/api/v1/items/X1/outcome", json=body, headers={"X-API-Key": editor_key}).status_code == 201
    app.extensions["screening"].close()


@pytest.mark.parametrize("data,field", [
    ({"result": "adopted", "publication": "qinghai", "as_kind": "single", "reason": []}, "reason"),
    ({"result": "rejected", "reason": "low_value", "publication": 5}, "publication"),
    ({"result": "rejected", "reason": "low_value", "as_kind": {}}, "as_kind")])
def test_a_field_the_result_does_not_use_must_still_have_its_type(data, field):
    with pytest.raises(DraftError) as caught:
        Outcome.from_dict(data, "I0")
    assert caught.value.field == field


@pytest.mark.parametrize("name", ["export.txt", "export.xlsx", "export"])
def test_an_export_that_is_neither_csv_nor_json_lines_is_refused_whole(store, tmp_path, capsys, name):
    path = tmp_path / name
    path.write_text('{"item_id": "I0", "result": "rejected", "reason": "other"}\n', "utf-8")
    assert main(["feedback", "import", str(path), "--database", store.url]) == 2
    assert "只能导入 .csv 或 .jsonl 文件" in capsys.readouterr().err

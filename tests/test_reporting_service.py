"""Units, solicitations, statistics and the 通报 over HTTP and on the command line."""

import io
import json
from pathlib import Path

import docx

from screening.cli import main
from screening.store import schema
from service import create_app

from conftest import base_draft

UNITS = [{"name": "乐都区", "type": "县区", "leader": "张三", "officer": "李四"},
         {"name": "市教育局", "type": "department", "leader": "王五"}]
# A solicited answer: situation, problem, case, data, analysis and recommendation all present.
FULL = ("今年以来，乐都区推进秋粮收购，截至9月20日共收购1.2万吨，同比增长8%。"
        "但部分乡镇烘干能力不足，农户惜售情绪较重。例如，高店镇东村合作社因缺少烘干设备，"
        "3000吨玉米无法及时入库。究其原因，主要是烘干设施投入不足、布局不均。"
        "建议市级统筹资金，在产粮大镇新建烘干中心，并引导企业开展订单收购。")


def test_units_solicitations_and_replies_over_http(client):
    assert client.post("/api/v1/units", json={"units": UNITS}).get_json() == {"saved": 2, "unchanged": 0}
    assert client.post("/api/v1/units", json={"units": UNITS[:1]}).get_json() == {"saved": 0, "unchanged": 1}
    units = client.get("/api/v1/units").get_json()["units"]
    assert [(u["name"], u["type"], u["missing_roles"]) for u in units] == [
        ("乐都区", "county", []), ("市教育局", "department", ["信息员"])]
    bad = client.post("/api/v1/units", json={"units": [UNITS[0], {"name": "某乡", "type": "乡镇"}]})
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "units[1].type"
    twice = client.post("/api/v1/units", json={"units": [UNITS[0], UNITS[1], {**UNITS[0], "leader": "另一人"}]})
    assert twice.status_code == 409 and twice.get_json()["error"]["field"] == "units[2].name"
    assert client.post("/api/v1/units", json={"units": [UNITS[0], UNITS[0]]}).get_json() == {"saved": 0, "unchanged": 1}

    r = client.post("/api/v1/solicitations", json={"id": "YG-1", "topic": "秋粮收购情况", "deadline": "2026-09-25",
                                                   "units": ["乐都区", "市教育局"], "required_elements": ["data", "case"]})
    assert r.status_code == 201 and r.get_json()["deadline"] == "2026-09-25T23:59:59+08:00"
    # published after its deadline (recorded after the fact, or a year mistyped): kept, and said so
    assert "已过" in r.get_json()["warnings"][0] and "漏报" in r.get_json()["warnings"][0]
    assert client.post("/api/v1/solicitations", json={"id": "YG-1", "topic": "再来", "deadline": "2026-09-25",
                                                      "units": ["乐都区"]}).status_code == 409
    r = client.post("/api/v1/solicitations", json={"topic": "x", "deadline": "2026-09-25", "units": ["无此单位"]})
    assert r.status_code == 404 and r.get_json()["error"]["field"] == "units[0]"

    # The draft names the solicitation: it is held to that solicitation's elements (data and case).
    answer = {"id": "A-1", "title": "乐都区秋粮收购过万吨", "body": "截至9月20日，全区收购秋粮1.2万吨。",
              "unit": "乐都区", "solicitation": "YG-1", "submitted_at": "2026-09-24T10:00:00+08:00"}
    report = client.post("/api/v1/screen", json=answer).get_json()
    missing = {f["code"] for f in report["flags"] if f["code"].startswith("missing.")}
    # No named case here; problem, analysis and recommendation are absent too but not asked for.
    assert "missing.case" in missing and missing <= {"missing.case", "missing.data"}
    plain = client.post("/api/v1/screen", json={**answer, "solicitation": None, "kind": "solicited"}).get_json()
    assert {"missing.problem", "missing.recommendation"} <= {f["code"] for f in plain["flags"]}
    r = client.post("/api/v1/screen", json={**answer, "solicitation": "YG-404"})
    assert r.status_code == 404 and r.get_json()["error"]["field"] == "solicitation"
    r = client.post("/api/v1/screen", json={**answer, "kind": "single"})
    assert r.status_code == 422 and r.get_json()["error"]["field"] == "kind"

    # a reply from a unit the solicitation did not ask (or naming none) would be counted nowhere
    for unit in ("平安区", None):
        r = client.post("/api/v1/items", json={**answer, "id": "A-0", "unit": unit})
        assert r.status_code == 422 and r.get_json()["error"]["field"] == "unit"
    stored = client.post("/api/v1/items", json=answer)
    assert stored.status_code == 201 and "missing.case" in {f["code"] for f in stored.get_json()["report"]["flags"]}
    replies = client.get("/api/v1/solicitations/YG-1?as_of=2026-10-01T00:00:00+08:00").get_json()["replies"]
    assert [(r["unit"], r["status"], r["item_id"]) for r in replies] == [
        ("乐都区", "on_time", "A-1"), ("市教育局", "missing", None)]
    assert client.get("/api/v1/solicitations/nope").status_code == 404
    assert [s["id"] for s in client.get("/api/v1/solicitations").get_json()["solicitations"]] == ["YG-1"]


def test_control_characters_are_stored_on_every_backend(db_url, tmp_path):
    app = create_app({"instance_path": str(tmp_path / "i"), "database_url": db_url})
    client = app.test_client()
    r = client.post("/api/v1/units", json={"units": [{"name": "乐都\x00区", "type": "county", "leader": "张\x00三"}]})
    assert r.status_code == 200
    assert client.get("/api/v1/units").get_json()["units"][0]["name"] == "乐都\ufffd区"
    r = client.post("/api/v1/items", json={"title": "标题\x00标题", "body": "正文\x00内容", "unit": "乐都\x00区"})
    assert r.status_code == 201
    app.extensions["screening"].close()


def test_submitted_items_keep_their_flags_for_the_statistics(app, client):
    client.post("/api/v1/units", json={"units": UNITS})
    meeting = base_draft(id="M-1", unit="市教育局", title="市教育局召开全市教育工作会议",
                         body="9月5日，市教育局召开全市教育工作会议，传达学习上级会议精神，局长出席并讲话，要求各校提高认识、狠抓落实。",
                         submitted_at="2026-09-05T16:00:00+08:00")
    assert client.post("/api/v1/items", json=meeting).status_code == 201
    with app.extensions["screening"].store.engine.connect() as conn:
        flags = conn.execute(schema.items.select().where(schema.items.c.id == "M-1")).first().flags
    assert "low_value.meeting" in flags
    stats = client.get("/api/v1/stats?period=2026Q3&as_of=2026-10-10T00:00:00%2B08:00").get_json()
    row = next(u for u in stats["units"] if u["unit"] == "市教育局")
    assert row["submitted"] == 1 and row["flags"]["low_value"] == 1 and row["monthly"] == [0, 0, 1]
    assert stats["criticised"]["silent"] == ["乐都区"]
    assert client.get("/api/v1/stats?period=2026Q5").status_code == 422
    assert client.get("/api/v1/stats?period=2026Q3&as_of=yesterday").get_json()["error"]["field"] == "as_of"


def test_a_unit_name_with_invisible_characters_is_the_registered_unit(client):
    # a name copied from a web page or a chat carries zero-width characters nobody can see
    client.post("/api/v1/units", json={"units": [*UNITS, {"name": "互助县\u200b", "type": "county"}]})
    assert "互助县" in [u["name"] for u in client.get("/api/v1/units").get_json()["units"]]
    sent = client.post("/api/v1/items", json=base_draft(id="Z-1", unit="\u200b乐都区\u2060",
                                                         submitted_at="2026-09-05T16:00:00+08:00"))
    assert sent.status_code == 201
    r = client.post("/api/v1/solicitations", json={"topic": "秋粮", "deadline": "2099-01-10", "units": ["市教育局\ufeff"]})
    assert r.status_code == 201 and r.get_json()["units"] == ["市教育局"]
    stats = client.get("/api/v1/stats?period=2026Q3&as_of=2026-10-10T00:00:00%2B08:00").get_json()
    assert next(u for u in stats["units"] if u["unit"] == "乐都区")["submitted"] == 1
    assert not stats["criticised"]["unregistered"]  # not a second, unregistered 乐都区


def test_report_html_pdf_and_the_page(client):
    client.post("/api/v1/units", json={"units": UNITS})
    html = client.get("/api/v1/report?period=2026Q3&as_of=2026-10-10T00:00:00%2B08:00")
    assert html.status_code == 200 and html.mimetype == "text/html"
    text = html.get_data(as_text=True)
    assert "关于2026年第三季度政务信息报送采用情况的通报" in text and "<svg" in text
    assert "乐都区、市教育局本期未报送任何信息" in text  # both units silent, named as 不报
    pdf = client.get("/api/v1/report?period=2026Q3&format=pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # the same file name as `screening report` writes, readable in Chinese by browsers (RFC 6266)
    assert pdf.headers["Content-Disposition"] == (
        "attachment; filename=\"report-2026Q3.pdf\"; filename*=UTF-8''%E9%80%9A%E6%8A%A5-2026Q3.pdf")  # curl -OJ: ASCII
    word = client.get("/api/v1/report?period=2026Q3&format=docx")
    assert word.status_code == 200 and word.mimetype.endswith("wordprocessingml.document")
    assert "本期未报送任何信息" in "".join(p.text for p in docx.Document(io.BytesIO(word.data)).paragraphs)
    assert client.get("/api/v1/report?format=xlsx").get_json()["error"]["field"] == "format"
    page = client.get("/report?period=2026-08").get_data(as_text=True)
    assert "2026年8月" in page and 'name="period"' in page and "下载 PDF" in page and "下载 Word" in page
    # figures as they stood on a day: the PDF link and the period picker keep that day
    page = client.get("/report?period=2026Q3&as_of=2026-09-15").get_data(as_text=True)
    assert "format=pdf&amp;as_of=2026-09-15" in page and 'name="as_of" value="2026-09-15"' in page
    wrong = client.get("/report?period=2026Q5")
    assert wrong.status_code == 422 and "period 应为季度" in wrong.get_data(as_text=True)
    assert "季度通报" in client.get("/").get_data(as_text=True)


def test_reporting_needs_an_editor_key(app, client):
    store = app.extensions["screening"].store
    screen_key = store.create_key("submission system", ["screen"])
    editor_key = store.create_key("office", ["editor"])
    app.extensions["screening"]._keys_checked = (0.0, False)
    assert client.get("/api/v1/stats").status_code == 401
    assert client.get("/api/v1/stats", headers={"X-API-Key": screen_key}).status_code == 403
    assert client.get("/api/v1/stats", headers={"X-API-Key": editor_key}).status_code == 200
    # Saving units is for administrators.
    r = client.post("/api/v1/units", json={"units": UNITS}, headers={"X-API-Key": editor_key})
    assert r.status_code == 403
    # The page sends an officer who has not signed in to the sign-in form.
    page = client.get("/report?period=2026Q3")  # and back to the report once signed in
    assert page.status_code == 302 and page.headers["Location"].endswith("/?next=/report?period%3D2026Q3")


def test_a_solicitation_due_ahead_carries_no_warning(client):
    client.post("/api/v1/units", json={"units": UNITS})
    ahead = client.post("/api/v1/solicitations", json={"topic": "年终总结", "deadline": "2099-01-10", "units": ["乐都区"]})
    assert ahead.status_code == 201 and "warnings" not in ahead.get_json()


def test_cli_units_solicitations_stats_and_report(tmp_path, capsys):
    db = ["--database", f"sqlite:///{tmp_path / 'cli.db'}"]
    csv = tmp_path / "units.csv"
    csv.write_text("单位,类型,分管领导,信息员\n乐都区,县区,张三,李四\n市教育局,部门,王五,\n坏单位,乡镇,某,某\n", "utf-8")
    assert main(["units", "import", str(csv), *db]) == 2  # one row refused; the other two are kept
    captured = capsys.readouterr()
    assert "接受 2 行" in captured.out and "拒绝 1 行" in captured.out and "第 4 行，字段 type" in captured.err
    assert main(["solicitations", "create", "--id", "S1", "--topic", "秋粮收购", "--deadline", "2026-09-25",
                 "--units", "乐都区、市教育局", *db]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "S1" and "注意" in captured.err and "已过" in captured.err
    assert main(["solicitations", "create", "--topic", "x", "--deadline", "2026-09-25", "--units", "无此单位", *db]) == 2
    assert "units[0]" in capsys.readouterr().err
    drafts = tmp_path / "d.jsonl"
    drafts.write_text(json.dumps({"id": "a1", "title": "乐都区秋粮收购进度过半", "body": FULL, "unit": "乐都区",
                                  "solicitation": "S1", "submitted_at": "2026-09-26T10:00:00+08:00"},
                                 ensure_ascii=False) + "\n", "utf-8")
    assert main(["items", "add", str(drafts), "--rules", *db]) == 0
    capsys.readouterr()
    assert main(["solicitations", "show", "S1", "--as-of", "2026-10-01T00:00:00+08:00", "--json", *db]) == 0
    replies = json.loads(capsys.readouterr().out)["replies"]
    assert [(r["unit"], r["status"]) for r in replies] == [("乐都区", "late"), ("市教育局", "missing")]
    assert main(["stats", "--period", "2026Q3", "--as-of", "2026-10-01T00:00:00+08:00", "--json", *db]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["criticised"]["late"] == ["乐都区"] and stats["criticised"]["missed"] == ["市教育局"]
    assert main(["stats", "--period", "2026Q3", *db]) == 0
    assert "迟报：乐都区" in capsys.readouterr().out
    assert main(["stats", "--period", "Q3", *db]) == 2
    assert "period" in capsys.readouterr().err
    assert main(["report", "--period", "2026Q3", "--out", str(tmp_path / "out"), *db]) == 0
    html, pdf, word = capsys.readouterr().out.split()
    assert html.endswith("通报-2026Q3.html") and Path(pdf).read_bytes()[:4] == b"%PDF"
    assert word.endswith("通报-2026Q3.docx") and Path(word).read_bytes()[:2] == b"PK"
    assert main(["report", "--period", "2026Q3", "--out", html, *db]) == 2  # a file, not a folder
    assert "--out" in capsys.readouterr().err


def test_the_api_takes_english_keys_and_ignores_others(client):
    r = client.post("/api/v1/units", json={"units": [{"name": "乐都区", "type": "county", "分管领导": [], "leader": ""}]})
    assert r.status_code == 200
    assert client.get("/api/v1/units").get_json()["units"][0]["leader"] is None


def test_cli_screen_holds_a_solicited_draft_to_its_solicitation(tmp_path, capsys):
    db = ["--database", f"sqlite:///{tmp_path / 'cli.db'}"]
    csv = tmp_path / "units.csv"
    csv.write_text("单位,类型,分管领导,信息员\n乐都区,县区,张三,李四\n", "utf-8")
    assert main(["units", "import", str(csv), *db]) == 0
    assert main(["solicitations", "create", "--id", "S2", "--topic", "秋粮收购", "--deadline", "2026-09-25",
                 "--units", "乐都区", "--elements", "situation,data", *db]) == 0
    body = "今年以来，乐都区推进秋粮收购，截至9月20日共收购1.2万吨，同比增长8%，全区12个收购点运行平稳。"
    drafts = tmp_path / "d.jsonl"
    drafts.write_text(json.dumps({"title": "乐都区秋粮收购1.2万吨", "body": body, "kind": "solicited",
                                  "solicitation": "S2"}, ensure_ascii=False) + "\n", "utf-8")
    capsys.readouterr()

    def missing(*extra: str) -> set[str]:
        assert main(["screen", str(drafts), "--rules", *extra]) == 0
        codes = {f["code"] for f in json.loads(capsys.readouterr().out)["flags"]}
        return {c for c in codes if c.startswith("missing.")}

    assert "missing.recommendation" in missing()  # no store: the solicited kind's six elements
    assert missing(*db) == set()                   # the store's solicitation asks for two, both present
    drafts.write_text(drafts.read_text("utf-8").replace('"S2"', '"S9"'), "utf-8")
    assert main(["screen", str(drafts), "--rules", *db]) == 2
    assert "S9" in capsys.readouterr().err

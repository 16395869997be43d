"""The officers' page over the Flask test client (browser tests are a later step)."""

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pytest

from screening.checks import code_name
from screening.draft import CHINA_TZ

from service import create_app
from conftest import check_fixture

MEETING = check_fixture("low_value")["flagged"][0]["draft"]
STATIC = Path(__file__).resolve().parents[1] / "service" / "static"


@pytest.fixture
def client(tmp_path):
    app = create_app({"instance_path": str(tmp_path)})
    yield app.test_client()
    app.extensions["screening"].close()


def test_page_is_served_with_local_assets_only(client):
    page = client.get("/").get_data(as_text=True)
    assert "政务信息报送前筛查" in page and 'id="title"' in page and 'id="body"' in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # no CDN: intranets are closed
    for asset in ("/static/app.js", "/static/app.css"):
        with client.get(asset) as response:  # a file response: close it
            assert response.status_code == 200


def test_script_never_writes_html_from_text():
    script = (STATIC / "app.js").read_text("utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script


def _docx(paragraphs):
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_upload_docx_and_txt(client):
    data = {"file": (io.BytesIO(_docx(["红土乡春播进度过八成", "全乡完成春播面积2.3万亩。", "占计划的85%。"])), "d.docx")}
    r = client.post("/web/upload", data=data, content_type="multipart/form-data")
    assert r.get_json() == {"title": "红土乡春播进度过八成", "body": "全乡完成春播面积2.3万亩。\n占计划的85%。"}
    data = {"file": (io.BytesIO("标题一行\n正文第一段。".encode("utf-8")), "d.txt")}
    assert client.post("/web/upload", data=data, content_type="multipart/form-data").get_json()["title"] == "标题一行"
    data = {"file": (io.BytesIO("标题一行\n正文第一段。".encode("gbk")), "d.txt")}  # as Notepad saved it for years
    assert client.post("/web/upload", data=data, content_type="multipart/form-data").get_json() == {
        "title": "标题一行", "body": "正文第一段。"}


@pytest.mark.parametrize("name,content,status", [
    ("d.pdf", b"%PDF-1.4", 415), ("d.docx", b"not a zip", 422), ("d.txt", "Titre\nCafé crème".encode("latin-1"), 422)])
def test_bad_uploads(client, name, content, status):
    r = client.post("/web/upload", data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")
    assert r.status_code == status and r.get_json()["error"]["field"] == "file"


def test_the_annotated_file_is_named_after_the_draft(client):
    from urllib.parse import quote

    r = client.post("/web/annotated.docx", json={**MEETING, "title": "县财政局/召开:\u202e学习会"})
    assert f"filename*=UTF-8''{quote('县财政局召开学习会_筛查批注.docx')}" in r.headers["Content-Disposition"]


def test_annotated_docx_carries_each_finding_as_a_comment(client):
    r = client.post("/web/annotated.docx", json=MEETING)
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(r.data))
    comments = [c.text for c in document.comments]
    report = client.post("/api/v1/screen", json=MEETING).get_json()
    assert len(comments) == len(report["flags"])  # one comment a finding, however many places it marks
    for flag in report["flags"]:
        assert any(c.startswith(f"【{code_name(flag['code'])}】") and f"（提示代码 {flag['code']}）" in c
                   for c in comments), flag["code"]
    assert document.paragraphs[0].text == MEETING["title"]
    assert "\n".join(p.text for p in document.paragraphs[1:]) == MEETING["body"]


def test_with_keys_on_officers_sign_in_and_forms_carry_csrf(tmp_path):
    app = create_app({"instance_path": str(tmp_path / "keys")})
    key = app.extensions["screening"].store.create_key("红土乡信息员", ["screen"])
    app.extensions["screening"]._keys_checked = (0.0, False)
    client = app.test_client()
    https = {"base_url": "https://localhost"}  # the session cookie is Secure: only sent over HTTPS
    page = client.get("/", **https).get_data(as_text=True)
    assert 'id="login-form"' in page and 'id="draft-form"' not in page
    assert client.post("/api/v1/screen", json=MEETING, **https).status_code == 401
    assert client.post("/web/login", json={"key": "wrong"}, **https).status_code == 401
    r = client.post("/web/login", json={"key": key}, **https)
    assert r.status_code == 200
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Strict" in cookie
    csrf = r.get_json()["csrf"]
    page = client.get("/", **https).get_data(as_text=True)
    assert 'id="draft-form"' in page and "红土乡信息员" in page and csrf in page
    r = client.post("/api/v1/screen", json=MEETING, **https)
    assert r.status_code == 403 and r.get_json()["error"]["field"] == "X-CSRF-Token"
    assert client.post("/api/v1/screen", json=MEETING, headers={"X-CSRF-Token": csrf}, **https).status_code == 200
    assert client.post("/api/v1/items", json=MEETING, headers={"X-CSRF-Token": csrf}, **https).status_code == 403  # scope
    client.post("/web/logout", headers={"X-CSRF-Token": csrf}, **https)
    assert client.post("/api/v1/screen", json=MEETING, headers={"X-CSRF-Token": csrf}, **https).status_code == 401
    app.extensions["screening"].close()


def test_session_key_is_kept_in_the_instance_folder(tmp_path):
    first = create_app({"instance_path": str(tmp_path)})
    second = create_app({"instance_path": str(tmp_path)})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] and len(first.config["SECRET_KEY"]) == 64
    first.extensions["screening"].close()
    second.extensions["screening"].close()


def test_annotated_docx_of_a_draft_with_control_characters(client):
    # A draft may carry control characters (pasted from old systems); XML cannot: each becomes U+FFFD.
    draft = {"title": "乐都区秋粮收购\x0b进度过半", "body": "截至9月20日\x01乐都区已收购秋粮1.2万吨\uffff。"}
    r = client.post("/web/annotated.docx", json=draft)
    assert r.status_code == 200
    document = docx.Document(io.BytesIO(r.data))
    assert document.paragraphs[0].text == "乐都区秋粮收购\ufffd进度过半"
    assert document.paragraphs[1].text == "截至9月20日\ufffd乐都区已收购秋粮1.2万吨\ufffd。"


def test_signing_in_over_plain_http_from_another_machine_is_explained(tmp_path):
    app = create_app({"instance_path": str(tmp_path / "keys")})
    key = app.extensions["screening"].store.create_key("红土乡信息员", ["screen"])
    client = app.test_client()
    r = client.post("/web/login", json={"key": key}, base_url="http://192.0.2.2:8000")
    assert r.status_code == 400 and "HTTPS" in r.get_json()["error"]["message"]  # the cookie would be dropped
    # a wrong key gets the same answer there: plain HTTP tells nothing about which keys are valid
    wrong = client.post("/web/login", json={"key": key + "x"}, base_url="http://192.0.2.2:8000")
    assert wrong.status_code == 400 and wrong.get_json() == r.get_json()
    assert client.post("/web/login", json={"key": key + "x"}, base_url="https://192.0.2.2").status_code == 401
    assert client.post("/web/login", json={"key": key}, base_url="https://192.0.2.2").status_code == 200
    assert client.post("/web/login", json={"key": key}, base_url="http://localhost:8000").status_code == 200
    app.extensions["screening"].close()


def test_a_copied_session_cookie_expires_after_a_working_day(tmp_path):
    import datetime as dt
    from unittest import mock

    app = create_app({"instance_path": str(tmp_path / "keys")})
    key = app.extensions["screening"].store.create_key("红土乡信息员", ["screen"])
    client = app.test_client()
    https = {"base_url": "https://localhost"}
    r = client.post("/web/login", json={"key": key}, **https)
    assert "Expires=" in r.headers["Set-Cookie"]
    csrf = {"X-CSRF-Token": r.get_json()["csrf"]}
    assert client.post("/api/v1/screen", json=MEETING, headers=csrf, **https).status_code == 200
    later = dt.datetime.now() + dt.timedelta(hours=9)
    with mock.patch("itsdangerous.timed.time.time", return_value=later.timestamp()):
        assert client.post("/api/v1/screen", json=MEETING, headers=csrf, **https).status_code == 401
    app.extensions["screening"].close()


def test_signing_out_or_revoking_the_key_ends_every_copy_of_the_session(tmp_path, capsys):
    from screening.cli import main
    from screening.settings import database_url

    app = create_app({"instance_path": str(tmp_path / "keys")})
    key = app.extensions["screening"].store.create_key("红土乡信息员", ["screen"])
    https = {"base_url": "https://localhost"}
    first, copy = app.test_client(), app.test_client()
    csrf = {"X-CSRF-Token": first.post("/web/login", json={"key": key}, **https).get_json()["csrf"]}
    copy.set_cookie("session", first.get_cookie("session").value, domain="localhost")  # a copied cookie
    assert copy.post("/api/v1/screen", json=MEETING, headers=csrf, **https).status_code == 200
    r = first.post("/api/v1/screen", json=MEETING, headers={"X-CSRF-Token": "é"}, **https)
    assert r.status_code == 403  # a token that is not ASCII is a wrong token, not a 500
    # signing in again ends the session the cookie held: its copy does not outlive the logout
    csrf = {"X-CSRF-Token": first.post("/web/login", json={"key": key}, **https).get_json()["csrf"]}
    first.post("/web/logout", headers=csrf, **https)
    assert copy.post("/api/v1/screen", json=MEETING, headers=csrf, **https).status_code == 401
    assert 'id="login-form"' in copy.get("/", **https).get_data(as_text=True)

    # revoking the key (CLI) ends its page sessions and the key itself
    csrf = {"X-CSRF-Token": first.post("/web/login", json={"key": key}, **https).get_json()["csrf"]}
    assert first.post("/api/v1/screen", json=MEETING, headers=csrf, **https).status_code == 200
    url = database_url(app.extensions["screening"].settings)
    assert main(["keys", "list", "--database", url]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 1 and "红土乡信息员" in listed[0] and "有效" in listed[0] and key not in listed[0]
    created = dt.datetime.strptime(listed[0].split("\t")[3], "%Y-%m-%d %H:%M").replace(tzinfo=CHINA_TZ)
    assert abs(created - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)  # Beijing time, as everywhere
    key_id = listed[0].split("\t")[0]
    assert main(["keys", "revoke", key_id, "--database", url]) == 0
    app.extensions["screening"]._keys_checked = (0.0, False)  # look again: revoking the last key keeps auth on
    assert first.post("/api/v1/screen", json=MEETING, headers=csrf, **https).status_code == 401
    assert first.post("/api/v1/screen", json=MEETING, headers={"Authorization": f"Bearer {key}"}, **https).status_code == 401
    assert first.post("/web/login", json={"key": key}, **https).status_code == 401
    assert main(["keys", "revoke", key_id, "--database", url]) == 2  # already revoked: said so, exit 2
    assert main(["keys", "list", "--database", url]) == 0 and "已吊销" in capsys.readouterr().out
    app.extensions["screening"].close()


def test_a_browser_gets_a_page_for_an_address_that_does_not_exist(client):
    # what Chromium sends: werkzeug's "best" match of it is application/signed-exchange, not HTML
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                         "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"}
    r = client.get("/no-such-page", headers=browser)
    assert r.status_code == 404 and r.mimetype == "text/html" and "返回筛查页面" in r.get_data(as_text=True)
    # API clients keep the JSON shape, whatever they accept
    assert client.get("/no-such-page").get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/nothing", headers=browser).get_json()["error"]["code"] == "not_found"

"""The HTTP service: every endpoint, every error path, auth scopes, and a real `screening serve`."""

import json
import re
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from screening.store import schema
from screening.store.db import Store
from service import create_app
from service.launcher import free_port, served
from conftest import check_fixture

MEETING = check_fixture("low_value")["flagged"][0]["draft"]
GOOD = check_fixture("low_value")["ok"][0]["draft"]


def error_of(response):
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    return body["error"]


def test_screen_returns_a_contract_report(client):
    r = client.post("/api/v1/screen", json={**MEETING, "id": "D1"})
    assert r.status_code == 200
    report = r.get_json()
    assert report["id"] == "D1" and report["verdict"] == "reject"
    assert report["low_value"]["label"] == "meeting"
    assert {f["code"] for f in report["flags"]} >= {"low_value.meeting"}
    assert list(report["elements"]) == ["situation", "problem", "case", "data", "analysis", "recommendation"]


def test_batch_keeps_order_and_names_the_bad_draft(client):
    r = client.post("/api/v1/screen/batch", json={"drafts": [{**GOOD, "id": "A"}, {**MEETING, "id": "B"}]})
    assert [rep["id"] for rep in r.get_json()["reports"]] == ["A", "B"]
    r = client.post("/api/v1/screen/batch", json={"drafts": [GOOD, {"title": "标题"}]})
    assert r.status_code == 400 and error_of(r)["field"] == "drafts[1].body"
    assert error_of(client.post("/api/v1/screen/batch", json={"drafts": "x"}))["field"] == "drafts"
    assert error_of(client.post("/api/v1/screen/batch", json=[1]))["field"] == "drafts"


def test_batch_limit(tmp_path):
    app = create_app({"instance_path": str(tmp_path), "max_batch": 2})
    r = app.test_client().post("/api/v1/screen/batch", json={"drafts": [GOOD] * 3})
    assert r.status_code == 413 and error_of(r)["field"] == "drafts"
    app.extensions["screening"].close()


@pytest.mark.parametrize("payload,status,field", [
    ({"body": "正文"}, 400, "title"),
    ({"title": "标题", "body": 12}, 400, "body"),
    ({"title": "标题", "body": "正文", "event_date": "2026-02-30"}, 422, "event_date"),
    ({"title": "标题", "body": "正文", "kind": "weekly"}, 422, "kind"),
    ({"title": "标" * 201, "body": "正文"}, 413, "title"),
    (["not", "an", "object"], 400, "draft"),
])
def test_bad_drafts(client, payload, status, field):
    r = client.post("/api/v1/screen", json=payload)
    assert r.status_code == status and error_of(r)["field"] == field


def test_bad_requests(client, tmp_path):
    assert client.post("/api/v1/screen", data="{}", content_type="text/plain").status_code == 415
    r = client.post("/api/v1/screen", data="{broken", content_type="application/json")
    assert r.status_code == 400 and error_of(r)["field"] == "request_body"
    r = client.get("/api/v1/screen")
    assert r.status_code == 405 and error_of(r)["code"] == "method_not_allowed"
    assert error_of(client.get("/nowhere"))["code"] == "not_found"
    r = client.post("/api/v1/screen", data="null", content_type="application/json")  # JSON, not an object
    assert r.status_code == 400 and "JSON 对象" in error_of(r)["message"]
    small = create_app({"instance_path": str(tmp_path / "s"), "max_request_bytes": 1000})
    r = small.test_client().post("/api/v1/screen", json={"title": "标题", "body": "字" * 2000})
    assert r.status_code == 413 and error_of(r)["code"] == "too_large"
    # the error names the request as a whole (not the draft's 正文) and says what the limit is
    assert error_of(r)["field"] == "request_body" and "1,000 字节" in error_of(r)["message"]
    small.extensions["screening"].close()


def test_a_full_batch_of_ordinary_drafts_fits_the_default_request_limit(client):
    """500 drafts of 1,500 characters, as json.dumps writes them (every character as \\uXXXX):
    4.1 MB, which the default limit must take (the contract limits drafts, not bytes)."""
    body = "今年以来，全县新建高标准农田1.2万亩，带动农户增收。" * 58
    drafts = [{"id": f"b{i}", "title": f"某县推进高标准农田建设（{i}）", "body": body[:1500]} for i in range(500)]
    payload = json.dumps({"drafts": drafts})
    assert len(payload) > 4_000_000
    r = client.post("/api/v1/screen/batch", data=payload, content_type="application/json")
    assert r.status_code == 200 and [x["id"] for x in r.get_json()["reports"]] == [d["id"] for d in drafts]


def test_registered_items_are_checked_against(client):
    r = client.post("/api/v1/items", json={**GOOD, "id": "H-9", "submitted_at": "2026-05-01T09:00:00+08:00"})
    assert r.status_code == 201 and r.get_json()["id"] == "H-9"
    report = client.post("/api/v1/screen", json=GOOD).get_json()
    assert report["duplicates"][0]["id"] == "H-9"
    assert "duplicate" in {f["code"] for f in report["flags"]}
    r = client.post("/api/v1/items", json={"id": "H-9", "title": "另一篇", "body": "不同的正文内容。"})
    assert r.status_code == 409 and error_of(r)["field"] == "title"  # what differs (it used to be "id")


def test_openapi_describes_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert {"/api/v1/screen", "/api/v1/screen/batch", "/api/v1/items"} <= set(doc["paths"])
    report = client.post("/api/v1/screen", json=GOOD).get_json()
    assert set(doc["components"]["schemas"]["Report"]["required"]) <= set(report)


@pytest.mark.parametrize("component, path, payload", [
    ("Outcome", "/api/v1/items/T1/outcome", {"result": "rejected", "reason": "other", "publication": "xinhua"}),
    ("Outcome", "/api/v1/items/T1/outcome", {"result": "adopted", "publication": "qinghai", "as_kind": "single",
                                             "reason": 5}),
    ("Outcome", "/api/v1/items/T1/outcome", {"result": "rejected", "reason": "other", "as_kind": 5}),
    ("Units", "/api/v1/units", {"units": [{"name": "\u200b", "type": "county"}]}),
    ("Solicitation", "/api/v1/solicitations", {"topic": "秋粮收购", "deadline": "2026-12-25", "units": ["\u200b"]}),
    ("Solicitation", "/api/v1/solicitations", {"topic": "秋粮收购", "deadline": "2026-12-25", "units": ["乐都区"],
                                               "created_by": 5}),
])
def test_the_document_does_not_promise_what_the_service_refuses(client, component, path, payload):
    import jsonschema_rs

    doc = client.get("/api/v1/openapi.json").get_json()
    schema = {"$ref": f"#/components/schemas/{component}", "components": doc["components"]}
    assert client.post("/api/v1/items", json={**GOOD, "id": "T1"}).status_code == 201
    assert 400 <= client.post(path, json=payload).status_code < 500
    assert not jsonschema_rs.is_valid(schema, payload)
    # and what it does promise is taken: a rejection naming the one publication that declined
    declined = {"result": "rejected", "reason": "other", "publication": "state_council"}
    assert jsonschema_rs.is_valid({**schema, "$ref": "#/components/schemas/Outcome"}, declined)
    assert client.post("/api/v1/items/T1/outcome", json=declined).status_code == 201


def test_health_ready_and_metrics(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "ready" and ready["store"] is True and ready["model_version"]
    client.post("/api/v1/screen", json=MEETING)
    text = client.get("/metrics").get_data(as_text=True)
    assert "screening_requests_total" in text and 'screening_flags_total{code="low_value.meeting"}' in text
    assert "screening_request_seconds_bucket" in text and "screening_model_info" in text


MODEL_INFO = re.compile(r'^screening_model_info\{version="([^"]+)"\} (\S+)$', re.M)


@pytest.fixture
def two_versions(tmp_path):
    """A models folder holding the shipped model (current) and a copy saved as version "vnext"."""
    from screening.models import artifact

    shipped = artifact.default_models_dir()
    if artifact.current_version(shipped) is None:
        pytest.skip("no shipped model")
    folder = tmp_path / "models"
    folder.mkdir()
    model = artifact.load(shipped / artifact.current_version(shipped))
    first = model.version
    artifact.save(model, {"created": "copy"}, folder)
    model.version = "vnext"  # the version a loaded model reports is its own, not its folder's name
    artifact.save(model, {"created": "copy"}, folder)
    (folder / artifact.CURRENT).write_text(first + "\n", "utf-8")
    return folder, first, "vnext"


def models_at_one(text):
    """The versions screening_model_info shows with value 1 in a /metrics answer."""
    return {version for version, value in MODEL_INFO.findall(text) if float(value) == 1.0}


def test_readyz_and_metrics_follow_a_model_switch_without_a_screening_request(tmp_path, two_versions):
    from screening.models.registry import promote, rollback

    folder, first, second = two_versions
    app = create_app({"instance_path": str(tmp_path / "instance"), "model_dir": str(folder)})
    client = app.test_client()
    try:
        assert client.get("/readyz").get_json()["model_version"] == first
        assert models_at_one(client.get("/metrics").get_data(as_text=True)) == {first}
        for switch, expected in ((lambda: promote(folder, second), second), (lambda: rollback(folder), first)):
            switch()
            time.sleep(1.05)  # a process looks at current.txt once a second at most
            assert client.get("/readyz").get_json()["model_version"] == expected
            assert models_at_one(client.get("/metrics").get_data(as_text=True)) == {expected}
            # and a screening request uses that same version
            assert client.post("/api/v1/screen", json=GOOD).get_json()["model_version"] == expected
    finally:
        app.extensions["screening"].close()


def test_a_folder_named_otherwise_than_its_model_is_loaded_once_and_audited_once(tmp_path, two_versions):
    import shutil

    from screening.models.registry import promote

    folder, first, _second = two_versions
    shutil.copytree(folder / first, folder / "copied")  # the folder's name is not the version inside
    app = create_app({"instance_path": str(tmp_path / "instance"), "model_dir": str(folder)})
    state = app.extensions["screening"]
    try:
        promote(folder, "copied")
        for _ in range(3):  # three looks at current.txt, a second apart
            time.sleep(1.05)
            assert state.model_in_use() == first
        loads = [r for r in state.store.model_audit() if r["action"] == "loaded"]
        assert len(loads) == 1 and loads[0]["details"]["folder"] == "copied"
    finally:
        state.close()


def test_logs_carry_no_draft_text(client, caplog):
    with caplog.at_level(logging.INFO, logger="screening.service"):
        client.post("/api/v1/screen", json=MEETING)
    assert caplog.records
    assert all(MEETING["title"] not in r.getMessage() and "会议" not in r.getMessage() for r in caplog.records)


def test_api_keys_and_scopes(app, client):
    store = app.extensions["screening"].store
    # Loopback without keys: open.
    assert client.post("/api/v1/screen", json=GOOD).status_code == 200
    screen_key = store.create_key("submission system", ["screen"])
    admin_key = store.create_key("office", ["admin"])
    app.extensions["screening"]._keys_checked = (0.0, False)  # do not wait for the 5 s re-check
    r = client.post("/api/v1/screen", json=GOOD)
    assert r.status_code == 401 and error_of(r)["field"] == "Authorization"
    assert client.post("/api/v1/screen", json=GOOD, headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = client.post("/api/v1/screen", json=GOOD, headers={"Authorization": f"Bearer {screen_key}"})
    assert ok.status_code == 200
    r = client.post("/api/v1/items", json=GOOD, headers={"X-API-Key": screen_key})
    assert r.status_code == 403
    assert client.post("/api/v1/items", json=GOOD, headers={"X-API-Key": admin_key}).status_code == 201
    assert client.get("/healthz").status_code == 200  # probes need no key


def test_auth_on_and_off(tmp_path):
    on = create_app({"instance_path": str(tmp_path / "a"), "auth": "on"})
    assert on.test_client().post("/api/v1/screen", json=GOOD).status_code == 401
    on.extensions["screening"].close()
    off = create_app({"instance_path": str(tmp_path / "b"), "auth": "off", "host": "0.0.0.0"})
    assert off.test_client().post("/api/v1/screen", json=GOOD).status_code == 200
    off.extensions["screening"].close()


def _post(url, payload):
    req = urllib.request.Request(url, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as response:
        return response.status, json.loads(response.read())


def test_real_server_over_http(tmp_path):
    with served(tmp_path / "instance", workers=2) as base:
        status, report = _post(base + "/api/v1/screen", MEETING)
        assert status == 200 and report["low_value"]["label"] == "meeting"
        audit = Store(f"sqlite:///{tmp_path / 'instance' / 'screening.db'}")
        with audit.engine.connect() as conn:
            rows = conn.execute(schema.model_audit.select()).all()
        audit.close()
        assert [(r.version, r.action) for r in rows] == [(report["model_version"], "served")]
        status, stored = _post(base + "/api/v1/items", {**GOOD, "id": "R1"})
        assert status == 201
        # Two workers: whichever answers must see the item the other stored (within a second).
        time.sleep(0.2)
        for _ in range(4):
            status, report = _post(base + "/api/v1/screen", GOOD)
            assert report["duplicates"] and report["duplicates"][0]["id"] == "R1"
        # both workers' counts are collected: 5 screenings and the registration's, whoever answered
        metrics = urllib.request.urlopen(base + "/metrics", timeout=10).read().decode()
        screened = re.search(r"^screening_drafts_screened_total (\S+)$", metrics, re.M)
        assert screened and float(screened.group(1)) == 6.0, metrics[:500]


def test_real_server_reports_one_model_version_after_a_switch(tmp_path, two_versions):
    """Under gunicorn: the master set the first version before the fork, the workers switch on
    their own; /metrics must name only the version in use, /readyz the same, on every worker."""
    from screening.models.registry import promote, rollback

    folder, first, second = two_versions

    def answers(path, times=6):  # several connections, so that both workers answer
        return [urllib.request.urlopen(base + path, timeout=10).read().decode() for _ in range(times)]

    with served(tmp_path / "instance", workers=2, env={"SCREENING_MODEL_DIR": str(folder)}) as base:
        assert [models_at_one(text) for text in answers("/metrics")] == [{first}] * 6
        for switch, expected in ((lambda: promote(folder, second), second), (lambda: rollback(folder), first)):
            switch()
            time.sleep(1.1)  # each worker looks at current.txt once a second at most
            assert {json.loads(text)["model_version"] for text in answers("/readyz")} == {expected}
            assert [models_at_one(text) for text in answers("/metrics")] == [{expected}] * 6
            status, report = _post(base + "/api/v1/screen", GOOD)
            assert report["model_version"] == expected


def _refusal(url, headers=None):
    try:
        urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), json.loads(error.read())
    raise AssertionError("the server accepted the request")


def test_requests_gunicorn_refuses_itself_get_the_json_error_shape(tmp_path):
    # gunicorn answers these before the app sees them; its own answer is an HTML page.
    with served(tmp_path / "instance", workers=1) as base:
        status, content_type, body = _refusal(base + "/api/v1/screen?" + "q=" * 3000)
        assert (status, body["error"]["field"], body["error"]["code"]) == (414, "url", "uri_too_long")
        assert content_type.startswith("application/json") and "URL" in body["error"]["message"]
        status, _type, body = _refusal(base + "/healthz", {f"X-Filler-{i}": "x" for i in range(120)})
        assert (status, body["error"]["field"]) == (431, "headers")
        status, _type, body = _refusal(base + "/healthz", {"X-Filler": "x" * 9000})
        assert (status, body["error"]["field"]) == (431, "headers")
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as raw:
            raw.sendall(b"NOT AN HTTP REQUEST\r\n\r\n")
            head, _, payload = raw.makefile("rb").read().partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400") and json.loads(payload)["error"]["field"] == "request"
        for broken in (b"zz\r\nabc\r\n0\r\n\r\n", b"5\r\nabcdeX0\r\n\r\n"):  # bad size; no CRLF after a chunk
            with socket.create_connection((host, int(port)), timeout=10) as raw:
                raw.sendall(b"POST /api/v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + broken)
                head, _, payload = raw.makefile("rb").read().partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 400") and json.loads(payload)["error"]["field"] == "request_body", head
        # the worker still serves after refusing
        assert urllib.request.urlopen(base + "/healthz", timeout=10).status == 200


def test_serve_refuses_open_network_binding_without_keys(tmp_path):
    env = {**os.environ, "SCREENING_INSTANCE_PATH": str(tmp_path / "instance")}
    done = subprocess.run([sys.executable, "-m", "screening.cli", "serve", "--host", "0.0.0.0",
                           "--port", str(free_port())], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "API 密钥" in done.stderr

"""The report has exactly the contract's shape, whatever the draft."""

import json

from screening.report import ELEMENTS
from conftest import check_fixture

CONTRACT_KEYS = {"verdict", "low_value", "elements", "duplicates", "flags", "model_version", "elapsed_ms"}


def _all_fixture_drafts():
    for name in ("low_value", "missing_elements", "late", "title", "multi_event", "unreviewed"):
        fixture = check_fixture(name)
        for case in fixture["flagged"] + fixture["ok"]:
            yield case["draft"]


def test_report_shape(screener):
    for draft in _all_fixture_drafts():
        report = screener.screen({**draft, "id": "X-1"})
        out = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
        assert CONTRACT_KEYS <= set(out) and out["id"] == "X-1"
        assert out["verdict"] in ("pass", "revise", "reject")
        lv = out["low_value"]
        assert lv["label"] in ("none", "meeting", "visit")
        assert set(lv["probabilities"]) == {"none", "meeting", "visit"}
        assert abs(sum(lv["probabilities"].values()) - 1) < 1e-3
        assert lv["label"] == max(lv["probabilities"], key=lv["probabilities"].get)
        assert list(out["elements"]) == list(ELEMENTS)
        for key, element in out["elements"].items():
            assert isinstance(element["present"], bool)
            assert element["present"] == bool(element["evidence"]) or key == "situation"
        for flag in out["flags"]:
            assert flag["severity"] in ("error", "warning", "info")
            assert flag["message"] and isinstance(flag["spans"], list)
        spans = [s for f in out["flags"] for s in f["spans"]] + [
            s for e in out["elements"].values() for s in e["evidence"]]
        for span in spans:
            text = draft[span["field"]]
            assert 0 <= span["start"] < span["end"] <= len(text)
        assert isinstance(out["elapsed_ms"], float) and out["model_version"]


def test_no_id_no_id_key(screener):
    out = screener.screen({"title": "红土乡春播进度过八成", "body": "全乡完成春播面积2.3万亩。"}).to_dict()
    assert "id" not in out


def test_verdict_policy(screener):
    fixture = check_fixture("low_value")
    assert screener.screen(fixture["flagged"][0]["draft"]).verdict == "reject"
    ok = screener.screen(fixture["ok"][0]["draft"])
    assert ok.verdict == "pass", [f.code for f in ok.flags]
    revise = screener.screen({"title": "城关街道推行楼栋长制度提升社区治理水平",
                              "body": "城关街道在各社区推行楼栋长制度，由热心居民担任楼栋长，负责收集居民诉求。"})
    assert revise.verdict == "revise"
    assert {f.severity for f in revise.flags} == {"warning"}


def test_meeting_with_results_is_not_low_value(screener):
    draft = {"title": "全县重点项目推进会通报：前三季度完成投资42.6亿元",
             "body": "10月12日，县政府召开重点项目推进会。前三季度，全县68个重点项目完成投资42.6亿元，占年度计划的81%，"
                     "同比增长9.4%；其中新开工项目23个，竣工投产项目11个，新增就业岗位2300个。"
                     "会上对进度滞后的5个项目逐一明确了责任单位和完成时限，要求年底前全部追上进度。"}
    assert screener.screen(draft).low_value.label == "none"


def test_spans_are_offsets_into_the_text_as_sent(screener):
    draft = check_fixture("low_value")["flagged"][0]["draft"]
    padded = {**draft, "title": "  " + draft["title"], "body": "\n\u3000" + draft["body"]}
    plain = screener.screen(draft).to_dict()
    moved = screener.screen(padded).to_dict()
    for a, b in zip(plain["flags"], moved["flags"]):
        for sa, sb in zip(a["spans"], b["spans"]):
            assert sb["start"] == sa["start"] + 2  # two characters trimmed before title and body
            assert padded[sb["field"]][sb["start"]:sb["end"]] == draft[sa["field"]][sa["start"]:sa["end"]]

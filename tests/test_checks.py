"""Fixture texts per check: every flagged example raises exactly its codes, every OK one none."""

import re

import pytest

from screening.checks import REGISTRY, all_codes
from conftest import FIXTURES, check_fixture, fixture_screener

CHECK_NAMES = sorted(REGISTRY)


def _screened(name, section):
    """(draft title, codes of this check raised, codes expected) for each case of a fixture section."""
    fixture = check_fixture(name)
    screener = fixture_screener(fixture)
    check = REGISTRY[name]
    for case in fixture[section]:
        report = screener.screen(case["draft"])
        raised = sorted(f.code for f in report.flags if f.code in check.codes)
        yield case["draft"]["title"], raised, sorted(case.get("expect", []))


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_flagged_examples_raise_their_codes(name):
    for title, raised, expected in _screened(name, "flagged"):
        assert raised == expected, title


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_ok_examples_raise_nothing(name):
    for title, raised, _expected in _screened(name, "ok"):
        assert raised == [], title


def test_every_check_has_fixtures_for_every_code():
    for name, check in REGISTRY.items():
        path = FIXTURES / "checks" / f"{name}.json"
        assert path.exists(), f"check {name} has no fixture file"
        fixture = check_fixture(name)
        assert fixture["ok"], f"check {name} has no OK example"
        flagged = {code for case in fixture["flagged"] for code in case["expect"]}
        untested = set(check.codes) - flagged - {c for c in check.codes if c.startswith("missing.")}
        assert not untested, f"codes without a flagged example: {untested}"


def test_every_check_explains_itself_to_officers_in_chinese():
    # `screening rule CODE` prints the check's docstring: officers read it, so it is Chinese.
    for name, check in REGISTRY.items():
        doc = check.doc
        for part in ("检查什么", "为什么", "示例", "建议写法"):
            assert part in doc, f"check {name} doc lacks {part!r}"
        english = re.findall(r"[A-Za-z]+(?: [A-Za-z]+){2,}", doc)
        assert not english, f"check {name} doc has English prose: {english}"


def test_code_table_covers_the_contract_codes():
    codes = set(all_codes())
    contract = {"low_value.meeting", "low_value.visit", "duplicate", "late", "emergency.late",
                "title.too_long", "title.too_short", "title.vague", "multi_event", "unreviewed"}
    contract |= {f"missing.{e}" for e in ("situation", "problem", "case", "data", "analysis", "recommendation")}
    assert contract <= codes


def test_every_built_in_code_has_a_name_officers_read():
    from screening.checks import CODE_NAMES, code_name

    assert set(CODE_NAMES) == set(all_codes())
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in CODE_NAMES.values())
    assert code_name("x.unknown") == "x.unknown"


def test_spans_point_at_the_evidence():
    fixture = check_fixture("low_value")
    report = fixture_screener(fixture).screen(fixture["flagged"][0]["draft"])
    finding = next(f for f in report.flags if f.code == "low_value.meeting")
    title = fixture["flagged"][0]["draft"]["title"]
    title_spans = [s for s in finding.spans if s.field == "title"]
    assert title_spans and title[title_spans[0].start:title_spans[0].end] in ("召开", "学习", "中心组", "会议")


def test_settings_can_ignore_and_reseverity(screener):
    from screening import Screener, Settings

    fixture = check_fixture("title")
    draft = fixture["flagged"][2]["draft"]
    quiet = Screener(Settings.from_mapping({"ignore": ["title."]}))
    assert not [f for f in quiet.screen(draft).flags if f.code.startswith("title.")]
    soft = Screener(Settings.from_mapping({"severity": {"title.vague": "info"}}))
    vague = [f for f in soft.screen(draft).flags if f.code == "title.vague"]
    assert vague and vague[0].severity == "info"


def test_a_missing_recommendation_points_at_an_empty_next_step(screener):
    body = ("今年以来，红土乡新建村级电商服务站12个，帮助农户线上销售土豆、蚕豆等农产品860吨，销售额达到410万元。\n"
            "下一步，红土乡将继续深化农村电商工作，不断完善服务体系，持续提升服务水平，努力推动农民增收。")
    report = screener.screen({"title": "红土乡村级电商服务站带动农产品线上销售410万元", "body": body})
    finding = next(f for f in report.flags if f.code == "missing.recommendation")
    assert "努力方向" in finding.message
    assert [body[s.start:s.end] for s in finding.spans] == [body.split("\n")[1]]
    # without such a sentence, the message says only that none was found
    report = screener.screen({"title": "红土乡村级电商服务站带动农产品线上销售410万元", "body": body.split("\n")[0]})
    finding = next(f for f in report.flags if f.code == "missing.recommendation")
    assert "未找到" in finding.message and finding.spans == ()


def test_unreviewed_says_how_many_of_its_figures_it_marks(screener):
    body = "；".join(f"第{i}个项目完成投资{i + 1}.5亿元" for i in range(1, 13)) + "。"
    finding = next(f for f in screener.screen({"title": "全县12个重点项目完成投资", "body": body}).flags
                   if f.code == "unreviewed")
    assert len(finding.spans) == 10 and "12 个重要数据" in finding.message and "已标出前 10 个" in finding.message


@pytest.mark.parametrize("reviewer", ["无", "暂无", " 无人 ", "-", "—", "/", "没有", "未", "空", "none", "N/A", "n/a", "Null"])
def test_a_placeholder_reviewer_is_no_reviewer(screener, reviewer):
    # officers write 无 or N/A to mean nobody; it used to count as a named reviewer
    draft = {**check_fixture("unreviewed")["flagged"][0]["draft"], "reviewer": reviewer}
    assert "unreviewed" in {f.code for f in screener.screen(draft).flags}
    named = {**draft, "reviewer": "县政府办主任"}
    assert "unreviewed" not in {f.code for f in screener.screen(named).flags}


def test_one_event_per_draft_points_at_each_events_opening_sentence():
    fixture = check_fixture("multi_event")
    draft = fixture["flagged"][0]["draft"]
    report = fixture_screener(fixture).screen(draft)
    finding = next(f for f in report.flags if f.code == "multi_event")
    marked = [draft["body"][s.start:s.end] for s in finding.spans]
    assert marked == [line.split("\n")[0].split("。")[0] + "。" for line in draft["body"].split("\n")]


@pytest.mark.parametrize("body,flagged", [
    # a diary run together in one paragraph: three dated events with nothing in common
    ("11月3日，县政府与某新能源公司签约光伏项目，总投资5亿元。11月10日，全县第五届职工运动会开幕，1200名职工参赛。"
     "11月15日，城东养老院投入使用，可提供床位200张。", True),
    # one event told day by day: its steps share the event's words
    ("11月3日，区长到城东安置小区现场办公，协调解决交房难题。11月10日，安置小区水电气全部接通。"
     "11月15日，安置小区首批320户群众拿到新房钥匙。", False),
    # two dated sentences are a chronology, not a diary
    ("11月3日，县政府与某新能源公司签约光伏项目，总投资5亿元。11月10日，全县第五届职工运动会开幕，1200名职工参赛。", False),
])
def test_several_events_run_together_in_one_paragraph(body, flagged):
    from screening import Screener, Settings

    report = Screener(Settings.from_mapping()).screen({"title": "县里近期工作", "body": body})
    assert ("multi_event" in {f.code for f in report.flags}) is flagged

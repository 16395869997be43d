import json

import pytest

from screening.cli import main
from conftest import SHARED_EVAL, base_draft, check_fixture


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_screen_jsonl_writes_one_report_a_line_in_order(tmp_path, capsys):
    rows = [base_draft(id=f"D{i}") for i in range(3)]
    assert main(["screen", str(write_jsonl(tmp_path / "in.jsonl", rows))]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(l)["id"] for l in lines] == ["D0", "D1", "D2"]


def test_bad_line_is_reported_with_line_and_field(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(base_draft(), ensure_ascii=False) + "\n{broken\n"
                    + json.dumps({"title": "标题", "body": 3}) + "\n", encoding="utf-8")
    assert main(["screen", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing half-done
    assert "第 2 行" in captured.err and "line" in captured.err
    assert "第 3 行" in captured.err and "body" in captured.err


def test_a_gbk_file_reads_as_the_same_drafts(tmp_path, capsys):
    # Excel and older Notepad on Chinese Windows save GBK; the reports are those of the UTF-8 file
    line = json.dumps(base_draft(), ensure_ascii=False)
    (tmp_path / "gbk.jsonl").write_bytes(line.encode("gbk"))
    (tmp_path / "utf8.jsonl").write_bytes(line.encode("utf-8"))
    reports = []
    for name in ("utf8.jsonl", "gbk.jsonl"):
        assert main(["screen", str(tmp_path / name), "--rules"]) == 0
        report = json.loads(capsys.readouterr().out)
        report.pop("elapsed_ms")
        reports.append(report)
    assert reports[0] == reports[1] and reports[0]["flags"]


def test_a_file_in_neither_utf8_nor_gbk_is_refused(tmp_path, capsys):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"title": "Café", "body": "naïve résumé"}'.encode("latin-1"))
    assert main(["screen", str(path)]) == 2
    assert "不是 UTF-8 或 GBK 编码" in capsys.readouterr().err


def test_missing_file_and_bad_arguments(tmp_path, capsys):
    assert main(["screen", str(tmp_path / "nope.jsonl")]) == 2
    with pytest.raises(SystemExit) as info:
        main(["screen"])
    assert info.value.code == 2


def test_txt_file_prints_a_chinese_summary(tmp_path, capsys):
    fixture = check_fixture("low_value")["flagged"][0]["draft"]
    path = tmp_path / "draft.txt"
    path.write_text(fixture["title"] + "\n" + fixture["body"], encoding="utf-8")
    assert main(["screen", str(path)]) == 0
    out = capsys.readouterr().out
    assert "结论：不宜报送" in out and "low_value.meeting" in out and "六要素" in out


def test_history_flags_a_duplicate(tmp_path, capsys):
    fixture = check_fixture("duplicate")
    history = write_jsonl(tmp_path / "h.jsonl", [{**h, "submitted_at": "2026-05-01T09:00:00+08:00"} for h in fixture["history"]])
    drafts = write_jsonl(tmp_path / "d.jsonl", [fixture["flagged"][0]["draft"], fixture["ok"][0]["draft"]])
    assert main(["screen", str(drafts), "--history", str(history)]) == 0
    first, second = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert first["duplicates"][0]["id"] == "H-1" and "duplicate" in {f["code"] for f in first["flags"]}
    flag = next(f for f in first["flags"] if f["code"] == "duplicate")
    assert flag["spans"] == [{"field": "title", "start": 0, "end": len(fixture["flagged"][0]["draft"]["title"])}]
    assert second["duplicates"] == []


def test_evaluate_prints_per_class_figures(tmp_path, capsys):
    fixture = check_fixture("low_value")
    rows = [{**c["draft"], "gold": {"low_value": c["expect"][0].split(".")[1], "elements": ["situation"]}}
            for c in fixture["flagged"]]
    rows += [{**c["draft"], "gold": {"low_value": "none", "elements": ["situation", "data"]}} for c in fixture["ok"]]
    assert main(["evaluate", str(write_jsonl(tmp_path / "set.jsonl", rows))]) == 0
    out = capsys.readouterr().out
    assert "macro-F1 = 1.000" in out and "meeting" in out and "recommendation" in out


@pytest.mark.skipif(not (SHARED_EVAL / "dev").exists(), reason="shared evaluation sets not present")
def test_evaluate_on_the_shared_timeliness_set(capsys):
    assert main(["evaluate", str(SHARED_EVAL / "dev" / "timeliness.jsonl"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 20 and 0 <= result["late_accuracy"] <= 1


def test_rule_explains_a_code(capsys):
    assert main(["rule", "multi_event"]) == 0
    assert "一事一报" in capsys.readouterr().out
    assert main(["rule"]) == 0
    assert "low_value.visit" in capsys.readouterr().out
    assert main(["rule", "no.such"]) == 2
    capsys.readouterr()
    # by a family, a Chinese name, and a code with what is particular to it
    assert main(["rule", "missing.case"]) == 0 and "本要素（事例）" in capsys.readouterr().out
    assert main(["rule", "迟报"]) == 0 and "突发事件迟报" in capsys.readouterr().out
    assert main(["rule", "title"]) == 0 and "标题问题" in capsys.readouterr().out
    assert main(["rule", "缺少事例"]) == 0 and "本要素（事例）" in capsys.readouterr().out  # an officers' name


def test_settings_file(tmp_path, capsys):
    settings = tmp_path / "s.toml"
    settings.write_text('ignore = ["title."]\n', encoding="utf-8")
    drafts = write_jsonl(tmp_path / "d.jsonl", [base_draft(title="春耕")])
    assert main(["--settings", str(settings), "screen", str(drafts)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert not [f for f in report["flags"] if f["code"].startswith("title.")]
    settings.write_text('no_such_setting = 1\n', encoding="utf-8")
    assert main(["--settings", str(settings), "screen", str(drafts)]) == 2


def test_help_is_in_chinese_and_every_option_is_explained(capsys):
    """Officers read --help: argparse's own words (usage, options, -h) are Chinese too, and no
    argument of any subcommand is left without a description."""
    import argparse

    from screening.cli import build_parser

    def parsers(parser):
        yield parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    yield from parsers(child)

    for parser in parsers(build_parser()):
        for action in parser._actions:
            if not isinstance(action, argparse._SubParsersAction):
                assert action.help, f"{parser.prog} {action.dest}"
    with pytest.raises(SystemExit):
        main(["screen", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：screening screen") and "显示本帮助并退出" in out
    assert not any(english in out for english in ("usage:", "options:", "positional arguments", "show this help"))

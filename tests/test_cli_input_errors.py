"""Bad input to the CLI: a Chinese message naming what is wrong and exit 2, never a traceback,
a silent fallback or a half-done job."""

import errno
import json

import pytest
from docx import Document

from screening.cli import main
from screening.solicitations import parse_deadline
from conftest import base_draft, check_fixture


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_a_line_separator_inside_a_json_string_does_not_split_the_line(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    # json.dumps(ensure_ascii=False) writes U+2028 raw: valid JSON, one line
    path.write_text(json.dumps(base_draft(body="全乡完成春播面积2.3万亩，\u2028占计划的85%。"), ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert main(["screen", str(path)]) == 0
    assert len(capsys.readouterr().out.strip().split("\n")) == 1


def test_deeply_nested_json_is_a_bad_line(tmp_path, capsys):
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert main(["screen", str(path)]) == 2
    assert "第 1 行" in capsys.readouterr().err


def test_nan_in_a_json_line_is_a_bad_line(tmp_path, capsys):
    path = tmp_path / "nan.jsonl"
    path.write_text('{"title":"县里召开会议","body":"正文","x":{"y":[1,NaN]}}\n', encoding="utf-8")
    assert main(["screen", str(path)]) == 2
    err = capsys.readouterr().err
    assert "x.y[1]" in err and "NaN" in err


def test_a_docx_draft_is_read_as_a_document(tmp_path, capsys):
    document = Document()
    document.add_paragraph("红土乡春播进度过八成")
    document.add_paragraph("全乡完成春播面积2.3万亩，占计划的85%。")
    document.save(tmp_path / "稿件.DOCX")
    assert main(["screen", str(tmp_path / "稿件.DOCX")]) == 0
    assert "《红土乡春播进度过八成》" in capsys.readouterr().out
    (tmp_path / "fake.docx").write_text("not a word file", encoding="utf-8")
    assert main(["screen", str(tmp_path / "fake.docx")]) == 2
    assert ".docx" in capsys.readouterr().err


@pytest.mark.parametrize("toml, name", [('late_days = "x"', "late_days"), ("required_elements = 5", "required_elements"),
                                        ('severity = {"missing.data" = "fatal"}', "severity"),
                                        ('ignore = "title."', "ignore"),
                                        ('[required_elements]\nsingle = ["foo"]', "required_elements"),
                                        ("late_days = nan", "late_days"), ("emergency_late_hours = inf", "emergency_late_hours"),
                                        # values that would silently switch a check off or flag everyone
                                        ("low_value_min_probability = 2.0", "low_value_min_probability"),
                                        ("burst_items = 0", "burst_items"), ("feedback_holdout_share = 5.0", "feedback_holdout_share"),
                                        ("title_min_chars = 100\ntitle_max_chars = 5", "title_min_chars"),
                                        ('ignore = ["lowvalue.meeting"]', "ignore"),
                                        ('[severity]\n"nonexistent.code" = "info"', "severity"),
                                        ("workers = 100000", "workers"), ("late_days = ", "TOML")])
def test_settings_of_the_wrong_type_are_refused(tmp_path, capsys, toml, name):
    settings = tmp_path / "s.toml"
    settings.write_text(toml + "\n", encoding="utf-8")
    drafts = write_jsonl(tmp_path / "d.jsonl", [base_draft()])
    assert main(["--settings", str(settings), "screen", str(drafts)]) == 2
    assert name in capsys.readouterr().err


def test_environment_variables_override_the_settings_file(tmp_path, capsys, monkeypatch):
    drafts = write_jsonl(tmp_path / "d.jsonl", [base_draft(title="春耕")])
    monkeypatch.setenv("SCREENING_IGNORE", '["title."]')
    assert main(["screen", str(drafts)]) == 0
    assert not [f for f in json.loads(capsys.readouterr().out)["flags"] if f["code"].startswith("title.")]
    monkeypatch.setenv("SCREENING_LATE_DAYS", "three")
    assert main(["screen", str(drafts)]) == 2
    assert "SCREENING_LATE_DAYS" in capsys.readouterr().err
    monkeypatch.setenv("SCREENING_LATE_DAYS", "2.5")  # fractional, as a settings file may give it
    assert main(["screen", str(drafts)]) == 0
    capsys.readouterr()
    monkeypatch.setenv("SCREENING_LATE_DAYS", "nan")  # float() takes it; no day count is NaN
    assert main(["screen", str(drafts)]) == 2
    assert "late_days" in capsys.readouterr().err
    monkeypatch.setenv("SCREENING_PORT", "80.5")  # a port stays a whole number
    assert main(["serve"]) == 2
    assert "SCREENING_PORT" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["foo://bar", "sqlite:////no/such/folder/x.db", "postgresql://u@127.0.0.1:1/x"])
def test_a_database_that_cannot_be_opened(tmp_path, capsys, url):
    assert main(["items", "remove", "X", "--database", url]) == 2
    assert "无法打开数据库" in capsys.readouterr().err


def test_history_items_need_a_time_and_later_ones_are_not_repeated(tmp_path, capsys):
    fixture = check_fixture("duplicate")
    draft = {**fixture["flagged"][0]["draft"], "submitted_at": "2026-05-01T09:00:00+08:00"}
    drafts = write_jsonl(tmp_path / "d.jsonl", [draft])
    later = write_jsonl(tmp_path / "later.jsonl", [{**h, "submitted_at": "2026-06-01T09:00:00+08:00"} for h in fixture["history"]])
    assert main(["screen", str(drafts), "--history", str(later)]) == 0
    assert json.loads(capsys.readouterr().out)["duplicates"] == []  # a later item cannot be repeated
    undated = write_jsonl(tmp_path / "undated.jsonl", [{k: v for k, v in h.items() if k != "submitted_at"}
                                                       for h in fixture["history"]])
    assert main(["screen", str(drafts), "--history", str(undated)]) == 2
    assert "submitted_at" in capsys.readouterr().err
    # one id for two texts: the message names the history file and both lines
    first = {**fixture["history"][0], "submitted_at": "2026-04-01T09:00:00+08:00"}
    clash = write_jsonl(tmp_path / "clash.jsonl", [first, {**first, "body": first["body"] + "另有一段不同的正文。"}])
    assert main(["screen", str(drafts), "--history", str(clash)]) == 2
    err = capsys.readouterr().err
    # the field is the one that differs (the body), the message still names the id
    assert str(clash) in err and "第 2 行" in err and "第 1 行" in err and "字段 body" in err and "编号 H-1" in err


def test_an_empty_history_is_no_history(tmp_path, capsys):
    # a unit's first item has no earlier ones: the file is empty (it used to be an error, exit 2)
    drafts = write_jsonl(tmp_path / "d.jsonl", [base_draft(), base_draft(title="红土乡春播进度过九成")])
    for content in ("", "\n\n"):
        (tmp_path / "h.jsonl").write_text(content, encoding="utf-8")
        assert main(["screen", str(drafts), "--history", str(tmp_path / "h.jsonl")]) == 0
        reports = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert len(reports) == 2 and all(r["duplicates"] == [] for r in reports)


def test_a_history_file_that_cannot_be_read_names_history(tmp_path, capsys):
    drafts = write_jsonl(tmp_path / "d.jsonl", [base_draft()])
    (tmp_path / "latin1.jsonl").write_bytes('{"id":"H1","title":"\u6807\u9898"}\n'.encode() + b"\xff\n")
    for history in (tmp_path / "nope.jsonl", tmp_path / "latin1.jsonl"):
        assert main(["screen", str(drafts), "--history", str(history)]) == 2
        captured = capsys.readouterr()  # it used to say "字段 file", the drafts' file as it were
        assert captured.out == "" and "字段 history" in captured.err and "字段 file" not in captured.err
        assert str(history) in captured.err


def test_a_missing_model_folder_is_an_error_not_a_fallback(tmp_path, capsys):
    settings = tmp_path / "s.toml"
    settings.write_text(f'model_dir = "{tmp_path / "nope"}"\n', encoding="utf-8")
    drafts = write_jsonl(tmp_path / "d.jsonl", [base_draft()])
    assert main(["--settings", str(settings), "screen", str(drafts)]) == 2
    assert "模型目录" in capsys.readouterr().err
    for version in ("..", ".", ""):
        assert main(["models", "promote", version]) == 2


@pytest.mark.parametrize("gold, field", [({"low_value": "boring", "elements": []}, "gold.low_value"),
                                         ({"low_value": "none", "elements": "data"}, "gold.elements"),
                                         ({"low_value": "none"}, "gold.elements")])
def test_evaluate_refuses_a_mislabelled_set(tmp_path, capsys, gold, field):
    rows = [{**base_draft(), "gold": {"low_value": "none", "elements": ["situation"]}}, {**base_draft(), "gold": gold}]
    assert main(["evaluate", str(write_jsonl(tmp_path / "set.jsonl", rows))]) == 2
    err = capsys.readouterr().err
    assert "第 2 行" in err and field in err


def test_evaluate_refuses_a_timeliness_label_that_is_not_a_boolean(tmp_path, capsys):
    rows = [{**base_draft(), "gold": {"late": "no"}}]
    assert main(["evaluate", str(write_jsonl(tmp_path / "set.jsonl", rows))]) == 2
    assert "gold.late" in capsys.readouterr().err


def test_training_arguments_are_checked_before_training(tmp_path, capsys):
    assert main(["train", "--folds", "1", "--models", str(tmp_path / "m")]) == 2
    assert main(["train", "--eval", "noequals", "--models", str(tmp_path / "m")]) == 2
    assert main(["train", "--eval", f"dev={tmp_path / 'nope.jsonl'}", "--models", str(tmp_path / "m")]) == 2
    assert main(["train", "--corpus", str(tmp_path / "empty"), "--models", str(tmp_path / "m")]) == 2
    assert not (tmp_path / "m").exists()  # nothing was trained
    assert main(["corpus-check", "--eval", str(tmp_path / "nope")]) == 2
    assert "评估集目录" in capsys.readouterr().err


def test_items_add_stores_nothing_when_a_file_repeats_an_id(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.db'}"
    rows = [base_draft(id="Q1"), base_draft(id="Q2"), base_draft(id="Q1", body="全乡完成春播面积3万亩。")]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join([json.dumps(rows[0]), "", *map(json.dumps, rows[1:])]) + "\n", encoding="utf-8")
    assert main(["items", "add", str(path), "--database", url]) == 2
    captured = capsys.readouterr()
    # the message names the line that clashes and the one it clashes with (a blank line counts)
    assert captured.out == "" and "Q1" in captured.err
    assert "第 4 行（与第 1 行编号相同）" in captured.err and "d.jsonl：" in captured.err  # and the file


def test_items_add_stores_nothing_when_a_later_copy_names_another_time(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.db'}"
    untimed = {k: v for k, v in base_draft(id="A1").items() if k != "submitted_at"}
    rows = [untimed, base_draft(id="A1")]  # the first is stored at its receipt time; the second names another
    assert main(["items", "add", str(write_jsonl(tmp_path / "d.jsonl", rows)), "--database", url]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "第 2 行" in captured.err and "submitted_at" in captured.err
    assert main(["items", "remove", "A1", "--database", url]) == 2  # nothing was stored


def test_revoking_a_key_id_out_of_range_is_no_such_key(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert main(["keys", "create", "--name", "报送系统", "--database", url]) == 0
    for key_id in ("9223372036854775808", "-1", "0"):
        assert main(["keys", "revoke", key_id, "--database", url]) == 2
    assert "没有编号为 9223372036854775808 的有效密钥" in capsys.readouterr().err
    assert main(["items", "remove", "Q1", "--database", url]) == 2  # it was never stored


@pytest.mark.parametrize("csv,message", [
    ("乐都区,县区,张三,李四\n互助县,县区,王五,赵六\n", "表头"),   # no header: the list is refused whole
    ("name,type\n县农业农村局,department,多出的值\n", "比表头"),  # more values than the header names
])
def test_a_unit_list_the_header_does_not_describe_is_refused(tmp_path, capsys, csv, message):
    path = tmp_path / "units.csv"
    path.write_text(csv, encoding="utf-8")
    assert main(["units", "import", str(path), "--database", f"sqlite:///{tmp_path / 's.db'}"]) == 2
    assert message in capsys.readouterr().err


def test_a_refused_row_of_an_import_names_its_file_line_and_field(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text("name,type\n县农业农村局,department\n某某,不存在的类型\n", encoding="utf-8")
    assert main(["units", "import", str(path), "--database", f"sqlite:///{tmp_path / 's.db'}"]) == 2
    assert f"{path}：第 3 行，字段 type" in capsys.readouterr().err


def test_a_unit_list_saved_by_excel_in_gbk_is_imported(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_bytes("单位,类型,分管领导,信息员\r\n乐都区,县区,张三,李四\r\n市教育局,部门,王五,\r\n".encode("gbk"))
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert main(["units", "import", str(path), "--database", url]) == 0
    capsys.readouterr()
    assert main(["units", "list", "--json", "--database", url]) == 0
    units = {u["name"]: u for u in map(json.loads, capsys.readouterr().out.splitlines())}
    assert set(units) == {"乐都区", "市教育局"} and units["乐都区"]["leader"] == "张三"


DRAFT_TEXT = "乐都区迎来今冬首场降雪\n11月25日，乐都区迎来今冬首场降雪，最低气温-12℃，积雪深度5㎝，√ 已核实。\n"


def test_gbk_with_symbols_and_rare_names_is_read(tmp_path, capsys):
    for name, data in (("gbk.txt", DRAFT_TEXT.encode("gbk")),
                       ("gb18030.txt", ("互助县𠀾村开展人居环境整治\n9月5日，𠀾村清理垃圾50吨。\n").encode("gb18030"))):
        (tmp_path / name).write_bytes(data)
        assert main(["screen", str(tmp_path / name), "--rules", "--format", "json"]) == 0, name
        assert json.loads(capsys.readouterr().out)["verdict"]


def test_every_draft_of_a_set_saved_as_gbk_reads_back_the_same():
    # real drafts carry ℃, Ⅱ, “+” and short titles, which detection alone can take for another encoding
    from screening.io import decode_text
    from screening.models.corpus import default_guard_dir

    for name in ("drafts_blind1.jsonl", "drafts_blind3.jsonl"):
        for line in (default_guard_dir() / name).read_text("utf-8").splitlines():
            draft = json.loads(line)
            for text in (draft["title"] + "\n" + draft["body"], draft["title"]):
                assert decode_text(text.encode("gb18030"), name) == text


def test_a_utf8_unit_list_with_one_bad_byte_is_refused_at_that_byte(tmp_path, capsys):
    path = tmp_path / "units.csv"
    head = "单位,类型,分管领导,信息员\n乐都区,县区,张三,李四\n".encode("utf-8")
    path.write_bytes(head + b"\xa0" + "互助县,县区,王五,赵六\n".encode("utf-8"))
    assert main(["units", "import", str(path), "--database", f"sqlite:///{tmp_path / 's.db'}"]) == 2
    assert f"不是 UTF-8 编码（第 {len(head) + 1} 字节处" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["shift_jis", "euc_kr", "big5"])
def test_other_east_asian_encodings_are_refused_not_read_as_gbk(tmp_path, capsys, encoding):
    # their bytes decode as GBK into plausible ideographs; detection says which reads them coherently
    texts = {"shift_jis": "東京都で会議を開催\n本日、東京都庁で防災会議を開催しました。参加者は百名でした。\n",
             "euc_kr": "서울시 회의 개최\n서울특별시는 오늘 시청에서 방재 회의를 개최했다.\n",
             "big5": "臺北市召開防災會議\n臺北市政府今日召開防災會議，檢討颱風應變。\n"}
    path = tmp_path / "d.txt"
    path.write_bytes(texts[encoding].encode(encoding))
    assert main(["screen", str(path)]) == 2
    assert "不是 UTF-8 或 GBK 编码" in capsys.readouterr().err


def test_a_gbk_file_with_a_line_pasted_in_utf8_is_refused_naming_the_line(tmp_path, capsys):
    path = tmp_path / "d.txt"
    path.write_bytes(DRAFT_TEXT.encode("gbk") + "平安区补充说明：建议增加投入".encode("utf-8") + "。\n".encode("gbk"))
    assert main(["screen", str(path)]) == 2
    assert "第 3 行有一段 UTF-8 编码的文字" in capsys.readouterr().err


def test_damaged_utf8_is_refused_as_utf8_not_read_as_gbk(tmp_path, capsys):
    # a UTF-8 file with one bad byte decodes as GBK into plausible-looking ideographs (mojibake):
    # it must be refused at the bad byte, not screened as nonsense
    good = json.dumps(base_draft(), ensure_ascii=False).encode("utf-8")
    at = len('{"title": "红土乡春播'.encode("utf-8"))
    path = tmp_path / "d.jsonl"
    path.write_bytes(good[:at] + b"\xff" + good[at:])
    assert main(["screen", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"不是 UTF-8 编码（第 {at + 1} 字节处" in err and "GBK" not in err


def _import_units(tmp_path, capsys, rows: str) -> tuple[int, str, dict]:
    """``units import`` of a CSV with the usual header and ``rows``: exit status, stderr, units stored."""
    path = tmp_path / "units.csv"
    path.write_text("单位,类型,分管领导,信息员\n" + rows, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 's.db'}"
    status = main(["units", "import", str(path), "--database", url])
    err = capsys.readouterr().err
    assert main(["units", "list", "--json", "--database", url]) == 0
    return status, err, {u["name"]: u for u in map(json.loads, capsys.readouterr().out.splitlines())}


def test_a_quote_left_open_in_a_unit_list_is_refused_not_read_as_one_long_value(tmp_path, capsys):
    # the open quote swallowed the rows after it into 乐都区's leader, and the import said all was well
    status, err, units = _import_units(tmp_path, capsys, '互助县,县区,赵六,钱七\n乐都区,县区,"张三,李四\n平安区,县区,王五,赵六\n')
    assert status == 2 and "第 3 行" in err and "引号没有配对" in err
    assert list(units) == ["互助县"]


def test_a_value_over_two_lines_keeps_the_line_numbers_of_the_rows_after_it(tmp_path, capsys):
    status, err, _units = _import_units(tmp_path, capsys, '乐都区,县区,"张三\n（兼）",李四\n平安区,县区,王五,赵六,多余\n')
    assert status == 2 and "第 4 行" in err


def test_a_unit_listed_twice_with_other_details_is_refused_the_second_time(tmp_path, capsys):
    status, err, units = _import_units(tmp_path, capsys, "乐都区,县区,张三,李四\n乐都区,县区,王五,李四\n"
                                                         "互助县,县区,赵六,钱七\n互助县,县区,赵六,钱七\n")
    assert status == 2 and "第 3 行" in err and "乐都区" in err and "前面已有一行" in err
    assert "互助县" not in err  # the same row twice is no conflict
    assert units["乐都区"]["leader"] == "张三"  # the first row stands, not the last


def test_a_compact_date_deadline_means_the_end_of_that_day():
    assert parse_deadline("20260925") == parse_deadline("2026-09-25")
    assert (parse_deadline("20260925").hour, parse_deadline("20260925").minute) == (23, 59)


def test_serve_refuses_a_port_out_of_range(capsys):
    assert main(["serve", "--port", "99999"]) == 2
    assert main(["serve", "--workers", "0"]) == 2
    assert "port" in capsys.readouterr().err


def test_output_that_cannot_be_written_is_reported(tmp_path, capsys, monkeypatch):
    class Full:
        def write(self, _text):
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self):
            pass

    drafts = write_jsonl(tmp_path / "d.jsonl", [base_draft()])
    monkeypatch.setattr("sys.stdout", Full())
    assert main(["screen", str(drafts)]) == 1
    assert "磁盘空间不足" in capsys.readouterr().err


def test_argument_errors_are_explained_in_chinese(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["screen", str(tmp_path / "d.jsonl"), "--bogus"])
    assert info.value.code == 2 and "无法识别的参数：--bogus" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["serve", "--port", "x"])
    assert "不是整数" in capsys.readouterr().err


def test_empty_names_and_element_lists_are_refused(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert main(["keys", "create", "--name", " ", "--database", url]) == 2
    assert main(["solicitations", "create", "--topic", "秋粮收购", "--deadline", "2026-09-25", "--units", "乐都区",
                 "--elements", "", "--database", url]) == 2
    assert "required_elements" in capsys.readouterr().err


def test_a_reply_screened_without_the_store_is_not_said_to_meet_its_solicitations_terms(tmp_path, capsys, monkeypatch):
    # with no store at all the solicitation cannot be looked up: the defaults of 约稿 apply, the
    # messages do not claim they are that solicitation's own requirements, and the officer is told
    monkeypatch.setenv("SCREENING_INSTANCE_PATH", str(tmp_path / "empty-instance"))
    drafts = write_jsonl(tmp_path / "d.jsonl", [base_draft(solicitation="ys-2026-07")])
    assert main(["screen", str(drafts)]) == 0
    captured = capsys.readouterr()
    messages = [f["message"] for f in json.loads(captured.out)["flags"] if f["code"].startswith("missing.")]
    assert messages and all(m.startswith("约稿要求具备") for m in messages)
    assert "无法查到约稿 ys-2026-07" in captured.err and "--database" in captured.err
    url = f"sqlite:///{tmp_path / 's.db'}"
    (tmp_path / "units.csv").write_text("单位,类型,分管领导,信息员\n乐都区,县区,张三,李四\n", encoding="utf-8")
    assert main(["units", "import", str(tmp_path / "units.csv"), "--database", url]) == 0
    assert main(["solicitations", "create", "--id", "ys-2026-07", "--topic", "秋粮收购", "--deadline", "2026-09-25",
                 "--units", "乐都区", "--elements", "recommendation", "--database", url]) == 0
    capsys.readouterr()
    assert main(["screen", str(drafts), "--database", url]) == 0
    messages = [f["message"] for f in json.loads(capsys.readouterr().out)["flags"] if f["code"].startswith("missing.")]
    assert messages == ["约稿（编号 ys-2026-07）要求具备“建议”要素，本稿未找到。"]


def test_a_reply_is_checked_against_the_store_the_settings_name_and_an_unknown_solicitation_is_refused(
        tmp_path, capsys, monkeypatch):
    # other commands use the instance's store without --database; so does screen, for a reply
    monkeypatch.setenv("SCREENING_INSTANCE_PATH", str(tmp_path / "inst"))
    (tmp_path / "units.csv").write_text("单位,类型,分管领导,信息员\n乐都区,县区,张三,李四\n", encoding="utf-8")
    assert main(["units", "import", str(tmp_path / "units.csv")]) == 0
    assert main(["solicitations", "create", "--id", "ys-2026-08", "--topic", "秋粮收购", "--deadline", "2026-09-25",
                 "--units", "乐都区", "--elements", "recommendation"]) == 0
    capsys.readouterr()
    assert main(["screen", str(write_jsonl(tmp_path / "d.jsonl", [base_draft(solicitation="ys-2026-08")]))]) == 0
    messages = [f["message"] for f in json.loads(capsys.readouterr().out)["flags"] if f["code"].startswith("missing.")]
    assert messages == ["约稿（编号 ys-2026-08）要求具备“建议”要素，本稿未找到。"]
    assert main(["screen", str(write_jsonl(tmp_path / "e.jsonl", [base_draft(solicitation="NOPE-1")]))]) == 2
    assert "NOPE-1" in capsys.readouterr().err


def test_fractional_hours_and_days_are_settings_too(tmp_path, capsys):
    settings = tmp_path / "s.toml"
    settings.write_text("emergency_late_hours = 1.5\nlate_days = 2.5\n", encoding="utf-8")
    drafts = write_jsonl(tmp_path / "d.jsonl", [base_draft()])
    assert main(["--settings", str(settings), "screen", str(drafts)]) == 0


def test_a_database_url_with_a_password_is_not_echoed(capsys):
    assert main(["index", "rebuild", "--database", "mysql://officer:secret@127.0.0.1/db"]) == 2
    err = capsys.readouterr().err
    assert "无法打开数据库" in err and "secret" not in err


def test_evaluate_refuses_labels_that_are_not_strings(tmp_path, capsys):
    rows = [{**base_draft(), "gold": {"low_value": "none", "elements": [{"a": 1}]}}]
    assert main(["evaluate", str(write_jsonl(tmp_path / "set.jsonl", rows))]) == 2
    assert "gold.elements" in capsys.readouterr().err


def test_items_add_checks_ids_against_the_store_before_storing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert main(["items", "add", str(write_jsonl(tmp_path / "a.jsonl", [base_draft(id="S1", unit="甲县")])),
                 "--database", url]) == 0
    rows = [base_draft(id="S2"), base_draft(id="S1", unit="乙县")]  # S1 is taken by 甲县's item
    assert main(["items", "add", str(write_jsonl(tmp_path / "b.jsonl", rows)), "--database", url]) == 2
    err = capsys.readouterr().err
    # the field is the one that differs (it used to be "id"), with what is recorded
    assert "第 2 行" in err and "字段 unit" in err and "登记的是：甲县" in err
    assert main(["items", "remove", "S2", "--database", url]) == 2  # S2 was not stored either
    for change, field in (({"unit": "甲县", "kind": "dynamic"}, "kind"), ({"unit": "甲县", "title": "甲县春播进度过九成"}, "title"),
                          ({"unit": "甲县", "body": "全乡完成春播面积3万亩。"}, "body")):
        path = write_jsonl(tmp_path / "c.jsonl", [base_draft(id="S1", **change)])
        assert main(["items", "add", str(path), "--database", url]) == 2
        assert f"字段 {field}" in capsys.readouterr().err, change


def test_an_id_is_echoed_as_sent_and_one_with_a_control_character_is_refused(tmp_path, capsys):
    # " a " used to come back as "a", and "a\u0000b" as "a\ufffdb"
    assert main(["screen", str(write_jsonl(tmp_path / "d.jsonl", [base_draft(id=" a ")]))]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == " a "
    url = f"sqlite:///{tmp_path / 's.db'}"
    for item_id in ("a\u0000b", "a\tb", "  "):
        path = write_jsonl(tmp_path / "i.jsonl", [base_draft(id="ok"), base_draft(id=item_id, body="全乡完成春播面积3万亩。")])
        for command in (["screen", str(path)], ["items", "add", str(path), "--database", url]):
            assert main(command) == 2
            captured = capsys.readouterr()
            assert captured.out == "" and "第 2 行" in captured.err and "字段 id" in captured.err, (item_id, command)
    assert main(["items", "add", str(write_jsonl(tmp_path / "j.jsonl", [base_draft(id=" a ")])), "--database", url]) == 0
    assert capsys.readouterr().out == " a \n"
    assert main(["items", "remove", " a ", "--database", url]) == 0


def test_a_settings_file_may_start_with_a_bom(tmp_path, capsys):
    settings = tmp_path / "s.toml"
    settings.write_bytes("\ufeffignore = [\"title.\"]\n".encode("utf-8"))  # as Windows Notepad saves it
    assert main(["--settings", str(settings), "screen", str(write_jsonl(tmp_path / "d.jsonl", [base_draft()]))]) == 0


def test_an_argument_that_is_not_utf8_is_refused(tmp_path, capsys):
    assert main(["items", "remove", "\udcff"]) == 2  # how Python passes the byte 0xFF from argv
    assert "UTF-8" in capsys.readouterr().err


def test_keys_create_refuses_a_database_that_cannot_be_opened(capsys):
    assert main(["keys", "create", "--name", "a", "--database", "bogus://x"]) == 2
    assert "无法打开数据库" in capsys.readouterr().err


def test_an_unknown_solicitation_on_a_later_line_leaves_nothing_half_done(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.db'}"
    rows = [base_draft(id="P1"), base_draft(id="P2", body="全乡完成春播面积3万亩。", solicitation="nonexistent")]
    drafts = write_jsonl(tmp_path / "d.jsonl", rows)
    assert main(["items", "add", str(drafts), "--database", url]) == 2
    capsys.readouterr()
    assert main(["items", "remove", "P1", "--database", url]) == 2  # P1 was not stored
    assert main(["screen", str(drafts), "--database", url]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "第 2 行" in captured.err and "nonexistent" in captured.err


def test_read_only_commands_do_not_create_a_mistyped_database(tmp_path, capsys):
    missing = tmp_path / "typo.db"
    assert main(["stats", "--period", "2026Q3", "--database", f"sqlite:///{missing}"]) == 2
    assert "不存在" in capsys.readouterr().err and not missing.exists()


def test_corpus_tools_refuse_what_they_cannot_read(tmp_path, capsys):
    evaluation = tmp_path / "eval"
    evaluation.mkdir()
    (evaluation / "a.jsonl").write_text('{"title": "x"\n', encoding="utf-8")
    assert main(["corpus-check", "--eval", str(evaluation)]) == 2  # not a false all-clear
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "a.jsonl", [{"title": "x"}])
    assert main(["corpus-stats", "--corpus", str(corpus)]) == 2
    assert main(["corpus-stats", "--corpus", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "a.jsonl" in err and "不存在" in err


def test_evaluate_refuses_a_duplicates_set_with_a_broken_link(tmp_path, capsys):
    rows = [{"role": "history", "id": "H1", **base_draft()},
            {"role": "query", "id": "Q1", **base_draft(), "gold": {"duplicate_of": "H9", "how": "verbatim"}}]
    assert main(["evaluate", str(write_jsonl(tmp_path / "dup.jsonl", rows))]) == 2
    assert "H9" in capsys.readouterr().err
    rows[1] = {k: v for k, v in rows[1].items() if k != "id"}
    assert main(["evaluate", str(write_jsonl(tmp_path / "dup.jsonl", rows))]) == 2


def test_a_model_folder_that_holds_no_usable_model_is_an_error(tmp_path, capsys):
    folder = tmp_path / "models"
    folder.mkdir()
    drafts = write_jsonl(tmp_path / "d.jsonl", [base_draft()])
    settings = tmp_path / "s.toml"
    settings.write_text(f'model_dir = "{folder}"\n', encoding="utf-8")
    assert main(["--settings", str(settings), "screen", str(drafts)]) == 2  # no current.txt
    (folder / "current.txt").write_bytes(b"\xff")
    assert main(["--settings", str(settings), "screen", str(drafts)]) == 2
    assert "current.txt" in capsys.readouterr().err


def test_a_txt_draft_with_carriage_return_line_ends(tmp_path, capsys):
    path = tmp_path / "old-mac.txt"
    path.write_bytes("全乡春播完成2.3万亩\r截至4月20日，全乡完成春播面积2.3万亩。\r".encode("utf-8"))
    assert main(["screen", str(path), "--rules", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["elements"]["data"]["present"] is True


def test_an_empty_draft_file_is_refused(tmp_path, capsys):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    assert main(["screen", str(path)]) == 2
    assert "没有草稿" in capsys.readouterr().err


def test_an_integer_too_long_to_convert_is_a_bad_line(tmp_path, capsys):
    path = tmp_path / "bigint.jsonl"
    path.write_text('{"title":"全乡春播完成2.3万亩","body":"正文","emergency":' + "1" * 5000 + "}\n", encoding="utf-8")
    assert main(["screen", str(path), "--rules"]) == 2
    assert "数值过长" in capsys.readouterr().err


def test_a_csv_field_over_the_csv_modules_limit_is_refused_by_row(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text("name,type,leader\n新单位甲,department,张三\n新单位乙,department," + "长" * 140_000 + "\n",
                    encoding="utf-8")
    assert main(["units", "import", str(path), "--database", f"sqlite:///{tmp_path / 's.db'}"]) == 2
    captured = capsys.readouterr()
    assert "接受 1 行" in captured.out and "第 3 行" in captured.err and "leader" in captured.err


def test_commands_that_read_the_store_refuse_a_mistyped_database(tmp_path, capsys):
    missing = tmp_path / "typo.db"
    for command in (["retrain"], ["index", "rebuild"]):
        assert main([*command, "--database", f"sqlite:///{missing}"]) == 2
    drafts = write_jsonl(tmp_path / "d.jsonl", [base_draft()])
    assert main(["screen", str(drafts), "--database", f"sqlite:///{missing}"]) == 2
    assert not missing.exists()


def test_models_list_shows_a_retrained_version_without_cv_figures(tmp_path, capsys, monkeypatch):
    import shutil
    from screening.models import artifact

    shipped = artifact.default_models_dir()
    version = artifact.current_version(shipped)
    folder = tmp_path / "models"
    shutil.copytree(shipped / version, folder / version)
    meta = json.loads((folder / version / "meta.json").read_text("utf-8"))
    (folder / version / "meta.json").write_text(json.dumps({**meta, "cv": {"folds": 0}, "eval": {}}), "utf-8")
    (folder / "current.txt").write_text(version + "\n", "utf-8")
    monkeypatch.setenv("SCREENING_MODEL_DIR", str(folder))
    assert main(["models", "list"]) == 0
    assert "CV 低价值 — 要素 —" in capsys.readouterr().out
    (folder / version / "meta.json").write_text("{broken", "utf-8")
    assert main(["models", "list"]) == 2


def test_serve_says_in_chinese_when_the_port_is_taken(tmp_path, capsys, monkeypatch):
    import socket

    monkeypatch.setenv("SCREENING_INSTANCE_PATH", str(tmp_path / "inst"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["serve", "--port", str(busy.getsockname()[1]), "--workers", "1"]) == 2
    assert "端口已被占用" in capsys.readouterr().err


def test_as_of_a_day_takes_in_the_whole_day():
    from screening.draft import parse_day_end_or_moment

    assert parse_day_end_or_moment("2026-09-30", "as_of").isoformat() == "2026-09-30T23:59:59.999999+08:00"
    assert parse_day_end_or_moment("2026-09-30T08:00:00+08:00", "as_of").hour == 8

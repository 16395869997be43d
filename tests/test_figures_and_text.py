import pytest

from screening.figures import chinese_to_number, find_figures, quantities
from screening.text import reference_tokens, split_sentences, tokenize


@pytest.mark.parametrize("text,expected", [
    ("同比增长12.5%", ["12.5%"]),
    ("占比近三成", ["近三成"]),
    ("两千余人参与", ["两千余人"]),
    ("投资28.4亿元", ["28.4亿元"]),
    ("建成高标准农田1.2万亩", ["1.2万亩"]),
    ("增加3.2个百分点", ["3.2个百分点"]),
    ("收入翻了一番", ["翻了一番"]),
    ("产量是去年的3倍", ["3倍"]), ("百分之十五的农户", ["百分之十五"]), ("增长12‰", ["12‰"]),
    ("完成投资两千三百万元", ["两千三百万元"]),
    # a full-width decimal point, as pasted from Word: the whole figure, not its last digits
    ("全县增长１２．５%", ["１２．５%"]),
    ("投资３．２亿元", ["３．２亿元"]),
    ("投资3．2亿元，增加0．8个百分点", ["3．2亿元", "0．8个百分点"]),
])
def test_quantities(text, expected):
    assert [f.text for f in quantities(text)] == expected


@pytest.mark.parametrize("text", ["11月5日上午", "2026年11月2日", "〔2023〕5号文件", "一是加强领导", "十四五期间", "两会期间", "一个重要任务"])
def test_dates_numbering_and_phrases_are_not_quantities(text):
    assert quantities(text) == []


def test_dates_are_recognised_as_dates():
    kinds = [(f.text, f.kind) for f in find_figures("2026年11月2日上午9时开工")]
    assert ("2026年11月2日", "date") in kinds and ("9时", "date") in kinds


@pytest.mark.parametrize("text,value", [("两千三百", 2300), ("十二", 12), ("三万五千", 35000), ("一百零八", 108)])
def test_chinese_numbers(text, value):
    assert chinese_to_number(text) == value


def test_chinese_number_rejects_names():
    assert chinese_to_number("十四五") is None


SAMPLES = [
    "11月5日，区长带领区住建、自然资源、城管等部门负责同志到城南片区现场办公。",
    "县委理论学习中心组专题学习会传达学习了乡村振兴和放管服改革的有关精神。",
    "前三季度，全县规上工业增加值同比增长6.8%，一网通办事项达到1260项。",
    "深化“放管服”改革，推行“一件事一次办”，企业开办压缩至1个工作日内。",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_fast_segmenter_matches_jieba_reference(text):
    assert tokenize(text) == reference_tokens(text)


def test_domain_words_stay_whole():
    tokens = tokenize("县政府召开理论学习中心组专题会议，研究乡村振兴和放管服工作。")
    for word in ("理论学习中心组", "乡村振兴", "放管服"):
        assert word in tokens


def test_sentences_carry_offsets_into_the_text():
    text = "第一句话。第二句！\n第三段的句子；还有一句"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["第一句话。", "第二句！", "第三段的句子；", "还有一句"]
    for s in sentences:
        assert text[s.start:s.end] == s.text
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1]


def test_the_same_counts_retold_with_other_measure_words_are_a_duplicate():
    from screening import Draft
    from screening.duplicates import DuplicateFinder

    earlier = Draft.from_dict({
        "id": "H2", "title": "我县举办2026年招商引资推介会 签约项目18项", "submitted_at": "2026-11-11T09:00:00+08:00",
        "body": "11月10日，我县在省城举办2026年招商引资推介会，30余名企业家参会。会上集中签约项目18项，总投资56.8亿元，"
                "其中工业项目11项、投资41.2亿元，现代农业项目5项、投资9.6亿元，文旅项目2项、投资6亿元。"})
    finder = DuplicateFinder.in_memory([earlier])
    retold = ("县政府在省城召开的2026年招商引资推介会上，共有30多位企业家到会，现场签下18个合作项目，总投资达56.8亿元。"
              "从结构看，工业类11个、41.2亿元，农业类5个、9.6亿元，文旅类2个、6亿元。")
    assert [d["id"] for d in finder.find("县政府办：招商推介会硕果累累", retold)] == ["H2"]
    # the same topic a month later, with new figures, is news
    later = ("12月8日，我县在深圳举办招商引资推介会，40余名企业家参会，现场签约项目9个，总投资23.5亿元，"
             "其中工业项目6个、投资17.1亿元，文旅项目3个、投资6.4亿元。")
    assert finder.find("我县深圳招商推介会签约9个项目", later) == []


def test_a_shortened_retelling_that_keeps_most_figures_is_a_duplicate():
    from screening.similarity import judge

    earlier = ("截至11月10日，全县已收购秋粮12.6万吨，同比增长8.2%，兑付粮款3.1亿元，惠及农户2.4万户。"
               "其中城关镇收购2.1万吨，马营镇1.8万吨，两镇合计占全县的31%。全县新建烘干塔6座、仓容4.5万吨，"
               "比去年增加1.2万吨，预计年底收购量达到15万吨，粮款兑付率保持100%。")
    excerpt = "截至11月10日，全县收购秋粮12.6万吨，增长8.2%，兑付粮款3.1亿元，2.4万户农户受益，城关镇收购2.1万吨。"
    match = judge("全县秋粮收购12.6万吨", excerpt, "全县秋粮收购进展顺利", earlier)
    assert match is not None and match.how == "retold"
    # a month on: the old figures as a comparison, the news in new ones
    later = ("截至12月10日，全县已收购秋粮15.2万吨，比11月10日的12.6万吨增加2.6万吨，兑付粮款3.8亿元，"
             "惠及农户2.9万户，新增烘干塔2座。")
    assert judge("全县秋粮收购突破15万吨", later, "全县秋粮收购进展顺利", earlier) is None


@pytest.mark.parametrize("a,b", [("24.6万亩", "246000亩"), ("3.2万人", "32000人"), ("八成", "80%"), ("百分之十五", "15%"),
                                 ("三千二百万元", "3200万元"), ("9个小时", "9小时"), ("约1.2万吨", "1.2万吨")])
def test_a_figure_written_another_way_has_the_same_key(a, b):
    from screening.similarity import figure_key

    assert figure_key(a) == figure_key(b)


@pytest.mark.parametrize("a,b", [("12%", "12个百分点"), ("1.2万吨", "1.2万亩"), ("38亿元", "49亿元")])
def test_different_facts_keep_different_keys(a, b):
    from screening.similarity import figure_key

    assert figure_key(a) != figure_key(b)


def test_figures_retold_in_other_notations_are_still_a_duplicate():
    from screening.similarity import judge

    earlier = ("今年，全县落实小麦种植面积24.6万亩，涉及种植户1.9万户，统一供种覆盖面达80%，"
               "县财政安排良种补贴资金1260万元，亩均补贴51元。")
    retold = ("全县今年种下小麦246000亩，19000户农户参与，统一供种覆盖八成面积，"
              "县财政拿出良种补贴资金1260万元，每亩补贴51元。")
    assert judge("小麦播种面积稳定", retold, "全县小麦种植面积达24.6万亩", earlier) is not None


def test_the_same_indicator_with_another_value_is_new_data_however_alike_the_wording():
    from screening.similarity import judge

    earlier = ("1—4月，全市网络零售额达到38亿元，同比增长26%，其中农产品网络零售额9.2亿元，"
               "占比提高到24%。全市共有网店1.1万家，带动就业3.6万人。")
    later = ("1—5月，全市网络零售额达到49亿元，同比增长24%，其中农产品网络零售额9.2亿元，"
             "占比提高到24%。全市共有网店1.1万家，带动就业3.6万人。")
    assert judge("全市网络零售额49亿元", later, "全市网络零售额38亿元", earlier) is None


def test_a_new_lead_over_the_whole_earlier_body_is_a_duplicate():
    from screening.similarity import judge

    earlier = ("县第一中学新建学生宿舍楼投入使用，可容纳学生1200人，每间配备独立卫生间和热水系统，"
               "解决了该校长期以来学生住宿紧张的问题，寄宿生不再在教室打地铺，家长普遍满意。")
    with_lead = "全县有在校学生6.8万人，寄宿制学生3.1万人，其中高中寄宿生占九成。" + earlier
    assert judge("一中新宿舍投用", with_lead, "县一中新宿舍楼投入使用", earlier) is not None


@pytest.mark.parametrize("name", ["duplicates_probe", "duplicates_blind1", "duplicates_blind2", "duplicates_blind3",
                                  "duplicates_blind4", "duplicates_blind5", "duplicates_blind6"])
def test_sets_of_hard_duplicates_written_for_this_project(name):
    """A reviewer's probe (115 lines) and three blind sets (120 lines each) written against SCHEMA.md: another
    unit's retelling, figures in other notations or rounded (210人 → 200余人), next month's figures
    in the same template, an estimate replaced by a final count. The comparison was mended on each
    after it was measured (DATA_CARD.md gives the figures before), so they guard against
    regressions; they are no longer unseen tests. A fifth blind set (session 16, 60 queries, eight of them
    retellings by a higher unit) read 0.984 at arrival: a retelling whose reworded runs, read as names,
    diluted its shared figures below the candidate bar; the figures now count on their own (after other
    candidates, three at most). Two retellings of the probe that share almost no wording are still missed.
    A sixth (session 17, 50 queries, 14 full rewrites by another unit) read 0.809 at arrival: rounded figures
    (近四万元 for 39,860元) were no key of the index, 3所学校 and 三所 were other units, and a retelling that
    drops or adds a few figures fell below the share the judge asked for; see the next tests."""
    from pathlib import Path

    from screening import Screener, Settings
    from screening.evaluate import evaluate

    result = evaluate(Path(__file__).parent / "fixtures" / "sets" / f"{name}.jsonl", Screener(Settings.from_mapping()))
    assert result["precision"] == 1.0 and result["recall"] >= 0.95


_SCHOOLS = ("9月1日，某区新建的实验学校、江湾小学、锦绣幼儿园3所学校如期投入使用，新增学位4860个。3所学校总投资5.8亿元，"
            "总建筑面积12.6万平方米。区教育局共招聘新教师186名，并从区内优质学校选派42名骨干教师任教。")
_SCHOOLS_RETOLD = ("新学期伊始，某区一次性投用三所新学校，共带来学位四千八百六十个，三校建设共投入58000万元，建筑总面积约12.6万平方米。"
                   "全区新招教师186人，另抽调40余名骨干到新校任教，今年还将推进2所学校改扩建，预计明年再增学位1800个。")


@pytest.mark.parametrize("days_later,title,found", [
    (5, "家门口添新校 某区新增近五千个学位", True),       # another unit's retelling, days later
    (40, "家门口添新校 某区新增近五千个学位", False),     # weeks later: a later report on the same schools
    (5, "某区三所新学校同日开工建设", False),             # within days, but another kind of event (开工, not 竣工)
])
def test_a_retelling_in_other_words_and_notations_is_found_only_within_days(days_later, title, found):
    import datetime as dt

    from screening import Draft
    from screening.duplicates import DuplicateFinder

    earlier = Draft.from_dict({"id": "S1", "title": "某区3所新建学校竣工交付使用", "body": _SCHOOLS,
                               "submitted_at": "2026-09-03T09:00:00+08:00"})
    finder = DuplicateFinder.in_memory([earlier])
    when = earlier.submitted_at + dt.timedelta(days=days_later)
    assert [d["id"] for d in finder.find(title, _SCHOOLS_RETOLD, before=when)] == (["S1"] if found else [])


def test_a_hedged_figure_is_looked_up_at_the_precision_it_is_written_with():
    from screening.dupindex import fact_keys

    filed = fact_keys("全市居民人均可支配收入39860元，接待游客413000人次，同比增长7.8%。", filing=True)
    asked = fact_keys("全市居民人均可支配收入近四万元，接待游客超过41万人次，增长近8%。")
    assert asked <= filed
    assert not fact_keys("人均可支配收入四万元。") <= filed  # an exact figure is not a rounded one


@pytest.mark.parametrize("a,b", [("3所学校", "三所"), ("14家企业", "14家"), ("一成四", "14%"), ("八成五", "85%")])
def test_measure_words_and_tenths_read_as_the_same_figure(a, b):
    from screening.similarity import figure_value

    assert figure_value(a) == figure_value(b)
    assert figure_value("3个月") != figure_value("3个")  # a duration is not a count


@pytest.mark.parametrize("rounded,exact,same", [
    ("300余吨", "312吨", True), ("五成以上", "56%", True), ("近50台", "46台", True), ("约1.2万人", "1.27万人", True),
    ("3.3亿元", "3.26亿元", True), ("40余吨", "52吨", False), ("近50台", "52台", False), ("26%", "24%", False),
])
def test_a_rounded_figure_matches_the_exact_one_it_rounds(rounded, exact, same):
    from screening.similarity import figure_value

    assert figure_value(rounded).matches(figure_value(exact)) is same


def test_items_sharing_only_common_figures_do_not_crowd_out_the_candidates():
    # bare figures (5个, 8家, 12处) are common: items found by them alone come after every
    # candidate with other evidence, newest first, and only a few of them
    from screening.dupindex import FIGURE_ONLY_CANDIDATES, NearDuplicateIndex

    index = NearDuplicateIndex()
    for i in range(12):
        index.add(f"N{i}", f"某县第{i}项工作", f"第{i}个乡镇完成改造项目5个，引进企业8家，建成站点12处，各项工作有序推进。")
    earlier = "红土乡新建冷库5个，带动合作社8家，建成服务网点12处，覆盖全乡各村。"
    index.add("TRUE", "红土乡冷链物流建设", earlier)
    index.merge()
    found = [c.id for c in index.candidates("红土乡冷链物流建设提速", earlier)]
    assert found[0] == "TRUE" and len(found) <= 8 + FIGURE_ONLY_CANDIDATES
    # its names dilute its share of all facts to half: the twelve items meet it by figures only
    by_figures_only = index.candidates("某市推进冷链", "青禾农业公司新建冷库5个，绿源蔬菜合作社带动企业8家，城南农贸市场建成网点12处。")
    assert 0 < len(by_figures_only) <= FIGURE_ONLY_CANDIDATES
    assert [c.id for c in by_figures_only] == sorted((c.id for c in by_figures_only), key=lambda i: -index.numbers[i])

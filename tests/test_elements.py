"""Element rules on short invented sentences: what names an element by the SCHEMA and what only mentions one."""

import pytest

from screening.context import Context
from screening.draft import Draft
from screening.elements import DETECTORS, case_entities, explicit_proposals
from screening.settings import Settings


def _found(key: str, body: str) -> bool:
    draft = Draft.from_dict({"title": "某县推进重点工作取得新进展", "body": body})
    return bool(DETECTORS[key](Context(draft, Settings.from_mapping())))


@pytest.mark.parametrize("body", [
    "冷库容量不足，部分果农只能低价抛售。",
    "受资金缺口影响，二期工程推进缓慢。",
])
def test_problems_named(body):
    assert _found("problem", body)


@pytest.mark.parametrize("body", [
    "专题会上，班子成员逐条查找了自身的不足。",
    "检查中未发现重大安全隐患。",
    "镇里持续排查整治道路交通隐患。",
])
def test_problems_only_mentioned_or_handled(body):
    assert not _found("problem", body)


@pytest.mark.parametrize("body", [
    "由于原料价格持续上涨，企业利润明显下降。",
    "因渠道年久失修导致下游农田灌溉不足。",
    "冷链中心建成后，可有效降低果品损耗。",
])
def test_causes_and_effects_are_analysis(body):
    assert _found("analysis", body)


def test_an_activity_called_analysis_is_not_analysis():
    assert not _found("analysis", "座谈会上，各组结合典型案例进行了分析交流。")


@pytest.mark.parametrize("body", [
    "建党100周年之际，支部组织党员重温入党誓词。",
    "书记来到88岁的老党员家中，询问老人生活情况。",
    "局党组对三方面工作作了安排。",
    "养老服务事关千家万户。",
    "惠民政策直达千家万户。",
    # counts of the meeting or visit itself
    "座谈会上，恒达机械等6家企业负责人先后发言。",
    "书记一行先后走访了城南小学等4所学校，了解校舍情况。",
    "调研组一路驱车，行程300余公里。",
    "培训为期5天，设置了8个专题。",
    "县委派出8个督导检查组分赴各乡镇。",
    "会上，共有1,200名群众代表聆听了宣讲。",
])
def test_figures_that_describe_no_work_are_not_data(body):
    assert not _found("data", body)


@pytest.mark.parametrize("body", [
    "座谈会上，企业反映的问题已有12个得到解决。",
    "会议通报，全县今年已建成高标准农田3.2万亩。",
    "调研中了解到，全镇今年已完成危房改造46户。",
    "检查组共发现各类安全隐患48处，已整改41处。",
    "工作组帮助企业解决用工难题36个。",
    "审批环节由8个压减至3个。",
    "全市实现全程网办事项326项。",
    "全年为群众颁发不动产权证书3260本。",
    "每百户配备一名网格员，全县配备网格员860名。",
])
def test_figures_about_the_work_in_a_meeting_or_visit_are_data(body):
    assert _found("data", body)


def test_proposal_versus_proposal_mentioned():
    assert _found("recommendation", "建议由县财政设立冷链建设专项补助资金。")
    assert not _found("recommendation", "座谈中，企业代表提出了意见和建议。")
    # a document studied, not a proposal of the draft
    assert not _found("recommendation", "中心组深入学习党的二十届四中全会关于制定国民经济和社会发展第十五个五年规划的建议以及省委会议精神。")
    assert not _found("recommendation", "局党组传达学习《中共中央关于制定国民经济和社会发展第十五个五年规划的建议》。")


@pytest.mark.parametrize("body, proposal", [
    # attitude and effort only: SCHEMA.md's boilerplate, whether inline or as a list under 为此建议：
    ("今年全县旅游收入下降8%。\n建议各乡镇和有关部门高度重视，进一步加大扶持力度，推动乡村旅游高质量发展。", False),
    ("全区改造老旧小区32个。建议市里在改造资金上继续给予倾斜支持。", False),
    ("全县民宿空置率达46%。\n为此，建议：一是提高思想认识。二是加强组织领导，形成齐抓共管格局。三是强化部门协作，密切配合。", False),
    ("全县留守老人1.2万人。\n四、几点建议\n各级各部门要进一步提高认识，切实加强领导。", False),
    # a proposal that names what to do stays one, short or long
    ("全县农村公路养护缺口较大。建议将农村公路养护资金纳入县级财政预算。", True),
    ("全县民宿空置率达46%。\n为此，建议：一是由县文旅局牵头制定民宿等级评定办法。二是对评上三星以上的民宿每户补助2万元。", True),
    ("全县空气优良天数减少。建议对城区周边12家砖瓦窑实施错峰生产，10月底前完成治理设施改造。", True),
])
def test_a_proposal_of_attitude_only_is_not_a_recommendation(body, proposal):
    assert _found("recommendation", body) is proposal


@pytest.mark.parametrize("heading", ["三、下一步工作措施", "（三）下一步打算", "四、下步工作重点", "下一步打算"])
def test_measures_under_a_next_step_heading_are_recommendations(heading):
    body = f"全县已建成村级服务点120个。\n{heading}\n"
    assert _found("recommendation", body + "一是对未整改完毕的8条隐患实行跟踪督办，11月10日前全部销号。")
    assert not _found("recommendation", body + "一是进一步加强宣传引导。")  # still a concrete measure only


@pytest.mark.parametrize("step, concrete", [
    # effort and direction only: SCHEMA.md's boilerplate, however many clauses it strings together
    ("下一步，高新区将进一步深化帮办代办服务，持续优化营商环境，为企业发展提供更加优质高效的服务。", False),
    ("下一步，县商务局将结合调研情况，认真研究提升县城商业的具体措施，努力促进消费回流。", False),
    ("下一步，我局将进一步深化改革，持续优化服务，力争群众满意度不断提升。", False),  # 力争 is no deadline
    # named measures, without a figure or a deadline, even where an effort word opens one of them
    ("下一步，市人社局将在东城区试点零工驿站，开发零工信息小程序，建立灵活就业人员技能培训补贴清单。", True),
    ("下一步，县里将加快建设县城牦牛屠宰加工厂，为合作社培训财务和营销人员，启动“达隆牦牛”地理标志申报。", True),
    ("下一步，市里将出台《城区停车管理办法》。", True),
    ("下一步，我区将在三季度启动老旧厂房改造，优化园区交通组织，提升企业服务中心功能。", True),
    ("下一步，县里将于年底前在3个老旧小区试点助餐送餐服务。", True),
])
def test_a_next_step_counts_only_with_a_named_measure(step, concrete):
    assert _found("recommendation", "全区已建成长者饭堂9个。" + step) is concrete


def test_what_was_done_and_later_sections_are_not_next_steps():
    done = "一、基本情况\n全县有农户3万户。\n二、工作措施\n一是完成农村改厕1260户。\n二是新建污水处理站12座。"
    assert not _found("recommendation", done)
    later = "三、下一步打算\n年底前完成剩余86户改造。\n四、存在问题\n目前仍有32个村管网未覆盖，缺口1200万元。"
    ctx = Context(Draft.from_dict({"title": "某县推进改厕工作", "body": later}), Settings.from_mapping())
    found = [later[s.start:s.end] for s in DETECTORS["recommendation"](ctx)]
    assert found == ["年底前完成剩余86户改造。"]


def test_collective_demand_is_a_demand_not_a_problem():
    assert not _found("problem", "各乡镇要正视短板弱项，切实补齐工作短板。")


@pytest.mark.parametrize("text, names", [
    ("落实了项目公示制度", []),
    ("动员各村签订责任书", []),
    ("县里鼓励青禾农业公司扩大种植", ["青禾农业公司"]),
    ("咨询类项目招标金额增长", []),
    ("绿源蔬菜合作社新增订单", ["绿源蔬菜合作社"]),
    # one place, named by a kind of place with its own name before it
    ("城南农贸市场完成改造", ["城南农贸市场"]),
    ("城北安置小区交付使用", ["城北安置小区"]),
    ("古城镇新增民宿42家", ["古城镇"]),
    # 乡 inside 乡村 and 城乡 is a common word, not the end of a township's name
    ("大力发展乡村旅游，接待游客3万人次", []),
    ("全面推行乡村治理积分制", []),
    ("统筹城乡供水，覆盖12个乡镇", []),
    ("托格拉克乡村民阿力木新建大棚", ["托格拉克乡"]),
    ("古城乡新建冷库一座", ["古城乡"]),
])
def test_case_names_are_trimmed_to_the_name(text, names):
    assert [name for _s, _e, name in case_entities(text)] == names


def test_a_proposal_is_read_through_its_list_whatever_words_the_list_holds():
    # a 建议 inside a word of the list (意见建议) does not end it: its deadline and document count
    body = ("为此建议：一是高度重视，加强组织领导。二是认真收集群众意见建议，由县住建局于2027年3月底前出台"
            "《农村生活垃圾收运管理办法》，新增转运车辆12台。")
    ctx = Context(Draft.from_dict({"title": "县住建局推进农村生活垃圾治理", "body": body}), Settings.from_mapping())
    assert [body[s.start:s.end] for s in explicit_proposals(ctx)] == ["为此建议：一"]


def test_a_long_lead_in_of_qualifiers_still_names_no_problem():
    from screening.elements import _named_problem

    lead = "对照上级要求，结合本县实际，在推进农村人居环境整治提升工作的过程中认真查找工作中" * 2
    assert _named_problem(lead + "发现存在的突出问题", "。") is None
    assert _named_problem(lead + "发现村庄保洁经费缺口较大的问题", "。") is not None


@pytest.mark.parametrize("sentence, attendance", [
    # what the trainees achieved, with a figure: a result of the training (SCHEMA: label by the substance)
    ("参训的46名学员中已有31人开通个人网店，两个月累计销售农产品380万元。", False),
    ("全县各乡镇分管领导共120余人参加培训。", True),
    ("学员们认真听讲，踊跃提问。", True),
    ("120名学员参加了结业典礼，完成全部课程。", True),  # 参加: the event's own attendance
])
def test_trainees_reporting_results_are_not_the_events_attendance(sentence, attendance):
    ctx = Context(Draft.from_dict({"title": "县商务局举办农村电商培训", "body": sentence}), Settings.from_mapping())
    assert ctx.roles[0].attendance is attendance


def test_evidence_never_cuts_a_word():
    # a pattern can match inside a word (不稳 in 不稳定, 镇推行 in 乡镇推行); the report widens it to
    # the words it touches, so an officer reads whole words
    import json
    from itertools import accumulate

    from screening.engine import Screener
    from screening.models.corpus import default_guard_dir
    from screening.text import tokenize

    screener = Screener()
    lines = (default_guard_dir() / "drafts_blind1.jsonl").read_text("utf-8").splitlines()[:80]
    for line in lines:
        draft = json.loads(line)
        report = screener.screen({"title": draft["title"], "body": draft["body"]})
        bounds = {0, *accumulate(map(len, tokenize(draft["body"])))}
        for name, result in report.elements.items():
            for span in result.evidence:
                assert span.start in bounds and span.end in bounds, (name, draft["body"][span.start:span.end])
    assert lines  # the set is there

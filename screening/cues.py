"""Cue patterns shared by the rule-based judgements, and the sentence roles built on them.

A sentence's role says what kind of statement it is: a demand voiced at a meeting or on a visit
(强调…要…), meeting attendance, a visit's itinerary, or a plain statement of facts. Figures and
problems inside demands, attendance and itinerary lines are not results of the work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .text import Sentence

MEETING_TITLE = re.compile(
    r"召开|举行|举办|会议|[^机社]会$|会议?精神|学习|研讨|座谈|培训|党课|宣讲|传达|部署会|动员|报告会|推进会|调度会|"
    r"中心组(?!织)|民主生活会|组织生活会|警示教育|观摩|交流会|专题辅导|辅导讲座|读书班|开班|全会|常务会|联席会|"
    r"述职|集体约谈|誓师|主题党日|专题会|务虚会|讲座")
VISIT_TITLE = re.compile(
    r"调研|督导|督查|检查|走访|慰问|看望|视察|考察|现场办公|暗访|下乡|蹲点|指导|巡河|巡林|巡查|察看|"
    r"到[^，。]{1,12}(?:调研|检查|督导|指导|走访|慰问)|深入[^，。]{1,12}(?:调研|检查|督导|一线)|赴[^，。]{1,12}(?:调研|考察|学习)")
MEETING_LEAD = re.compile(
    r"召开|举行|举办|主持召开|组织召开|会议|传达学习|集中学习|专题学习|学习贯彻|研讨|座谈|培训班|党课|宣讲|"
    r"中心组(?!织)|动员部署|推进会|调度会|报告会|观摩|交流会|讲座")
# A leader in the frame of a draft (县长、副书记、局长…带队、一行、率队): a visit is a leader's trip; a
# department's own inspection with results, written with the same verbs, is its work.
LEADER = re.compile(r"(?:书记|[副]?[县市区旗州省镇乡]长|局长|主任|主席|部长|厅长|[县市区]领导|领导班子|党组成员|常委)"
                    r"|带队|率队|一行|陪同")
# 深入 as going somewhere (深入企业), not as thoroughly (深入贯彻落实、深入开展): only the first is a trip.
_GOING_DEEP = r"深入(?!贯彻|推进|开展|实施|学习|落实|推动|研究|挖掘|人心|浅出)"
VISIT_LEAD = re.compile(
    rf"调研|督导|督查|检查指导|走访|慰问|看望|视察|考察|现场办公|暗访|{_GOING_DEEP}|一行|带队|先后来到|实地查看|察看")

# Python's re skips ahead to the characters a match can start with only when every alternative
# starts with a literal: the ^-anchored demands stand in DIRECTIVE_OPENING (matched at the start),
# lookbehinds come after the literal they guard. Each rewrite gave the same matches on the 41,896
# sentences of the corpus and fixtures, 1.3–5× faster.
DIRECTIVE = re.compile(
    r"(?:强调|要求|指出|提出|表示|希望|号召|叮嘱|嘱托|勉励|鼓励|部署)[^。；]{0,40}?(?:(?<![重主需只纲摘提概必简])要(?![点素闻件案害职])|必须|务必|切实|坚持|进一步|着力|全力|确保|努力|争取|加快|加强|抓好|做好|推动)"
    r"|与会(?:人员|同志|干部|党员)?[^。]{0,12}(?:表示|纷纷|一致认为)|纷纷表示|一致表示")
# Demands and remarks known from how the sentence opens (matched at its start, not searched).
DIRECTIVE_OPENING = re.compile(
    r"大家[^。，]{0,4}表示"
    # a demand addressed to a collective (各级各部门要…、全镇上下要…) is a demand without 强调
    r"|(?:[一二三四五六七八九十]是)?(?:各级|各部门|各单位|各地|各乡镇|各支部|全[县市区镇乡村校局院系统体][^，。]{0,3}上下|全体[^，。]{0,6}|广大[^，。]{0,6}|我们)"
    r"[^，。]{0,8}?(?:要|必须|务必)"
    # a leader's remark (县长指出，…事关群众切身利益) is voiced at the event, demand or not
    r"|[^，。]{0,16}(?:书记|市长|县长|区长|镇长|乡长|局长|主任|部长|厅长|主席|组长|领导|同志)(?:在[^，。]{0,20})?(?:强调|指出|要求)"
    # a sentence that opens with 要 (一是要…) or with 会议强调
    r"|(?:[一二三四五六七八九十]是|（[一二三四五六七八九十]）)?要[^求]|(?:会议|大会|座谈会)?(?:强调|要求|指出)")
ATTENDANCE = re.compile(r"参加|出席|列席|参会|与会|主持|参训|学员|到会|听取了?[^。]{0,20}汇报|作了?[^。]{0,6}(?:发言|讲话|报告|辅导)")
# Trainees named in a sentence that reports what they achieved with a figure (参训的46名学员中已有31人开通网店，
# 累计销售380万元) report a result of the training, not its attendance: in the corpus such sentences
# stand in 8 substantive items and 2 meeting reports.
TRAINEES = re.compile(r"参训|学员")
ITINERARY = re.compile(rf"察看|查看|来到|{_GOING_DEEP}|走访|先后|实地|一行|看望|慰问|走进|考察|调研了|检查了|视察|途经|沿途|现场|带队|陪同")

# A problem is named when a clause says something is lacking or going wrong (加工能力不足), or
# states that difficulties exist (存在…问题、面临…压力). Clauses about handling problems
# (排查隐患、整改问题), agenda items (听取…问题的汇报) and aid categories (困难群众) name none.
PROBLEM_PREDICATE = re.compile(
    r"不足|不够|不完善|不健全|不到位|不高|不强|不畅|不规范|不平衡|不充分|不明显|不稳|滞后|偏低|偏弱|偏少|偏高|偏慢|短缺|匮乏|"
    r"缺乏|缺少|缺口|欠缺|亟待|亟需|难以|制约|薄弱|瓶颈|短板|弱项|堵点|痛点|难点|下滑|萎缩|流失|老化|空心化|断档|"
    r"尚未(?:形成|建立|完善|落实|解决|到位|完成|出台|覆盖)|较为突出|日益突出|仍然存在|依然存在|隐患较多|压力(?:较大|加大|增大)|"
    r"(?:困难|难度)(?:较大|大|加大)|较难|风险(?:较高|加大|上升|凸显)|不容乐观|有待(?:提高|加强|提升|完善)")
PROBLEM_HARD = re.compile(r"(?:融资|用工|用地|招工|办证|看病|就医|上学|停车|出行|销售|卖|入园|入学|办事|审批)(?:难|慢|贵)")
PROBLEM_NOUN = re.compile(r"问题|困难|短板|瓶颈|难题|隐患|风险|矛盾|压力|挑战|差距|不足")
# What may stand before a problem noun without saying what the problem is (存在的突出问题).
ABSTRACT_QUALIFIER = re.compile(r"^(?:.*?(?:存在|遇到|发现|面临|出现|反映|梳理出?|收集|查找|查摆|提出)(?:了|的|过)?)?"
                                r"(?:的|突出|主要|一些|有关|相关|各类|各种|这些|其|具体|重点|难点|热点|堵点|实际|共性|新|老|"
                                r"工作中|发展中|推进中|项目推进中|问题|困难|差距|不足|矛盾|风险|短板|和|及|与|、|等)*$")
# A problem noun inside the name of a work area or a handling step (隐患排查治理、问题线索、解难题).
PROBLEM_AS_WORK_BEFORE = re.compile(r"(?:解|排查|整治|消除|防范|发现和|查处|化解|交办|督办|办理|梳理|收集|查摆|查找|找|直面|正视|"
                                    r"补齐|补|破解|防|剖析|总结了?工作中的|指出存在的|思考|缓解|减轻|减少|规避)$")
# A handling verb a few words before the noun (排查整治消防隐患、补上人才短板、化解停车矛盾).
PROBLEM_HANDLED_BEFORE = re.compile(r"(?:排查|整治|治理|消除|防范|查处|化解|破解|补齐|缓解|减轻|推动|解决)[^，。；、]{0,6}$")
PROBLEM_AS_WORK_AFTER = re.compile(r"^(?:的)?(?:解决|排查|整改|化解|治理|线索|办理|清单|台账|导向|专项|整治|防控|防范|处置|隐患|“|”|发现)")
PROBLEM_AGENDA = re.compile(r"汇报|交流|点评|座谈|研讨|征求|听取|慰问|困难群众|困难户|困难家庭|困难职工|困难党员|困难老人|"
                            r"就业困难|特困|生活困难|有困难|遇到困难")
# 不足 as a noun in a self-review formula (查找不足、差距和不足、存在的不足) names no problem by itself.
SHORTFALL_AS_NOUN = re.compile(r"(?:[的和与及、]|(?:查找|查摆|对照|指出|总结|剖析|检视|找准|找出|弥补|正视|反思)[^，。]{0,6})$")
# A problem noun under a negation (未发现…问题、没有出现…隐患) names none.
NEGATED = re.compile(r"(?:未|没有|无|不存在)(?:发现|出现|发生)?[^，。]{0,8}$")
CLAUSE = re.compile(r"[^，,；;：:。！？]+")
ANALYSIS_STRONG = re.compile(
    r"原因|得益于|归功于|归因于|究其|根源|之所以|从[^。，]{1,20}(?:来看|看)|预计|预测|表明|说明了|这说明|意味着|反映出|"
    r"趋势|态势|由此可见|可以看出|关键在于|一方面|主要是由于|主要由于|受[^。，]{1,15}影响|源于|在于"
    r"|分析(?:认为|表明|显示|指出|称|[，,：:])|经过?分析|据分析")
# A cause tied to its consequence in one sentence (由于…导致…、因…造成…) is reasoning about causes; what a
# finished project or measure will bring (建成后将有效缓解…) is reasoning about effects.
ANALYSIS_CAUSE = re.compile(
    r"(?:由于|因为|因(?![此而素地])|受)[^。；]{2,40}?(?:造成|导致|致使|引发|引起|以致|使得)"
    r"|(?:由于|因为)[^。；，]{2,30}[，,][^。；]{0,30}?(?:严重|不足|困难|下降|减少|增加|增长|提高|上升|下滑|滞后)")
ANALYSIS_EFFECT = re.compile(
    r"(?:建成|完工|投用|投入使用|运营|实施|推行|通车)后[^。；]{0,20}?(?:将|可|能够?|可以)[^。；]{0,12}?"
    r"(?:提升|提高|改善|缓解|解决|带动|增加|减少|降低|满足|促进|拉动)")


def analysis_causal(text: str) -> re.Match | None:
    """A cause with its consequence, or the effect a finished work will have (cheap checks first)."""
    if ("因" in text or "由于" in text or "受" in text) and (m := ANALYSIS_CAUSE.search(text)):
        return m
    return ANALYSIS_EFFECT.search(text) if "后" in text else None


ANALYSIS_WEAK = re.compile(r"由于|因此|因而|所以|导致|造成|致使|带动|拉动|有望|随着|有利于|促进了|推动了|提升了|使得|从而")
# 建议 as a proposal, not as a thing collected (听取意见建议) or a legal instrument (检察建议).
RECOMMENDATION = re.compile(r"建议(?<!意见建议)(?<!检察建议)(?<!合理化建议)(?<!司法建议)(?<!监察建议)(?<!纪检建议)(?![书函])|对策|应当|应该|"
                            r"宜(?<![\s\S]宜)(?!居)|亟需|有必要|可考虑|可以考虑|探索建立")  # 宜 opening the sentence
# A clause that opens with 建议 and goes on to say what (为此建议：一是…；建议上级部门加大…): a proposal made
# in the draft's own voice. 99% of the corpus items that have one carry the element; the heads, reading
# the whole draft, can miss it in a short one.
EXPLICIT_PROPOSAL = re.compile(r"(?:^|[。；;！!？?：:，,])\s*(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十]）|\d[、.．])?\s*"
                               r"(?:为此|对此|因此|特|现|我们|我局|我县|我市|我区|笔者)?(?:提出如下|提出以下)?"
                               r"建议(?![书权案人])[:：，,]?\s*(?!的|中|和|与)[一-龥]")
# A proposal that asks only for attitude (建议各部门提高认识、加强领导、形成合力): boilerplate, not a measure.
GENERIC_ASK = re.compile(r"提高[^，。；]{0,2}认识|提高[^，。；]{0,2}站位|加强[^，。；]{0,2}领导|形成[^，。；]{0,2}合力|高度重视|统一思想|压实责任|"
                         r"强化担当|营造[^，。；]{0,4}氛围|凝聚共识|常抓不懈|抓紧抓实|齐抓共管|密切配合|摆上[^，。；]{0,4}(?:位置|日程)|"
                         r"重要意义|健全工作机制|明确[^，。；]{0,4}责任")
# 建议 closing the title of a document (学习…关于制定…第十五个五年规划的建议；《…建议》): a document studied.
RECOMMENDATION_DOCUMENT = re.compile(r"(?:关于[^。，；]{2,40}的|《[^》]{0,40})$")
# 建议 as the object of handling (提出了整改建议、梳理评审组反馈的建议): a mention, not a proposal.
RECOMMENDATION_MENTION = re.compile(r"(?:提出|研究|征求|收集|听取|采纳|汇总|梳理|反馈|意见和|意见与|意见及)[^。，；]{0,12}$")
NEXT_STEP = re.compile(r"下一步|下步|今后|接下来|明年|将[^。，]{0,4}(?:力争|计划|重点|启动|实施|新建|完成|推动|推进|开展)"
                       r"|将[^。；]{0,20}(?:建立|制定|出台|健全)[^。，；]{0,20}(?:制度|机制|办法|细则|体系|方案)|重点做好以下|以下[两三四五六七八九十]项")
# A section heading (三、…；（四）…；5．…): a short line of its own.
NUMBERED_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[、.．])[^。！？]{0,18}$")
# A heading over the next steps (四、下一步打算；三、对策建议；五、下步工作重点): the lines under it
# are the measures. 工作措施 alone heads what was done.
NEXT_STEP_HEADING = re.compile(r"(?:下一步|下步|今后)(?:工作)?(?:打算|措施|计划|重点|安排|思路|举措)|对策|建议")
BOILERPLATE = re.compile(r"继续(?:努力|发扬|保持)|再接再厉|久久为功|持之以恒|砥砺前行|奋力谱写|不断开创|新的更大贡献|取得更大成效|常抓不懈")
# A clause of a next step led by effort or direction (进一步加大力度、持续优化营商环境、不断提升服务水平): when
# such clauses are most of a 下一步, it is boilerplate, not "several named measures". The same words also
# open real measures (加快建设牦牛屠宰加工厂), so one of them does not make a step vague.
VAGUE_MEASURE = re.compile(r"进一步|持续|继续|不断|更加|更大|更好|努力|认真|着力|全力|切实|扎实|深入|积极|大力|全面|高质量|稳步|有序|"
                           r"加快|加大|强化|提升|优化|完善|深化")
# searched for presence only: the month's number is read behind 月, so every alternative opens with a literal
DEADLINE = re.compile(r"年底|月底|年内|季度末|下半年|三季度|四季度|(?<=[一二三四五六七八九十\d])月(?:底|前|中旬|上旬|下旬)|前完成")
RESULT = re.compile(
    r"完成|实现|建成|新增|累计|达到|同比|环比|增长|下降|签约|签订|投产|开工|竣工|解决了|化解|办结|惠及|带动|落地|"
    r"增收|创收|节约|减少|提高到|提升至|覆盖|受益|兑现|发放|收回|挽回|帮助[^。]{0,10}(?:解决|协调)|协调解决了|破解了|成功")
SOLICITED_CASE_INTRO = re.compile(r"如|例如|比如|以[^。，]{2,12}为例|典型|案例|其中")

_NAMED_SUFFIX = (r"村|社区|居委会|公司|集团|合作社|厂|农场|牧场|小学|中学|学校|医院|卫生院|项目|基地|园区|景区|"
                 r"镇|乡|街道|车间|超市|酒店|家庭农场|协会|银行|支行|电站|水库|大桥|服务中心|产业园|工业园|市场|商场|小区|苑|站")
NAMED_ENTITY = re.compile(rf"(?<![各全该本我此])([一-龥A-Za-z0-9“”]{{2,14}}?)(?:{_NAMED_SUFFIX})")
_SUFFIX_AT = re.compile(rf"(?:{_NAMED_SUFFIX})")
# Case detection also takes schools, parks and venues by name (红河职业技术学院、湿地公园).
CASE_SUFFIX_AT = re.compile(rf"(?:{_NAMED_SUFFIX}|大学|学院|幼儿园|公园|纪念馆|博物馆|图书馆|体育馆|文化馆)")
_ASCII_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789“”")
_NOT_BEFORE = set("各全该本我此")


def named_entities(text: str, suffixes: re.Pattern[str] = _SUFFIX_AT) -> list[tuple[int, int, str]]:
    """Every named place, firm, project… of ``text`` (see iter_named_entities)."""
    return list(iter_named_entities(text, suffixes))


def iter_named_entities(text: str, suffixes: re.Pattern[str] = _SUFFIX_AT) -> Iterator[tuple[int, int, str]]:
    """Named places, firms, projects…: (start, end, name), generic phrases (各村、重点企业) left out.

    The matches of ``NAMED_ENTITY.finditer``, found from each suffix backwards: a lazy
    quantifier tried at every position against every suffix is the slowest regex of a screening.
    A generator: the case rule needs only a sentence's first name.
    """
    cursor = 0
    for m in suffixes.finditer(text):
        q = m.start()
        run = q
        while run > cursor and q - run < 14:
            ch = text[run - 1]  # a name character: [一-龥A-Za-z0-9“”], tested without a regex call
            if not ("一" <= ch <= "龥" or ch in _ASCII_NAME_CHARS):
                break
            run -= 1
        start = next((p for p in range(run, q - 1) if p == 0 or text[p - 1] not in _NOT_BEFORE), None)
        if start is None:
            continue
        cursor = m.end()
        name = text[start:q]
        if not GENERIC_NAME.search(name) and len(name.strip("“”")) >= 2:
            yield start, m.end(), text[start:m.end()]


# Inside a sentence the run before a suffix may take in the words before the name (落实了项目、
# 动员各村、引导养殖公司): the name starts after the last function word and after a leading verb.
NAME_BREAK = re.compile(r"^.*[了的和与及在对把将为被从向由、是各该本其这到至给让之]")
# A category before the head (招标项目、咨询类项目、重点工程项目) names a kind, not one instance.
NAME_CATEGORY_END = re.compile(r"(?:类|采购|招标|供货|工程|建设|重点|民生|产业|服务|管理|各类|相关|集体)$")
CATEGORY_HEADS = ("项目", "市场", "基地")
# 乡 inside a common word is no township's name ending: 乡村 (发展乡村旅游、实施乡村振兴; but 某乡村民 is
# a township's villagers) and 城乡 before what towns and countryside share (统筹城乡供水、城乡居民医保).
RURAL_WORD_AFTER_XIANG = re.compile(r"村(?!民)")
URBAN_RURAL_AFTER_XIANG = re.compile(r"居民|低保|公交|供水|环卫|道路|一体|融合|接合|结合|规划|建设|建委|统筹|发展|差距|医保|义务|学校|客运|污水|垃圾|生活|交通|社区")
NAME_VERB = re.compile(
    r"鼓励|针对|加强|实现|执行|保障|推进|推动|完成|开展|组织|支持|调动|设立|营造|打造|引进|落户|位于|来到|走进|参观|"
    r"考察|依托|通过|围绕|结合|利用|成立|按照|确保|培育|扶持|帮助|指导|带动|覆盖|涉及|包括|其中|共有|新增|累计|首先|先后|分别|全面|积极|"
    r"大力|不断|进一步")
NAME_LEADING_ADVERB = re.compile(r"(?:建立|建设|建成|新建|共|仅|已|还|也|都|均|并|又)*")
GENERIC_NAME = re.compile(r"^(?:各|全|所有|相关|重点|有关|部分|辖区|规上|规模以上|示范|试点|骨干|龙头|中小|民营|国有|该|本|我|这|其|一|两|多|若干|贫困|基层|周边|沿线|城乡|农村|乡镇|在建|新建|重大|省级|市级|县级|国家级|优秀|先进|星级)")
_SURNAME = "[张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤]"
# A named person: a role word before a name (村民张某、农户老李), or a surname with its household.
PERSON = re.compile(rf"(?:村民|农户|居民|脱贫户|群众|党员|老党员|退役军人|职工|工人|学生|患者|创业者|致富带头人|个体户|经营户|驾驶员)"
                    rf"(?:[老小]?{_SURNAME}(?:某某?|[一-龥]{{1,2}})|[一-龥]某某?)"
                    rf"|[一-龥]某某?|{_SURNAME}[一-龥]{{1,2}}(?=[家说介绍告诉算笑]|一家|夫妇|老人)")


@dataclass(frozen=True)
class SentenceRole:
    sentence: Sentence
    directive: bool
    attendance: bool
    itinerary: bool

    @property
    def reports_fact(self) -> bool:
        """A statement of what was done or happened, not a demand or the event's own logistics."""
        return not (self.directive or self.attendance or self.itinerary)


def _attendance(text: str) -> bool:
    found = [m.group(0) for m in ATTENDANCE.finditer(text)]
    if not found:
        return False
    trainees_only = all(TRAINEES.fullmatch(cue) for cue in found)
    return not (trainees_only and RESULT.search(text) and _DIGIT.search(text))


_DIGIT = re.compile(r"\d")


def sentence_roles(sentences: list[Sentence]) -> list[SentenceRole]:
    """Roles per sentence; a demand opens a run that continues while sentences start with 要/一是…."""
    roles: list[SentenceRole] = []
    in_demands = False
    for s in sentences:
        text = s.text
        directive = bool(DIRECTIVE.search(text) or DIRECTIVE_OPENING.match(text))
        if not directive and in_demands and re.match(r"^(?:[一二三四五六七八九十]是|（[一二三四五六七八九十]）|第[一二三四五六七八九十]，|同时|此外|另外)?[，,]?(?:要|必须|务必|切实|坚持|全力|确保|着力)", text):
            directive = True
        if s.paragraph != (roles[-1].sentence.paragraph if roles else -1) and not directive:
            in_demands = False
        in_demands = directive or (in_demands and s.paragraph == roles[-1].sentence.paragraph)
        roles.append(SentenceRole(s, directive, _attendance(text), bool(ITINERARY.search(text))))
    return roles


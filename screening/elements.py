"""Rule-based detection of the six elements (情况、问题、事例、数据、分析、建议) with evidence.

Each detector looks at the draft's sentences with their roles (see ``cues.sentence_roles``):
figures, problems and proposals voiced as demands at a meeting or visit, and the logistics of
the event itself (attendees, places passed through), are not elements of the work.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import islice
from typing import Callable, Iterator

from . import cues
from .context import Context
from .figures import Figure, chinese_to_number
from .patterns import starting_with
from .report import ELEMENTS, ElementResult, Span

# Units that, in an attendance or itinerary sentence, count the event itself, not the work.
LOGISTIC_UNITS = {"人", "名", "位", "人次", "次", "场", "场次", "天", "小时", "分钟", "个", "处", "户",
                  "家", "村", "镇", "乡", "社区", "期", "届", "个月", "支", "队", "批", "项", "条", "篇", "本", "册"}
# A clause that describes the event itself — who spoke, listened or was commended, where the
# leader went and how long the event lasted. SCHEMA.md: counts that only describe a meeting or a
# visit are not data, even in a sentence that also reports work; a clause that also reports a
# result (解决、整改、完成…) is about the work.
EVENT_CLAUSE = re.compile(r"发言|汇报|表态|听课|聆听|讲述|邀请|参加|参会|出席|与会|列席|表彰|颁发了?(?:奖|荣誉|纪念|证书|聘书)"
                          r"|授予|观看|走访|察看|来到|深入|走进|检查了|抽查了|随机抽|途经|驱车|为期|历时|会期|时长|会场|值班")
WORK_RESULT = re.compile(rf"{cues.RESULT.pattern}|整改|解决|压减|办理|查处|发现")
# In such a clause these count the event too: schools and sites visited, films watched.
EVENT_UNITS = LOGISTIC_UNITS | {"家企业", "所学校", "所", "座", "部"}
# The event's own structure, named right after the count: 派出8个督导组、设置6个专题、分3个小组.
EVENT_PARTS = re.compile(r"(?:督导|检查|暗访|工作|调研|考察|视察|巡查|核查|指导){0,2}组(?![织建成合])|专题|环节|科目|分会场")
# Distances travelled on a visit (行程200余公里、沿巷道步行1000余米), not lengths of roads built.
TRAVEL = re.compile(r"行程|全程|驱车|步行|沿途|途经")
DISTANCE_UNITS = {"公里", "千米", "米"}

Detector = Callable[[Context], list[Span]]


def data_figures(ctx: Context) -> list[Figure]:
    """Figures that are quantitative facts about the work (not dates, numbering or logistics)."""
    cached = ctx.__dict__.get("_data_figures")
    if cached is None:
        cached = ctx.__dict__["_data_figures"] = _data_figures(ctx)
    return cached


def _data_figures(ctx: Context) -> list[Figure]:
    out: list[Figure] = []
    for role in ctx.roles:
        s = role.sentence
        if role.directive:
            continue
        condolence = "慰问" in s.text
        for f in ctx.figures_in(s.start, s.end):
            if not f.is_quantity or _not_a_measure(f, ctx.draft.body):
                continue
            if (role.attendance or role.itinerary) and (f.unit in LOGISTIC_UNITS or condolence):
                continue
            if _counts_the_event(f, s, ctx.draft.body):
                continue
            out.append(f)
    return out


def _counts_the_event(f: Figure, sentence, body: str) -> bool:
    """A count of the meeting or visit itself: its parts (8个督导组), the distance travelled, or a
    count in a clause about attending, speaking, commending or visiting that reports no result."""
    if f.unit in DISTANCE_UNITS:
        return bool(TRAVEL.search(_clause_of(sentence, f)))
    if EVENT_PARTS.match(body, f.end):
        return True
    if f.unit not in EVENT_UNITS:
        return False
    clause = _clause_of(sentence, f)
    return bool(EVENT_CLAUSE.search(clause)) and not WORK_RESULT.search(clause)


_CLAUSE_BREAKS = "，,；;"


def _clause_of(sentence, f: Figure) -> str:
    """The clause (between commas or semicolons) of the sentence that holds the figure, read
    within 200 characters of it: a sentence without breaks must not cost its length per figure."""
    text = sentence.text
    start, end = f.start - sentence.start, f.end - sentence.start
    lo, hi = max(0, start - 200), min(len(text), end + 200)
    begin = max(text.rfind(c, lo, start) for c in _CLAUSE_BREAKS) + 1 or lo
    stops = [i for i in (text.find(c, end, hi) for c in _CLAUSE_BREAKS) if i >= 0]  # 1,200 holds a comma
    return text[begin: min(stops) if stops else hi]


_ARABIC = re.compile(r"\d")
_IDIOM_NUMERALS = set("一二三四五六七八九十百千万")


def _not_a_measure(f: Figure, body: str) -> bool:
    """Figures that describe no work: anniversaries (建校60周年), ages (85岁的退休教师), idioms
    (千家万户、千方百计、千镇一面), and small numbers written in words, which name a set rather
    than count one (两委班子、三方面、两度)."""
    if f.unit == "岁" or (f.unit == "周" and body.startswith("年", f.end)):
        return True
    if _is_idiom(f, body):
        return True
    return f.kind == "quantity" and not _ARABIC.search(f.text) and (chinese_value(f.text) or 0) < 10


def _is_idiom(f: Figure, body: str) -> bool:
    """A lone 十/百/千/万 with its unit, followed by another numeral (千家万户、千方百计), read
    without the hedge before it (直达千家万户); not a ratio (每百户一名)."""
    number = f.text[:len(f.text) - len(f.unit)]
    before = number[-2:-1]
    return (number[-1] in "十百千万" and not (before in _IDIOM_NUMERALS or before.isdigit())
            and body[f.end:f.end + 1] in _IDIOM_NUMERALS and body[f.start - 1:f.start] != "每")


def chinese_value(text: str) -> float | None:
    digits = re.match(r"[^零〇一二两三四五六七八九十百千万亿]*([零〇一二两三四五六七八九十百千万亿]+)", text)
    return chinese_to_number(digits.group(1)) if digits else None


def _situation(ctx: Context) -> list[Span]:
    facts = [r.sentence for r in ctx.roles if r.reports_fact and len(r.sentence.text) >= 8]
    first = facts[0] if facts else (ctx.doc.sentences[0] if ctx.doc.sentences else None)
    return [Span("body", first.start, first.end)] if first else []


def _data(ctx: Context) -> list[Span]:
    return [Span("body", f.start, f.end) for f in data_figures(ctx)]


def _problem(ctx: Context) -> list[Span]:
    spans: list[Span] = []
    for role in ctx.roles:
        if role.directive:
            continue
        s = role.sentence
        if not _PROBLEM_ANY.search(s.text):  # most sentences: no clause can name a problem
            continue
        for clause in cues.CLAUSE.finditer(s.text):
            m = _named_problem(clause.group(0), s.text[clause.end(): clause.end() + 1])
            if m is not None:
                offset = s.start + clause.start()
                spans.append(Span("body", offset + m[0], offset + m[1]))
                break
    return spans


# The predicates behind a lookahead on their first characters: same matches, 3× faster (test_patterns).
_PROBLEM_PREDICATE = starting_with(cues.PROBLEM_PREDICATE.pattern)
# Whatever _named_problem needs to find a problem: a predicate, a hard difficulty or a problem noun.
_PROBLEM_ANY = starting_with("|".join(p.pattern for p in (cues.PROBLEM_PREDICATE, cues.PROBLEM_HARD, cues.PROBLEM_NOUN)))


def _named_problem(clause: str, following: str) -> tuple[int, int] | None:
    """Where ``clause`` names a concrete problem, if it does."""
    if cues.PROBLEM_AGENDA.search(clause):
        return None
    m = _problem_predicate(clause)
    if m:
        return m.span()
    m = cues.PROBLEM_HARD.search(clause)
    if m and not cues.PROBLEM_HANDLED_BEFORE.search(clause, max(0, m.start() - _NEAR), m.start()):
        return m.span()
    # The cues before a noun are anchored at it and a few characters long: searched in a short
    # window; and a clause is judged by its first few nouns. A clause of thousands of nouns (问题问题…)
    # then costs linear time, not quadratic.
    for m in islice(cues.PROBLEM_NOUN.finditer(clause), _MAX_NOUNS):
        near = clause[max(0, m.start() - _NEAR): m.start()]
        if (cues.PROBLEM_AS_WORK_BEFORE.search(near) or cues.PROBLEM_HANDLED_BEFORE.search(near)
                or cues.PROBLEM_AS_WORK_AFTER.match(clause[m.end(): m.end() + 8])):  # ^-anchored: a slice
            continue
        if cues.NEGATED.search(near) or (m.group(0) == "不足" and cues.SHORTFALL_AS_NOUN.search(near)):
            continue
        specific = not cues.ABSTRACT_QUALIFIER.match(clause, 0, m.start())
        enumerated = following in "：:" and not clause[m.end():].strip()
        counted = _COUNTED.match(clause, m.end())
        if specific or enumerated or counted:
            return m.span()
    return None


_NEAR = 24        # characters before a problem noun that its cues can span (the longest: about 14)
_MAX_NOUNS = 8    # problem nouns read per clause
_COUNTED = re.compile(r"\s*(?:\d+|[一二两三四五六七八九十百]+)[个处条项件起]")


def _problem_predicate(clause: str) -> re.Match | None:
    """A predicate saying something is lacking; 不足 in a self-review formula is a noun, not one."""
    for m in _PROBLEM_PREDICATE.finditer(clause):
        if m.group(0) == "不足" and cues.SHORTFALL_AS_NOUN.search(clause[: m.start()]):
            continue
        return m
    return None


def case_entities(text: str) -> Iterator[tuple[int, int, str]]:
    """Named places, firms, projects in a sentence, trimmed to the name (落实了项目 names none)."""
    for start, end, name in cues.iter_named_entities(text, cues.CASE_SUFFIX_AT):
        # the stem is what stands before the (longest) suffix that ends the name
        stem_end = next((i for i in range(1, len(name)) if cues.CASE_SUFFIX_AT.fullmatch(name, i)), len(name))
        stem = name[:stem_end]
        if name[stem_end:] == "乡" and (cues.RURAL_WORD_AFTER_XIANG.match(text, end)
                                       or (stem.endswith("城") and cues.URBAN_RURAL_AFTER_XIANG.match(text, end))):
            continue
        cut = cues.NAME_BREAK.match(stem)
        skip = cut.end() if cut else 0
        verb = None
        for verb in cues.NAME_VERB.finditer(stem, skip):
            pass
        skip = verb.end() if verb else skip
        skip = cues.NAME_LEADING_ADVERB.match(stem, skip).end()
        rest = stem[skip:].strip("“”")
        if (len(rest) < 2 or rest[0].isdigit() or cues.GENERIC_NAME.search(stem[skip:])
                or (name[stem_end:] in cues.CATEGORY_HEADS and cues.NAME_CATEGORY_END.search(rest))):
            continue
        yield start + skip, end, name[skip:]


def _case(ctx: Context) -> list[Span]:
    spans: list[Span] = []
    for role in ctx.roles:
        if role.directive or role.attendance:
            continue
        s = role.sentence
        if role.itinerary and not cues.RESULT.search(s.text):
            continue  # a place a leader merely passed through is not a case
        has_outcome = bool(cues.RESULT.search(s.text)) or ctx.has_quantity(s.start, s.end)
        if not has_outcome:
            continue
        entity = next(case_entities(s.text), None)
        if entity:
            start, end, _name = entity
            spans.append(Span("body", s.start + start, s.start + end))
        else:
            m = cues.PERSON.search(s.text)
            if m:
                spans.append(Span("body", s.start + m.start(), s.start + m.end()))
    return spans


def _analysis(ctx: Context) -> list[Span]:
    spans: list[Span] = []
    weak: list[Span] = []
    for role in ctx.roles:
        if role.directive:
            continue
        s = role.sentence
        m = cues.ANALYSIS_STRONG.search(s.text) or cues.analysis_causal(s.text)
        if m:
            spans.append(Span("body", s.start + m.start(), s.start + m.end()))
            continue
        m = cues.ANALYSIS_WEAK.search(s.text)
        if m and len(s.text) > 20:
            weak.append(Span("body", s.start + m.start(), s.start + m.end()))
    # Causal connectives alone are common in plain reporting; several of them make an argument.
    return spans or (weak if len(weak) >= 3 else [])


def _recommendation(ctx: Context) -> list[Span]:
    spans: list[Span] = []
    under_heading = False
    for role in ctx.roles:
        s = role.sentence
        heading = s.text.strip()
        if _is_heading(heading):  # a new section: under a next-step heading or not
            under_heading = bool(cues.NEXT_STEP_HEADING.search(heading))
        if role.directive:
            continue
        if cues.BOILERPLATE.search(s.text) and len(s.text) < 40:
            continue
        if under_heading and _concrete(s.text, ctx, s.start, s.end):
            spans.append(Span("body", s.start, s.end))
            continue
        m = next((m for m in cues.RECOMMENDATION.finditer(s.text) if not _mentioned(m, s.text)), None)
        if m and m.group(0) == "建议" and (_is_heading(heading) or _asks_attitude_only(ctx, s, m.end())):
            m = None  # a heading, or proposals of attitude only (建议…高度重视，加大力度): boilerplate
        if m:
            spans.append(Span("body", s.start + m.start(), s.start + m.end()))
            continue
        m = cues.NEXT_STEP.search(s.text)
        if m and _concrete(s.text, ctx, s.start, s.end):
            spans.append(Span("body", s.start + m.start(), s.start + m.end()))
    return spans


def vague_next_steps(ctx: Context) -> list[Span]:
    """Next-step sentences that name no measure (下一步，将继续深化…不断提升…): what an officer wrote
    as the recommendation and the rules did not count, so a missing one can point at it."""
    return [Span("body", r.sentence.start, r.sentence.end) for r in ctx.roles
            if not r.directive and cues.NEXT_STEP.search(r.sentence.text)
            and not _concrete(r.sentence.text, ctx, r.sentence.start, r.sentence.end)]


def explicit_proposals(ctx: Context) -> list[Span]:
    """Clauses that open with 建议 and say what, outside demands voiced at a meeting: the one form
    of recommendation certain enough to stand even where a head reads the draft otherwise."""
    spans: list[Span] = []
    if "建议" not in ctx.draft.body:  # most drafts: no sentence to scan
        return spans
    for role in ctx.roles:
        s = role.sentence
        m = None if role.directive else cues.EXPLICIT_PROPOSAL.search(s.text)
        if m and _asks_attitude_only(ctx, s, m.end()):
            continue
        if m:
            spans.append(Span("body", s.start + m.start(), s.start + m.end()))
    return spans


def _is_heading(text: str) -> bool:
    return bool(cues.NUMBERED_HEADING.match(text)) or (len(text) <= 10 and bool(cues.NEXT_STEP_HEADING.search(text)))


# How many sentences of a paragraph a 建议 is read into (为此建议：一是…。二是…。…).
PROPOSAL_SENTENCES = 30


def _asks_attitude_only(ctx: Context, sentence, at: int) -> bool:
    """Whether what a 建议 at ``at`` of ``sentence`` goes on to propose — to the end of its paragraph,
    where 为此建议： opens a list (一是提高思想认识。二是加强组织领导。) — asks only for attitude and
    effort: most clauses are 高度重视、加大力度、形成合力…, with no figure, deadline or named document.
    A list runs a few sentences: reading at most PROPOSAL_SENTENCES of them keeps a paragraph of
    thousands of 建议 from being read to its end once for each."""
    start = sentence.start + at
    if sentence.field == "body":
        sentences = ctx.doc.sentences
        here = bisect_right(sentences, sentence.start, key=lambda s: s.start) - 1
        end = min(ctx.doc.paragraph_ends[sentence.paragraph],
                  sentences[min(here + PROPOSAL_SENTENCES, len(sentences) - 1)].end)
        text = ctx.draft.body[start:end]
    else:
        end, text = sentence.end, sentence.text[at:]
    if _names_specifics(text, ctx, start, end):
        return False
    clauses = [c for c in re.split(r"[，、；。：,;:]", text) if len(c.strip()) >= 4]
    vague = sum(1 for c in clauses if cues.GENERIC_ASK.search(c) or cues.VAGUE_MEASURE.search(c) or cues.BOILERPLATE.search(c))
    return bool(clauses) and vague * 2 > len(clauses)


def _mentioned(m: re.Match, text: str) -> bool:
    """建议 named as something proposed or handled, its content not given (提出了整改建议。), or as
    the title of a document (关于制定…规划的建议)."""
    if m.group(0) != "建议":
        return False
    if cues.RECOMMENDATION_DOCUMENT.search(text, max(0, m.start() - 44), m.start()):
        return True
    return (text[m.end(): m.end() + 1] in ("", *"。；，、和及与")
            and bool(cues.RECOMMENDATION_MENTION.search(text, max(0, m.start() - 16), m.start())))


def _names_specifics(text: str, ctx: Context, start: int, end: int) -> bool:
    """A figure, a deadline or a named document (出台《…办法》): what makes a step or a proposal concrete
    however it is worded."""
    return bool(ctx.has_quantity(start, end) or cues.DEADLINE.search(text) or "《" in text)


def _concrete(text: str, ctx: Context, start: int, end: int) -> bool:
    """A next-step sentence with substance: a figure, a deadline, a named document (出台《…办法》) or
    several measures, most of them more than effort or direction."""
    if _names_specifics(text, ctx, start, end):
        return True
    measures = [m for m in re.split(r"[，、；,;]", text) if len(m) >= 6]
    named = sum(1 for m in measures if not cues.VAGUE_MEASURE.search(m))
    return len(text) >= 30 and len(measures) >= 3 and named * 2 > len(measures)


DETECTORS: dict[str, Detector] = {
    "situation": _situation,
    "problem": _problem,
    "case": _case,
    "data": _data,
    "analysis": _analysis,
    "recommendation": _recommendation,
}

class RuleElements:
    """The transparent element detector; trained models may override its decisions."""

    name = "rules"

    def predict(self, ctx: Context) -> dict[str, ElementResult]:
        out = {}
        for key in ELEMENTS:
            spans = DETECTORS[key](ctx)
            out[key] = ElementResult(bool(spans), tuple(spans[:8]))
        return out

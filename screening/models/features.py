"""Model inputs built from the draft's context, so segmentation and rule analysis run once.

A :class:`ModelInput` carries the words (from the shared segmentation), the title (for character
n-grams: the few characters that say what the draft is about; the lead's words are in the word
block, and its character n-grams cost a tenth of a screening for a gain within noise) and structural
features computed by the rules — who speaks (demands, attendance, itinerary), what is reported
as done (result sentences), figures about results. Those carry meaning across writers' voices.
It also carries the words of the sentences the element rules took as evidence, tagged by element,
so a head can learn which rule hits are not the element (建议 in 征求群众建议, 问题 in 整改问题).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from itertools import accumulate
from dataclasses import dataclass
from typing import Iterator

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from .. import cues
from ..context import Context
from ..elements import DETECTORS, data_figures, explicit_proposals
from ..report import ELEMENTS

STRUCT_NAMES = (
    "title_meeting", "title_visit", "lead_meeting", "lead_visit", "share_directive", "share_attendance",
    "share_itinerary", "share_fact", "log_result_figures", "log_result_sentences", "log_length",
    *(f"rule_{e}" for e in ELEMENTS), "unframed", "leader",
)


# What each structural feature means, for officers reading why a draft was flagged.
STRUCT_LABELS = {
    "title_meeting": "标题写的是开会学习", "title_visit": "标题写的是调研检查", "lead_meeting": "导语写的是开会学习",
    "lead_visit": "导语写的是调研检查", "share_directive": "“强调、要求”类句子多", "share_attendance": "“出席、参加”类句子多",
    "share_itinerary": "行程类句子多", "share_fact": "陈述事实的句子多", "log_result_figures": "有反映成效的数据",
    "log_result_sentences": "有写成效的句子", "log_length": "篇幅",
    **{f"rule_{e}": f"规则找到“{n}”" for e, n in zip(ELEMENTS, ("情况", "问题", "事例", "数据", "分析", "建议"))},
    "unframed": "不是以会议或调研开头", "leader": "标题或导语写的是领导",
}
# What the tags evidence_words puts among the words mean, for the same readers.
EVIDENCE_TAGS = {**{f"<pos{i}>": "句子位置" for i in range(4)}, "<itinerary>": "行程句", "<attendance>": "出席句",
                 "<demand_deadline>": "带时限的要求", "<demand_figure>": "带数字的要求"}


@dataclass(frozen=True)
class ModelInput:
    words: tuple[str, ...]
    head: str                      # the title: the input of the character n-grams
    struct: tuple[float, ...]
    rule_spans: dict               # element -> evidence spans found by the rules
    evidence: tuple[str, ...] = ()  # words of the sentences the rules took as evidence, tagged by element
    explicit_proposals: tuple = ()  # clauses opening with 建议 in the draft's own voice (see TrainedElements)
    sentences: tuple[tuple[str, ...], ...] = ()  # each body sentence's words, in ctx.doc.sentences' order


def model_input(ctx: Context) -> ModelInput:
    doc, roles = ctx.doc, ctx.roles
    lead = doc.lead_text
    n = max(len(roles), 1)
    spans = {key: DETECTORS[key](ctx) for key in ELEMENTS}
    framing = (cues.MEETING_TITLE.search(doc.title), cues.VISIT_TITLE.search(doc.title),
               cues.MEETING_LEAD.search(lead), cues.VISIT_LEAD.search(lead))
    attendance = sum(r.attendance for r in roles) / n
    itinerary = sum(r.itinerary for r in roles) / n
    struct = (
        *(float(bool(m)) for m in framing),
        sum(r.directive for r in roles) / n,
        attendance,
        itinerary,
        sum(r.reports_fact for r in roles) / n,
        math.log1p(len(data_figures(ctx))),
        math.log1p(sum(1 for r in roles if r.reports_fact and cues.RESULT.search(r.sentence.text))),
        math.log1p(len(doc.body)) / 8,
        *(float(bool(spans[e])) for e in ELEMENTS),
        # Neither a meeting nor a visit frames the draft: 886 of the 887 such training items are not
        # low-value. Explicit, it holds drafts without results but without a frame (套话 pieces)
        # at "none" when retraining teaches a new kind of low-value report.
        float(not any(framing) and not attendance and not itinerary),
        float(bool(cues.LEADER.search(doc.title) or cues.LEADER.search(lead))),
    )
    sentences = sentence_words(ctx)
    return ModelInput(tuple(doc.words), doc.title, struct, spans, evidence_words(ctx, spans, sentences),
                      tuple(explicit_proposals(ctx)), sentences)


def sentence_words(ctx: Context) -> tuple[tuple[str, ...], ...]:
    """The words of each body sentence, from the draft's one segmentation (blank words kept: no
    vocabulary holds them)."""
    words = ctx.doc.body_words
    ends = list(accumulate(map(len, words)))       # where each word ends in the body
    return tuple(tuple(words[bisect_right(ends, s.start):bisect_left(ends, s.end) + 1]) for s in ctx.doc.sentences)


def evidence_words(ctx: Context, spans: dict, sentences: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """Per element, the words of the sentences holding the rules' evidence, tagged ``element|word``,
    and the roles of those sentences: lets a head learn which rule hits are not the element. Demands
    with a deadline or a figure add ``recommendation|<demand_…>``. ``sentences``: from sentence_words."""
    out: list[str] = list(_concrete_demands(ctx))
    if not any(spans[e] for e in EVIDENCE_ELEMENTS):
        return tuple(out)
    body_sentences = ctx.doc.sentences
    sentence_starts = [s.start for s in body_sentences]
    for key in EVIDENCE_ELEMENTS:
        seen: set[int] = set()
        for span in spans[key][:8]:
            i = bisect_right(sentence_starts, span.start) - 1
            if i < 0 or i in seen or span.start >= body_sentences[i].end:
                continue
            seen.add(i)
            role = ctx.roles[i]
            tag = key + "|"
            out.extend(map(tag.__add__, filter(str.strip, sentences[i])))  # C loops: no blank words
            out.append(f"{tag}<pos{min(i, 3)}>")
            if role.itinerary:
                out.append(tag + "<itinerary>")
            if role.attendance:
                out.append(tag + "<attendance>")
    return tuple(out)


EVIDENCE_ELEMENTS = ("problem", "case", "analysis", "recommendation")


def _concrete_demands(ctx: Context) -> Iterator[str]:
    """Demands voiced at a meeting or on a visit that carry a deadline or a figure: the rules skip
    every demand, but SCHEMA.md counts concrete tasks deployed there as next-step measures, and
    only the head can learn where a demand stops being general."""
    for role in ctx.roles:
        if role.directive:
            s = role.sentence
            if cues.DEADLINE.search(s.text):
                yield "recommendation|<demand_deadline>"
            if ctx.has_quantity(s.start, s.end):
                yield "recommendation|<demand_figure>"


def evidence_of(item: ModelInput) -> list[str]:
    """Analyzer for the evidence vectorizer (module-level so the pipeline pickles)."""
    return list(item.evidence)


def words_of(item: ModelInput) -> list[str]:
    """Analyzer for the word vectorizer (module-level so the pipeline pickles)."""
    return list(filter(str.strip, item.words))  # blank words dropped, the loop in C


def head_char_ngrams(item: ModelInput, sizes: tuple[int, ...] = (1, 2, 3)) -> list[str]:
    """Character 1–3-grams of the title (analyzer; module-level so it pickles)."""
    text = "".join(item.head.split())
    return [text[i:i + n] for n in sizes for i in range(len(text) - n + 1)]


class StructuralFeatures(BaseEstimator, TransformerMixin):
    """The rule-derived features as a dense block, scaled so a linear model can weigh them."""

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale

    def fit(self, X, y=None) -> "StructuralFeatures":
        self.n_features_in_ = len(STRUCT_NAMES)
        return self

    def transform(self, X) -> np.ndarray:
        return np.asarray([item.struct for item in X], dtype=float) * self.scale

    def row(self, item) -> np.ndarray:
        """One draft's block (the screening path: see fastpath.feature_row)."""
        return np.asarray(item.struct, dtype=float) * self.scale

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.asarray([f"struct:{n}" for n in STRUCT_NAMES], dtype=object)


# Words that open a measure, a plan or a demand (将、计划、要求、明确、确保…): the sentences that may
# carry a next step. Whether one does turns on what the whole clause says, which is what the
# sentence block below gives the recommendation head.
MEASURE_WORDS = frozenset(("要", "将", "建议", "计划", "拟", "要求", "明确", "力争", "确保", "牵头", "拟于", "将于",
                           "下一步", "下步", "今后"))


def sentence_tokens(sentence: tuple[str, ...]) -> list[str]:
    """Analyzer of the sentence vocabulary, blank words left out (module-level so the model pickles)."""
    return list(filter(str.strip, sentence))


class SentenceSemantics(BaseEstimator, TransformerMixin):
    """What the draft's measure sentences and its last sentence say, as latent semantic vectors.

    Each body sentence's words (tf-idf) are projected on ``dims`` directions learnt from the
    corpus's sentences (truncated SVD) and normalised; the block is the element-wise maximum over
    the sentences holding a MEASURE_WORDS word (a clause like "由县住建局牵头，于6月底前完成排查" in any
    wording near it) and the vector of the last sentence that says something (where a next step usually
    stands; a trailer such as （完）, a date or a source line is passed over). A bag of the
    whole draft's words cannot tell which clause a word stood in; this can, and it is what lifted the
    recommendation head (training_data/ELEMENTS_ANALYSIS.md, session 12)."""

    def __init__(self, dims: int = 100, max_terms: int = 8000) -> None:
        self.dims, self.max_terms = dims, max_terms

    def fit(self, X, y=None) -> "SentenceSemantics":
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        sentences = [s for item in X for s in item.sentences]
        vectorizer = TfidfVectorizer(analyzer=sentence_tokens, min_df=2, max_features=self.max_terms,
                                     sublinear_tf=True)
        self.vocabulary_, self.dims_ = {}, 0
        self.projection_ = np.zeros((0, 0), dtype=np.float32)
        try:
            matrix = vectorizer.fit_transform(sentences)
        except ValueError:  # no word twice in a (test's) tiny training set: an empty block
            return self
        # a small training set may hold fewer sentences or words than directions
        dims = min(self.dims, matrix.shape[0] - 1, matrix.shape[1] - 1)
        if dims < 1:
            return self
        with np.errstate(invalid="ignore", divide="ignore"):  # a degenerate tiny set: its variance ratio is 0/0
            svd = TruncatedSVD(dims, random_state=0).fit(matrix)
        self.dims_ = svd.components_.shape[0]
        self.vocabulary_ = vectorizer.vocabulary_
        # Each word's direction, weighted by its idf: a sentence's vector is the normalised sum over its
        # words (raw counts: a word seldom repeats within a sentence, and counting it once more is cheaper
        # than counting distinct words). float32 halves the artifact; the vectors are normalised.
        self.projection_ = (vectorizer.idf_[:, None] * svd.components_.T).astype(np.float32)
        return self

    def sentence_vectors(self, sentences: list[tuple[str, ...]]) -> np.ndarray:
        """One unit vector per sentence, (sentences, dims): the sum of its known words' idf-weighted
        directions (each occurrence counts), normalised; zero rows for sentences of no known word.
        One gather of the words' directions and one segmented sum (not a sentences × words indicator
        product: quadratic on a long draft, and it sums in another order than the model was trained
        with, which moves the last digits of a shown score)."""
        out = np.zeros((len(sentences), self.dims_), dtype=np.float32)
        get = self.vocabulary_.get
        columns: list[int] = []
        starts: list[int] = []     # where each sentence with a known word starts among the columns
        owners: list[int] = []     # and which sentence it is
        for i, words in enumerate(sentences):
            known = [c for c in map(get, words) if c is not None]
            if known:
                starts.append(len(columns))
                owners.append(i)
                columns += known
        if not columns:
            return out
        out[owners] = np.add.reduceat(np.take(self.projection_, columns, axis=0), starts, axis=0)
        norms = np.sqrt((out * out).sum(axis=1, keepdims=True))
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    def _last_saying_something(self, sentences: tuple[tuple[str, ...], ...]) -> int:
        """The last sentence with three known words of two or more characters that are not figures
        (not a trailer: （完）, 2024年5月6日, （通讯员 张三）); the last sentence if none has."""
        for i in range(len(sentences) - 1, -1, -1):
            known = sum(1 for w in sentences[i] if len(w) > 1 and w in self.vocabulary_ and not w.isdigit())
            if known >= 3:
                return i
        return len(sentences) - 1

    def _projected(self, item) -> tuple[list[int], int, np.ndarray] | None:
        """The measure sentences, the last one saying something, and their vectors (the measures'
        first, the last one's in the last row); None for a draft without sentences or an empty block.
        Only these sentences are projected."""
        sentences = item.sentences
        if not sentences or not self.dims_:
            return None
        measures = [i for i, s in enumerate(sentences) if not MEASURE_WORDS.isdisjoint(s)]
        last = self._last_saying_something(sentences)
        return measures, last, self.sentence_vectors([sentences[i] for i in measures] + [sentences[last]])

    def row(self, item) -> np.ndarray:
        """One draft's block: the element-wise maximum over the measure sentences, then the last
        sentence's vector (the screening path: see fastpath.feature_row)."""
        block = np.zeros(2 * self.dims_)
        projected = self._projected(item)
        if projected is not None:
            measures, _last, vectors = projected
            if measures:
                block[:self.dims_] = vectors[:-1].max(axis=0)
            block[self.dims_:] = vectors[-1]
        return block

    def sources(self, item) -> np.ndarray:
        """For each column of the block, the body sentence it was taken from (-1: none), for
        explanations: the sentence whose value :meth:`row` took."""
        origin = np.full(2 * self.dims_, -1)
        projected = self._projected(item)
        if projected is not None:
            measures, last, vectors = projected
            if measures:
                origin[:self.dims_] = np.asarray(measures)[vectors[:-1].argmax(axis=0)]
            origin[self.dims_:] = last
        return origin

    def transform(self, X) -> np.ndarray:
        return np.asarray([self.row(item) for item in X]).reshape(len(X), 2 * self.dims_)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.asarray([f"sentence:measure:{i}" for i in range(self.dims_)]
                          + [f"sentence:last:{i}" for i in range(self.dims_)], dtype=object)

"""The trained model: one fitted feature union and a linear head per judgement."""

from __future__ import annotations

import pickle
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import numpy as np

from ..context import Context
from ..report import ELEMENTS, LOW_VALUE_LABELS, ElementResult, LowValueResult, Span
from .fastpath import feature_row
from .features import EVIDENCE_TAGS, STRUCT_LABELS, STRUCT_NAMES, model_input
from .heads import CompiledHeads
from .pipeline import SENTENCE_HEADS, block_columns

_CACHE_KEY = "_screening_model_X"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class ScreeningModel:
    features: Any                           # fitted FeatureUnion
    heads: CompiledHeads                    # "low_value", "element:<key>", "adoption"
    feature_names: np.ndarray
    # element -> "rules" | "model" | "both" (rules found evidence and the model agrees)
    element_strategy: dict[str, str] = field(default_factory=dict)
    version: str = "unversioned"
    # The structural features it was trained on: code that computes others cannot use it.
    struct_names: tuple[str, ...] = STRUCT_NAMES

    # joblib's unpickler is pure Python: the ~60,000 vocabulary strings and names took a second to
    # load. The state travels as one blob of the standard (C) pickle inside the joblib file: 0.1 s.
    def __getstate__(self) -> dict:
        return {"pickled_state": pickle.dumps(self.__dict__, protocol=5)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(pickle.loads(state["pickled_state"]) if "pickled_state" in state else state)

    def matrix(self, ctx: Context):
        """The draft's input, feature row, every head's scores, their calibrated values and every
        head's probabilities by name, computed once per draft."""
        cached = ctx.__dict__.get(_CACHE_KEY)
        if cached is None:
            item = model_input(ctx)
            X = feature_row(self.features, item)
            scores = self.heads.scores(X)
            calibrated = self.heads.calibrated(scores)
            cached = (item, X, scores, calibrated, self.heads.row_probabilities(calibrated[0]))
            ctx.__dict__[_CACHE_KEY] = cached
        return cached

    def proba(self, ctx: Context, head: str) -> dict:
        """Calibrated probabilities of one head for this draft, by class."""
        probabilities = self.matrix(ctx)[4]
        return dict(zip(self.heads.layout[head].classes, probabilities[head]))

    def top_terms(self, head: str, row, class_index: int, n: int = 8,
                  title_words: Collection[str] = ()) -> list[str]:
        """Features that pushed this draft most towards the class (weight × value, largest first),
        as an officer can read them: structural features by their Chinese label, words of two or
        more characters with a Chinese character in them, and the title's character n-grams only
        where one is a whole word of the title (``title_words``): 作、务 or 主持会 explain nothing."""
        mean = self.heads.mean_weights(head)
        weights = mean[class_index if mean.shape[0] > 1 else 0]
        contributions = row.data * weights[row.indices]
        positive = np.flatnonzero(contributions > 0)  # usually a fraction of the row: sort only those
        # ties: by column, whatever the row's storage order
        order = positive[np.lexsort((row.indices[positive], -contributions[positive]))]
        out: list[str] = []
        for i in order:
            name = _readable_term(str(self.feature_names[row.indices[i]]), title_words)
            if name and name not in out:
                out.append(name)
                if len(out) == n:
                    break
        return out

    def weightiest_sentence(self, ctx: Context, head: str) -> tuple[Span, ...]:
        """The body sentence that adds most to the head's positive score (its words, and the sentence
        block where the head reads it): where an element the rules found no evidence for was read (a
        sentence says more than its heaviest words, which may stand anywhere in the draft)."""
        name, vectorizer = self.features.transformer_list[0]
        sentences, tokens = ctx.doc.sentences, ctx.doc.body_tokens
        if name != "words" or not sentences or not tokens:  # the word block leads the union: columns from 0
            return ()
        columns = np.fromiter(map(vectorizer.vocabulary_.get, (t.text for t in tokens), repeat(-1)),
                              dtype=np.int64, count=len(tokens))
        which = np.searchsorted([s.start for s in sentences], [t.start for t in tokens], side="right") - 1
        keep = (columns >= 0) & (which >= 0)
        width = len(vectorizer.idf_)
        pairs = np.unique(which[keep] * width + columns[keep])  # each word once a sentence
        # what each word adds to the score (weight × its value in the row), counted once a sentence
        weights = self.heads.mean_weights(head)[0]
        item, row = self.matrix(ctx)[:2]
        in_words = row.indices < width
        weight = np.zeros(width)
        weight[row.indices[in_words]] = weights[row.indices[in_words]] * row.data[in_words]
        scores = np.bincount(pairs // width, weights=weight[pairs % width], minlength=len(sentences))
        if head in SENTENCE_HEADS:
            scores = scores + self._sentence_block_scores(item, row, weights, len(sentences))  # (empty bincounts are ints)
        best = int(np.argmax(scores))
        return (Span("body", sentences[best].start, sentences[best].end),) if scores[best] > 0 else ()

    def _sentence_block_scores(self, item, row, weights: np.ndarray, n: int) -> np.ndarray:
        """Per body sentence, what the sentence block's columns taken from it add to the head's score."""
        columns = block_columns(self.features, "sentences")
        if columns.start == columns.stop:
            return np.zeros(n)
        sources = dict(self.features.transformer_list)["sentences"].sources(item)
        values = row.toarray()[0, columns] * weights[columns]
        keep = sources >= 0
        return np.bincount(sources[keep], weights=values[keep], minlength=n)


class TrainedLowValue:
    """Low-value judge from the trained head; cue spans from the rules for the evidence."""

    name = "model"

    def __init__(self, model: ScreeningModel) -> None:
        self.model = model

    def predict(self, ctx: Context) -> LowValueResult:
        from ..lowvalue import RuleLowValue

        X = self.model.matrix(ctx)[1]
        proba = self.model.proba(ctx, "low_value")
        probabilities = {k: float(proba.get(k, 0.0)) for k in LOW_VALUE_LABELS}
        label = max(probabilities, key=probabilities.get)
        class_index = list(self.model.heads.layout["low_value"].classes).index(label)
        cues = RuleLowValue().predict(ctx).cues if label != "none" else ()
        terms = self.model.top_terms("low_value", X, class_index, title_words=ctx.doc.title_words)
        if label != "none" and not cues:  # no rule cue: point at the words that weighed most
            cues = _term_spans(ctx, terms)
        return LowValueResult(label, probabilities, cues, tuple(terms))


class TrainedElements:
    """Element judge: per element, the rules or the trained head, whichever measured better."""

    name = "model"

    def __init__(self, model: ScreeningModel) -> None:
        self.model = model

    def predict(self, ctx: Context) -> dict[str, ElementResult]:
        item, X = self.model.matrix(ctx)[:2]
        out = {}
        for key in ELEMENTS:
            spans = item.rule_spans[key]
            head = f"element:{key}"
            if head not in self.model.heads or self.model.element_strategy.get(key) == "rules":
                out[key] = ElementResult(bool(spans), tuple(spans[:8]))
                continue
            score = float(self.model.proba(ctx, head)[1])
            present = score >= 0.5
            if self.model.element_strategy.get(key) == "both":
                present = present and bool(spans)
            evidence = tuple(spans[:8]) if present else ()
            if not present and key == "recommendation" and item.explicit_proposals:
                evidence = item.explicit_proposals[:8]  # 建议：… in the draft's own words
                present = True
            if present and not evidence:
                evidence = (self.model.weightiest_sentence(ctx, head)
                            or _term_spans(ctx, self.model.top_terms(head, X, 0, title_words=ctx.doc.title_words)))
            out[key] = ElementResult(present, evidence, score)
        return out


def adoption_probability(model: ScreeningModel, ctx: Context) -> float | None:
    if "adoption" not in model.heads:
        return None
    return float(model.proba(ctx, "adoption")[1])


def _readable_term(feature: str, title_words: Collection[str]) -> str | None:
    """The name an officer is shown for a feature of the union, or None where it reads as noise."""
    block, _, name = feature.partition("__")
    if name.startswith("sentence:"):  # a direction of the sentence block: no word to show
        return None
    if name.startswith("struct:"):
        return STRUCT_LABELS.get(name[len("struct:"):], name)
    if "|" in name:  # a word of a rule-evidence sentence (problem|隐患), or a sentence tag
        name = name.split("|", 1)[1]
        if name in EVIDENCE_TAGS:
            return EVIDENCE_TAGS[name]
    if block == "head_chars" and name not in title_words:
        return None
    return name if len(name) >= 2 and _CJK.search(name) else None


def _term_spans(ctx: Context, terms: list[str]) -> tuple[Span, ...]:
    """Where the heaviest words of a model decision stand in the body (its evidence)."""
    spans = []
    for term in terms:
        if len(term) < 2:
            continue
        at = ctx.draft.body.find(term)
        if at >= 0:
            spans.append(Span("body", at, at + len(term)))
    return tuple(spans[:5])

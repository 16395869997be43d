"""The scikit-learn pieces: one shared feature union (words, head characters, structure) and
linear heads with calibrated probabilities, one per judgement."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from .features import SentenceSemantics, StructuralFeatures, evidence_of, head_char_ngrams, words_of


# Terms kept per vocabulary (the most frequent). 8,000 scored as well as 30,000 in cross-validation,
# and a smaller vocabulary and weight matrix make each draft's lookups cheaper.
MAX_TERMS = 8000


def build_features(sentence_block: bool = True) -> FeatureUnion:
    """The shared features; ``sentence_block=False`` leaves out the block only SENTENCE_HEADS read."""
    blocks = [
        ("words", TfidfVectorizer(analyzer=words_of, min_df=2, max_features=MAX_TERMS, sublinear_tf=True)),
        ("head_chars", TfidfVectorizer(analyzer=head_char_ngrams, min_df=2, max_features=MAX_TERMS, sublinear_tf=True)),
        # the sentences the rules took as evidence, word by word: which rule hits are not the element
        ("evidence", TfidfVectorizer(analyzer=evidence_of, min_df=2, max_features=MAX_TERMS, sublinear_tf=True)),
        ("struct", StructuralFeatures()),
    ]
    if sentence_block:  # read by the heads in SENTENCE_HEADS only (see unread_blocks_zeroed)
        blocks.append(("sentences", SentenceSemantics(max_terms=MAX_TERMS)))
    return FeatureUnion(blocks)


# The heads that read the sentence block. It lifted recommendation (cross-validated F1 0.776 → 0.82)
# and lowered problem and analysis, whose evidence is not one clause: the other heads see it as
# zeros, which gives them exactly zero weights there (training_data/ELEMENTS_ANALYSIS.md, session 12).
SENTENCE_HEADS = frozenset({"element:recommendation"})


def block_columns(union: FeatureUnion, block: str) -> slice:
    """The columns of one named block of the fitted union (an empty slice if it has none)."""
    start = 0
    for name, transformer in union.transformer_list:
        # a vectorizer's names are its sorted vocabulary (milliseconds): count it instead
        width = (len(transformer.vocabulary_) if isinstance(transformer, TfidfVectorizer)
                 else len(transformer.get_feature_names_out()))
        if name == block:
            return slice(start, start + width)
        start += width
    return slice(start, start)


def unread_blocks_zeroed(matrix, union: FeatureUnion, head: str):
    """The feature matrix as ``head`` reads it: the sentence block zeroed unless the head reads it."""
    if head in SENTENCE_HEADS:
        return matrix
    keep = np.ones(matrix.shape[1])
    keep[block_columns(union, "sentences")] = 0.0
    return sparse.csr_matrix(matrix) @ sparse.diags(keep)


class HeadFeatures(BaseEstimator, TransformerMixin):
    """The shared feature union, as one head reads it (for cross-validation, fold by fold).

    A head that does not read the sentence block is fitted without it: the shipped model's zeroed
    columns get exactly zero weight, so leaving them out gives the same scores, and cross-validation
    skips the block's SVD for every such head in every fold (the larger part of ``screening train``)."""

    def __init__(self, head: str) -> None:
        self.head = head

    def fit(self, X, y=None) -> "HeadFeatures":
        self.union_ = build_features(sentence_block=self.head in SENTENCE_HEADS).fit(X)
        return self

    def transform(self, X):
        return self.union_.transform(X)


def build_head(C: float = 0.5) -> CalibratedClassifierCV:
    """A class-balanced linear SVM, its scores turned into probabilities by 3-fold sigmoid fits.

    It replaced a logistic regression (C = 2) that regularised the word weights too hard: on the
    same folds element macro-F1 rose 0.890 → 0.897, and dev and the real texts rose with it. C from
    0.5 to 4 scores within 0.002 in cross-validation; 0.5, the most regularised, forgets least when
    retraining adds a burst of one kind of feedback (training_data/ELEMENTS_ANALYSIS.md, session 7)."""
    return CalibratedClassifierCV(LinearSVC(C=C, class_weight="balanced", random_state=0),
                                  method="sigmoid", cv=3)


def build_pipeline(head: str, C: float = 0.5) -> Pipeline:
    """Features and one head together, as that head reads them: what cross-validation fits fold by fold."""
    return Pipeline([("features", HeadFeatures(head)), ("model", build_head(C))])

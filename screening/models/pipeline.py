"""The scikit-learn pieces: one shared feature union (words, head characters, structure) and
linear heads with calibrated probabilities, one per judgement."""

from __future__ import annotations

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from .features import StructuralFeatures, evidence_of, head_char_ngrams, words_of


# Terms kept per vocabulary (the most frequent). 8,000 scored as well as 30,000 in cross-validation,
# and a smaller vocabulary and weight matrix make each draft's lookups cheaper.
MAX_TERMS = 8000


def build_features() -> FeatureUnion:
    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer=words_of, min_df=2, max_features=MAX_TERMS, sublinear_tf=True)),
        ("head_chars", TfidfVectorizer(analyzer=head_char_ngrams, min_df=2, max_features=MAX_TERMS, sublinear_tf=True)),
        # the sentences the rules took as evidence, word by word: which rule hits are not the element
        ("evidence", TfidfVectorizer(analyzer=evidence_of, min_df=2, max_features=MAX_TERMS, sublinear_tf=True)),
        ("struct", StructuralFeatures()),
    ])


def build_head(C: float = 2.0) -> CalibratedClassifierCV:
    """A class-balanced logistic regression, its probabilities calibrated by 3-fold sigmoid fits."""
    return CalibratedClassifierCV(LogisticRegression(C=C, max_iter=3000, class_weight="balanced"),
                                  method="sigmoid", cv=3)


def build_pipeline(C: float = 2.0) -> Pipeline:
    """Features and one head together: what cross-validation fits fold by fold."""
    return Pipeline([("features", build_features()), ("model", build_head(C))])

"""One draft's feature row without scikit-learn's per-call validation.

``FeatureUnion.transform`` on a single draft spends most of its time checking its input and
dispatching jobs. For one row, the same arithmetic is a few dictionary lookups: count the
analyzer's tokens that are in the vocabulary, apply ``1 + log(tf)`` (sublinear tf), multiply by
``idf_``, normalise to unit length; then the dense structural block. A test holds this row equal
to ``FeatureUnion.transform``.
"""

from __future__ import annotations

from collections import Counter
from itertools import repeat

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


def _tfidf_part(vectorizer: TfidfVectorizer, item) -> tuple[np.ndarray, np.ndarray]:
    """Columns and values of one vectorizer's block (columns unsorted: CSR products need no order)."""
    # Count the tokens, then look every distinct one up in the vocabulary (-1: not in it); both
    # loops run in C.
    counts = Counter(vectorizer.analyzer(item))
    columns = np.fromiter(map(vectorizer.vocabulary_.get, counts.keys(), repeat(-1)), dtype=np.int64, count=len(counts))
    values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    keep = columns >= 0
    columns, values = columns[keep], values[keep]
    if vectorizer.sublinear_tf:
        values = np.log(values) + 1.0
    if vectorizer.use_idf:
        values *= vectorizer.idf_[columns]
    if vectorizer.norm == "l2":
        values /= np.sqrt(values @ values) or 1.0
    return columns, values


def feature_row(union, item) -> sparse.csr_matrix:
    """The row ``union.transform([item])`` would give, as a 1×n CSR matrix."""
    indices, values, offset = [], [], 0
    for _name, transformer in union.transformer_list:
        if isinstance(transformer, TfidfVectorizer):
            idx, val = _tfidf_part(transformer, item)
            width = len(transformer.vocabulary_)
        else:
            dense = np.asarray(transformer.transform([item]), dtype=np.float64).ravel()
            idx = np.flatnonzero(dense)
            val = dense[idx]
            width = dense.shape[0]
        indices.append(idx + offset)
        values.append(val)
        offset += width
    idx = np.concatenate(indices)
    return sparse.csr_matrix((np.concatenate(values), idx, np.array([0, len(idx)])), shape=(1, offset))

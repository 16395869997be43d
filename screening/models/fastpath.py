"""One draft's feature row without scikit-learn's per-call validation.

``FeatureUnion.transform`` on a single draft spends most of its time checking its input and
dispatching jobs. For one row, the same arithmetic is a few dictionary lookups: count the
analyzer's tokens that are in the vocabulary, apply ``1 + log(tf)`` (sublinear tf), multiply by
``idf_``, normalise to unit length; then the dense blocks. A test holds this row equal to
``FeatureUnion.transform``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import repeat

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


@dataclass(frozen=True)
class FeatureRow:
    """One draft's features as the nonzero columns and their values (what a 1×n CSR row holds,
    columns unsorted): what the screening path reads by column. Its product with the heads'
    weights goes through SciPy's CSR product, built with 32-bit indices (no index conversion), so
    the scores are SciPy's to the last bit."""

    indices: np.ndarray
    data: np.ndarray
    width: int

    @property
    def shape(self) -> tuple[int, int]:
        return (1, self.width)

    def __matmul__(self, weights: np.ndarray) -> np.ndarray:
        """The row times a dense (width, k) matrix: (1, k)."""
        return np.asarray(self.tocsr() @ weights)

    def toarray(self) -> np.ndarray:
        dense = np.zeros((1, self.width))
        dense[0, self.indices] = self.data
        return dense

    def tocsr(self) -> sparse.csr_matrix:
        index = np.int32 if self.width < 2**31 else np.int64
        return sparse.csr_matrix((self.data, self.indices.astype(index, copy=False),
                                  np.array([0, len(self.indices)], dtype=index)), shape=self.shape, copy=False)


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


def feature_row(union, item) -> FeatureRow:
    """The row ``union.transform([item])`` would give."""
    indices, values, offset = [], [], 0
    for _name, transformer in union.transformer_list:
        if isinstance(transformer, TfidfVectorizer):
            idx, val = _tfidf_part(transformer, item)
            width = len(transformer.vocabulary_)
        else:  # our dense blocks give one draft's row without scikit-learn's output wrapping
            dense = np.asarray(transformer.row(item), dtype=np.float64)
            idx = np.flatnonzero(dense)
            val = dense[idx]
            width = dense.shape[0]
        indices.append(idx + offset)
        values.append(val)
        offset += width
    return FeatureRow(np.concatenate(indices), np.concatenate(values), offset)

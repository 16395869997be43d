"""Calibrated linear heads compiled to one matrix product.

scikit-learn's ``CalibratedClassifierCV.predict_proba`` validates its input on every call, for
every fold and every head; for one draft that costs ten times the arithmetic. Training fits the
heads with scikit-learn; this module copies their fitted numbers (each fold's linear
coefficients and intercepts, each sigmoid calibrator's ``a_`` and ``b_``) into one weight
matrix and computes exactly what ``predict_proba`` computes. A test holds the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV


@dataclass(frozen=True)
class HeadLayout:
    start: int          # first column of this head in the weight matrix
    classes: tuple      # the head's classes, in scikit-learn's order
    folds: int          # calibrated classifiers averaged
    per_fold: int       # decision columns per fold: 1 for binary, else one per class

    @property
    def stop(self) -> int:
        return self.start + self.folds * self.per_fold


class CompiledHeads:
    def __init__(self, heads: dict[str, CalibratedClassifierCV]) -> None:
        blocks, intercepts, a, b = [], [], [], []
        self.layout: dict[str, HeadLayout] = {}
        column = 0
        for name, head in heads.items():
            if head.method != "sigmoid":
                raise ValueError("only sigmoid calibration can be compiled")
            classes = tuple(head.classes_.tolist())
            per_fold = 1 if len(classes) == 2 else len(classes)
            for fold in head.calibrated_classifiers_:
                estimator = fold.estimator
                if tuple(estimator.classes_.tolist()) != classes:
                    raise ValueError(f"head {name}: a fold saw only some classes")
                blocks.append(estimator.coef_.T)
                intercepts.append(estimator.intercept_)
                a.extend(c.a_ for c in fold.calibrators)
                b.extend(c.b_ for c in fold.calibrators)
            folds = len(head.calibrated_classifiers_)
            self.layout[name] = HeadLayout(column, classes, folds, per_fold)
            column += folds * per_fold
        self.weights = np.hstack(blocks).astype(np.float64)
        self.intercept = np.concatenate(intercepts).astype(np.float64)
        self.a = np.asarray(a, dtype=np.float64)
        self.b = np.asarray(b, dtype=np.float64)
        self._mean_weights = {name: self._average(name) for name in self.layout}

    def __contains__(self, name: str) -> bool:
        return name in self.layout

    def scores(self, X) -> np.ndarray:
        """Every head's decision values for the rows of X, in one product: (rows, columns)."""
        return np.asarray(X @ self.weights) + self.intercept

    def calibrated(self, scores: np.ndarray) -> np.ndarray:
        """Every column's sigmoid-calibrated value, (rows, columns): one call for all heads."""
        return expit(-(self.a * scores + self.b))

    def proba(self, name: str, scores: np.ndarray, calibrated: np.ndarray | None = None) -> np.ndarray:
        """Calibrated class probabilities of one head, (rows, classes), as predict_proba gives;
        ``calibrated`` (from :meth:`calibrated`) saves recomputing the sigmoids per head."""
        lay = self.layout[name]
        if calibrated is None:
            calibrated = self.calibrated(scores)
        p = calibrated[:, lay.start:lay.stop].reshape(len(scores), lay.folds, lay.per_fold)
        if lay.per_fold == 1:
            folds = np.concatenate([1.0 - p, p], axis=2)
        else:
            total = p.sum(axis=2, keepdims=True)
            uniform = np.full_like(p, 1.0 / lay.per_fold)
            folds = np.divide(p, total, out=uniform, where=total != 0)
        folds[(1.0 < folds) & (folds <= 1.0 + 1e-5)] = 1.0
        return folds.mean(axis=1)

    def row_probabilities(self, calibrated_row: np.ndarray) -> dict[str, tuple[float, ...]]:
        """Every head's class probabilities for one draft (a row of :meth:`calibrated`), as
        :meth:`proba` gives them: the same arithmetic on a few dozen floats in plain Python, which
        for one draft costs a tenth of seven rounds of small numpy calls."""
        values = calibrated_row.tolist()
        out = {}
        for name, lay in self.layout.items():
            if lay.per_fold == 1:
                p = values[lay.start:lay.stop]  # each fold's (1 - p, p) averaged, as proba does
                out[name] = (sum([1.0 - v for v in p]) / lay.folds, sum(p) / lay.folds)
                continue
            sums = [0.0] * lay.per_fold
            for fold in range(lay.folds):
                p = values[lay.start + fold * lay.per_fold: lay.start + (fold + 1) * lay.per_fold]
                total = sum(p)
                for k, v in enumerate(p):
                    v = v / total if total != 0 else 1.0 / lay.per_fold
                    sums[k] += 1.0 if 1.0 < v <= 1.0 + 1e-5 else v
            out[name] = tuple(v / lay.folds for v in sums)
        return out

    def mean_weights(self, name: str) -> np.ndarray:
        """Average linear weights over the folds, (per_fold, features): the explanation of a head."""
        return self._mean_weights[name]

    def _average(self, name: str) -> np.ndarray:
        lay = self.layout[name]
        w = self.weights[:, lay.start:lay.stop].reshape(-1, lay.folds, lay.per_fold)
        return w.mean(axis=1).T

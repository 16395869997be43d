"""``screening train``: cross-validate, fit on the whole corpus, evaluate, save a new version."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
from tqdm import tqdm

from ..context import Context
from ..report import ELEMENTS, LOW_VALUE_LABELS
from ..settings import Settings
from . import artifact
from .corpus import Example, corpus_hash, is_frozen, load_corpus
from .features import model_input
from .model import ScreeningModel, TrainedElements, TrainedLowValue
from .heads import CompiledHeads
from .pipeline import build_features, build_head, build_pipeline, unread_blocks_zeroed


def _f1_table(gold, pred, labels) -> dict[str, Any]:
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    return {"classes": {str(l): {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                                 "f1": round(float(f[i]), 4), "support": int(s[i])} for i, l in enumerate(labels)},
            "macro_f1": round(float(np.mean(f)), 4)}


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True,
                              cwd=Path(__file__).parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    out = {"python": platform.python_version()}
    for name in ("scikit-learn", "numpy", "scipy", "jieba", "rjieba", "joblib"):
        try:
            out[name] = version(name)
        except Exception:  # a missing optional package is recorded as absent
            out[name] = "absent"
    return out


def build_tasks(examples: list[Example]) -> dict[str, tuple[list[int], list]]:
    """Per head: the examples that carry its label, and the labels (unknown labels are left out)."""
    idx = [i for i, e in enumerate(examples) if e.low_value is not None]
    tasks: dict[str, tuple[list[int], list]] = {"low_value": (idx, [examples[i].low_value for i in idx])}
    known = [i for i, e in enumerate(examples) if e.elements is not None]
    for key in ELEMENTS:
        y = [int(key in examples[i].elements) for i in known]
        if len(set(y)) == 2 and min(y.count(0), y.count(1)) >= 10:
            tasks[f"element:{key}"] = (known, y)
    adopted = [i for i, e in enumerate(examples) if e.adopted is not None]
    tasks["adoption"] = (adopted, [int(examples[i].adopted) for i in adopted])
    return tasks


def cross_validate(inputs: list, examples: list[Example], tasks: dict, folds: int,
                   progress: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """Grouped k-fold figures per head, and per element whether rules, model or both do best."""
    groups = [e.group for e in examples]
    cv_scores: dict[str, Any] = {}
    strategy: dict[str, str] = {}
    splitter = StratifiedGroupKFold(n_splits=min(folds, len(set(groups))), shuffle=True, random_state=0)
    for name, (idx, y) in tqdm(tasks.items(), desc=f"{folds} 折交叉验证", disable=not progress):
        X = [inputs[i] for i in idx]
        g = [groups[i] for i in idx]
        pred = cross_val_predict(build_pipeline(name), X, y, groups=g, cv=splitter)
        if name == "element:recommendation":  # as TrainedElements predicts: an explicit 建议 stands
            pred = [int(p or bool(x.explicit_proposals)) for p, x in zip(pred, X)]
        labels = list(LOW_VALUE_LABELS) if name == "low_value" else [1, 0]
        cv_scores[name] = _f1_table(y, list(pred), labels)
        if name == "low_value":
            cv_scores[name]["confusion"] = confusion_matrix(y, pred, labels=labels).tolist()
        if name.startswith("element:"):
            key = name.split(":", 1)[1]
            rules = [int(bool(inputs[i].rule_spans[key])) for i in idx]
            candidates = {"rules": rules, "model": list(pred), "both": [r & int(p) for r, p in zip(rules, pred)]}
            f1s = {k: float(precision_recall_fscore_support(y, v, labels=[1], zero_division=0)[2][0])
                   for k, v in candidates.items()}
            cv_scores[name]["strategies_f1"] = {k: round(v, 4) for k, v in f1s.items()}
            cv_scores[name]["rules_f1"] = round(f1s["rules"], 4)
            strategy[key] = max(f1s, key=f1s.get)
    for key in ELEMENTS:
        strategy.setdefault(key, "rules")
    element_f1 = [cv_scores[f"element:{k}"]["strategies_f1"][strategy[k]] if f"element:{k}" in cv_scores
                  else 1.0 for k in ELEMENTS]
    cv_scores["elements_macro_f1"] = round(float(np.mean(element_f1)), 4)
    return cv_scores, strategy


def fit_model(inputs: list, tasks: dict, strategy: dict[str, str], version: str,
              progress: bool) -> ScreeningModel:
    features = build_features().fit(inputs)
    matrix = features.transform(inputs)
    heads = {}
    for name, (idx, y) in tqdm(tasks.items(), desc="训练最终模型", disable=not progress):
        heads[name] = build_head().fit(unread_blocks_zeroed(matrix[idx], features, name), y)
    compiled = CompiledHeads(heads)
    check_compiled(compiled, heads, matrix[: min(len(inputs), 200)])
    return ScreeningModel(features, compiled, features.get_feature_names_out(), strategy, version)


def train(corpus_dir: Path | None = None, models_dir: Path | None = None, folds: int = 5,
          eval_sets: list[tuple[str, Path, Path | None]] = (), version: str | None = None,
          progress: bool = True, make_current: bool = True, extra_examples: list[Example] = (),
          strategy: dict[str, str] | None = None) -> tuple[ScreeningModel, dict[str, Any]]:
    """Train on the corpus (less its frozen evaluation split) and ``extra_examples`` (feedback).

    With ``folds`` ≥ 2 the heads are cross-validated and the element strategy chosen from it;
    with ``folds`` = 0 (retraining) ``strategy`` is kept as given."""
    settings = Settings.from_mapping()
    corpus = load_corpus(corpus_dir)
    examples = [e for e in corpus if not is_frozen(e.id)] + list(extra_examples)
    inputs = [model_input(Context(e.draft, settings))
              for e in tqdm(examples, desc="分词与特征", disable=not progress)]
    tasks = build_tasks(examples)
    cv_scores: dict[str, Any] = {}
    if folds >= 2:
        cv_scores, strategy = cross_validate(inputs, examples, tasks, folds, progress)
    strategy = strategy or {key: "model" for key in ELEMENTS}
    version = version or dt.datetime.now(dt.timezone.utc).strftime("v%Y%m%d-%H%M%S")
    model = fit_model(inputs, tasks, strategy, version, progress)

    meta: dict[str, Any] = {
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "libraries": _versions(), "git_commit": _git_commit(),
        "training_data": {"sha256": corpus_hash(corpus_dir), "items": len(examples),
                          "feedback_items": len(extra_examples),
                          "frozen_split_held_out": sum(1 for e in corpus if is_frozen(e.id))},
        "cv": {"folds": folds, "grouped_by": "writer", **cv_scores}, "element_strategy": strategy, "eval": {},
    }
    if eval_sets:
        from ..engine import Screener
        from ..evaluate import evaluate

        screener = Screener(settings, low_value=TrainedLowValue(model), elements=TrainedElements(model),
                            model_version=version)
        for label, path, gold in eval_sets:
            result = evaluate(path, screener, gold)
            result.pop("errors", None)
            meta["eval"][label] = result
    models_dir = models_dir or artifact.default_models_dir()
    folder = artifact.save(model, meta, models_dir)
    write_report(folder, meta)
    if make_current:
        from .registry import promote

        promote(models_dir, version)
    return model, meta


def check_compiled(compiled: CompiledHeads, heads: dict, X) -> None:
    """The compiled heads must give scikit-learn's probabilities, or the model is not saved."""
    scores = compiled.scores(X)
    for name, head in heads.items():
        if not np.allclose(compiled.proba(name, scores), head.predict_proba(X), atol=1e-9):
            raise AssertionError(f"compiled head {name} differs from predict_proba")


def write_report(folder: Path, meta: dict[str, Any]) -> None:
    """A readable report and a confusion-matrix picture beside the artifact."""
    from ..plotting import pyplot

    plt = pyplot()
    cv = meta["cv"]
    matrices = [(f"{cv['folds']}-fold CV", cv["low_value"]["confusion"])] if "low_value" in cv else []
    for label, result in meta["eval"].items():
        if result.get("format") == "drafts":
            matrices.append((label, result["low_value"]["confusion"]["matrix"]))
    if not matrices:
        matrices = [("none", [[0, 0, 0]] * 3)]
    fig, axes = plt.subplots(1, len(matrices), figsize=(4.2 * len(matrices), 4))
    axes = np.atleast_1d(axes)
    for ax, (title, m) in zip(axes, matrices):
        m = np.asarray(m)
        ax.imshow(m, cmap="Blues")
        ax.set_xticks(range(3), LOW_VALUE_LABELS)
        ax.set_yticks(range(3), LOW_VALUE_LABELS)
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold")
        ax.set_title(f"low_value: {title}")
        for i in range(3):
            for j in range(3):
                ax.text(j, i, str(m[i, j]), ha="center", va="center",
                        color="white" if m[i, j] > m.max() / 2 else "black")
    fig.tight_layout()
    fig.savefig(folder / "confusion.png", dpi=110)
    plt.close(fig)

    lines = [f"# Model {meta.get('version', folder.name)}", "",
             f"Training items: {meta['training_data']['items']}; CV: {meta['cv']['folds']} folds grouped by writer.", "",
             "| figure | CV | " + " | ".join(meta["eval"]) + " |",
             "| --- | --- | " + " | ".join("---" for _ in meta["eval"]) + " |"]

    def row(name, cv_value, getter):
        vals = []
        for result in meta["eval"].values():
            try:
                vals.append(f"{getter(result):.3f}")
            except (KeyError, TypeError):
                vals.append("")
        lines.append(f"| {name} | {cv_value} | " + " | ".join(vals) + " |")

    def fig3(value) -> str:
        return f"{value:.3f}" if isinstance(value, (int, float)) else "—"

    lv = cv.get("low_value", {})
    row("low_value macro-F1", fig3(lv.get("macro_f1")), lambda r: r["low_value"]["macro_f1"])
    for label in LOW_VALUE_LABELS:
        row(f"  {label} F1", fig3(lv.get("classes", {}).get(label, {}).get("f1")),
            lambda r, l=label: r["low_value"]["classes"][l]["f1"])
    row("element macro-F1", fig3(cv.get("elements_macro_f1")), lambda r: r["elements"]["macro_f1"])
    for key in ELEMENTS:
        head_cv = cv.get(f"element:{key}")
        cv_text = (", ".join(f"{k} {v:.3f}" for k, v in head_cv["strategies_f1"].items())
                   + f"; uses {meta['element_strategy'][key]}") if head_cv else meta["element_strategy"].get(key, "rules")
        row(f"  {key} F1", cv_text, lambda r, k=key: r["elements"]["per_element"][k]["f1"])
    lines.append(f"| adoption macro-F1 | {fig3(cv.get('adoption', {}).get('macro_f1'))} | |")
    lines += ["", "![confusion matrices](confusion.png)", ""]
    (folder / "REPORT.md").write_text("\n".join(lines), encoding="utf-8")

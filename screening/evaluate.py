"""Score the screener against labelled sets in the ``eval/SCHEMA.md`` formats.

Three formats are recognised from their lines: drafts (``gold.low_value``/``gold.elements``, or
a separate gold file with ``gold_low_value``/``gold_elements``), duplicates (``role``) and
timeliness (``gold.late``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from .draft import Draft
from .engine import Screener
from .errors import DraftError
from .io import iter_json_lines
from .report import ELEMENTS, LOW_VALUE_LABELS
from .duplicates import DuplicateFinder


def load_set(path: str | Path, gold_path: str | Path | None = None) -> list[dict[str, Any]]:
    items = [data for _n, data in iter_json_lines(path)]
    if gold_path is not None:
        golds = [data for _n, data in iter_json_lines(gold_path)]
        by_id = {g["id"]: g for g in golds}
        for item in items:
            g = by_id.get(item.get("id"))
            if g is None:
                raise DraftError("gold", f"标注文件中没有 {item.get('id')} 的标注")
            item["gold"] = {"low_value": g["gold_low_value"], "elements": g["gold_elements"]}
    return items


def detect_format(items: list[dict[str, Any]]) -> str:
    if any("role" in i for i in items):
        return "duplicates"
    gold = items[0].get("gold", {}) if items else {}
    if "late" in gold:
        return "timeliness"
    if "low_value" in gold:
        return "drafts"
    raise DraftError("gold", "无法识别评估集格式：需要 gold.low_value、gold.late 或 role 字段（或用 --gold 指定标注文件）")


def per_class(gold: list[str], pred: list[str], labels: list[str]) -> dict[str, Any]:
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    classes = {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                     "f1": round(float(f[i]), 4), "support": int(s[i])} for i, lab in enumerate(labels)}
    return {"classes": classes, "macro_f1": round(float(sum(f) / len(f)), 4)}


def evaluate_drafts(items: list[dict[str, Any]], screener: Screener) -> dict[str, Any]:
    gold_lv, pred_lv = [], []
    gold_el: dict[str, list[int]] = defaultdict(list)
    pred_el: dict[str, list[int]] = defaultdict(list)
    errors = []
    for item in items:
        report = screener.screen(Draft.from_dict(item))
        g = item["gold"]
        gold_lv.append(g["low_value"])
        pred_lv.append(report.low_value.label)
        for key in ELEMENTS:
            gold_el[key].append(int(key in g["elements"]))
            pred_el[key].append(int(report.elements[key].present))
        wrong_elements = [k for k in ELEMENTS if (k in g["elements"]) != report.elements[k].present]
        if g["low_value"] != report.low_value.label or wrong_elements:
            errors.append({"id": item.get("id"), "gold": g["low_value"], "pred": report.low_value.label,
                           "elements_wrong": wrong_elements})
    elements = {}
    for key in ELEMENTS:
        p, r, f, s = precision_recall_fscore_support(gold_el[key], pred_el[key], labels=[1], zero_division=0)
        elements[key] = {"precision": round(float(p[0]), 4), "recall": round(float(r[0]), 4),
                         "f1": round(float(f[0]), 4), "support": int(s[0])}
    labels = list(LOW_VALUE_LABELS)
    return {
        "format": "drafts", "n": len(items),
        "low_value": {**per_class(gold_lv, pred_lv, labels),
                      "confusion": {"labels": labels,
                                    "matrix": confusion_matrix(gold_lv, pred_lv, labels=labels).tolist()}},
        "elements": {"per_element": elements,
                     "macro_f1": round(sum(e["f1"] for e in elements.values()) / len(ELEMENTS), 4)},
        "errors": errors,
    }


def evaluate_timeliness(items: list[dict[str, Any]], screener: Screener) -> dict[str, Any]:
    gold, pred, errors = [], [], []
    for item in items:
        report = screener.screen(Draft.from_dict(item))
        late = any(f.code in ("late", "emergency.late") for f in report.flags)
        gold.append(bool(item["gold"]["late"]))
        pred.append(late)
        if late != bool(item["gold"]["late"]):
            errors.append({"id": item.get("id"), "gold": item["gold"]["late"], "pred": late,
                           "timeliness": report.timeliness})
    correct = sum(g == p for g, p in zip(gold, pred))
    result = per_class([str(g) for g in gold], [str(p) for p in pred], ["True", "False"])
    return {"format": "timeliness", "n": len(items), "late_accuracy": round(correct / max(len(items), 1), 4),
            "late": result, "errors": errors}


def evaluate_duplicates(items: list[dict[str, Any]], screener: Screener) -> dict[str, Any]:
    history = DuplicateFinder.in_memory(Draft.from_dict(i) for i in items if i["role"] == "history")
    tp = fp = fn = 0
    by_how: dict[str, Counter] = defaultdict(Counter)
    errors = []
    for item in items:
        if item["role"] != "query":
            continue
        found = history.find(item["title"], item["body"], exclude=item.get("id"))
        predicted = found[0]["id"] if found else None
        gold = item["gold"]["duplicate_of"]
        how = item["gold"].get("how", "?")
        ok = predicted == gold
        by_how[how]["n"] += 1
        by_how[how]["correct"] += int(ok)
        if gold and predicted == gold:
            tp += 1
        else:
            fp += int(predicted is not None)
            fn += int(gold is not None)
        if not ok:
            errors.append({"id": item["id"], "gold": gold, "pred": predicted, "how": how})
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"format": "duplicates", "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(f1, 4),
            "by_how": {h: {"n": c["n"], "correct": c["correct"]} for h, c in sorted(by_how.items())},
            "errors": errors}


EVALUATORS = {"drafts": evaluate_drafts, "timeliness": evaluate_timeliness, "duplicates": evaluate_duplicates}


def evaluate(path: str | Path, screener: Screener, gold_path: str | Path | None = None) -> dict[str, Any]:
    items = load_set(path, gold_path)
    return EVALUATORS[detect_format(items)](items, screener)

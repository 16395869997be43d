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
    """The items of a labelled set, each checked against its format (the first bad line raises,
    naming file, line and field: a mislabelled set must not give figures silently)."""
    numbered = list(iter_json_lines(path))
    for number, item in numbered:
        if not isinstance(item, dict):
            raise DraftError("line", f"{path}：每行应是一个 JSON 对象", 400, number)
    if gold_path is not None:
        by_id = {}
        for number, g in iter_json_lines(gold_path):
            if not isinstance(g, dict) or not {"id", "gold_low_value", "gold_elements"} <= set(g) or not isinstance(g["id"], str):
                raise DraftError("gold", f"{gold_path}：每行应含 id、gold_low_value、gold_elements", 400, number)
            by_id[g["id"]] = g
        for number, item in numbered:
            g = by_id.get(item["id"]) if isinstance(item.get("id"), str) else None
            if g is None:
                raise DraftError("gold", f"{gold_path} 中没有 {item.get('id')} 的标注", 400, number)
            item["gold"] = {"low_value": g["gold_low_value"], "elements": g["gold_elements"]}
    items = [item for _n, item in numbered]
    fmt = detect_format(items)
    for number, item in numbered:
        try:
            _check_item(item, fmt)
        except DraftError as exc:
            raise DraftError(exc.field, f"{path}：{exc.message}", 400, number) from None
    if fmt == "duplicates":
        _check_duplicate_set(numbered, path)
    return items


def _check_duplicate_set(numbered: list[tuple[int, dict[str, Any]]], path: str | Path) -> None:
    """Across the lines of a duplicates set: unique ids, every gold link to a history item, some
    queries. A broken link would otherwise score as a miss and give a wrong figure silently."""
    history: set[str] = set()
    for number, item in numbered:
        if not isinstance(item.get("id"), str) or not item["id"]:
            raise DraftError("id", f"{path}：每条都要有 id（文本）", 400, number)
        if item["role"] == "history":
            if item["id"] in history:
                raise DraftError("id", f"{path}：历史信息 id {item['id']} 重复", 400, number)
            history.add(item["id"])
    queries = [(n, i) for n, i in numbered if i["role"] == "query"]
    if not queries:
        raise DraftError("role", f"{path}：没有 role 为 query 的条目，无从评估")
    for number, item in queries:
        gold = item["gold"]
        if not isinstance(gold.get("how", ""), str):
            raise DraftError("gold.how", f"{path}：gold.how 应为文本", 400, number)
        if gold["duplicate_of"] is not None and gold["duplicate_of"] not in history:
            raise DraftError("gold.duplicate_of", f"{path}：gold.duplicate_of 指向的 {gold['duplicate_of']} 不是历史信息的 id",
                             400, number)


def detect_format(items: list[dict[str, Any]]) -> str:
    if any("role" in i for i in items):
        return "duplicates"
    gold = items[0].get("gold", {}) if items else {}
    if isinstance(gold, dict) and "late" in gold:
        return "timeliness"
    if isinstance(gold, dict) and "low_value" in gold:
        return "drafts"
    raise DraftError("gold", "无法识别评估集格式：需要 gold.low_value、gold.late 或 role 字段（或用 --gold 指定标注文件）")


def _check_item(item: dict[str, Any], fmt: str) -> None:
    """One labelled item: its labels have the format's types and values, and its draft is valid."""
    if fmt == "duplicates" and item.get("role") not in ("history", "query"):
        raise DraftError("role", "role 应为 history 或 query")
    gold = item.get("gold")
    if fmt != "duplicates" or item["role"] == "query":
        if not isinstance(gold, dict):
            raise DraftError("gold", "缺少 gold 标注（应为对象）")
        if fmt == "drafts":
            if gold.get("low_value") not in LOW_VALUE_LABELS:
                raise DraftError("gold.low_value", f"gold.low_value 应为 {'、'.join(LOW_VALUE_LABELS)} 之一")
            elements = gold.get("elements")
            if not isinstance(elements, list) or not all(isinstance(e, str) and e in ELEMENTS for e in elements):
                raise DraftError("gold.elements", f"gold.elements 应为由 {'、'.join(ELEMENTS)} 组成的列表")
        elif fmt == "timeliness" and not isinstance(gold.get("late"), bool):
            raise DraftError("gold.late", "gold.late 应为 true 或 false")
        elif fmt == "duplicates" and not ("duplicate_of" in gold and isinstance(gold["duplicate_of"], (str, type(None)))):
            raise DraftError("gold.duplicate_of", "gold.duplicate_of 应为历史信息的 id 或 null")
    Draft.from_dict(item)


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
        # as the screener asks: only items submitted by the query's time can be what it repeats
        found = history.find(item["title"], item["body"], exclude=item.get("id"),
                             before=Draft.from_dict(item).submitted_at if item.get("submitted_at") else None)
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

"""``screening retrain``: learn from what editors decided, and replace the model only if better.

Labels from feedback (documented in the README):
- a label correction gives the item's low_value and/or elements exactly (for each of the two, the
  latest correction that gives it wins: correcting the elements keeps an earlier low_value correction);
- otherwise the latest outcome: adopted → low_value ``none``; rejected as ``low_value`` → meeting
  or visit, whichever of the two the current model finds likelier; other rejections (late,
  duplicate, quality…) say nothing about the labels, only that the item was not adopted.

The candidate is trained on the corpus (less its frozen split) plus the feedback (less the most
recent share, held out), then it and the current model are scored on the frozen split, on the guard
sets (other writers' drafts, ``screening/data/guard``) and on the held-out feedback. It is promoted
only when it is not worse than the current model on any guarded figure by more than the tolerance in
the settings. Every candidate is recorded in the audit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sklearn.metrics import f1_score

from ..context import Context
from ..draft import Draft
from ..feedback import standing_adoptions
from ..report import ELEMENTS
from ..settings import Settings
from ..store import schema
from ..store.db import Store
from . import artifact
from .corpus import Example, is_frozen, load_corpus, load_guard
from .model import ScreeningModel, TrainedElements, TrainedLowValue
from .registry import promote
from .train import train


def feedback_examples(store: Store, current: ScreeningModel | None) -> list[tuple[Example, dt.datetime]]:
    """Labelled examples from outcomes and corrections, with the time of the last decision."""
    settings = Settings.from_mapping()
    with store.engine.connect() as conn:
        outcomes = conn.execute(schema.outcomes.select()
                                .order_by(schema.outcomes.c.decided_at, schema.outcomes.c.id)).all()
        corrections = conn.execute(schema.label_corrections.select()
                                   .order_by(schema.label_corrections.c.corrected_at, schema.label_corrections.c.id)).all()
    decisions: dict[str, list] = {}
    for o in outcomes:
        decisions.setdefault(o.item_id, []).append(o)
    latest_outcome = {item_id: rows[-1] for item_id, rows in decisions.items()}
    corrected: dict[str, dict[str, Any]] = {}
    for c in corrections:  # oldest first: a later correction of a field replaces an earlier one
        fields = corrected.setdefault(c.item_id, {})
        fields["at"] = c.corrected_at
        if c.low_value is not None:
            fields["low_value"] = c.low_value
        if c.elements is not None:
            fields["elements"] = frozenset(c.elements)
    items = store.get(set(latest_outcome) | set(corrected))
    out = []
    for item_id, item in items.items():
        draft = Draft.from_dict({"id": item.id, "title": item.title, "body": item.body, "kind": item.kind})
        outcome, correction = latest_outcome.get(item_id), corrected.get(item_id, {})
        # adopted while any publication's adoption stands (国办未采用 does not undo 青海's)
        adopted = None if outcome is None else bool(standing_adoptions(decisions[item_id]))
        low_value, elements = correction.get("low_value"), correction.get("elements")
        if low_value is None and outcome is not None:
            if adopted:
                low_value = "none"
            elif outcome.reason == "low_value":
                low_value = _meeting_or_visit(current, Context(draft, settings))
        when = max(t for t in (getattr(outcome, "decided_at", None), correction.get("at")) if t)
        out.append((Example(item_id, draft, low_value, elements, adopted, "feedback"), _aware(when)))
    out.sort(key=lambda pair: pair[1])
    return out


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _meeting_or_visit(model: ScreeningModel | None, ctx: Context) -> str:
    if model is None:
        from ..lowvalue import RuleLowValue

        p = RuleLowValue().predict(ctx).probabilities
    else:
        p = model.proba(ctx, "low_value")
    return "meeting" if p.get("meeting", 0) >= p.get("visit", 0) else "visit"


def score(model: ScreeningModel, examples: list[Example]) -> dict[str, float | int]:
    """low_value macro-F1 and element macro-F1 of a model on labelled examples."""
    settings = Settings.from_mapping()
    low, elements = TrainedLowValue(model), TrainedElements(model)
    gold_lv, pred_lv = [], []
    gold_el: dict[str, list[int]] = {k: [] for k in ELEMENTS}
    pred_el: dict[str, list[int]] = {k: [] for k in ELEMENTS}
    for e in examples:
        ctx = Context(e.draft, settings)
        if e.low_value is not None:
            gold_lv.append(e.low_value)
            pred_lv.append(low.predict(ctx).label)
        if e.elements is not None:
            found = elements.predict(ctx)
            for k in ELEMENTS:
                gold_el[k].append(int(k in e.elements))
                pred_el[k].append(int(found[k].present))
    out: dict[str, float | int] = {"n_low_value": len(gold_lv), "n_elements": len(gold_el["situation"])}
    if gold_lv:
        out["low_value_macro_f1"] = round(float(f1_score(gold_lv, pred_lv, labels=sorted(set(gold_lv)),
                                                         average="macro", zero_division=0)), 4)
    if gold_el["situation"]:
        per = [f1_score(gold_el[k], pred_el[k], zero_division=1.0) for k in ELEMENTS]
        out["elements_macro_f1"] = round(float(sum(per) / len(per)), 4)
    return out


GUARDED = (("frozen", "low_value_macro_f1"), ("frozen", "elements_macro_f1"),
           ("guard", "low_value_macro_f1"), ("guard", "elements_macro_f1"),
           ("feedback", "low_value_macro_f1"), ("feedback", "elements_macro_f1"))


SPLIT_NAMES = {"frozen": "固定检验集上", "guard": "其他撰稿人的检验稿件上", "feedback": "留出的反馈上"}
FIGURE_NAMES = {"low_value_macro_f1": "低价值宏平均 F1", "elements_macro_f1": "要素宏平均 F1"}


def gate(current: dict, candidate: dict, tolerance: float, minimum: int = 5) -> tuple[bool, list[str]]:
    """Not worse on any guarded figure (beyond the tolerance); figures on fewer than ``minimum``
    examples are not guarded. Returns the decision and the figures that failed."""
    failed = []
    for split, figure in GUARDED:
        cur, cand = current.get(split, {}), candidate.get(split, {})
        n_key = "n_low_value" if figure.startswith("low_value") else "n_elements"
        if figure not in cur or figure not in cand or cand.get(n_key, 0) < minimum:
            continue
        if cand[figure] < cur[figure] - tolerance:
            failed.append(f"{SPLIT_NAMES[split]}{FIGURE_NAMES[figure]} {cand[figure]:.4f}，"
                          f"低于当前模型的 {cur[figure]:.4f}（容差 {tolerance:g}）")
    return not failed, failed


def retrain(store: Store, settings: Settings, models_dir: Path | None = None, corpus_dir: Path | None = None,
            progress: bool = True) -> dict[str, Any]:
    models_dir = models_dir or artifact.default_models_dir()
    current_version = artifact.current_version(models_dir)
    current = artifact.load(models_dir / current_version) if current_version else None
    feedback = feedback_examples(store, current)
    n_holdout = max(1, round(len(feedback) * settings["feedback_holdout_share"])) if feedback else 0
    train_fb = [e for e, _t in feedback[: len(feedback) - n_holdout]]
    holdout = [e for e, _t in feedback[len(feedback) - n_holdout:]]
    # an item rejected as late or duplicate says nothing of its labels: it does not count
    labelled = sum(1 for e in train_fb if e.low_value is not None or e.elements is not None)
    if current is not None and labelled < settings["retrain_min_feedback"]:
        # a candidate from a handful of decisions is the current model again, and the held-out
        # feedback is too small to check it: nothing to gain, a version to confuse
        return {"candidate": None, "current": current_version, "promoted": False,
                "failed": [f"可用于训练的反馈（给出标签的）只有 {labelled} 条，不到 {settings['retrain_min_feedback']} 条，未训练"],
                "feedback_items": len(feedback), "feedback_trained": len(train_fb),
                "feedback_held_out": len(holdout), "figures": {}}
    frozen = [e for e in load_corpus(corpus_dir) if is_frozen(e.id)]
    guard = load_guard()
    if not guard:  # a broken install: without them the gate would pass what they exist to stop
        raise artifact.ModelIntegrityError("缺少其他撰稿人的检验稿件（screening/data/guard/drafts_*.jsonl），无法检验候选模型，未训练")

    candidate, _meta = train(corpus_dir, models_dir, folds=0, progress=progress, make_current=False,
                             extra_examples=train_fb,
                             strategy=dict(current.element_strategy) if current else None)

    def scores(model: ScreeningModel) -> dict[str, dict]:
        return {"frozen": score(model, frozen), "guard": score(model, guard), "feedback": score(model, holdout)}

    figures = {"candidate": scores(candidate)}
    if current is not None:
        figures["current"] = scores(current)
        ok, failed = gate(figures["current"], figures["candidate"], settings["gate_tolerance"])
    else:
        ok, failed = True, []
    if ok:
        promote(models_dir, candidate.version)
    result = {"candidate": candidate.version, "current": current_version, "promoted": ok, "failed": failed,
              "feedback_items": len(feedback), "feedback_trained": len(train_fb), "feedback_held_out": len(holdout),
              "figures": figures}
    store.record_model(candidate.version, "promoted" if ok else "refused", result)
    return result

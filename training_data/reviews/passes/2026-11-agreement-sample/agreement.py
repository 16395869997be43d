"""How far an independent re-reading agrees with the corpus labels, and how far the model does.

Run from the project root: ``python training_data/reviews/passes/2026-11-agreement-sample/agreement.py``
(add ``--model`` for the model's out-of-fold figures on the same items: five folds grouped by
writer, as ``screening train`` cross-validates; about a minute). The sample was drawn with
``random.Random(20261127).shuffle`` over the corpus items in load order, first 300 kept.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, f1_score

HERE = Path(__file__).parent
ELEMENTS = ("problem", "case", "analysis", "recommendation")


def main(with_model: bool) -> None:
    from screening.models.corpus import is_frozen, load_corpus

    labels = {e.id: e for e in load_corpus()}
    answers = {row["id"]: row for row in map(json.loads, (HERE / "answers.jsonl").open(encoding="utf-8"))}
    ids = sorted(answers)
    print(f"reviewer against the labels, {len(ids)} items")
    for key in ELEMENTS:
        gold = [int(key in labels[i].elements) for i in ids]
        read = [answers[i][key] for i in ids]
        print(f"  {key:15} labelled {sum(gold):3}  reviewer {sum(read):3}  F1 {f1_score(gold, read):.3f}"
              f"  kappa {cohen_kappa_score(gold, read):.3f}")
    if with_model:
        trained = [i for i in ids if not is_frozen(i)]  # the frozen split has no out-of-fold prediction
        predicted = out_of_fold(set(trained))
        print(f"reviewer and model against the labels, {len(trained)} items outside the frozen split")
        for key in ELEMENTS:
            gold = [int(key in labels[i].elements) for i in trained]
            read = [answers[i][key] for i in trained]
            model = [predicted[key][i] for i in trained]
            print(f"  {key:15} reviewer F1 {f1_score(gold, read):.3f}  model F1 {f1_score(gold, model):.3f}")


def out_of_fold(wanted: set[str]) -> dict[str, dict[str, int]]:
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

    from screening.context import Context
    from screening.models.corpus import is_frozen, load_corpus
    from screening.models.features import model_input
    from screening.models.pipeline import build_pipeline
    from screening.settings import Settings

    settings = Settings.from_mapping()
    examples = [e for e in load_corpus() if not is_frozen(e.id)]
    inputs = [model_input(Context(e.draft, settings)) for e in examples]
    splitter = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
    result = {}
    for key in ELEMENTS:
        y = [int(key in e.elements) for e in examples]
        pred = cross_val_predict(build_pipeline(f"element:{key}"), inputs, y, groups=[e.group for e in examples], cv=splitter)
        result[key] = {e.id: int(p) for e, p in zip(examples, pred) if e.id in wanted}
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[3]))
    main("--model" in sys.argv[1:])

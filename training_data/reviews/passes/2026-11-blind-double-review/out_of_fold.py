"""Out-of-fold element predictions on the corpus: which labels the model (trained without that writer) disagrees with."""
import json, sys
import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
from screening.context import Context
from screening.settings import Settings
from screening.models.corpus import load_corpus, is_frozen
from screening.models.features import model_input
from screening.models.pipeline import build_pipeline
from screening.report import ELEMENTS
settings = Settings.from_mapping()
corpus = load_corpus()
ex = [e for e in corpus if not is_frozen(e.id)]
inputs = [model_input(Context(e.draft, settings)) for e in ex]
groups = [e.group for e in ex]
out = {e.id: {} for e in ex}
splitter = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=0)
for key in ("problem", "case", "analysis", "recommendation", "data"):
    y = [int(key in e.elements) for e in ex]
    p = cross_val_predict(build_pipeline(f"element:{key}"), inputs, y, groups=groups, cv=splitter, method="predict_proba")[:, 1]
    for e, yy, pp in zip(ex, y, p):
        out[e.id][key] = (yy, round(float(pp), 3))
json.dump(out, open("/tmp/rev/oof.json", "w"), ensure_ascii=False)
# frozen items: the shipped model never saw them
from screening.models.loading import load_judges
from screening import Screener
j = load_judges(settings)
model = j["elements"].model
for e in corpus:
    if is_frozen(e.id):
        ctx = Context(e.draft, settings)
        out[e.id] = {k: (int(k in e.elements), round(float(model.proba(ctx, f"element:{k}")[1]), 3)) for k in ("problem", "case", "analysis", "recommendation", "data")}
json.dump(out, open("/tmp/rev/oof.json", "w"), ensure_ascii=False)
print(len(out))

"""Retraining from editors' feedback: a new pattern is learned; poisoned feedback is refused."""

import json
import random
import shutil

import pytest

from screening import Draft, Settings
from screening.cli import main
from screening.context import Context
from screening.feedback import correct_labels
from screening.models import artifact
from screening.models.corpus import is_frozen, load_corpus
from screening.models.model import TrainedLowValue
from screening.models.retrain import retrain
from screening.store.db import Store
from conftest import SHARED_EVAL

SHIPPED = artifact.default_models_dir()

UNITS = ["县司法局", "区市场监管局", "县卫健局", "镇人民政府", "县税务局", "区应急管理局", "县林草局", "县医保局",
         "区民政局", "县人社局", "县水务局", "区交通运输局", "县科协", "县妇联", "团县委", "县残联"]
THEMES = ["法治宣传", "食品安全宣传", "健康知识普及", "税收政策宣传", "防灾减灾宣传", "森林防火宣传", "医保政策宣传",
          "反诈宣传", "就业政策宣传", "节约用水宣传", "交通安全宣传", "科普宣传", "禁毒宣传", "消防安全宣传"]
PLACES = ["县城中心广场", "农贸市场门口", "汽车站", "人民公园", "步行街", "镇政府广场", "商场门前", "集市"]


def publicity_item(rng: random.Random, i: int) -> Draft:
    """A publicity-stall report: figures about leaflets handed out, nothing achieved — a kind of
    low-value report the office rejects and the shipped model was not taught."""
    unit, theme, place = rng.choice(UNITS), rng.choice(THEMES), rng.choice(PLACES)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    body = (f"{month}月{day}日，{unit}在{place}开展“{theme}进万家”主题{theme[-2:]}活动。活动现场通过设置咨询台、"
            f"悬挂横幅、摆放展板等方式，向过往群众发放宣传资料{rng.randint(3, 30) * 100}余份、宣传品{rng.randint(2, 9) * 100}份，"
            f"现场解答群众咨询{rng.randint(50, 400)}人次。\n此次活动进一步增强了群众的{theme[:-2]}意识，"
            f"营造了良好的社会氛围。下一步，{unit}将继续开展形式多样的宣传活动。")
    return Draft.from_dict({"id": f"PUB-{i:04d}", "title": f"{unit}开展{theme}活动", "body": body,
                            "submitted_at": "2026-09-{:02d}T09:00:00+08:00".format(1 + i % 28)})


@pytest.fixture
def models_dir(tmp_path):
    if artifact.current_version(SHIPPED) is None:
        pytest.skip("no shipped model")
    folder = tmp_path / "models"
    folder.mkdir()
    version = artifact.current_version(SHIPPED)
    shutil.copytree(SHIPPED / version, folder / version)
    (folder / artifact.CURRENT).write_text(version + "\n")
    return folder


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'feedback.db'}")
    yield s
    s.close()


def dev_figures(model) -> dict:
    from screening import Screener
    from screening.evaluate import evaluate
    from screening.models.model import TrainedElements

    screener = Screener(Settings.from_mapping(), low_value=TrainedLowValue(model), elements=TrainedElements(model))
    result = evaluate(SHARED_EVAL / "dev" / "drafts.jsonl", screener)
    return {"low_value": result["low_value"]["macro_f1"], "elements": result["elements"]["macro_f1"]}


def meeting_share(model, drafts) -> float:
    judge = TrainedLowValue(model)
    settings = Settings.from_mapping()
    return sum(judge.predict(Context(d, settings)).label == "meeting" for d in drafts) / len(drafts)


def test_a_new_pattern_is_learned_through_the_api_and_nothing_drops(models_dir, tmp_path):
    import time

    from service import create_app

    rng = random.Random(7)
    items = [publicity_item(rng, i) for i in range(240)]
    feedback, held_out = items[:200], items[200:]
    before = artifact.current_version(models_dir)
    assert meeting_share(artifact.load(models_dir / before), held_out) < 0.5  # the shipped model misses it

    app = create_app({"instance_path": str(tmp_path / "instance"), "model_dir": str(models_dir)})
    client = app.test_client()
    for i, d in enumerate(feedback):
        assert client.post("/api/v1/items", json=d.to_dict()).status_code == 201
        outcome = {"result": "rejected", "reason": "low_value", "decided_at": f"2026-10-{1 + i % 28:02d}T10:00:00+08:00"}
        assert client.post(f"/api/v1/items/{d.id}/outcome", json=outcome).status_code == 201
        labels = {"low_value": "meeting", "elements": ["situation"]}
        assert client.post(f"/api/v1/items/{d.id}/labels", json=labels).status_code == 201

    started = client.post("/api/v1/retrain")
    assert started.status_code == 202
    job_id = started.get_json()["job"]
    for _ in range(600):
        job = client.get(f"/api/v1/jobs/{job_id}").get_json()
        if job["status"] != "running":
            break
        time.sleep(0.5)
    assert job["status"] == "done", job
    result = job["result"]
    assert result["promoted"], result["failed"]
    assert artifact.current_version(models_dir) == result["candidate"] != before
    new = artifact.load(models_dir / result["candidate"])
    assert meeting_share(new, held_out) >= 0.9
    cur, cand = result["figures"]["current"]["frozen"], result["figures"]["candidate"]["frozen"]
    tolerance = Settings.from_mapping()["gate_tolerance"]
    assert cand["low_value_macro_f1"] >= cur["low_value_macro_f1"] - tolerance
    assert cand["elements_macro_f1"] >= cur["elements_macro_f1"] - tolerance
    if SHARED_EVAL.exists():  # the dev set, never trained on: its figures must not drop
        old_dev, new_dev = (dev_figures(artifact.load(models_dir / v)) for v in (before, result["candidate"]))
        assert new_dev["low_value"] >= old_dev["low_value"] - 1e-9, (old_dev, new_dev)
        # Its 90 drafts are a small sample of elements: 0.01 is two decisions. The same feedback moved
        # it by less than that on one machine and by 0.018 on another (floating point differs; five
        # decisions near 0.5 flipped), while the gate's frozen split and guard sets, ten times larger,
        # stayed level or rose on both. A real loss would exceed a handful of decisions.
        assert new_dev["elements"] >= old_dev["elements"] - 0.03, (old_dev, new_dev)
    time.sleep(1.05)  # the running service picks up the promotion by itself
    report = client.post("/api/v1/screen", json=held_out[0].to_dict()).get_json()
    assert report["model_version"] == result["candidate"] and report["low_value"]["label"] == "meeting"
    audit = app.extensions["screening"].store.model_audit()  # the switch, after the promotion, is in the audit
    assert [r["action"] for r in audit[:2]] == ["loaded", "promoted"]
    assert audit[0]["version"] == result["candidate"] and audit[0]["details"]["from"] == before
    app.extensions["screening"].close()


def test_poisoned_feedback_is_refused(models_dir, store, capsys):
    flip = {"none": "meeting", "meeting": "visit", "visit": "none"}
    corpus = [e for e in load_corpus() if not is_frozen(e.id)]
    poisoned = random.Random(3).sample(corpus, 700)
    drafts = [Draft.from_dict({"id": f"P-{e.id}", "title": e.draft.title, "body": e.draft.body}) for e in poisoned]
    store.add_many(drafts)
    for e, d in zip(poisoned, drafts):
        correct_labels(store, d.id, {"low_value": flip[e.low_value]}, "mallory")
    before = artifact.current_version(models_dir)

    result = retrain(store, Settings.from_mapping(), models_dir, progress=False)

    assert not result["promoted"] and result["failed"]
    assert artifact.current_version(models_dir) == before
    # the office reads why in the audit
    assert main(["models", "audit", "--database", store.url]) == 0
    latest = capsys.readouterr().out.splitlines()[0]
    assert result["candidate"] in latest and "再训练后未启用" in latest and result["failed"][0] in latest
    assert main(["models", "audit", "--json", "--limit", "1", "--database", store.url]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["action"] == "refused" and row["details"]["figures"] == result["figures"]


def test_a_handful_of_decisions_trains_nothing(models_dir, store):
    """Six decisions give a candidate that is the current model again, checked on one held-out
    item: no version is made, and the office is told why."""
    drafts = [Draft.from_dict({"id": f"F{i}", "title": f"某县第{i}次理论学习中心组学习会召开",
                               "body": "会议传达学习了上级精神，要求提高政治站位。"}) for i in range(6)]
    store.add_many(drafts)
    for d in drafts:
        correct_labels(store, d.id, {"low_value": "meeting"}, "editor")
    before = sorted(p.name for p in models_dir.iterdir())

    result = retrain(store, Settings.from_mapping(), models_dir, progress=False)

    assert result["candidate"] is None and not result["promoted"] and "未训练" in result["failed"][0]
    assert sorted(p.name for p in models_dir.iterdir()) == before


def test_decisions_that_give_no_label_do_not_count_towards_training(models_dir, store):
    # thirty items rejected as late say nothing about their labels: nothing to learn from
    from screening.feedback import Outcome, record_outcome

    drafts = [Draft.from_dict({"id": f"L{i}", "title": f"某县第{i}届农民丰收节开幕", "body": "丰收节于上月举行，现场签约项目12个。",
                               "submitted_at": "2026-09-20T09:00:00+08:00"}) for i in range(30)]
    store.add_many(drafts)
    for d in drafts:
        record_outcome(store, Outcome.from_dict({"result": "rejected", "reason": "late"}, d.id))
    before = sorted(p.name for p in models_dir.iterdir())

    result = retrain(store, Settings.from_mapping(), models_dir, progress=False)

    assert result["candidate"] is None and "给出标签的）只有 0 条" in result["failed"][0]
    assert sorted(p.name for p in models_dir.iterdir()) == before


def test_correcting_one_label_keeps_an_earlier_correction_of_the_other(store):
    from screening.feedback import Outcome, record_outcome
    from screening.models.retrain import feedback_examples

    store.add_many([Draft.from_dict({"id": "K1", "title": "某县召开理论学习中心组学习会", "body": "会议传达学习了上级精神。"})])
    record_outcome(store, Outcome.from_dict({"result": "adopted", "publication": "haidong", "as_kind": "dynamic"}, "K1"))
    correct_labels(store, "K1", {"low_value": "meeting"}, "editor")
    correct_labels(store, "K1", {"elements": ["situation"]}, "editor")
    [(example, _when)] = feedback_examples(store, None)
    assert example.low_value == "meeting" and example.elements == frozenset({"situation"})
    correct_labels(store, "K1", {"low_value": "none"}, "editor")  # a later correction of one field wins
    [(example, _when)] = feedback_examples(store, None)
    assert example.low_value == "none" and example.elements == frozenset({"situation"})


def test_labels_inverted_on_other_writers_drafts_are_refused_by_the_guard(models_dir, store, monkeypatch, tmp_path):
    # a quarter's drafts with every low-value label inverted: the corpus's own frozen split moves less
    # than the tolerance, the drafts of other writers (the guard sets not used as feedback here) do not
    import screening.models.corpus as corpus

    shipped_guard, guard = corpus.default_guard_dir(), tmp_path / "guard"
    guard.mkdir()
    for name in ("blind1", "blind2", "blind3", "blind11", "review11"):
        shutil.copy(shipped_guard / f"drafts_{name}.jsonl", guard)
    monkeypatch.setattr(corpus, "default_guard_dir", lambda: guard)
    flip = {"none": "meeting", "meeting": "none", "visit": "none"}
    rows = [json.loads(line) for name in ("blind12", "blind13", "blind14")
            for line in (shipped_guard / f"drafts_{name}.jsonl").read_text("utf-8").splitlines()]
    drafts = [Draft.from_dict({"id": r["id"], "title": r["title"], "body": r["body"]}) for r in rows]
    store.add_many(drafts)
    for d, r in zip(drafts, rows):
        correct_labels(store, d.id, {"low_value": flip[r["gold"]["low_value"]]}, "mallory")
    before = artifact.current_version(models_dir)

    result = retrain(store, Settings.from_mapping(), models_dir, progress=False)

    assert not result["promoted"] and artifact.current_version(models_dir) == before
    assert any(reason.startswith("其他撰稿人的检验稿件上低价值") for reason in result["failed"]), result["failed"]
    current, candidate = result["figures"]["current"], result["figures"]["candidate"]
    assert candidate["frozen"]["low_value_macro_f1"] >= current["frozen"]["low_value_macro_f1"] - 0.01


def test_a_missing_guard_set_stops_retraining_instead_of_passing_it(models_dir, store, monkeypatch, tmp_path):
    import screening.models.corpus as corpus

    monkeypatch.setattr(corpus, "default_guard_dir", lambda: tmp_path / "no-guard")
    drafts = [Draft.from_dict({"id": f"G{i}", "title": f"某县第{i}次理论学习中心组学习会召开",
                               "body": "会议传达学习了上级精神，要求提高政治站位。"}) for i in range(30)]
    store.add_many(drafts)
    for d in drafts:
        correct_labels(store, d.id, {"low_value": "meeting"}, "editor")
    before = artifact.current_version(models_dir)
    with pytest.raises(artifact.ModelIntegrityError, match="检验稿件"):
        retrain(store, Settings.from_mapping(), models_dir, progress=False)
    assert artifact.current_version(models_dir) == before

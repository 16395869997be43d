"""The corpus never borrows from the evaluation sets, and every label is in the schema."""

import json

import pytest

from screening.models.corpus import default_corpus_dir
from screening.models.leakage import overlaps
from screening.report import ELEMENTS
from conftest import SHARED_EVAL


@pytest.mark.skipif(not SHARED_EVAL.exists(), reason="shared evaluation sets not present")
def test_no_training_item_shares_long_runs_with_evaluation_sets():
    assert overlaps(default_corpus_dir().parent, SHARED_EVAL) == []


def test_every_item_has_schema_labels_and_unique_id():
    seen = set()
    for path in sorted(default_corpus_dir().glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            assert row["id"] not in seen, row["id"]
            seen.add(row["id"])
            assert row["gold"]["low_value"] in ("none", "meeting", "visit"), row["id"]
            assert set(row["gold"]["elements"]) <= set(ELEMENTS), row["id"]
            assert row["title"].strip() and row["body"].strip(), row["id"]
            assert row.get("kind", "single") in ("single", "dynamic", "solicited"), row["id"]

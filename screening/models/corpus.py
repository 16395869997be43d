"""The labelled corpus in ``training_data/``: drafts in the eval-schema format plus outcomes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..draft import Draft
from ..errors import DraftError
from ..io import iter_json_lines
from ..report import ELEMENTS, LOW_VALUE_LABELS


@dataclass(frozen=True)
class Example:
    id: str
    draft: Draft
    low_value: str | None          # None: not known (feedback that says nothing about it)
    elements: frozenset[str] | None
    adopted: bool | None
    group: str  # the writer: folds keep one writer's items together


FROZEN_PERCENT = 15


def is_frozen(item_id: str) -> bool:
    """The frozen evaluation split: a fixed 15% of the corpus by id, never trained on, so that
    every model (shipped or retrained) is judged on the same unseen items."""
    return int(hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:8], 16) % 100 < FROZEN_PERCENT


def default_corpus_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "training_data" / "drafts"


def load_reviews(folder: Path) -> dict[str, dict]:
    """Second-pass label decisions (``reviews/<writer>.jsonl``) by item id."""
    reviews: dict[str, dict] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for _n, row in iter_json_lines(path):
            reviews[row["id"]] = row
    return reviews


def load_corrections(folder: Path) -> dict[str, list[dict]]:
    """Later, targeted label passes (``reviews/corrections/*.jsonl``: ``{"id", "add", "remove",
    "reason"}``), applied in file order after the second-pass review."""
    corrections: dict[str, list[dict]] = {}
    for path in sorted((folder / "corrections").glob("*.jsonl")):
        for _n, row in iter_json_lines(path):
            corrections.setdefault(row["id"], []).append(row)
    return corrections


def reviewed_gold(row: dict, review: dict | None, corrections: list[dict] = ()) -> dict:
    """The labels to train on: the reviewer's where the review disagreed, else the writer's; then
    each later correction's elements added and removed."""
    gold = row["gold"]
    if review is not None and not review.get("agree", True):
        gold = {**gold, "low_value": review["low_value"], "elements": review["elements"]}
    for fix in corrections:
        elements = (set(gold["elements"]) | set(fix.get("add", ()))) - set(fix.get("remove", ()))
        gold = {**gold, "elements": [e for e in ELEMENTS if e in elements]}
    return gold


def corpus_rows(folder: Path) -> Iterator[tuple[Path, dict]]:
    """Every item of the corpus folder, each checked for the fields the corpus needs; a bad one
    raises, naming file and line (a silently skipped or half-read corpus would train on less)."""
    paths = sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
    if not paths:
        raise DraftError("corpus", f"{folder} 不存在或其中没有 .jsonl 文件")
    for path in paths:
        for number, row in iter_json_lines(path):
            problem = _row_problem(row)
            if problem:
                raise DraftError("corpus", f"{path}：{problem}", 400, number)
            yield path, row


def _row_problem(row: object) -> str | None:
    if not isinstance(row, dict):
        return "每行应是一个 JSON 对象"
    for name in ("id", "title", "body"):
        if not isinstance(row.get(name), str) or not row[name].strip():
            return f"缺少 {name} 或不是文本"
    gold = row.get("gold")
    if (not isinstance(gold, dict) or gold.get("low_value") not in LOW_VALUE_LABELS
            or not isinstance(gold.get("elements"), list) or not set(gold["elements"]) <= set(ELEMENTS)):
        return f"{row['id']} 的 gold 应含 low_value（{'/'.join(LOW_VALUE_LABELS)}）和 elements（{'、'.join(ELEMENTS)} 中的若干项）"
    return None


def _draft_of(row: dict) -> Draft:
    """The draft a labelled row holds (its labels and provenance left aside)."""
    return Draft.from_dict({k: row[k] for k in ("title", "body", "unit", "kind") if k in row})


def load_corpus(folder: Path | None = None, reviews_dir: Path | None = None) -> list[Example]:
    folder = folder or default_corpus_dir()
    reviews_dir = reviews_dir or folder.parent / "reviews"
    reviews, corrections = load_reviews(reviews_dir), load_corrections(reviews_dir)
    examples = []
    for path, row in corpus_rows(folder):
        gold = reviewed_gold(row, reviews.get(row["id"]), corrections.get(row["id"], ()))
        if gold["low_value"] not in LOW_VALUE_LABELS or not set(gold["elements"]) <= set(ELEMENTS):
            raise ValueError(f"{path}: {row.get('id')} has labels outside the schema")
        outcome = (row.get("outcome") or {}).get("result")
        adopted = None if outcome is None else outcome.startswith("adopted")
        examples.append(Example(row["id"], _draft_of(row), gold["low_value"], frozenset(gold["elements"]), adopted,
                                row.get("writer") or row["id"].split("-")[0]))
    return examples


def default_guard_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "guard"


def load_guard(folder: Path | None = None) -> list[Example]:
    """The guard sets: drafts written for this project by writers who saw only SCHEMA.md's
    definitions (never the corpus), labelled by them. Never trained on; the retraining gate checks a
    candidate on them, because feedback that teaches the corpus's own voice something wrong (the
    frozen split barely moves) shows on other writers' drafts."""
    folder = folder or default_guard_dir()
    examples = []
    for path in sorted(folder.glob("drafts_*.jsonl")):
        for _number, row in iter_json_lines(path):
            examples.append(Example(row["id"], _draft_of(row), row["gold"]["low_value"],
                                    frozenset(row["gold"]["elements"]), None, path.stem))
    return examples


def corpus_hash(folder: Path | None = None) -> str:
    folder = folder or default_corpus_dir()
    digest = hashlib.sha256()
    reviews = folder.parent / "reviews"
    for path in sorted(folder.glob("*.jsonl")) + sorted(reviews.glob("*.jsonl")) + sorted(reviews.glob("corrections/*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()

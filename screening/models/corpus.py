"""The labelled corpus in ``training_data/``: drafts in the eval-schema format plus outcomes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..draft import Draft
from ..io import iter_json_lines
from ..report import ELEMENTS, LOW_VALUE_LABELS


@dataclass(frozen=True)
class Example:
    id: str
    draft: Draft
    low_value: str
    elements: frozenset[str]
    adopted: bool | None
    group: str  # the writer: folds keep one writer's items together


def default_corpus_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "training_data" / "drafts"


def load_corpus(folder: Path | None = None) -> list[Example]:
    folder = folder or default_corpus_dir()
    examples = []
    for path in sorted(folder.glob("*.jsonl")):
        for _n, row in iter_json_lines(path):
            gold = row["gold"]
            if gold["low_value"] not in LOW_VALUE_LABELS or not set(gold["elements"]) <= set(ELEMENTS):
                raise ValueError(f"{path}: {row.get('id')} has labels outside the schema")
            outcome = (row.get("outcome") or {}).get("result")
            adopted = None if outcome is None else outcome.startswith("adopted")
            draft = Draft.from_dict({k: row[k] for k in ("title", "body", "unit", "kind") if k in row})
            examples.append(Example(row["id"], draft, gold["low_value"], frozenset(gold["elements"]), adopted,
                                    row.get("writer") or row["id"].split("-")[0]))
    return examples


def corpus_hash(folder: Path | None = None) -> str:
    folder = folder or default_corpus_dir()
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()

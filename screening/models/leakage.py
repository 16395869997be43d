"""Guard the evaluation sets: find corpus items that share long runs of text with them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

from ..errors import DraftError
from ..io import iter_json_lines, lines_of, read_text

RUN = 12          # characters in a run
MAX_SHARED = 8    # an item sharing this many runs with the evaluation sets is too close


def _bodies(folder: Path) -> Iterator[tuple[Path, int, str]]:
    """Every body in the folder's JSON Lines files. A line that cannot be read raises, naming the
    file: skipping it would give a false all-clear. Rows without a body (gold labels) are not texts."""
    if not folder.is_dir():
        raise DraftError("folder", f"{folder} 不存在或不是目录")
    for path in sorted(folder.rglob("*.jsonl")):
        for number, row in iter_json_lines(path):
            if isinstance(row, dict) and isinstance(row.get("body"), str):
                yield path, number, re.sub(r"\s", "", row["body"])


def overlaps(corpus: Path, evaluation: Path) -> list[tuple[Path, int, int]]:
    """(file, line, shared runs) for every corpus item too close to an evaluation text."""
    runs = set()
    for _path, _n, text in _bodies(evaluation):
        runs.update(text[j:j + RUN] for j in range(max(1, len(text) - RUN)))
    found = []
    for path, number, text in _bodies(corpus):
        shared = sum(1 for j in range(max(1, len(text) - RUN)) if text[j:j + RUN] in runs)
        if shared >= MAX_SHARED:
            found.append((path, number, shared))
    return found


def drop_overlapping(corpus: Path, evaluation: Path) -> list[str]:
    """Remove corpus items too close to an evaluation text from their files; return their ids."""
    by_file: dict[Path, set[int]] = {}
    for path, number, _shared in overlaps(corpus, evaluation):
        by_file.setdefault(path, set()).add(number)
    removed = []
    for path, numbers in by_file.items():
        lines = lines_of(read_text(path).removesuffix("\n"))  # numbered as iter_json_lines numbers them
        removed += [json.loads(line)["id"] for i, line in enumerate(lines, 1) if i in numbers]
        path.write_text("\n".join(l for i, l in enumerate(lines, 1) if i not in numbers) + "\n", "utf-8")
    return removed

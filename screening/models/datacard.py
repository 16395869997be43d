"""Counts for the corpus data card (``screening corpus stats``)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .corpus import default_corpus_dir


def corpus_stats(folder: Path | None = None) -> dict:
    rows = []
    for path in sorted((folder or default_corpus_dir()).glob("*.jsonl")):
        rows += [json.loads(l) for l in path.read_text("utf-8").splitlines() if l.strip()]
    lengths = sorted(len(r["body"]) for r in rows)

    def bucket(n: int) -> str:
        return "<250" if n < 250 else "250–699" if n < 700 else "700–1199" if n < 1200 else "≥1200"

    return {
        "items": len(rows),
        "low_value": Counter(r["gold"]["low_value"] for r in rows),
        "elements": Counter(e for r in rows for e in r["gold"]["elements"]),
        "kind": Counter(r.get("kind", "single") for r in rows),
        "topic": Counter(r.get("topic", "?") for r in rows),
        "province": Counter(r.get("province", "?") for r in rows),
        "writer": Counter(r.get("writer", "?") for r in rows),
        "outcome": Counter((r.get("outcome") or {}).get("result", "none") for r in rows),
        "units": len({r.get("unit") for r in rows}),
        "boundary": sum(1 for r in rows if str(r["gold"].get("note", "")).startswith("边界")),
        "length": Counter(bucket(n) for n in lengths),
        "length_min_median_max": (lengths[0], lengths[len(lengths) // 2], lengths[-1]) if lengths else (0, 0, 0),
    }


def markdown(stats: dict) -> str:
    out = [f"- items: {stats['items']}; distinct units: {stats['units']}; boundary items (note 边界…): {stats['boundary']}",
           f"- body length min / median / max: {'/'.join(map(str, stats['length_min_median_max']))} characters"]
    for key in ("low_value", "kind", "elements", "outcome", "length", "writer", "province", "topic"):
        items = ", ".join(f"{k} {v}" for k, v in stats[key].most_common())
        out.append(f"- {key}: {items}")
    return "\n".join(out)

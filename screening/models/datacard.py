"""Counts for the corpus data card (``screening corpus stats``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .corpus import corpus_rows, default_corpus_dir, load_corrections, load_reviews, reviewed_gold


def corpus_stats(folder: Path | None = None) -> dict:
    rows = [row for _path, row in corpus_rows(folder or default_corpus_dir())]
    lengths = sorted(len(r["body"]) for r in rows)
    reviews_dir = (folder or default_corpus_dir()).parent / "reviews"
    reviews, corrections = load_reviews(reviews_dir), load_corrections(reviews_dir)
    reviewed = [(r, reviews[r["id"]]) for r in rows if r["id"] in reviews]
    trained = [reviewed_gold(r, reviews.get(r["id"]), corrections.get(r["id"], ())) for r in rows]
    correction_changes: Counter = Counter()
    for r, gold in zip(rows, trained):
        second = reviewed_gold(r, reviews.get(r["id"]))
        for key in set(second["elements"]) ^ set(gold["elements"]):
            correction_changes[f"{key} {'added' if key in gold['elements'] else 'removed'}"] += 1
    review_changes: Counter = Counter()
    for row, review in reviewed:
        if row["gold"]["low_value"] != review["low_value"]:
            review_changes["low_value"] += 1
        for key in set(row["gold"]["elements"]) ^ set(review["elements"]):
            review_changes[key] += 1

    def bucket(n: int) -> str:
        return "<250" if n < 250 else "250–699" if n < 700 else "700–1199" if n < 1200 else "≥1200"

    return {
        "items": len(rows),
        # Label counts are of the labels trained on: the reviewer's where the review disagreed, then corrections.
        "low_value": Counter(g["low_value"] for g in trained),
        "elements": Counter(e for g in trained for e in g["elements"]),
        "kind": Counter(r.get("kind", "single") for r in rows),
        "topic": Counter(r.get("topic", "?") for r in rows),
        "province": Counter(r.get("province", "?") for r in rows),
        "writer": Counter(r.get("writer", "?") for r in rows),
        "outcome": Counter((r.get("outcome") or {}).get("result", "none") for r in rows),
        "units": len({r.get("unit") for r in rows}),
        "boundary": sum(1 for r in rows if str(r["gold"].get("note", "")).startswith("边界")),
        "length": Counter(bucket(n) for n in lengths),
        "reviewed": len(reviewed),
        "review_disagreed": sum(1 for _r, v in reviewed if not v.get("agree", True)),
        "review_changes": review_changes,
        "corrected": sum(1 for r in rows if r["id"] in corrections),
        "correction_changes": correction_changes,
        "length_min_median_max": (lengths[0], lengths[len(lengths) // 2], lengths[-1]) if lengths else (0, 0, 0),
    }


def markdown(stats: dict) -> str:
    out = [f"- items: {stats['items']}; distinct units: {stats['units']}; boundary items (note 边界…): {stats['boundary']}",
           f"- body length min / median / max: {'/'.join(map(str, stats['length_min_median_max']))} characters"]
    out.append(f"- second-pass review: {stats['reviewed']} items reviewed, {stats['review_disagreed']} disagreed "
               f"(the reviewer's labels are used); changed labels: "
               + (", ".join(f"{k} {v}" for k, v in stats["review_changes"].most_common()) or "none"))
    out.append(f"- later corrections (reviews/corrections/): {stats['corrected']} items; "
               + (", ".join(f"{k} {v}" for k, v in sorted(stats["correction_changes"].items())) or "none"))
    for key in ("low_value", "kind", "elements", "outcome", "length", "writer", "province", "topic"):
        items = ", ".join(f"{k} {v}" for k, v in stats[key].most_common())
        out.append(f"- {key}: {items}")
    return "\n".join(out)

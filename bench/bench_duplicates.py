"""Duplicate index at scale: build time, memory, query latency and light-edit recall, against a
brute-force TF-IDF cosine scan and datasketch MinHash LSH, all measured in the same run.

    .venv/bin/python bench/bench_duplicates.py --sizes 10000 100000 [--queries 1000]

History items are generated from the corpus drafts: sentences of two or three drafts are mixed
and every figure is redrawn, so items are varied and distinct. Queries are light edits of random
history items (a few characters changed, two sentences swapped, a new title).
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import time
import tracemalloc


from screening.dupindex import NearDuplicateIndex
from screening.models.corpus import load_corpus

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def generate(n: int, seed: int = 0) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    drafts = [(e.draft.title, e.draft.body) for e in load_corpus()]
    sentences = [re.findall(r"[^。！？\n]+[。！？]?", body) for _t, body in drafts]
    out = []
    for i in range(n):
        picks = rng.sample(range(len(drafts)), 3)
        parts = []
        for p in picks:
            s = sentences[p]
            start = rng.randrange(max(1, len(s) - 3))
            parts += s[start:start + rng.randint(2, 5)]
        body = _NUMBER.sub(lambda m: str(rng.randint(2, 9999)), "".join(parts))
        title = _NUMBER.sub(lambda m: str(rng.randint(2, 999)), drafts[picks[0]][0])
        out.append((f"B{i:06d}", title, body))
    return out


def light_edit(body: str, rng: random.Random) -> str:
    s = re.findall(r"[^。！？\n]+[。！？]?", body)
    if len(s) >= 3:
        i = rng.randrange(len(s) - 1)
        s[i], s[i + 1] = s[i + 1], s[i]
    text = list("".join(s))
    for _ in range(4):
        j = rng.randrange(len(text))
        text[j] = rng.choice("的了和在将把对为")
    return "".join(text)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def run(size: int, queries: int, with_datasketch: bool) -> None:
    rng = random.Random(1)
    items = generate(size)
    print(f"\n== {size} items in history ==")

    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    index = NearDuplicateIndex()
    for item_id, title, body in items:
        index.add(item_id, title, body)
    index.merge()
    build = time.perf_counter() - t0
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"our index: build {build:.1f} s, index arrays {index.nbytes() / 2**20:.1f} MiB, "
          f"peak traced during build {peak / 2**20:.1f} MiB")

    sample = [items[rng.randrange(size)] for _ in range(queries)]
    edited = [(item_id, "新标题" + title[2:], light_edit(body, rng)) for item_id, title, body in sample]
    latencies, hits = [], 0
    for item_id, title, body in edited:
        t0 = time.perf_counter()
        found = index.candidates(title, body)
        latencies.append((time.perf_counter() - t0) * 1000)
        hits += bool(found) and found[0].id == item_id
    p50, p99 = percentiles(latencies)
    print(f"our index: query p50 {p50:.3f} ms, p99 {p99:.3f} ms (fingerprints of the query included); "
          f"light-edit recall@1 {hits / queries:.4f}")

    from sklearn.feature_extraction.text import TfidfVectorizer

    t0 = time.perf_counter()
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), min_df=1)
    matrix = vectorizer.fit_transform([t + b for _i, t, b in items])
    tfidf_build = time.perf_counter() - t0
    brute, brute_hits = [], 0
    for item_id, title, body in edited[: min(queries, 200)]:
        t0 = time.perf_counter()
        q = vectorizer.transform([title + body])
        best = int((matrix @ q.T).toarray().ravel().argmax())
        brute.append((time.perf_counter() - t0) * 1000)
        brute_hits += items[best][0] == item_id
    b50, b99 = percentiles(brute)
    print(f"brute-force TF-IDF cosine: fit {tfidf_build:.1f} s, query p50 {b50:.2f} ms, p99 {b99:.2f} ms, "
          f"recall@1 {brute_hits / len(brute):.4f}")
    print(f"speed-up over brute force (p50): {b50 / p50:.0f}x")

    if with_datasketch:
        from datasketch import MinHash, MinHashLSH

        def signature(text: str) -> MinHash:
            m = MinHash(num_perm=128)
            t = re.sub(r"\s", "", text)
            m.update_batch([t[i:i + 5].encode("utf-8") for i in range(max(1, len(t) - 4))])
            return m

        gc.collect()
        tracemalloc.start()
        t0 = time.perf_counter()
        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        for item_id, title, body in items:
            lsh.insert(item_id, signature(title + body))
        ds_build = time.perf_counter() - t0
        _cur, ds_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ds, ds_hits = [], 0
        for item_id, title, body in edited:
            t0 = time.perf_counter()
            found = lsh.query(signature(title + body))
            ds.append((time.perf_counter() - t0) * 1000)
            ds_hits += item_id in found
        d50, d99 = percentiles(ds)
        print(f"datasketch MinHash LSH: build {ds_build:.1f} s, traced {ds_peak / 2**20:.1f} MiB, "
              f"query p50 {d50:.3f} ms, p99 {d99:.3f} ms, recall (in candidates) {ds_hits / queries:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--no-datasketch", action="store_true")
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.queries, not args.no_datasketch)


if __name__ == "__main__":
    main()

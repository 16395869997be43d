"""Cost of screening one 1,000-character draft with the shipped model, against one pure-Python
``jieba.lcut`` of the same text, measured in the same run (the ratio is what matters).

    .venv/bin/python bench/bench_screen.py [--repeat 300]
"""

from __future__ import annotations

import argparse
import statistics
import time

import jieba

from screening import Screener, Settings
from screening.models import artifact
from screening.models.loading import load_judges

BODY_PARTS = [
    "今年以来，红土县坚持把高标准农田建设作为巩固粮食安全的基础工程，累计投入资金2.36亿元，新建高标准农田4.2万亩，",
    "配套建设机耕路126公里、灌溉渠道183公里，项目区亩均粮食产量提高110公斤以上，带动1.3万户农户户均增收1800元。",
    "其中，上庄镇马家村通过土地整治把原来零散的1200余块耕地整合为86块，村集体经济合作社统一流转经营，今年村集体收入达到46万元。",
    "从实施情况看，成效主要得益于县级统筹和“先建后补”机制，但部分项目区后期管护责任不清、管护资金不足的问题仍较突出。",
    "下一步，县里将出台高标准农田建后管护办法，按每亩每年20元标准落实管护资金，年底前完成全部项目的确权移交。",
]


def make_draft(chars: int = 1000) -> dict:
    body = ""
    i = 0
    while len(body) < chars:
        body += BODY_PARTS[i % len(BODY_PARTS)]
        i += 1
    return {"title": "红土县高标准农田建设带动农户增收", "body": body[:chars], "kind": "single",
            "submitted_at": "2026-11-20T10:00:00+08:00"}


def interleaved_ms(first, second, repeat: int) -> tuple[float, float]:
    """Median milliseconds per call of two functions called alternately, so that whatever else the
    machine does at a moment weighs on both sides alike."""
    a, b = [], []
    for _ in range(repeat):
        for fn, samples in ((first, a), (second, b)):
            t0 = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    models_dir = artifact.default_models_dir()
    version = artifact.current_version(models_dir)
    t0 = time.perf_counter()
    judges = load_judges(Settings.from_mapping())
    load_s = time.perf_counter() - t0
    screener = Screener(Settings.from_mapping(), **judges)
    # Distinct texts each call (one figure changed), so no cache answers for either side.
    base = make_draft()
    drafts = [{**base, "body": base["body"].replace("2.36", f"{2 + i / 100:.2f}", 1)} for i in range(args.repeat)]
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for d in drafts[:20]:  # warm up both
        screener.screen({**d, "body": d["body"] + "。"})
        tokenizer.lcut(d["body"] + "。")
    jieba_iter, screen_iter = iter(drafts), iter(drafts)
    jieba_ms, screen_ms = interleaved_ms(lambda: tokenizer.lcut(next(jieba_iter)["body"]),
                                         lambda: screener.screen(next(screen_iter)), args.repeat)
    size = (models_dir / version / "model.joblib").stat().st_size if version else 0
    print(f"model {version}: {size / 1e6:.1f} MB, load {load_s:.2f} s")
    print(f"jieba.lcut (pure Python), 1000 chars: {jieba_ms:.3f} ms (median of {args.repeat})")
    print(f"full screening with models,  1000 chars: {screen_ms:.3f} ms (median of {args.repeat})")
    print(f"ratio screening / jieba.lcut = {screen_ms / jieba_ms:.2f}")


if __name__ == "__main__":
    main()

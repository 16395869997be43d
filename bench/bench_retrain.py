"""Retraining cost and availability.

    .venv/bin/python bench/bench_retrain.py time --items 50000
        Retrain time for a corpus of N items (the corpus drafts, repeated with figures redrawn
        and sentences reordered, so that no two are identical), on this machine.

    .venv/bin/python bench/bench_retrain.py load [--seconds 120]
        Under continuous screening load (wrk, 8 connections, loopback) against `screening serve`
        with 2 workers: register 200 feedback items of a new low-value pattern, start a retrain
        through the API, wait for the promotion, keep the load on; report requests, failures and
        the model versions that answered.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).parent))

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def big_corpus(n: int, folder: Path) -> None:
    rng = random.Random(0)
    rows = [json.loads(line) for p in sorted((ROOT / "training_data" / "drafts").glob("*.jsonl"))
            for line in p.read_text("utf-8").splitlines() if line.strip()]
    out = []
    for i in range(n):
        row = dict(rows[i % len(rows)])
        parts = row["body"].split("\n")
        if len(parts) > 1 and i >= len(rows):
            rng.shuffle(parts)
        row["body"] = _NUMBER.sub(lambda m: str(rng.randint(2, 9999)), "\n".join(parts)) if i >= len(rows) else row["body"]
        row["id"] = f"{row['id']}-{i}"
        row["writer"] = row.get("writer", "X")
        out.append(json.dumps(row, ensure_ascii=False))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "big.jsonl").write_text("\n".join(out) + "\n", "utf-8")


def cmd_time(args) -> None:
    from screening.models.train import train

    tmp = Path(tempfile.mkdtemp())
    big_corpus(args.items, tmp / "drafts")
    t0 = time.perf_counter()
    _model, meta = train(tmp / "drafts", tmp / "models", folds=0, make_current=False)
    print(f"retrain on {meta['training_data']['items']} items (folds=0, as `screening retrain`): "
          f"{time.perf_counter() - t0:.0f} s on {os.cpu_count()} cores")


def _post(url, payload=None):
    data = json.dumps(payload).encode() if payload is not None else b""
    req = urllib.request.Request(url, data, {"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def cmd_load(args) -> None:
    from bench_screen import make_draft
    from test_retrain import publicity_item

    from service.launcher import served

    from screening.models import artifact

    tmp = Path(tempfile.mkdtemp())
    models = tmp / "models"
    models.mkdir()
    version = artifact.current_version(artifact.default_models_dir())
    shutil.copytree(artifact.default_models_dir() / version, models / version)
    (models / "current.txt").write_text(version + "\n")
    with served(tmp / "instance", workers=2, env={"SCREENING_MODEL_DIR": str(models)}) as base:
        rng = random.Random(7)
        for i in range(200):
            d = publicity_item(rng, i)
            _post(base + "/api/v1/items", d.to_dict())
            _post(base + f"/api/v1/items/{d.id}/labels", {"low_value": "meeting", "elements": ["situation"]})
        body = json.dumps(make_draft(1000), ensure_ascii=False)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as data:
            data.write(body)
        lua = tmp / "post.lua"
        lua.write_text('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                       f'local f = io.open("{data.name}", "rb")\nwrk.body = f:read("*a")\nf:close()\n')
        load = subprocess.Popen(["wrk", "-t2", "-c8", f"-d{args.seconds}s", "-s", str(lua), base + "/api/v1/screen"],
                                stdout=subprocess.PIPE, text=True)
        time.sleep(5)
        t0 = time.perf_counter()
        job = _post(base + "/api/v1/retrain")["job"]
        while True:
            with urllib.request.urlopen(f"{base}/api/v1/jobs/{job}", timeout=30) as r:
                status = json.loads(r.read())
            if status["status"] != "running":
                break
            time.sleep(1)
        retrain_s = time.perf_counter() - t0
        out = load.communicate()[0]
        answered = _post(base + "/api/v1/screen", json.loads(body))["model_version"]
        requests = int(re.search(r"(\d+) requests in", out).group(1))
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors = re.search(r"Socket errors: (.*)", out)
        print(f"retrain job {status['status']} in {retrain_s:.0f} s, promoted: {status['result'].get('promoted')}")
        print(f"load: {requests} requests in {args.seconds} s, non-2xx {int(non2xx.group(1)) if non2xx else 0}, "
              f"socket errors: {errors.group(1) if errors else 'none'}")
        print(f"model before {version}, answering after: {answered}")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("time")
    p.add_argument("--items", type=int, default=50_000)
    p.set_defaults(func=cmd_time)
    p = sub.add_parser("load")
    p.add_argument("--seconds", type=int, default=120)
    p.set_defaults(func=cmd_load)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()

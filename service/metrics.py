"""Prometheus metrics: requests, latency, flags raised by code, the model version.

Under gunicorn each worker is a process; with ``PROMETHEUS_MULTIPROC_DIR`` set (``screening
serve`` sets it) the values of all workers are collected together.
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess

REQUESTS = Counter("screening_requests_total", "HTTP requests", ["endpoint", "status"])
LATENCY = Histogram("screening_request_seconds", "Request latency", ["endpoint"],
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
FLAGS = Counter("screening_flags_total", "Flags raised, by code", ["code"])
DRAFTS = Counter("screening_drafts_screened_total", "Drafts screened")
MODEL = Gauge("screening_model_info", "The model that judges (value 1)", ["version"], multiprocess_mode="max")


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST

"""Prometheus metrics: requests, latency, flags raised by code, the model version.

Under gunicorn each worker is a process; with ``PROMETHEUS_MULTIPROC_DIR`` set (``screening
serve`` sets it) the values of all workers are collected together.

The model version is not a stored gauge. In multiprocess mode a gauge keeps one file per process,
merged by ``multiprocess_mode``: with "max" the master's 1, set before the fork, kept the first
version at 1 for ever; with "mostrecent" or "livemostrecent" a version stays at 1 while the worker
that last set it is idle (it switched to B, the operator rolled back to A, no request has reached
it since); "livemax"/"liveall" show every version some live worker still holds. Instead
``screening_model_info`` is made when /metrics is answered, from the version a screening request
would use now (the answering worker checks ``current.txt`` first, as the screener does): one
series, value 1, and nothing a dead worker or the master wrote.
"""

from __future__ import annotations

import os
from typing import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric

REQUESTS = Counter("screening_requests_total", "HTTP requests", ["endpoint", "status"])
LATENCY = Histogram("screening_request_seconds", "Request latency", ["endpoint"],
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
FLAGS = Counter("screening_flags_total", "Flags raised, by code", ["code"])
DRAFTS = Counter("screening_drafts_screened_total", "Drafts screened")


class _Exposed:
    """The collected metrics and the model version, for one ``generate_latest`` call."""

    def __init__(self, registry: CollectorRegistry, model_version: str) -> None:
        self.registry = registry
        self.model_version = model_version

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()
        info = GaugeMetricFamily("screening_model_info", "The model that judges (value 1)", labels=["version"])
        info.add_metric([self.model_version], 1)
        yield info


def exposition(model_version: str) -> tuple[bytes, str]:
    """The text exposition of every worker's counters and of ``model_version``, the model in use."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    return generate_latest(_Exposed(registry, model_version)), CONTENT_TYPE_LATEST

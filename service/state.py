"""What the app holds: settings, the screener with its models, and the store (opened per process)."""

from __future__ import annotations

import logging
import os
import threading
import time

from screening import Screener, Settings
from screening.duplicates import DuplicateFinder
from screening.models import artifact
from screening.models.loading import load_judges, models_dir
from screening.settings import database_url, index_snapshot
from screening.store.db import Store

LOOPBACK = ("127.0.0.1", "localhost", "::1")
log = logging.getLogger("screening.service")


class ServiceState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Models, the segmenter's dictionary and lazily imported code load here, once, before
        # gunicorn forks its workers: no worker pays for them on its first request.
        self.judges = load_judges(settings)
        Screener(settings, **self.judges).screen({"title": "预热", "body": "11月5日，某县完成投资1.2亿元。"})
        self.model_version = self.judges.get("model_version", "rules")
        # the pointer (current.txt) as last acted on: a folder's name need not be the version inside
        # it (a copied folder), and a broken promotion is tried once, not every second
        self._pointer = self._read_pointer()
        self._checked_model_at = time.monotonic()
        self._pid = None
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._finder: DuplicateFinder | None = None
        self._screener: Screener | None = None
        self._keys_checked = (0.0, False)

    def _open(self) -> None:
        """Open the store and the duplicate index in this process (again after a fork)."""
        with self._lock:
            if self._pid == os.getpid():
                return
            self._store = Store(database_url(self.settings))
            self._finder = DuplicateFinder(self._store, index_snapshot(self.settings))
            self._screener = Screener(self.settings, history=self._finder, **self.judges)
            self._pid = os.getpid()

    @property
    def store(self) -> Store:
        self._open()
        return self._store

    @property
    def finder(self) -> DuplicateFinder:
        self._open()
        return self._finder

    @property
    def screener(self) -> Screener:
        self._open()
        self._follow_promotions()
        return self._screener

    def model_in_use(self) -> str:
        """The model version a screening request in this process would use now: /readyz and
        /metrics make the same cheap check of ``current.txt`` as the screener, so neither reports a
        version this process has already switched away from (or would switch away from at once)."""
        self._follow_promotions()
        return self.model_version

    def _follow_promotions(self) -> None:
        """Pick up a newly promoted model (once a second at most): load it fully, then swap, so no
        request fails and every worker follows ``current.txt`` on its own."""
        if time.monotonic() - self._checked_model_at < 1.0:
            return
        self._checked_model_at = time.monotonic()
        pointer = self._read_pointer()
        current = pointer[0]
        if current is None or pointer == self._pointer:
            return
        self._pointer = pointer
        previous = self.model_version
        try:
            judges = load_judges(self.settings)
        except Exception:  # a broken promotion must not take the service down: keep the old model
            log.exception("could not load promoted model %s; keeping %s", current, self.model_version)
            self._audit(current, "load_failed", {"from": previous})
            return
        self.judges = judges
        self.model_version = judges.get("model_version", "rules")
        self._screener = Screener(self.settings, history=self._finder, **judges)
        log.info("now screening with model %s", self.model_version)
        self._audit(self.model_version, "loaded", {"from": previous, "folder": current})

    def _read_pointer(self) -> tuple[str | None, int]:
        """The version current.txt names and when it was written (a promotion of the same version
        again, after mending its folder, is tried again)."""
        folder = models_dir(self.settings)
        try:
            written = (folder / artifact.CURRENT).stat().st_mtime_ns
        except OSError:
            written = 0
        return artifact.current_version(folder), written

    def _audit(self, version: str, action: str, details: dict) -> None:
        """One audit row per worker that switches (pid tells them apart); a store that cannot take
        it must not fail the request that noticed the promotion."""
        try:
            self.store.record_model(version, action, {**details, "pid": os.getpid()})
        except Exception:
            log.exception("could not record %s of model %s in the audit", action, version)

    def auth_required(self) -> bool:
        mode = self.settings["auth"]
        if mode == "off":
            return False
        if mode == "on" or self.settings["host"] not in LOOPBACK:
            return True
        checked_at, has_keys = self._keys_checked
        if time.monotonic() - checked_at > 5:  # keys created while running take effect within 5 s
            # revoking the last key must not open the service again: keys once made, keys needed
            has_keys = self.store.has_keys(revoked_too=True)
            self._keys_checked = (time.monotonic(), has_keys)
        return has_keys

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

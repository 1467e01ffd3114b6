"""A progress bar on stderr when it is a terminal; nothing otherwise or with --quiet."""

from __future__ import annotations

import sys
import threading
from typing import TextIO


class Progress:
    WIDTH = 30

    def __init__(self, label: str, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label = label
        self.total = 0
        self.count = 0
        self._lock = threading.Lock()

    def start(self, total: int, label: str | None = None) -> None:
        with self._lock:
            self.total, self.count = total, 0
            self.label = label or self.label
        self._draw()

    def advance(self) -> None:
        with self._lock:
            self.count += 1
        self._draw()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        if not self.enabled:
            return
        with self._lock:
            total = max(self.total, 1)
            filled = self.WIDTH * min(self.count, total) // total
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r{self.label} [{bar}] {self.count}/{self.total}")
            self.stream.flush()

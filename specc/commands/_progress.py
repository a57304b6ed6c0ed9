"""A progress bar on stderr for commands that work through many items (`test`, a matrix `send`)."""

from __future__ import annotations

from typing import Any


class Progress:
    """`[#####     ] 5/12 label` on stderr, redrawn in place, only on a terminal (and, with
    `min_total`, only for that many items or more); `line` is the plain-text fallback."""

    def __init__(self, err: Any, total: int, min_total: int = 1):
        self.err, self.total = err, total
        self.tty = bool(getattr(err, "isatty", lambda: False)())
        self.active = self.tty and total >= min_total

    def show(self, done: int, label: str) -> None:
        if self.active:
            filled = int(20 * done / self.total) if self.total else 20
            self.err.write(f"\r[{'#' * filled}{' ' * (20 - filled)}] {done}/{self.total} {label[:50]:<50}")
            self.err.flush()

    def line(self, text: str) -> None:
        """Where no bar is drawn (not a terminal), a line per step instead."""
        if not self.active:
            self.err.write(text + "\n")
            self.err.flush()

    def clear(self) -> None:
        if self.active:
            self.err.write("\r" + " " * 80 + "\r")
            self.err.flush()

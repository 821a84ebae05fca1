"""Where a table's seconds go: milliseconds per named step (the table result's stepsMs).

Steps nest: a step's figure is its own time, without the steps inside it (a publish inside the
load counts once, as publish), so the figures add up to the time measured. A step that runs
more than once (two publishes, a retried probe) is summed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Steps:
    def __init__(self) -> None:
        self.ms: dict[str, int] = {}
        # per open step: the milliseconds its inner steps took (taken out of its own figure)
        self._inner: list[float] = []

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        begin = time.monotonic()
        self._inner.append(0.0)
        try:
            yield
        finally:
            elapsed = (time.monotonic() - begin) * 1000
            inner = self._inner.pop()
            self.ms[name] = self.ms.get(name, 0) + max(0, int(elapsed - inner))
            if self._inner:
                self._inner[-1] += elapsed

"""In-process CPU per request: the primary figure on a shared, loaded machine.

Wall-clock latency at 10 clients moves with every other process on the cores; the CPU
time one request takes on its own thread (`time.thread_time`, one request at a time,
median of many) moves far less. `profile` writes a pyinstrument text profile of the same
calls (pyinstrument is optional).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path


def cpu_ms(call: Callable[[], object], repeat: int = 30, warm: int = 3) -> float:
    """Median thread CPU milliseconds of `call()` over `repeat` calls after `warm`."""
    for _ in range(warm):
        call()
    samples = []
    for _ in range(repeat):
        start = time.thread_time()
        call()
        samples.append((time.thread_time() - start) * 1000)
    return statistics.median(samples)


def profile(call: Callable[[], object], output: Path, repeat: int = 30) -> bool:
    """A pyinstrument text profile of `repeat` calls into `output`; False without it."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return False
    call()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeat):
        call()
    profiler.stop()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    return True

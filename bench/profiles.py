"""Sampling profiles of a running server with py-spy, summarised as text.

py-spy samples every thread of another process (uvicorn's event loop and the worker
threads that run the GraphQL operations), which an in-process profiler cannot. The raw
output is folded stacks ("frame;frame;frame count"); `summary` turns them into the share
of samples each function appears in (inclusive) and the share it was on top (self).

    python -m bench.profiles FOLDED_FILE [--top N]
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

_LOCATION = re.compile(r" \((?P<file>[^():]+)(?::\d+)?\)$")


def start(pid: int, seconds: float, output: Path) -> subprocess.Popen | None:
    """Start sampling `pid` for `seconds` into `output` (folded); None without py-spy."""
    exe = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(exe).exists():
        return None
    return subprocess.Popen(
        [
            exe,
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(max(1, round(seconds))),
            "--rate",
            "200",
            "--format",
            "raw",
            "--output",
            str(output),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _frame_name(frame: str) -> str:
    """`resolve_me (econ/security/graphql.py:89)` -> `resolve_me (econ/security/graphql.py)`."""
    match = _LOCATION.search(frame)
    if not match:
        return frame
    path = match["file"]
    for marker in ("site-packages/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    for marker in ("/econ/", "/bench/"):
        if marker in path:
            path = marker.strip("/") + "/" + path.split(marker, 1)[1]
    return f"{frame[: match.start()]} ({path})"


def summary(folded: str, top: int = 30) -> str:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in folded.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_frame_name(f) for f in stack.split(";")]
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    if not total:
        return "no samples\n"
    rows = [f"{total} samples (all threads, idle excluded)", "incl %  self %  function"]
    for name, n in inclusive.most_common(top):
        rows.append(f"{100 * n / total:6.1f}  {100 * own[name] / total:6.1f}  {name}")
    return "\n".join(rows) + "\n"


def main() -> None:
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 30
    print(summary(Path(sys.argv[1]).read_text(), top), end="")


if __name__ == "__main__":
    main()

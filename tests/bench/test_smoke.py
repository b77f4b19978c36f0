"""Each benchmark runs end to end at a tiny size and ends with its `ratio:` line.

No timing is asserted (figures belong in docs/performance.md); this only keeps the
scripts working as the code they measure changes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playhouse.db_url import connect

ROOT = Path(__file__).resolve().parents[2]
RATIO = re.compile(r"^ratio: \d+\.\d{3}$")

CASES = {
    "payment_run": ["--size", "20", "--runs", "1"],
    "statements": ["--size", "20", "--runs", "1"],
    "streaming": ["--size", "30"],
    "schedule": ["--size", "20", "--loans", "20", "--runs", "1"],
    "graphql": ["--size", "60", "--runs", "1", "--seconds", "0.3"],
    "web": ["--runs", "1", "--seconds", "0.3"],  # the slow-line part needs /usr/bin/chromium
    "web_counselor": ["--size", "6", "--runs", "1", "--seconds", "0.3"],
    "growth": [
        *("--db", "sqlite", "--statements", "3,6", "--caseload", "2,4"),
        *("--run-detail", "20,40"),
    ],
}


def run_bench(name: str, args: list[str], **extra_env: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECON_")}
    env.update(PYTHONPATH=str(ROOT), **extra_env)
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()


@pytest.mark.parametrize("name", sorted(CASES))
def test_benchmark_prints_its_ratio_last(name):
    lines = run_bench(name, CASES[name])
    assert RATIO.match(lines[-1]), lines[-5:]


def test_scale_out_prints_its_ratio_last(postgres_url, redis_url):
    # A database of this session's own: other sessions may run this test at the same time.
    parsed = urlparse(postgres_url)
    name = f"econ_bench_smoke_{os.getpid()}"
    url = parsed._replace(path=f"/{name}", query="").geturl()
    redis = f"redis://{urlparse(redis_url).hostname or '127.0.0.1'}:6379/11"
    try:
        lines = run_bench(
            "scale_out",
            ["--size", "20", "--runs", "1", "--workers", "1,2"],
            ECON_BENCH_POSTGRES_URL=url,
            ECON_BENCH_REDIS_URL=redis,
        )
    finally:
        admin = connect(postgres_url)
        admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
    assert RATIO.match(lines[-1]), lines[-5:]
    assert any("speed-up 2 vs 1" in line for line in lines)


def test_web_pages_on_two_uvicorn_workers():
    lines = run_bench("web_counselor", [*CASES["web_counselor"], "--workers", "2"])
    assert "2 uvicorn worker(s)" in lines[0], lines[0]
    assert RATIO.match(lines[-1]), lines[-5:]


BURN = """
import time
start = time.process_time()
while time.process_time() - start < 0.4:
    pass
print("burnt", flush=True)
time.sleep(60)
"""


def test_server_cpu_counts_the_worker_processes_it_started():
    from bench.graphql import cpu_seconds

    starter = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {BURN!r}])"
    parent = subprocess.Popen([sys.executable, "-c", starter], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout.readline().strip() == "burnt"
        # The starter itself only waits: the 0.4 s are its child's.
        assert cpu_seconds(parent.pid) >= 0.35
    finally:
        for child in Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split():
            os.kill(int(child), 9)
        parent.kill()
        parent.wait()

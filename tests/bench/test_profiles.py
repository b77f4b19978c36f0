"""bench/profiles.py folds py-spy's raw stacks into inclusive and self shares."""

from __future__ import annotations

from bench.profiles import summary

UVICORN = "run (/srv/.venv/lib/python3.11/site-packages/uvicorn/main.py:10)"
HANDLE = "handle (/srv/econ/schema/endpoint.py:{})"
LOOKUP = "session_user (/srv/econ/security/services.py:180)"
FOLDED = "\n".join(
    [
        f"{UVICORN};{HANDLE.format(96)} 3",
        f"{UVICORN};{HANDLE.format(99)};{LOOKUP} 1",
        "not a sample line",
    ]
)


def test_summary_counts_each_function_once_per_stack_with_short_paths():
    lines = summary(FOLDED).splitlines()
    assert lines[0].startswith("4 samples")
    rows = {line[16:]: (float(line[:6]), float(line[8:14])) for line in lines[2:]}
    assert rows["run (uvicorn/main.py)"] == (100.0, 0.0)
    assert rows["handle (econ/schema/endpoint.py)"] == (100.0, 75.0)
    assert rows["session_user (econ/security/services.py)"] == (25.0, 25.0)


def test_summary_of_nothing():
    assert summary("") == "no samples\n"

"""Anonymous callers learn nothing, and cannot ask fast (issue 14, item 7), over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from econ.security.models import RateCounter
from tests.security.apps import LOGIN, app_with, client_at, gql
from tests.support.people import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
BY_CODE = "query Q($c: String!) { participantByCode(code: $c) { id preferredName } }"


def test_participant_by_code_answers_alike_for_any_code(http, people):
    _, counselor = people.counselor()
    real = people.participant(counselor).code
    codes = [real, real.lower(), "P-ZZZZZZ", "P-000000", "", "!!!", "x" * 500, "P-\u00e9\u4e2d"]
    answers = {
        code: (r.status_code, r.json()) for code in codes for r in [gql(http, BY_CODE, {"c": code})]
    }
    first = answers[real]
    assert first[0] == 200
    assert first[1]["data"] == {"participantByCode": None}
    assert [e["extensions"]["code"] for e in first[1]["errors"]] == ["UNAUTHENTICATED"]
    assert {code: answer for code, answer in answers.items() if answer != first} == {}


def test_anonymous_requests_are_limited_per_client_address():
    with app_with(anonymous_rate="5/minute") as app:
        here, there = client_at(app, "10.0.0.7"), client_at(app, "10.0.0.8")
        answers = [gql(here, "{ me { id } }").status_code for _ in range(7)]
        assert answers == [200] * 5 + [429] * 2
        refused = gql(here, "{ me { id } }")
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert gql(there, "{ me { id } }").status_code == 200  # another address: its own count
    # The counters are rows in the database (no client address in them), shared by workers.
    keys = [row.key for row in RateCounter.select()]
    assert keys and not any("10.0.0" in key for key in keys)


def test_sign_ins_are_limited_per_client_address_even_with_a_session(people):
    user, _ = people.counselor()
    with app_with(login_rate="3/minute") as app:
        here, there = client_at(app, "10.0.1.7"), client_at(app, "10.0.1.8")
        variables = {"e": user.email, "p": PASSWORD}
        tokens = [gql(here, LOGIN, variables).json()["data"]["login"] for _ in range(3)]
        assert all(t["token"] for t in tokens)
        # A session does not lift the limit: guessing others' passwords while signed in.
        fourth = gql(here, LOGIN, {"e": "other@test.econ", "p": "x"}, token=tokens[0]["token"])
        assert fourth.json()["data"]["login"]["errors"][0]["code"] == "RATE_LIMITED"
        assert gql(there, LOGIN, variables).json()["data"]["login"]["token"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(tmp_path: Path, extra: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "ECON_DATA_DIR": str(tmp_path),
        "ECON_DATABASE_URL": "",
        "ECON_BROKER_URL": "",
        "ECON_ANONYMOUS_RATE": "10/minute",
        **extra,
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "server:app",
            "--port",
            str(port),
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise AssertionError(server.stderr.read().decode()[-2000:])


def _statuses_from_two_workers(tmp_path: Path, extra: dict[str, str], n: int) -> list[int]:
    """The statuses of `n` anonymous requests to a server of two worker processes."""
    server, url = _serve(tmp_path, extra)
    statuses = []
    try:
        for _ in range(n):  # a new connection each time, so both workers take requests
            with httpx.Client(timeout=10) as client:
                response = client.post(f"{url}/graphql", json={"query": "{ me { id } }"})
                statuses.append(response.status_code)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return statuses


@pytest.mark.slow
def test_two_uvicorn_workers_share_one_count(tmp_path):
    """Each worker process alone would allow 10 a minute; together they allow 10."""
    statuses = _statuses_from_two_workers(tmp_path, {}, 30)
    assert statuses.count(200) == 10 and statuses.count(429) == 20, statuses


@pytest.mark.redis
def test_with_redis_configured_the_counters_live_in_redis(tmp_path, redis_url):
    import redis

    store = redis.Redis.from_url(redis_url)
    for key in store.scan_iter("LIMITS*"):
        store.delete(key)
    statuses = _statuses_from_two_workers(tmp_path, {"ECON_RATE_LIMIT_URL": redis_url}, 15)
    assert statuses.count(200) == 10 and statuses.count(429) == 5, statuses
    keys = list(store.scan_iter("LIMITS*"))
    assert keys, "the counters are in Redis"
    for key in keys:
        store.delete(key)

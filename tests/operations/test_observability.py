"""Observability: one JSON log line per request with its id, user id, duration and outcome
(never personal data); Prometheus metrics behind a token; /health reports the workers."""

from __future__ import annotations

import dataclasses
import json
import logging
import time

import pytest

from econ import dispatch
from econ.config import use_settings
from econ.operations.logs import configure_logging
from tests.conftest import SETTINGS
from tests.support.people import PASSWORD

METRICS_TOKEN = "m" * 40


class Lines(logging.Handler):
    """Collects what the service's JSON handler would print."""

    def __init__(self, formatter: logging.Formatter, filters) -> None:
        super().__init__()
        self.setFormatter(formatter)
        self.filters = list(filters)
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def log_lines():
    configure_logging(dataclasses.replace(SETTINGS, log_format="json", log_level="INFO"))
    ours = next(h for h in logging.getLogger().handlers if getattr(h, "_econ", False))
    collected = Lines(ours.formatter, ours.filters)
    logging.getLogger("econ.http").addHandler(collected)
    yield collected.lines
    logging.getLogger("econ.http").removeHandler(collected)
    configure_logging(SETTINGS)


@pytest.fixture
def metrics_on():
    use_settings(dataclasses.replace(SETTINGS, metrics_token=METRICS_TOKEN))
    yield
    use_settings(SETTINGS)


def test_a_request_logs_one_json_line_with_its_id_user_duration_and_outcome(
    http, people, log_lines
):
    user, _ = people.counselor()
    token = http.post(
        "/graphql",
        json={"query": f'mutation {{ login(input: {{email: "{user.email}", password: '
              f'"{PASSWORD}"}}) {{ token }} }}'},
    ).json()["data"]["login"]["token"]  # fmt: skip
    answer = http.post(
        "/graphql",
        json={"query": "{ me { id } }"},
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "proxy-0123456789abcdef"},
    )
    line = log_lines[-1]
    assert answer.headers["x-request-id"] == "proxy-0123456789abcdef" == line["request_id"]
    assert line["user_id"] == user.id
    assert (line["message"], line["method"], line["route"]) == ("request", "POST", "/graphql")
    assert (line["status"], line["outcome"]) == (200, "ok")
    assert line["duration_ms"] >= 0 and line["level"] == "INFO" and "time" in line
    first = log_lines[-2]  # the login: no user yet, and never the e-mail or password
    assert first["user_id"] is None and first["request_id"] != line["request_id"]
    assert user.email not in json.dumps(log_lines) and PASSWORD not in json.dumps(log_lines)
    missing = http.get("/no/such/page", headers={"X-Request-ID": "bad id!"})
    assert missing.status_code == 404 and len(missing.headers["x-request-id"]) == 16
    assert (log_lines[-1]["route"], log_lines[-1]["outcome"]) == ("unmatched", "client_error")


def test_metrics_need_the_token_and_count_requests_and_tasks(http, metrics_on):
    assert http.get("/metrics").status_code == 401
    assert http.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    http.post("/graphql", json={"query": "{ __typename }"})
    dispatch.enqueue("security.purge_expired_sessions")
    auth = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body = http.get("/metrics", headers=auth).text
        if 'econ_tasks_total{outcome="success",task="security.purge_expired_sessions"}' in body:
            break
        time.sleep(0.2)
    assert 'econ_http_requests_total{method="POST",route="/graphql",status="200"}' in body
    assert 'econ_task_duration_seconds_count{task="security.purge_expired_sessions"}' in body
    assert 'econ_tasks_total{outcome="success",task="security.purge_expired_sessions"}' in body
    assert "econ_payment_run_job_done" in body


def test_metrics_are_absent_without_a_token(http):
    assert http.get("/metrics").status_code == 404


def test_health_reports_the_workers(http):
    health = http.get("/health").json()
    assert health["workers"] == "in-process: 2 threads" and health["status"] == "ok"


def test_metrics_show_the_progress_of_a_running_payment_run_job(http, metrics_on):
    from econ.stipends.models import PaymentRun

    running = PaymentRun.create(
        period="2026-12", state="CALCULATING", created_by=1,
        job_kind="CALCULATE", job_status="RUNNING", job_done=120, job_total=500,
    )  # fmt: skip
    PaymentRun.create(period="2026-11", state="CALCULATED", created_by=1, job_status="DONE")
    body = http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text
    labels = f'kind="CALCULATE",period="2026-12",run="{running.id}",status="RUNNING"'
    assert f"econ_payment_run_job_done{{{labels}}} 120.0" in body
    assert f"econ_payment_run_job_total{{{labels}}} 500.0" in body
    assert 'period="2026-11"' not in body  # finished jobs leave the gauge

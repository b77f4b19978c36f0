"""Real Celery worker processes for tests: each suite its own PostgreSQL database and a
schema, Redis database (or its own redis-server), queue and worker names of this test
session, so that several sessions sharing a machine never take each other's messages.

Used by the worker tests of payment runs (tests/stipends/test_workers.py) and the fault
tests (tests/reliability). Workers run `python -m celery` with the interpreter running
the tests, wherever its venv is. Messages are sent by task name from a separate
producer, as the services enqueue them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlparse

from celery import Celery
from playhouse.db_url import connect

from econ.db import db
from econ.migrations import apply_all

ROOT = Path(__file__).resolve().parents[2]
# The interpreter running the tests, wherever its venv is (not only `make`'s .venv).
CELERY = [sys.executable, "-m", "celery"]
RUN = str(os.getpid())
OWN_REDIS_PORT = 6390  # a redis-server of our own, for the test that stops it


def own_database(url: str, database: str) -> str:
    """The same server as `url`, the suite's own database (created when missing)."""
    parsed = urlparse(url)
    admin = connect(url)
    found = admin.execute_sql("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
    if found.fetchone() is None:
        admin.execute_sql(f'CREATE DATABASE "{database}"')
    admin.close()
    return parsed._replace(path=f"/{database}", query="").geturl()


def with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}options={quote(f'-c search_path={schema}')}"


def own_redis_db(url: str, number: int) -> str:
    """The suite's own database number on the machine's Redis."""
    parsed = urlparse(url)
    return f"redis://{parsed.hostname or '127.0.0.1'}:{parsed.port or 6379}/{number}"


class Cluster:
    """This process bound to a fresh schema; workers started and killed on demand.

    `suite` names the database (`econ_<suite>`), and with this session's process id the
    schema, the queue and the workers."""

    def __init__(self, postgres_url: str, broker: str, suite: str):
        self.own = own_database(postgres_url, f"econ_{suite}")
        self.schema = f"econ_{suite}_{RUN}"
        self.queue = f"econ-{suite}-{RUN}"
        self.database_url = with_schema(self.own, self.schema)
        self.broker = broker
        self.workers: list[subprocess.Popen] = []
        self.names: list[str] = []
        self.logs: list[Path] = []
        self._original = None
        self.producer = Celery("producer", broker=broker, backend=broker)

    def __enter__(self) -> Cluster:
        self._admin(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE; CREATE SCHEMA {self.schema}")
        self._original = db.obj
        self.pg = connect(self.database_url)
        db.initialize(self.pg)
        apply_all()
        return self

    def __exit__(self, *exc) -> None:
        self.stop_all()
        self.pg.close()
        db.initialize(self._original)
        db.connect(reuse_if_open=True)
        self._admin(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")

    def _admin(self, sql: str) -> None:
        admin = connect(self.own)
        admin.execute_sql(sql)
        admin.close()

    def start_worker(self, name: str, **env: str) -> subprocess.Popen:
        environment = {
            **os.environ,
            "ECON_DATABASE_URL": self.database_url,
            "ECON_BROKER_URL": self.broker,
            **env,
        }
        log = Path(tempfile.mkdtemp(prefix="econ-fault-")) / f"{name}.log"
        process = subprocess.Popen(
            [*CELERY, "-A", "econ.worker", "worker", "--pool", "solo",
             "-n", f"{name}-{RUN}@econ", "-Q", self.queue,
             "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
            cwd=ROOT, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.workers.append(process)
        self.names.append(f"{name}-{RUN}@econ")
        self.logs.append(log)
        return process

    def wait_ready(self, count: int = 1) -> None:
        for _ in range(120):
            replies = self.producer.control.ping(destination=self.names, timeout=0.5) or []
            if len(replies) >= count:
                return
        raise AssertionError("celery workers did not start")

    def send(self, name: str, *args) -> None:
        self.producer.send_task(name, args=list(args), queue=self.queue)

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.producer.close()

    def worker_logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())


def wait_for(predicate, what: str, tries: int = 1200, pause: float = 0.05):
    """Bounded poll (a give-up limit, never a timing assertion)."""
    for _ in range(tries):
        value = predicate()
        if value:
            return value
        time.sleep(pause)
    raise AssertionError(f"gave up waiting for {what}")


class OwnRedis:
    """A redis-server of our own on OWN_REDIS_PORT, without persistence, to stop and start
    (never the machine's main Redis)."""

    def __init__(self, port: int = OWN_REDIS_PORT):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.dir = tempfile.mkdtemp(prefix="econ-redis-")

    def start(self) -> None:
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", self.dir, "--daemonize", "yes", "--bind", "127.0.0.1"],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        wait_for(self.ping, "redis-server to start", tries=200)

    def ping(self) -> bool:
        done = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, timeout=10
        )
        return done.stdout.strip() == b"PONG"

    def stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True, timeout=30,
        )  # fmt: skip
        wait_for(lambda: not self.ping(), "redis-server to stop", tries=200)

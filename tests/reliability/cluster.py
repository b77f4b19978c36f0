"""Real worker processes for fault tests: this session's own PostgreSQL schema, Redis
database (or its own redis-server), Celery queue and worker names.

The same isolation as tests/stipends/test_workers.py, with every name a parameter so a
test can also run its own redis-server and stop it mid-run. Messages are sent by task
name from a separate producer, as the services enqueue them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlparse

from celery import Celery
from playhouse.db_url import connect

from econ.db import db
from econ.migrations import apply_all

ROOT = Path(__file__).resolve().parents[2]
CELERY = ROOT / ".venv" / "bin" / "celery"
RUN = str(os.getpid())
DATABASE = "econ_hardening"  # this suite's own database on the server under test
SCHEMA = f"econ_faults_{RUN}"
QUEUE = f"econ-faults-{RUN}"
REDIS_DB = 9  # this suite's own database on the machine's Redis
OWN_REDIS_PORT = 6390  # a redis-server of our own, for the test that stops it


def own_database(url: str) -> str:
    parsed = urlparse(url)
    admin = connect(url)
    found = admin.execute_sql("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
    if found.fetchone() is None:
        admin.execute_sql(f'CREATE DATABASE "{DATABASE}"')
    admin.close()
    return parsed._replace(path=f"/{DATABASE}", query="").geturl()


def with_schema(url: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}options={quote(f'-c search_path={SCHEMA}')}"


def own_redis_db(url: str) -> str:
    parsed = urlparse(url)
    return f"redis://{parsed.hostname or '127.0.0.1'}:{parsed.port or 6379}/{REDIS_DB}"


class Cluster:
    """This process bound to a fresh schema; workers started and killed on demand."""

    def __init__(self, postgres_url: str, broker: str):
        self.own = own_database(postgres_url)
        self.database_url = with_schema(self.own)
        self.broker = broker
        self.workers: list[subprocess.Popen] = []
        self.names: list[str] = []
        self.logs: list[Path] = []
        self._original = None
        self.producer = Celery("producer", broker=broker, backend=broker)

    def __enter__(self) -> Cluster:
        self._admin(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
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
        self._admin(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")

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
            [str(CELERY), "-A", "econ.worker", "worker", "--pool", "solo",
             "-n", f"{name}-{RUN}@econ", "-Q", QUEUE,
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
        self.producer.send_task(name, args=list(args), queue=QUEUE)

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

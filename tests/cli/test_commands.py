"""The `econ` command in a terminal: migrate, create-user, demo."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _econ(tmp_path, *args, extra_env=None):
    env = {
        **os.environ,
        "ECON_DATA_DIR": str(tmp_path),
        "ECON_DATABASE_URL": "",
        **(extra_env or {}),
    }
    env.pop("ECON_SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "econ.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_create_user_and_demo_on_a_fresh_data_dir(tmp_path):
    first = _econ(tmp_path, "migrate")
    assert first.returncode == 0, first.stderr
    assert "generated a development secret key" in first.stderr
    assert (tmp_path / "secret.key").exists() and (tmp_path / "econ.db").exists()
    assert oct((tmp_path / "secret.key").stat().st_mode & 0o777) == "0o600"
    again = _econ(tmp_path, "migrate")
    assert "0 migration(s) applied" in again.stdout

    made = _econ(
        tmp_path,
        "create-user",
        "--email",
        "boss@test.econ",
        "--role",
        "ADMIN",
        "--password",
        "long enough pw",
    )
    assert made.returncode == 0 and "created ADMIN boss@test.econ" in made.stdout
    dup = _econ(
        tmp_path,
        "create-user",
        "--email",
        "boss@test.econ",
        "--role",
        "ADMIN",
        "--password",
        "long enough pw",
    )
    assert dup.returncode == 1 and "already exists" in dup.stderr

    skipped = _econ(tmp_path, "demo", "--if-empty")
    assert "not loading demo data" in skipped.stdout


def test_demo_prints_one_login_per_role(tmp_path):
    out = _econ(tmp_path, "demo")
    assert out.returncode == 0, out.stderr
    for role in ("ADMIN", "COUNSELOR", "FINANCE", "PARTICIPANT"):
        assert role in out.stdout
    assert "12 participants" in out.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    out = _econ(tmp_path, "migrate", extra_env={"ECON_ENV": "production"})
    assert out.returncode == 2
    assert "ECON_SECRET_KEY must be set" in out.stderr
    assert not (tmp_path / "secret.key").exists()


@pytest.mark.parametrize("args", [["create-user", "--email", "x@test.econ", "--role", "KING"]])
def test_bad_arguments_exit_with_usage(tmp_path, args):
    out = _econ(tmp_path, *args)
    assert out.returncode == 2 and "invalid choice" in out.stderr


def test_demo_refuses_production_and_a_database_with_data(tmp_path):
    keys = {"ECON_SECRET_KEYS": "k1:" + secrets.token_urlsafe(40),
            "ECON_HASH_KEY": secrets.token_urlsafe(40)}  # fmt: skip
    production = _econ(tmp_path, "demo", extra_env={"ECON_ENV": "production", **keys})
    assert production.returncode == 1
    assert "never runs with ECON_ENV=production" in production.stderr
    made = _econ(
        tmp_path, "create-user", "--email", "real@org.example", "--role", "ADMIN",
        "--password", "long enough pw",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    refused = _econ(tmp_path, "demo")
    assert refused.returncode == 1 and "pass --force" in refused.stderr
    assert "demo-admin-pass" not in refused.stdout
    forced = _econ(tmp_path, "demo", "--force")
    assert forced.returncode == 0 and "12 participants" in forced.stdout

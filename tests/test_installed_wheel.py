"""A wheel built from this checkout, installed (not editable) into a new venv, serves the app.

The wheel is built as pip builds it for a deployer (isolated build: the catalogs are
compiled there). The new venv borrows the already-installed third-party libraries through
a .pth line, so the test needs no download: econ itself comes only from the wheel, and the
commands run from a folder with no source code in it.
"""

from __future__ import annotations

import os
import site
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(where)],
        cwd=where, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (found,) = where.glob("econ-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
         "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(purelib) / "borrowed-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECON_")}
    return {**env, "ECON_DATA_DIR": str(data_dir), "ECON_ENV": "test",
            "ECON_ARGON2_TIME_COST": "1", "ECON_ARGON2_MEMORY_KIB": "8",
            "PYTHONPATH": "", **extra}  # fmt: skip


def test_the_wheel_holds_compiled_catalogs_any_user_can_read_and_no_shim(wheel):
    names = {i.filename: i.external_attr >> 16 for i in zipfile.ZipFile(wheel).infolist()}
    for lang in ("en", "es", "fr"):
        mode = names[f"econ/statements/locale/{lang}/LC_MESSAGES/econ.mo"]
        assert mode & 0o444 == 0o444, oct(mode)
    assert "server.py" not in names and "econ/app.py" in names and "econ/__main__.py" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_an_installed_wheel_serves_the_app(installed, tmp_path):
    econ = str(installed / "bin" / "econ")
    env = _env(tmp_path / "data")
    version = subprocess.run([econ, "--version"], cwd=tmp_path, env=env, capture_output=True,
                             text=True)  # fmt: skip
    assert version.stdout.startswith("econ 0."), version.stderr
    as_module = subprocess.run(
        [str(installed / "bin" / "python"), "-m", "econ", "migrate"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert as_module.returncode == 0 and "applied; database is up to date" in as_module.stdout
    made = subprocess.run(
        [econ, "create-user", "--email", "admin@org.example", "--role", "ADMIN",
         "--password", "a long admin password"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr

    port = _free_port()
    server = subprocess.Popen(
        [econ, "serve", "--port", str(port)], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        health = httpx.get(f"{base}/health").json()
        assert health["status"] == "ok" and health["workers"].startswith("in-process")
        login = httpx.post(f"{base}/graphql", json={"query": (
            'mutation { login(input: {email: "admin@org.example", '
            'password: "a long admin password"}) { token } }')}).json()  # fmt: skip
        token = login["data"]["login"]["token"]
        me = httpx.post(f"{base}/graphql", json={"query": "{ me { email role } }"},
                        headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        assert me.json()["data"]["me"] == {"email": "admin@org.example", "role": "ADMIN"}
        assert me.headers["x-request-id"]
    finally:
        server.terminate()
        _, err = server.communicate(timeout=60)
    assert '"message": "request"' in err and '"route": "/graphql"' in err  # JSON lines
    assert "admin@org.example" not in err

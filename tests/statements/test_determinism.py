"""Same data, same bytes: within a process and in a fresh one."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from .conftest import LANGUAGES, render_all

ROOT = Path(__file__).resolve().parents[2]


def test_rendering_twice_gives_identical_bytes(rendered):
    for language in LANGUAGES:
        again = render_all(language)
        for kind, pdf in rendered[language].items():
            assert again[kind] == pdf, (language, kind)


def test_a_fresh_process_gives_identical_bytes(rendered):
    # Font registration and subset naming start from scratch in a new interpreter.
    script = (
        "import hashlib\n"
        "from econ.statements import render_statement\n"
        "from tests.statements import samples\n"
        "print(hashlib.sha256(render_statement(samples.statement('fr'))).hexdigest())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == hashlib.sha256(rendered["fr"]["statement"]).hexdigest()


def test_creation_date_is_fixed(rendered):
    pdf = rendered["en"]["statement"]
    # reportlab's invariant mode writes this date instead of the clock's.
    assert b"/CreationDate (D:20000101000000+00'00')" in pdf

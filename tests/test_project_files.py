"""Files a deployer and a client developer rely on are kept true."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from econ.schema_root import build_schema

ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_schema_is_current():
    current = str(build_schema()).rstrip() + "\n"
    assert (ROOT / "schema.graphql").read_text() == current, (
        "the API changed: run `econ schema > schema.graphql` and commit it"
    )


def test_python_dash_m_econ_is_the_command_and_says_its_version():
    done = subprocess.run(
        [sys.executable, "-m", "econ", "--version"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0 and re.fullmatch(r"econ \d+\.\d+\.\d+\S*\n", done.stdout)


def test_constraints_pin_every_declared_dependency():
    pyproject = (ROOT / "pyproject.toml").read_text()
    declared = set(re.findall(r'^\s+"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?[<>=~!]', pyproject, re.M))
    pinned = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line
    }
    missing = {d for d in declared if d.lower().replace("_", "-") not in pinned}
    assert missing == set(), "run `make constraints`"


def test_readme_and_docs_link_only_to_files_in_the_repository():
    """A clone is all a reader has: every relative link resolves to a file inside it."""
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text()):
            if re.match(r"[a-z]+:", target) or not re.fullmatch(r"[\w./-]+", target):
                continue  # a web address, or brackets and parentheses that are not a link
            resolved = (page.parent / target).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == []

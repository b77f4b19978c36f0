"""Build step beyond pyproject.toml: compile the gettext catalogs into the wheel.

Every `econ/**/locale/<lang>/LC_MESSAGES/*.po` becomes an `.mo` beside it in the build
(mode 644), so an installed econ never writes into its own package directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        for po_path in sorted(Path("econ").rglob("locale/*/LC_MESSAGES/*.po")):
            target = Path(self.build_lib) / po_path.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=po_path.parent.parent.name)
            with target.open("wb") as handle:
                write_mo(handle, catalog)
            os.chmod(target, 0o644)


setup(cmdclass={"build_py": BuildWithCatalogs})

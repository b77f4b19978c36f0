"""Render each document from the sample data to a PNG under docs/img (for the docs).

Run: .venv/bin/python -m tests.statements.make_images [LANGUAGE]
Needs pdftoppm (poppler-utils). The PDFs are written to a temporary directory only.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from econ.statements import (
    render_collection_sheet,
    render_loan_schedule,
    render_payment_run_report,
    render_statement,
)

from . import samples

OUT = Path(__file__).resolve().parents[2] / "docs" / "img"


def documents(language: str) -> dict[str, bytes]:
    return {
        "statement": render_statement(samples.statement(language)),
        "payment-run-report": render_payment_run_report(samples.payment_run_report(language)),
        "loan-schedule": render_loan_schedule(samples.loan_schedule(language)),
        "collection-sheet": render_collection_sheet(samples.collection_sheet(language)),
    }


def main(language: str = "en", out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, pdf in documents(language).items():
            pdf_path = Path(tmp) / f"{name}.pdf"
            pdf_path.write_bytes(pdf)
            png_base = out / name
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-singlefile",
                    str(pdf_path),
                    str(png_base),
                ],
                check=True,
            )
            print(png_base.with_suffix(".png"))


if __name__ == "__main__":
    main(*sys.argv[1:2])

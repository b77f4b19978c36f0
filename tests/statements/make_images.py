"""Render each document from the sample data to PNGs, to look at layouts while developing.

The PNGs in docs/img are made from the demo data instead: see `demo_images.py`.

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
SAMPLES_OUT = Path(tempfile.gettempdir()) / "econ-sample-images"


def documents(language: str) -> dict[str, bytes]:
    return {
        "statement": render_statement(samples.statement(language)),
        "payment-run-report": render_payment_run_report(samples.payment_run_report(language)),
        "loan-schedule": render_loan_schedule(samples.loan_schedule(language)),
        "collection-sheet": render_collection_sheet(samples.collection_sheet(language)),
    }


def to_png(pdf: bytes, png_base: Path, resolution: int = 60) -> Path:
    """The first page of a PDF as `<png_base>.png` (pdftoppm)."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = Path(tmp) / "document.pdf"
        pdf_path.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(resolution),
                "-singlefile",
                str(pdf_path),
                str(png_base),
            ],
            check=True,
        )
    return png_base.with_suffix(".png")


def main(language: str = "en", out: Path = SAMPLES_OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, pdf in documents(language).items():
        print(to_png(pdf, out / name))


if __name__ == "__main__":
    main(*sys.argv[1:2])

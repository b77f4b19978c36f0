"""The same sample data gives byte-for-byte the PDFs it gave before the issue 21 speed work.

Rendering is deterministic (reportlab's invariant mode, test_determinism.py); these digests
were taken before the rendering was made faster, so a change that moves one glyph, one
number in a content stream or the font subset shows here. A deliberate change of a
document's look takes them again (and says so in its commit).
"""

from __future__ import annotations

import hashlib

import pytest

from .conftest import LANGUAGES

PINNED = {
    ("en", "statement"): "7560b708050ce8d53e5f191f9d82de0307a571f62e2739fc4aac518cc86a51fd",
    (
        "en",
        "payment_run_report",
    ): "d61b2c7df9b8c6e36586b56217c09dcbd2e2b2743ed9d09c2ae86cf92dc993f9",
    ("en", "loan_schedule"): "9dbd1a46b276564cdd53454dc5cac68f5f65693daae818b16a1684a2bd391197",
    ("en", "loan_preview"): "f6798ee3c802b8491b95601cc6699df76656bb9d7397d07af99ef3381128837b",
    ("en", "collection_sheet"): "246b903de65339464f26eaaa3560b24aeb79a24a7c9be60e377503cb0ad3a7f6",
    ("es", "statement"): "5f46c59b9c858c6f3e7ce0f2dbadb294176bf4928a22f62bcb5e4967e07c9e58",
    (
        "es",
        "payment_run_report",
    ): "8ef34d74b8360239fcc699b5a07b9f9667ff83b3e1204c5a8402cb245452fe1f",
    ("es", "loan_schedule"): "812216b9f7c89219a09370ab6bd6121f16c70107ef1412f61d770d8f81f6f21a",
    ("es", "loan_preview"): "f640b9ac96a46a8db8ed6da7fbd457cb59e9bf400728b0b151d18dcd3704da10",
    ("es", "collection_sheet"): "d57d3a47923c9fa2f44d5e492c0da4cb52fc74fe61eaa78d48ab71b529003173",
    ("fr", "statement"): "6d927fb6b7fa0b92bd24bd760430d4142c617a73a488dca4d8b8b6790db4214e",
    (
        "fr",
        "payment_run_report",
    ): "36c0b9a4d969eed079ccfe3024d0a99d18203c207eb9c7279c78f1dad76e1617",
    ("fr", "loan_schedule"): "edb1f87e9b6a668c5f23507ca85b0f12340e2af0e883783c2537b845fe6cc8f4",
    ("fr", "loan_preview"): "d5f0b465cbb593de3d61801361ae7bae7c0dfc0121158b423af2930fc2eba88f",
    ("fr", "collection_sheet"): "6d534a5af970448bd8d599a416e8dde957cda52e0b4bf1244bdb1d2fbeea6cf4",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_document_renders_to_the_pinned_bytes(rendered, language):
    for kind, pdf in rendered[language].items():
        assert hashlib.sha256(pdf).hexdigest() == PINNED[(language, kind)], (language, kind)

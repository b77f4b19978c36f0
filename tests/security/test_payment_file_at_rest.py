"""Payment files hold payees' legal names and IBANs: the database keeps them encrypted."""

from __future__ import annotations

from econ.db import db
from econ.stipends.models import PaymentFile
from tests.stipends.conftest import World


def test_payment_file_content_is_sealed_in_the_database(people):
    world = World(people)
    payee = world.participant(legal_name="Sealed Payee", bank_account="FR1420041010050500013M02606")
    world.schedule(payee)
    world.disburse(world.approve(world.calculate("2026-01")))
    stored = db.execute_sql("SELECT content FROM payment_file").fetchall()
    assert stored  # one bank transfer file
    raw = " ".join(row[0] for row in stored)
    assert "Sealed Payee" not in raw and "FR1420041010050500013M02606" not in raw
    assert "<?xml" not in raw
    # The model reads it back as the bank file it is.
    content = PaymentFile.get().content
    assert content.startswith("<?xml") and "Sealed Payee" in content

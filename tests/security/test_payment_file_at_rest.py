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


def test_a_file_sealed_as_it_is_written_opens_as_encrypt_would_have_sealed_it():
    """Issue 21 item 3: the export seals its file as it writes it (SealingWriter), so a
    100,000-line file is never held as plaintext and ciphertext at once."""
    import hashlib

    import pytest
    from cryptography.exceptions import InvalidTag

    from econ.security.crypto import SealingWriter, decrypt

    text = "".join(f"<Nm>Payee Ünïcode {i}</Nm>\n" for i in range(2000)).encode()
    writer = SealingWriter("payment_file.content")
    for start in range(0, len(text), 1001):  # writes that cut base64 groups and characters
        writer.write(text[start : start + 1001])
    sealed = writer.finish()
    assert decrypt(sealed.text, "payment_file.content") == text.decode()
    assert writer.sha256.hexdigest() == hashlib.sha256(text).hexdigest()
    assert "Payee" not in sealed.text
    with pytest.raises(InvalidTag):  # bound to its column like every sealed value
        decrypt(sealed.text, "payment_attempt.account.R1-L1-A1")

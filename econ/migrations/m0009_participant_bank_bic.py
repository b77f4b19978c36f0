"""Her bank's BIC, kept beside her IBAN (encrypted like every restricted field).

SEPA transfers to a bank outside the EEA (CH, GB, ...) must name the bank's BIC.
"""

SQL = """
ALTER TABLE "participant_pii" ADD COLUMN "bank_bic" TEXT;
"""

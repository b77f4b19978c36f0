"""Income records carry a version: verifying names the version the counselor read (issue 14:
a participant changed the amount while her counselor reviewed it, and it was verified)."""

SQL = """
ALTER TABLE "income_record" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
"""

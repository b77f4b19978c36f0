"""One enrolment code for every login (issue 14 item 1): a participant's sign-in code is a
login request's code (table login_code), approved by a second person like any login's;
the participant-only enrolment_code table goes. Codes issued from it and not yet used
stop working: her counselor issues a new one (and an ADMIN approves it)."""

SQL = """
DROP TABLE "enrolment_code";
"""

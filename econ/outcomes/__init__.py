"""Outcomes: the plan overview, the counselor's caseload and the program's indicators."""

"""Microcredit: solidarity loan groups, loans, schedules, repayments and arrears."""

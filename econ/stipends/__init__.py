"""Stipends: schedules, payment runs, payment files for the bank and reconciliation."""

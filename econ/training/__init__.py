"""Vocational training: catalogue, cohorts, enrolments, attendance, credentials."""

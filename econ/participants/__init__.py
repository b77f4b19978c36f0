"""Participant registry, status history, plans and milestones, income records."""

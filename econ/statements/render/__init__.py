"""Shared rendering: embedded fonts, styles and the numbered page template."""

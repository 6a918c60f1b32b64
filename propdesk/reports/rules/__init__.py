"""Definitions shared by the reports' selectors and rollups, below both (no import of either)."""

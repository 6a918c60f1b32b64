"""Violations 违章: models of the part (see the brief)."""

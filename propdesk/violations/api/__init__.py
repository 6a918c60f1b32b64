"""Violations 违章."""

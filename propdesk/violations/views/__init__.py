"""Violations pages."""

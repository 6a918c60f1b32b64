"""Triage of residents' messages (issue 16): pure Python, no Django. See engine.triage."""

from .engine import triage

__all__ = ["triage"]

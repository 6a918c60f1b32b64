"""Patrols 巡检 pages: rounds on the phone (rounds.py), plans, QR sheets and the report (plans.py)."""

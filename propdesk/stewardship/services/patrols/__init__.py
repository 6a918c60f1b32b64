"""Patrol writes: plans and checkpoints (plans.py), rounds on the phone (rounds.py), the sweep (sweep.py)."""

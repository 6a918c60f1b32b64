"""Renovation pages, one module a part (see ../urls.py)."""

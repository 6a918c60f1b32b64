"""Renovation 装修: one module a part."""

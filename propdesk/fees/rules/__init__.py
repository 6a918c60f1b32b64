"""The pure rules of fees 收费: no Django models, no database, no ``now()`` — the caller passes dates.

Money is integer fen (分) everywhere inside these rules; ``money.py`` converts to and from ``Decimal`` yuan.
"""

"""Fees 收费 (issue 12). For now only the pure rules in ``propdesk.fees.rules``; not yet an installed app."""

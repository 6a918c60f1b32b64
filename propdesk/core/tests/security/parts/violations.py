"""Stub: the violations part fills this in (populate(ctx) -> (ids, markers))."""


def populate(ctx):
    return {}, ()

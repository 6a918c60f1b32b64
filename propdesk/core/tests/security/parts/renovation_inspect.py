"""Stub: the renovation_inspect part fills this in (populate(ctx) -> (ids, markers))."""


def populate(ctx):
    return {}, ()

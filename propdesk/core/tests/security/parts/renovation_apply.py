"""Stub: the renovation_apply part fills this in (populate(ctx) -> (ids, markers))."""


def populate(ctx):
    return {}, ()

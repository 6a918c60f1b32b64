"""Objects of later modules in each scope of the security world, one module a part (issue 13 on). Each module has
``populate(ctx: Context) -> tuple[dict, tuple[str, ...]]``: the ids it adds to the scope (keys for routes.py) and the
texts that betray the scope (each should carry ``ctx.marker``). Modules run in name order."""

import importlib
import pkgutil
from dataclasses import dataclass


@dataclass
class Context:
    tag: str  # "a", "b", "c", "z"
    project: object
    room: object  # 3-2-1802, where the scope's resident lives
    resident: object
    marker: str  # 甲本项目 / 乙机密 / 丙机密 / 丁机密
    people: dict  # "agent", "technician", "project_manager" (and for A every role of the world)
    admin: object
    now: object
    request: object  # the scope's repair request


def populate_parts(ctx: Context) -> tuple[dict, tuple[str, ...]]:
    ids, markers = {}, ()
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        more_ids, more_markers = module.populate(ctx)
        ids.update(more_ids)
        markers += tuple(more_markers)
    return ids, markers

"""What the staff pages read from apps to their right. Staff sits left of the rosters (duty) and the service desk,
so it cannot import them: the service desk registers a provider at start-up (its ``AppConfig.ready``) that tells,
for a project's people, who is on duty now and how many work orders each has open."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Workload:
    on_duty: bool = False
    open_orders: int = 0


NOBODY = Workload()
_providers: list[Callable] = []


def register_workload(provider: Callable) -> None:
    """``provider(project_id=…, user_ids=…, now=…) -> dict[user_id, Workload]`` in a fixed number of queries."""
    if provider not in _providers:
        _providers.append(provider)


def workload(*, project_id: int, user_ids, now: datetime) -> dict[int, Workload]:
    """On duty now and open work orders of each of ``user_ids``; people the providers do not mention get NOBODY."""
    user_ids = list(user_ids)
    found: dict[int, Workload] = {}
    if not user_ids:
        return found
    for provider in _providers:
        for user_id, load in provider(project_id=project_id, user_ids=user_ids, now=now).items():
            seen = found.get(user_id, NOBODY)
            found[user_id] = Workload(on_duty=seen.on_duty or load.on_duty,
                                      open_orders=seen.open_orders + load.open_orders)
    return found

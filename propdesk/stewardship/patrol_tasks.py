"""The patrol sweep as a task the worker clock enqueues (console/clock.py)."""

from django.tasks import task
from django.utils import timezone

from .services.patrols.sweep import patrols_sweep


@task
def sweep_patrols():
    return patrols_sweep(now=timezone.now())

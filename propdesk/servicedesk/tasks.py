from django.tasks import task

from .services.escalations import escalation_sweep


@task
def sweep_deadlines():
    return escalation_sweep()

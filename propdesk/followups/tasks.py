from django.tasks import task

from .services.sweep import visit_handover_sweep


@task
def sweep_visits():
    return visit_handover_sweep()

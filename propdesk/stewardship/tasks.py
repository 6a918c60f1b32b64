from django.tasks import task
from django.utils import timezone


@task
def sweep_vacant_overdue():  # issue 13: vacant — weekly, overdue vacant-home inspections to the project managers
    from .services.vacant_sweep import vacant_overdue_sweep

    return vacant_overdue_sweep(now=timezone.now())

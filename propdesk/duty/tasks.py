from django.tasks import task


@task
def sweep_roster_coverage():
    """Daily: shifts of today and the next 7 days with fewer people than needed go to the project managers (once
    each)."""
    from .services.rosters import coverage_sweep

    return coverage_sweep()

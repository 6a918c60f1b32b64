from django.tasks import task

from .services.billing import billing_run_execute


@task
def run_billing(run_id: int):
    run = billing_run_execute(run_id=run_id)
    return run.status if run else None


@task
def sweep_dunning():
    from .services.dunning import dunning_sweep

    return dunning_sweep().total

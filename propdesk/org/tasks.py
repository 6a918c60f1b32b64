from django.tasks import task

from .services.import_jobs import import_job_run


@task
def run_import_job(job_id: int):
    job = import_job_run(job_id=job_id)
    return job.status if job else None

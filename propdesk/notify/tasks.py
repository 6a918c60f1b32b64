from django.tasks import task

from .services import outbox_deliver


@task
def deliver_outbox():
    return outbox_deliver()

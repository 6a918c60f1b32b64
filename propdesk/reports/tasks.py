from django.tasks import task

from .delivery import monthly_summary_delivery


@task
def deliver_monthly_summary():
    return monthly_summary_delivery()

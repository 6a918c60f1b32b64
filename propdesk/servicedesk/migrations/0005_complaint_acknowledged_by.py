import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def acknowledgements_as_their_own_events(apps, schema_editor):
    """Earlier acknowledgements were logged as a status change: give them their event kind, and the request the
    person who acknowledged it."""
    Event = apps.get_model("servicedesk", "TimelineEvent")
    Request = apps.get_model("servicedesk", "ServiceRequest")
    events = Event.objects.filter(kind="status", action="acknowledge")
    for request_id, actor_id in events.exclude(actor=None).values_list("request_id", "actor_id"):
        Request.objects.filter(pk=request_id, acknowledged_by=None).update(acknowledged_by_id=actor_id)
    events.update(kind="acknowledged")


def acknowledgements_as_status_changes(apps, schema_editor):
    apps.get_model("servicedesk", "TimelineEvent").objects.filter(kind="acknowledged").update(kind="status")


class Migration(migrations.Migration):

    dependencies = [
        ('servicedesk', '0004_request_resolved_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='servicerequest',
            name='acknowledged_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='acknowledged by'),
        ),
        migrations.AlterField(
            model_name='servicerequest',
            name='acknowledged_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='acknowledged at'),
        ),
        migrations.AlterField(
            model_name='timelineevent',
            name='kind',
            field=models.CharField(choices=[('created', 'recorded'), ('work_order', 'work order action'), ('comment', 'comment'), ('call', 'phone call'), ('reply', 'reply to the resident'), ('escalation', 'escalation'), ('status', 'status change'), ('acknowledged', 'taken into handling'), ('payment', 'payment'), ('incident', 'incident update')], max_length=16, verbose_name='kind'),
        ),
        migrations.RunPython(acknowledgements_as_their_own_events, acknowledgements_as_status_changes),
    ]

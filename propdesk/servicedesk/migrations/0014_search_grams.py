"""search_grams beside each request's text, filled for the requests already there, and the vendor's index over it
(servicedesk/search_index.py)."""

from django.db import migrations, models

from propdesk.servicedesk.rules.bigrams import text_grams
from propdesk.servicedesk.search_index import create_search_index, drop_search_index

CHUNK = 2000


def fill_grams(apps, schema_editor):
    request_model = apps.get_model("servicedesk", "ServiceRequest")
    rows = request_model.objects.order_by("id").values_list(
        "id", "description", "location_note", "reply", "contact_name", "room__code")
    last = 0
    while True:
        chunk = list(rows.filter(id__gt=last)[:CHUNK])
        if not chunk:
            return
        request_model.objects.bulk_update(
            [request_model(id=pk, search_grams=text_grams(description, note, reply, name, code or ""))
             for pk, description, note, reply, name, code in chunk], ["search_grams"])
        last = chunk[-1][0]


def create_index(apps, schema_editor):
    create_search_index(schema_editor)


def drop_index(apps, schema_editor):
    drop_search_index(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('servicedesk', '0013_merge_0012_incident_scope_0012_resident_follow'),
    ]

    operations = [
        migrations.AddField(
            model_name='servicerequest',
            name='search_grams',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_grams, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_index, drop_index),
    ]

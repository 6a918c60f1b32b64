# Request, work-order and receipt numbers become unique in the whole company: each existing number gets its project's
# prefix in front (261130-014 → CH-261130-014, 261130-014-1 → CH-261130-014-1, RC2026000001 → CH-RC2026000001; a
# voided receipt keeps its number, prefixed like the others), then the unique constraints cover the number alone.
# Deterministic: the prefix is the project's (org 0004); rows already prefixed are left as they are.

from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Value
from django.db.models.functions import Concat


def prefix_numbers(apps, schema_editor):
    Project = apps.get_model("org", "Project")
    rows = ((apps.get_model("servicedesk", "ServiceRequest"), "number"),
            (apps.get_model("servicedesk", "WorkOrder"), "number"),
            (apps.get_model("servicedesk", "Payment"), "receipt_number"))
    for project_id, prefix in Project.objects.order_by("id").values_list("id", "number_prefix"):
        for model, name in rows:
            (model.objects.filter(project_id=project_id).exclude(**{f"{name}__startswith": f"{prefix}-"})
             .update(**{name: Concat(Value(f"{prefix}-"), F(name), output_field=models.CharField())}))


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0001_initial'),
        ('org', '0004_project_number_prefix'),
        ('servicedesk', '0004_request_resolved_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='payment',
            name='payment_receipt_unique',
        ),
        migrations.RemoveConstraint(
            model_name='servicerequest',
            name='request_number_unique',
        ),
        migrations.RemoveConstraint(
            model_name='workorder',
            name='workorder_number_unique',
        ),
        migrations.RunPython(prefix_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.UniqueConstraint(fields=('receipt_number',), name='payment_receipt_unique'),
        ),
        migrations.AddConstraint(
            model_name='servicerequest',
            constraint=models.UniqueConstraint(fields=('number',), name='request_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='workorder',
            constraint=models.UniqueConstraint(fields=('number',), name='workorder_number_unique'),
        ),
    ]

# The register of completed orders reads a month newest first from an index; the foreign key's own index on
# project_id goes (the indexes that start with the project serve lookups by project, and with it the planner
# walked a branch's orders to count a month's completed ones).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0008_alter_department_kind'),
        ('servicedesk', '0019_request_project_received'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='workorder',
            index=models.Index(condition=models.Q(('completed_at__isnull', False)), fields=['-completed_at'], name='workorder_completed'),
        ),
        migrations.AlterField(
            model_name='workorder',
            name='project',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.project', verbose_name='project'),
        ),
    ]

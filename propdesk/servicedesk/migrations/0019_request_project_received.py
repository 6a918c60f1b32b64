# The request list of a project, newest first, from an index (the first page without sorting the project's
# history); the foreign key's own index on project_id goes, this one leads with it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0008_alter_department_kind'),
        ('servicedesk', '0018_search_vector_column'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='servicerequest',
            index=models.Index(fields=['project', '-received_at', '-id'], name='request_project_received'),
        ),
        migrations.AlterField(
            model_name='servicerequest',
            name='project',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='org.project', verbose_name='project'),
        ),
    ]

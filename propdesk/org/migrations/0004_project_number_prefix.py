# Every project gets a number prefix (2–4 capital letters) that starts its request, work-order and receipt numbers,
# so that numbers are unique in the company. Existing projects get theirs from their code, in id order, by the same
# rule new projects use (org/rules.number_prefix_for): deterministic.

import django.core.validators
from django.db import migrations, models

from propdesk.org.rules import number_prefix_for


def assign_prefixes(apps, schema_editor):
    Project = apps.get_model("org", "Project")
    taken: set[str] = set()
    for project in Project.objects.order_by("id"):
        project.number_prefix = number_prefix_for(project.code, taken)
        taken.add(project.number_prefix)
        project.save(update_fields=["number_prefix"])


FIELD = dict(
    blank=True, max_length=4, verbose_name="number prefix",
    help_text="Starts every request, work-order and receipt number of the project (CH-261130-014), so that numbers "
              "are unique in the company. 2–4 capital letters; left empty, one is derived from the code. It cannot "
              "be changed later.",
    validators=[django.core.validators.RegexValidator("^[A-Z]{2,4}$", "Use 2 to 4 capital letters, e.g. CH.")],
)


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0003_room_number_index"),
    ]

    operations = [
        migrations.AddField(model_name="project", name="number_prefix", field=models.CharField(default="", **FIELD),
                            preserve_default=False),
        migrations.RunPython(assign_prefixes, migrations.RunPython.noop),
        migrations.AlterField(model_name="project", name="number_prefix",
                              field=models.CharField(unique=True, **FIELD)),
    ]

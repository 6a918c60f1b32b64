"""PostgreSQL: the search vector stored beside search_grams (servicedesk/search_index.py), indexed by GIN, in place
of the index on the expression. Nothing on SQLite (its FTS5 table already holds the tokens)."""

from django.db import migrations

from propdesk.servicedesk.search_index import create_search_vector, drop_search_vector


def forward(apps, schema_editor):
    create_search_vector(schema_editor)


def backward(apps, schema_editor):
    drop_search_vector(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0017_kpi_bucket_indexes")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]

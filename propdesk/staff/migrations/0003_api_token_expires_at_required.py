# Separate from 0002 so that PostgreSQL alters the column in a transaction of its own, after the data update.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("staff", "0002_api_token_expiry_scope"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
    ]

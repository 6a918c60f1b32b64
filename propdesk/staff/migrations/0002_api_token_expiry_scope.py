"""API tokens get a scope, an expiry and the fingerprint of their user's password. Tokens issued before keep
working as they did (read and write) for the default lifetime from now, and die with the password as new ones do."""

import hashlib
from datetime import timedelta

import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone


def stamp_existing(apps, schema_editor):
    ApiToken = apps.get_model("staff", "ApiToken")
    expires_at = timezone.now() + timedelta(days=90)
    for token in ApiToken.objects.select_related("user"):
        token.expires_at = expires_at
        # The same digest as propdesk.staff.models.password_fingerprint (a migration must not import app code).
        token.password_fingerprint = hashlib.sha256(f"propdesk.api-token:{token.user.password}".encode()).hexdigest()
        token.save(update_fields=["expires_at", "password_fingerprint"])


class Migration(migrations.Migration):

    dependencies = [
        ("staff", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="apitoken",
            options={"ordering": ["-created_at", "-id"], "verbose_name": "API token",
                     "verbose_name_plural": "API tokens"},
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created at"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(choices=[("read", "read only"), ("read_write", "read and write")],
                                   default="read_write", max_length=16, verbose_name="scope"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="password_fingerprint",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(stamp_existing, migrations.RunPython.noop),
    ]

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

_LABELS: dict = {}  # field -> {value: label}


class QuickChoices:
    """``get_<field>_display`` from a dict built once per field. Django rebuilds the dict of every choice on each
    call: a list of 80 work orders spent ~3 ms of its page on that (a model mixin, first in the bases)."""

    def _get_FIELD_display(self, field):
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a JSON list): Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    REVEAL_PHONE = "reveal_phone", _("revealed a phone number")
    REVEAL_ID = "reveal_id", _("revealed an ID number")
    EXPORT = "export", _("exported data")
    IMPORT = "import", _("imported data")
    LOGIN = "login", _("signed in")


class AuditLog(models.Model):
    """Who saw or took personal data, when and what: every reveal and every export (DESIGN §4 customer data), and every
    sign-in with the address it came from.

    Append-only; nothing in the application edits or deletes a row.
    """

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("who"))
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    target_type = models.CharField(_("object type"), max_length=64)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self):
        return f"{self.actor_id} {self.action} {self.target_type}:{self.target_id}"


class Counter(models.Model):
    """A named sequence (request numbers per project and day, receipt numbers per project), taken with one
    ``UPDATE … SET value = value + n RETURNING value`` (core/sequences.py). Receipts take it inside the caller's
    transaction: concurrent callers queue on the row lock, and a rolled-back caller gives its number back, so receipt
    numbers are neither shared nor skipped. Requests take it in its own statement, committed at once before the
    request's transaction (when the caller is not already inside one), so a project's intake does not queue on the
    row: a request that then fails to save leaves a gap in the day's numbers; never a duplicate."""

    key = models.CharField(max_length=120, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.key}={self.value}"


class WorkerHeartbeat(models.Model):
    """One row per running ``propdesk worker``, written at every tick of its clock (core/heartbeat.py): the
    operations page and /metrics show when each was last seen. A worker that stops cleanly removes its row; the row
    of one that died stays, shown as not seen since, until it ages out."""

    name = models.CharField(_("worker"), max_length=200, unique=True)  # host:pid
    host = models.CharField(_("host"), max_length=150)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["name"]

    def __str__(self):
        return self.name

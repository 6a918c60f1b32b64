import os

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import EventKind
from .requests import ServiceRequest
from .workorders import WorkOrder


class TimelineEvent(models.Model):
    """处理记录: append-only. Nothing in the application updates or deletes a row (save refuses an update)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events",
                                verbose_name=_("request"))
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, null=True, blank=True, related_name="events",
                                   verbose_name=_("work order"))
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    action = models.CharField(_("action"), max_length=32, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("who"))
    at = models.DateTimeField(_("when"))
    message = models.TextField(_("note"), blank=True)
    internal = models.BooleanField(_("internal"), default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"], name="event_request_at")]

    def __str__(self):
        return f"{self.request_id} {self.kind} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("timeline entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("timeline entries are append-only")

    @property
    def action_label(self) -> str:
        from ..choices import ACTION_LABELS

        return ACTION_LABELS.get(self.action, "") if self.kind == EventKind.WORK_ORDER else ""


def attachment_path(instance, filename):
    """A name the server picks: ``attachments/2026/11/<uuid>.<ext>`` (the caller passes a random name whose
    extension is the decoded image's). Nothing of the client's name reaches storage. Rows stored before keep
    their old names (``requests/<project>/<request>/<client's name>``) and are served the same way."""
    from django.utils import timezone

    now = timezone.localtime()
    return f"attachments/{now:%Y}/{now:%m}/{os.path.basename(filename)}"


class Attachment(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="attachments")
    file = models.FileField(_("photo"), upload_to=attachment_path, max_length=200)
    content_type = models.CharField(max_length=50)  # of the decoded image, as it is served
    original_name = models.CharField(_("file name"), max_length=200, blank=True)  # the client's, for display
    size = models.PositiveIntegerField()
    # Shown to the resident in the portal besides their own photos: the photos of the finished work.
    for_resident = models.BooleanField(_("shown to the resident"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.file.name

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet

from .org import Project


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("nothing imported")


def import_file_path(instance, filename):
    """``imports/<uuid>.xlsx``: the caller passes a random name; the uploader's is kept in ``file_name``."""
    return f"imports/{filename}"


class ImportJob(models.Model):
    """An Excel import too large to run inside a web request: the upload waits in the storage until a worker
    has read it (then it is deleted); the job page follows ``done`` and shows the result."""

    kind = models.CharField(_("kind"), max_length=16)  # a registered importer: "rooms", "residents"
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("who"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    file = models.FileField(upload_to=import_file_path, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)  # rows read so far
    total = models.PositiveIntegerField(null=True, blank=True)  # rows the sheet says it has
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    errors = models.JSONField(default=list, blank=True)  # the first MAX_JOB_ERRORS rows' errors
    error_count = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

"""Work logs 工作日志 (one per staff member per day) and duty logs 值班记录 (one per shift of a department), their
open items (carried over 延续 into the next log of the series until done), the handover acknowledgement 交接班 and
the supervisor's comments 批示 and signature 签阅.

A signed log is append-only: the services refuse edits, and ``save`` refuses them too, so no other path (the admin,
a script) changes the body or items of a signed log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Department, Project

from ..rules import logs as rules
from .rosters import RosterEntry, ShiftKind


class LogKind(models.TextChoices):
    WORK = rules.WORK, _("work log")
    DUTY = rules.DUTY, _("duty log")


class LogStatus(models.TextChoices):
    DRAFT = rules.DRAFT, _("draft")
    SUBMITTED = rules.SUBMITTED, _("submitted")
    SIGNED = rules.SIGNED, _("signed off")


class SignedLogError(ValidationError):
    """Raised by ``save`` when something would change a signed log's content."""


LOCKED_FIELDS = ("body", "kind", "author_id", "project_id", "department_id", "day", "starts_at", "ends_at",
                 "roster_entry_id", "shift_id", "submitted_at", "signed_at", "signed_by_id")


class Log(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=8, choices=LogKind.choices)
    chain = models.CharField(max_length=40, editable=False)  # rules.chain_key: the person's or department's series
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("written by"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("department"))
    roster_entry = models.ForeignKey(RosterEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("roster entry"))
    shift = models.ForeignKey(ShiftKind, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("shift"))
    day = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("starts at"))  # a work log: the day's start; a duty log: the shift's
    ends_at = models.DateTimeField(_("ends at"))
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("previous log"))
    status = models.CharField(_("status"), max_length=12, choices=LogStatus.choices, default=LogStatus.DRAFT)
    body = models.TextField(_("what happened"), blank=True, max_length=4000)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # handover: the next shift read this log
    acknowledged_at = models.DateTimeField(_("handover acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("handover acknowledged by"))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("signed by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("log")
        verbose_name_plural = _("logs")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "starts_at"], name="log_once_per_series_start"),
            models.UniqueConstraint(fields=["roster_entry"], condition=models.Q(roster_entry__isnull=False),
                                    name="log_once_per_roster_entry"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="log_ends_after"),
        ]
        indexes = [
            models.Index(fields=["chain", "-starts_at"], name="log_series"),  # previous log, carry-over
            models.Index(fields=["project", "day"], name="log_project_day"),  # the list, the morning page
            models.Index(fields=["project", "status", "day"], name="log_project_status"),  # unsigned
            models.Index(fields=["author", "day"], name="log_author_day"),  # my log today
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.day}"

    def save(self, *args, **kwargs):
        stored = getattr(self, "_stored", None)
        if self.pk and stored is None:  # an instance not loaded from the database: read what is stored
            stored = Log.objects.filter(pk=self.pk).values("status", *LOCKED_FIELDS).first()
        if self.pk and stored is not None and stored.get("status") == LogStatus.SIGNED:
            changed = [name for name in LOCKED_FIELDS if name in stored and stored[name] != getattr(self, name)]
            if changed or self.status != LogStatus.SIGNED:
                raise SignedLogError(_("A signed log cannot be changed; add a comment instead."))
        super().save(*args, **kwargs)
        self._stored = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        instance._stored = dict(zip(field_names, values, strict=True))
        return instance

    @property
    def is_signed(self) -> bool:
        return self.status == LogStatus.SIGNED


def _refuse_if_signed(log_id) -> None:
    if Log.objects.filter(pk=log_id, status=LogStatus.SIGNED).exists():
        raise SignedLogError(_("A signed log cannot be changed; add a comment instead."))


class LogItem(models.Model):
    """An open matter 事项: what, optionally the request number it concerns, done or not. ``carried_from`` is the
    same matter in the previous log; ``started_on`` the day it first appeared."""

    log = models.ForeignKey(Log, on_delete=models.CASCADE, related_name="items", verbose_name=_("log"))
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("matter"), max_length=300)
    request_number = models.CharField(_("request number"), max_length=32, blank=True)
    done = models.BooleanField(_("done"), default=False)
    started_on = models.DateField(_("since"))
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("carried over from"))

    class Meta:
        verbose_name = _("log item")
        verbose_name_plural = _("log items")
        ordering = ["log_id", "position", "id"]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        _refuse_if_signed(self.log_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_signed(self.log_id)
        return super().delete(*args, **kwargs)

    @property
    def carried(self) -> bool:
        return self.carried_from_id is not None


class LogComment(models.Model):
    """A supervisor's comment 批示. Append-only: written once, never edited or deleted."""

    log = models.ForeignKey(Log, on_delete=models.CASCADE, related_name="comments", verbose_name=_("log"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("commented by"))
    body = models.TextField(_("supervisor's comment"), max_length=1000)
    created_at = models.DateTimeField(_("commented at"))

    class Meta:
        verbose_name = _("comment on a log")
        verbose_name_plural = _("comments on logs")
        ordering = ["log_id", "created_at", "id"]
        indexes = [models.Index(fields=["log", "created_at"], name="log_comment_log")]

    def __str__(self):
        return self.body[:40]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(_("A comment cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A comment cannot be deleted."))
